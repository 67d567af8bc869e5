"""Inputs are classified by their content first, their extension second."""

from __future__ import annotations

import codecs

import pytest

from akhbar.io.sniff import sniff


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("a.txt", b"", "empty"),
        ("a.txt", b"\x1f\x8b\x08\x00", "gzip"),
        ("a.bin", b"PK\x03\x04rest", "zip"),
        ("a.txt", b"\x89PNG\r\n\x1a\n", "binary"),
        ("a.json", b'[{"text": "x"}]', "json"),
        ("a.json", b'{\n  "text": "x"\n}\n', "json"),
        ("a.json", b'{"text": "x"}\n{"text": "y"}\n', "jsonl"),
        ("a.json", b'{"text": "cut\n{"text": "y"}\n', "jsonl"),  # a broken first record
        ("a.json", b'{"text": "' + b"x" * 9000, "jsonl"),  # a first line longer than the head
        ("a.txt", "[عاجل] نص".encode(), "text"),
        ("a.txt", "{تحديث} نص".encode(), "text"),
        ("a.txt", "<‹ نص".encode(), "text"),
        ("a.txt", b"[ ]", "json"),
        ("data", b'{"text": "x"}\n', "jsonl"),
        ("a.jsonl", b"not json\n", "jsonl"),
        ("page", b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("a.xml", b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "feed"),
        ("a.txt", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        ("a.html", "نص عربي".encode(), "text"),
        ("a.txt", "نص عربي".encode(), "text"),
        ("a.txt", codecs.BOM_UTF16_LE + "[{}]".encode("utf-16-le"), "json"),
        ("a.txt", codecs.BOM_UTF8 + b"<html><body>x</body></html>", "html"),
    ],
)
def test_sniff(name: str, head: bytes, kind: str) -> None:
    assert sniff(name, head) == kind
