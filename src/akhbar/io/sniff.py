"""What kind of input a file is, from its first bytes first and its extension second."""

from __future__ import annotations

import json
from typing import Literal

from akhbar.io.encoding import is_binary, text_encoding

__all__ = ["HEAD_BYTES", "Kind", "head_text", "sniff"]

Kind = Literal["empty", "binary", "gzip", "zip", "json", "jsonl", "html", "feed", "text"]

HEAD_BYTES = 8192

_HTML_EXT = (".html", ".htm", ".xhtml", ".php", ".asp", ".aspx")
_FEED_EXT = (".rss", ".atom", ".xml")
_JSONL_EXT = (".jsonl", ".ndjson", ".jsonlines")
_FEED_MARKERS = ("<rss", "<feed", "<rdf:rdf", "<channel")
_HTML_MARKERS = ("<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p>", "<p ")


def head_text(head: bytes) -> str:
    """The head as text good enough to look for ASCII markers, whatever the encoding."""
    unicode = text_encoding(head)
    if unicode is not None:
        name, size = unicode
        return head[size:].decode(name, errors="ignore")
    return head.decode("utf-8", errors="ignore")


def _first_line_is_json_object(sample: str) -> bool:
    """True when the first line is a whole JSON object, as in JSONL."""
    line = sample.split("\n", 1)[0].strip()
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _jsonl_head(sample: str, whole: bool) -> bool:
    """True when a head that starts with `{` reads as JSONL rather than one JSON document: one
    of its first complete lines is a whole JSON object (a broken first record does not make
    the file one document), or its first line runs past the head (pretty-printed JSON breaks
    lines early)."""
    lines = sample.split("\n")
    complete = lines if whole else lines[:-1]
    if not complete:
        return True
    return any(_first_line_is_json_object(line) for line in complete[:5])


def _opens_json(sample: str) -> bool:
    """True when the text after a leading `[` or `{` can start JSON: `[عاجل] ...` or
    `{تحديث} ...` opens a plain-text article, not a JSON file."""
    rest = sample[1:].lstrip(" \t\r\n")
    if not rest:
        return True
    if sample[0] == "{":
        return rest[0] in '"}'
    return rest[0] in '{["-0123456789tfn]'


def _opens_markup(sample: str) -> bool:
    """True when a leading `<` opens a tag, a comment or a declaration (`<p`, `<!--`, `<?xml`):
    `<‹ ...` or `<< ...` opens text."""
    nxt = sample[1:2]
    return nxt.isascii() and (nxt.isalpha() or nxt in "!?/")


def sniff(name: str, head: bytes) -> Kind:
    """Classify an input by its first bytes (magic numbers, first characters) and its name."""
    lower_name = name.lower()
    if not head:
        return "empty"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    sample = head_text(head).lstrip("\ufeff \t\r\n")
    if is_binary(head):
        # a JSONL file with NULs in it (an append cut short by a crash) is still JSONL: its
        # lines are read one by one, and only the broken one is skipped
        return "jsonl" if _first_line_is_json_object(sample) else "binary"
    if lower_name.endswith(_JSONL_EXT):
        return "jsonl"
    if sample.startswith("[") and _opens_json(sample):
        return "json"
    if sample.startswith("{") and _opens_json(sample):
        whole = len(head) < HEAD_BYTES
        if lower_name.endswith(".json") and not _jsonl_head(sample, whole):
            return "json"
        return "jsonl"
    low = sample[:HEAD_BYTES].lower()
    if sample.startswith("<") and _opens_markup(sample):
        if any(marker in low for marker in _FEED_MARKERS):
            return "feed"
        if any(marker in low for marker in _HTML_MARKERS) or lower_name.endswith(_HTML_EXT):
            return "html"
        if lower_name.endswith(_FEED_EXT):
            return "feed"
        return "html"
    if lower_name.endswith(_HTML_EXT) and "<html" in low:
        return "html"
    return "text"
