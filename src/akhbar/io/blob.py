"""One input to read: a named stream of bytes (a file, an archive member or a fetched URL)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from akhbar.model import Origin
from akhbar.settings import ReadSettings

__all__ = ["Blob", "Context", "TooLargeError", "display_name", "is_folder_doc", "read_limited"]


def is_folder_doc(name: str) -> bool:
    """README.md, LICENSE, NOTICE.txt and the like describe a folder (or an archive); they are
    not news."""
    stem = name.split(".", 1)[0].upper()
    return stem in {"README", "LICENSE", "LICENCE", "NOTICE", "COPYING", "CHANGELOG"}


# What a saved web page or an export folder holds beside its articles: styles, scripts, data
# tables, vector images (text that sniffing would take for an article)
_NOT_ARTICLES = frozenset({"css", "js", "mjs", "map", "csv", "tsv", "svg", "ts", "scss", "less"})


def not_an_article(name: str) -> str | None:
    """Why a file met in a folder or an archive is no article (a stylesheet, a script, a data
    table), else None: stored as articles they were gibberish in another language."""
    _, dot, ext = name.rpartition(".")
    if dot and ext.lower() in _NOT_ARTICLES:
        return (
            f"not an article: a .{ext.lower()} file (styles, scripts and data tables in a folder "
            "or an archive are not read; name the file to read it)"
        )
    return None


def display_name(name: str) -> str:
    """A file name or path as text that can be stored and shown: bytes of the name that are
    not UTF-8 (which the OS hands over as lone surrogates) become U+FFFD, so that an oddly
    named file is read like any other instead of failing where its name is written."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        try:
            data = name.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a surrogate no undecodable byte stands for
            data = name.encode("utf-8", "surrogatepass")
        return data.decode("utf-8", "replace")
    return name


@dataclass(frozen=True, slots=True)
class Blob:
    """A byte stream with the names messages need; `open` can be called more than once."""

    path: str
    member: str | None
    name: str
    open: Callable[[], IO[bytes]]
    size: int | None = None

    @property
    def origin(self) -> Origin:
        """Where this input is, for Skipped records and warnings."""
        return Origin(self.path, self.member)


@dataclass(frozen=True, slots=True)
class Context:
    """What every reader needs besides the input: the settings and the `--outlet` override."""

    settings: ReadSettings
    outlet: str | None = None


class TooLargeError(ValueError):
    """An input read whole turned out bigger than the limit for reading it whole."""


def read_limited(blob: Blob, limit: int) -> bytes:
    """Read the whole input, refusing (TooLargeError) to hold more than `limit` bytes."""
    with blob.open() as stream:
        data = stream.read(limit + 1)
        if len(data) <= limit:
            stream.read(1)  # the end: where a stream that ends early says so (a truncated .gz)
    if len(data) > limit:
        raise TooLargeError(f"too large to read whole (more than {limit} bytes)")
    return data
