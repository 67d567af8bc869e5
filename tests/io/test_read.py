"""read(): folders, files and URLs dispatched by content; every failure is a Skipped record."""

from __future__ import annotations

import codecs
import gzip
import http.server
import json
import os
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import akhbar.io
import akhbar.io.paths
from akhbar.io import read
from akhbar.model import Skipped
from akhbar.settings import ReadSettings
from tests.io._helpers import ARABIC, ARABIC_2, FIXTURES, NO_LANGID, read_all


def test_public_api() -> None:
    assert "read" in akhbar.io.__all__
    assert all(hasattr(akhbar.io, name) for name in akhbar.io.__all__)


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A folder with one input of every kind, some nested, some hidden."""
    root = tmp_path / "mixed"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "config.txt").write_text(ARABIC, encoding="utf-8")
    (root / ".hidden.txt").write_text(ARABIC, encoding="utf-8")
    (root / "a_utf8.txt").write_text(ARABIC, encoding="utf-8")
    (root / "b_bom.txt").write_bytes(codecs.BOM_UTF8 + ARABIC_2.encode())
    (root / "c_cp1256.txt").write_bytes(ARABIC.encode("cp1256"))
    (root / "d_utf16.txt").write_text(ARABIC_2, encoding="utf-16")
    (root / "e.jsonl").write_text(
        json.dumps({"id": "e1", "text": ARABIC}, ensure_ascii=False) + '\n{"id": "e2",\n',
        encoding="utf-8",
    )
    (root / "f.json").write_text(json.dumps([{"id": "f1", "text": ARABIC_2}]), encoding="utf-8")
    with gzip.open(root / "sub" / "g.txt.gz", "wb") as f:
        f.write(ARABIC.encode())
    with zipfile.ZipFile(root / "sub" / "h.zip", "w") as zf:
        zf.writestr("h1.txt", ARABIC_2)
    shutil.copy(FIXTURES / "page.html", root / "sub" / "deeper" / "i.html")
    shutil.copy(FIXTURES / "feed.rss", root / "sub" / "j.rss")
    shutil.copy(FIXTURES / "feed.atom", root / "sub" / "k.xml")
    (root / "l.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (root / "m_empty.txt").write_bytes(b"")
    (root / "n_latin1.txt").write_bytes("déjà vu, très bien".encode("latin-1"))
    return root


def test_folder_mixing_everything(mixed: Path) -> None:
    articles, skipped = read_all([mixed], NO_LANGID)
    files = [Path(a.origin.path).name for a in articles]
    assert files == [
        "a_utf8.txt", "b_bom.txt", "c_cp1256.txt", "d_utf16.txt", "e.jsonl", "f.json",
        "i.html", "g.txt.gz", "h.zip", "j.rss", "j.rss", "k.xml",
    ]  # fmt: skip
    texts = {Path(a.origin.path).name: a.text for a in articles}
    assert texts["a_utf8.txt"] == texts["c_cp1256.txt"] == ARABIC
    assert texts["b_bom.txt"] == texts["d_utf16.txt"] == ARABIC_2
    assert not any(".git" in a.origin.path or ".hidden" in a.origin.path for a in articles)
    reasons = {(Path(s.origin.path).name, s.origin.record): s.reason for s in skipped}
    assert reasons[("l.png", None)] == "binary file"
    assert reasons[("m_empty.txt", None)] == "empty file"
    assert reasons[("n_latin1.txt", None)] == "undecodable text (not UTF-8/UTF-16/Windows-1256)"
    assert reasons[("e.jsonl", 2)].startswith("invalid JSON")
    assert reasons[("j.rss", 3)] == "empty text"
    assert len(skipped) == 5


def test_streams_lazily(mixed: Path) -> None:
    records = read([mixed, mixed / "missing"], NO_LANGID)
    assert isinstance(records, Iterator)
    first = next(records)
    assert Path(first.origin.path).name == "a_utf8.txt"


def test_missing_path_is_skipped(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    good = tmp_path / "ok.txt"
    good.write_text(ARABIC, encoding="utf-8")
    articles, (skipped,) = read_all([missing, good], NO_LANGID)
    assert len(articles) == 1
    assert skipped.origin.path == str(missing)
    assert "No such file or directory" in skipped.reason


@pytest.mark.parametrize("name", ["", "  "])
def test_an_empty_name_is_refused_not_read_as_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """`akhbar ingest "$UNSET"` read every file of the folder it ran in."""
    from akhbar.io import expand

    (tmp_path / "here.txt").write_text(ARABIC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for records in (read_all([name], NO_LANGID), ([], list(expand([name])))):
        articles, (skipped,) = records
        assert articles == []
        assert isinstance(skipped, Skipped)
        assert skipped.origin.path == '""'
        assert "empty name" in skipped.reason


def test_a_url_of_another_scheme_is_named_as_such_not_as_a_missing_file() -> None:
    from akhbar.io import expand

    for url in ("ftp://example.org/day.jsonl", "s3://bucket/day.jsonl"):
        for records in (read_all([url], NO_LANGID), ([], list(expand([url])))):
            articles, (skipped,) = records
            assert articles == []
            assert isinstance(skipped, Skipped)
            assert skipped.origin.path == url
            assert "URLs are not fetched (only http and https)" in skipped.reason


def test_a_file_named_in_another_encoding_is_read_like_any_other(tmp_path: Path) -> None:
    """A name that is not UTF-8 (copied from a Windows-1256 share, say) reaches Python as lone
    surrogates; the article is read, named with U+FFFD where the odd bytes were."""
    folder = os.fsencode(tmp_path)
    name = "b_خبر.txt".encode("cp1256")
    with open(os.path.join(folder, name), "wb") as fh:
        fh.write(ARABIC.encode())
    (tmp_path / "a.txt").write_text(ARABIC_2, encoding="utf-8")
    articles, skipped = read_all([tmp_path], NO_LANGID)
    assert skipped == []
    assert len(articles) == 2
    odd = next(a for a in articles if a.text.strip() == ARABIC.strip())
    assert odd.source == "b_\ufffd\ufffd\ufffd.txt"
    assert odd.origin.path == str(tmp_path / odd.source)
    for text in (odd.source, odd.origin.path, odd.id):
        text.encode("utf-8")  # storable: no lone surrogate left


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(ARABIC, encoding="utf-8")
    path.chmod(0)
    try:
        articles, (skipped,) = read_all([path], NO_LANGID)
    finally:
        path.chmod(0o600)
    assert articles == []
    assert "Permission denied" in skipped.reason


def test_os_error_while_opening_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(ARABIC, encoding="utf-8")

    def refuse(p: Path) -> None:
        raise PermissionError(13, "Permission denied", str(p))

    monkeypatch.setattr(akhbar.io.paths, "_open_file", refuse)
    articles, (skipped,) = read_all([path], NO_LANGID)
    assert articles == []
    assert str(skipped) == f"{path}: cannot read: Permission denied"


def test_too_large_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(ARABIC, encoding="utf-8")
    settings = ReadSettings(max_file_bytes=100, detect_language=False)
    articles, (skipped,) = read_all([path], settings)
    assert articles == []
    assert "too large" in skipped.reason
    assert str(path) in str(skipped)


def test_overlong_record_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"text": ARABIC * 10}) + "\n", encoding="utf-8")
    articles, (skipped,) = read_all([path], ReadSettings(max_record_chars=100))
    assert articles == []
    assert "max_record_chars" in skipped.reason


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves the fixtures: /feed (RSS), /page (HTML); anything else is a 404."""

    def do_GET(self) -> None:
        """Answer with a fixture's bytes."""
        files = {"/feed": "feed.rss", "/page": "page.html"}
        if self.path not in files:
            self.send_error(404)
            return
        body = (FIXTURES / files[self.path]).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    """A local HTTP server for URL inputs (the tests never reach the internet)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_urls_are_fetched_and_sniffed(server: str) -> None:
    articles, skipped = read_all([f"{server}/feed", f"{server}/page", f"{server}/gone"], NO_LANGID)
    assert [a.origin.path for a in articles] == [f"{server}/feed"] * 2 + [f"{server}/page"]
    assert articles[2].outlet == "صحيفة الأخبار"
    assert [s.origin.path for s in skipped] == [f"{server}/feed", f"{server}/gone"]
    assert "HTTP 404" in skipped[1].reason


def test_skipped_is_never_an_exception(tmp_path: Path) -> None:
    weird = tmp_path / "dir.txt"
    weird.mkdir()
    (weird / "x.bin").write_bytes(b"\x00\x01\x02")
    records = list(read([weird, tmp_path / "none"], NO_LANGID))
    assert all(isinstance(r, Skipped) for r in records)
    assert len(records) == 2


def test_expand_lists_the_files_read_would_read(tmp_path: Path) -> None:
    from akhbar.io import expand

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("خبر ثان عن الطقس في الرياض اليوم", "utf-8")
    (tmp_path / "a.txt").write_text("خبر أول عن الاقتصاد والأسواق المالية", "utf-8")
    (tmp_path / ".hidden.txt").write_text("مخفي", "utf-8")
    (tmp_path / "README.md").write_text("# about this folder", "utf-8")
    units = list(expand([tmp_path, "https://example.org/feed.xml"]))
    assert units == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "sub" / "b.txt"),
        "https://example.org/feed.xml",
    ]


def test_folder_links_back_into_the_tree_are_read_once(tmp_path: Path) -> None:
    """Two links to the folder itself and one to its parent made the walk grow without end."""
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "a.txt").write_text(ARABIC, "utf-8")
    (tmp_path / "d" / "sub" / "b.txt").write_text(ARABIC_2, "utf-8")
    for link, target in (("loop", "."), ("loop2", "."), ("sub/up", "..")):
        (tmp_path / "d" / link).symlink_to(target, target_is_directory=True)
    articles, skipped = read_all([tmp_path / "d"], NO_LANGID)
    assert sorted(Path(a.origin.path).name for a in articles) == ["a.txt", "b.txt"]
    assert sorted(Path(s.origin.path).name for s in skipped) == ["loop", "loop2", "up"]
    assert all("already read" in s.reason for s in skipped)
