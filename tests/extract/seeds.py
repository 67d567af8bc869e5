"""The seeds' cleaned texts and hand-built PER mentions, shared by the extraction tests."""

from __future__ import annotations

from pathlib import Path

from akhbar.extract.model import Mention
from akhbar.io import read
from akhbar.model import CleanArticle, RawArticle
from akhbar.settings import Settings
from akhbar.text.clean import clean
from akhbar.text.normalize import normalize

PEOPLE_000 = (
    "ألكسندر جوساروف",
    "جوساروف",
    "ألكسندر دارتشيف",
    "سوناتا كولتر",
    "فولوديمير زيلينسكي",
    "زيلينسكي",
)
PEOPLE_001 = ("ألكسندر غوساروف", "غوساروف")


def read_clean(path: Path) -> tuple[RawArticle, CleanArticle]:
    """A seed read and cleaned the way ingest does it."""
    settings = Settings.load()
    items = list(read([path], settings.read))
    raw = items[0]
    if not isinstance(raw, RawArticle):
        raise TypeError(f"{path}: {raw}")
    return raw, clean(raw, settings.clean)


def mentions_of(text: str, names: tuple[str, ...], kind: str = "PER") -> tuple[Mention, ...]:
    """Every occurrence of the given names as mentions (longest name first, no overlaps)."""
    found: list[Mention] = []
    for name in sorted(names, key=len, reverse=True):
        i = text.find(name)
        while i != -1:
            if not any(m.start < i + len(name) and i < m.end for m in found):
                found.append(Mention(i, i + len(name), name, kind, normalize(name)))  # type: ignore[arg-type]
            i = text.find(name, i + len(name))
    return tuple(sorted(found, key=lambda m: m.start))
