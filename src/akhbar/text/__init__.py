"""Text stages: cleaning, normalisation for matching, tokenisation."""

from akhbar.text.normalize import fold_letters, normalize, strip_diacritics
from akhbar.text.tokenize import Token, tokenize, word_spans

__all__ = ["Token", "fold_letters", "normalize", "strip_diacritics", "tokenize", "word_spans"]
