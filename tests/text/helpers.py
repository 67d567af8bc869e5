"""Shared checks for the cleaning tests: offsets and the no-word-lost invariant."""

from __future__ import annotations

from akhbar.model import CleanArticle, Origin, RawArticle, make_article_id
from akhbar.text.tokenize import tokenize


def article(text: str, title: str | None = None, outlet: str | None = None) -> RawArticle:
    """A RawArticle built the way readers build them."""
    aid = make_article_id(None, source="test", url=None, title=title, text=text)
    return RawArticle(aid, text, Origin("test"), "test", title=title, outlet=outlet)


def offsets_ok(view: CleanArticle) -> bool:
    """Every block is exactly its slice of the cleaned text, in order, joined by blank lines."""
    if "\n\n".join(b.text for b in view.blocks) != view.text:
        return False
    return all(view.text[b.start : b.end] == b.text for b in view.blocks)


def lost_words(raw: RawArticle, view: CleanArticle) -> list[str]:
    """Words of the raw text found neither in the title, the cleaned text nor what was removed.

    A word split in two by a rule (a glued heading) counts as kept when both halves are kept.
    """
    kept_text = " ".join(
        [view.title or "", view.text, *(r.text for r in view.removed)]
        + [part for e in view.edits for part in e.after]
    )
    kept = {t.norm for t in tokenize(kept_text)}
    lost = []
    for tok in tokenize(raw.text):
        w = tok.norm
        if w in kept:
            continue
        if any(w[:k] in kept and w[k:] in kept for k in range(1, len(w))):
            continue
        lost.append(w)
    return lost
