"""Archives: .gz and .zip members are read like files, and origins name the member."""

from __future__ import annotations

import gzip
import json
import random
import zipfile
from pathlib import Path

import pytest

from tests.io._helpers import ARABIC, ARABIC_2, NO_LANGID, read_all


def test_gzip_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "day.jsonl.gz"
    lines = [json.dumps({"id": f"g{i}", "text": ARABIC}, ensure_ascii=False) for i in range(3)]
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n{broken\n")
    articles, (skipped,) = read_all([path], NO_LANGID)
    assert [a.id for a in articles] == ["g0", "g1", "g2"]
    assert articles[0].origin.member == "day.jsonl"
    assert str(skipped).startswith(f"{path}!day.jsonl (line 4): invalid JSON")


def test_zip_members_dispatched_like_files(tmp_path: Path) -> None:
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("b/two.txt", ("date 2026-02-09 ar\n" + ARABIC_2).encode("cp1256"))
        zf.writestr("a/one.txt", ARABIC)
        zf.writestr("items.json", json.dumps([{"id": "j1", "text": ARABIC}]))
        zf.writestr("empty.txt", "")
        zf.writestr("__MACOSX/._one.txt", b"\x00\x05\x16\x07")
        zf.writestr(".hidden.txt", ARABIC)
        zf.writestr("b/README.md", "# readme")  # a zipped folder's own README, as in a folder
        zf.writestr("LICENSE", "CC BY 4.0")
    articles, skipped = read_all([path], NO_LANGID)
    assert [a.origin.member for a in articles] == ["a/one.txt", "b/two.txt", "items.json"]
    assert articles[0].source == "one.txt"
    assert articles[1].text == ARABIC_2
    assert articles[1].published == "2026-02-09"
    assert articles[2].origin.record == 1
    assert [(s.origin.member, s.reason) for s in skipped] == [("empty.txt", "empty file")]


def test_corrupt_gzip_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt.gz"
    data = gzip.compress(ARABIC.encode() * 100)
    path.write_bytes(data[: len(data) // 2])
    articles, (skipped,) = read_all([path], NO_LANGID)
    assert articles == []
    assert skipped.origin.path == str(path)
    assert "cannot read" in skipped.reason or "truncated" in skipped.reason


def test_corrupt_zip_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bad.zip"
    path.write_bytes(b"PK\x03\x04" + b"garbage" * 10)
    articles, (skipped,) = read_all([path], NO_LANGID)
    assert articles == []
    assert str(path) in str(skipped)


@pytest.mark.parametrize(
    ("patch", "said"),
    [("encrypted", "encrypted"), ("deflate64", "compression method is not supported")],
)
def test_a_zip_member_that_cannot_be_opened_costs_that_member_alone(
    tmp_path: Path, patch: str, said: str
) -> None:
    """An encrypted member, or one in a compression method zipfile lacks, stopped the whole
    zip: the members after it were lost. Now it is skipped, named, and the others read."""
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in (("a.txt", ARABIC), ("b.txt", ARABIC), ("c.txt", ARABIC_2)):
            archive.writestr(name, text.encode())
    data = bytearray(path.read_bytes())
    central = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 1)  # b.txt's entries
    local = data.find(b"PK\x03\x04", data.find(b"PK\x03\x04") + 1)
    if patch == "encrypted":
        data[central + 8] |= 1
        data[local + 6] |= 1
    else:
        data[central + 10] = data[local + 8] = 9
    path.write_bytes(bytes(data))
    articles, (skipped,) = read_all([path], NO_LANGID)
    assert [a.origin.member for a in articles] == ["a.txt", "c.txt"]
    assert skipped.origin.member == "b.txt"
    assert said in skipped.reason


def test_a_member_name_flagged_utf8_that_is_not_costs_nothing(tmp_path: Path) -> None:
    """A writer flagged a member's name as UTF-8 but wrote other bytes: zipfile refuses the
    whole archive. The members are read all the same, that name shown with U+FFFD."""
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", ARABIC.encode())
        archive.writestr("bX.txt", ARABIC_2.encode())
        archive.writestr("خبر.txt", ARABIC.encode())  # a name flagged UTF-8 that is
    data = bytearray(path.read_bytes())
    for sig, flags in ((b"PK\x01\x02", 8), (b"PK\x03\x04", 6)):  # b's headers: flag and byte
        at = data.find(sig, data.find(sig) + 1)
        data[at + flags + 1] |= 0x08  # 0x800: the name is UTF-8
        name = data.find(b"bX.txt", at)
        data[name + 1] = 0xFF
    path.write_bytes(bytes(data))
    articles, skipped = read_all([path], NO_LANGID)
    assert skipped == []
    assert [a.origin.member for a in articles] == ["a.txt", "b\ufffd.txt", "خبر.txt"]
    assert [a.text for a in articles] == [ARABIC, ARABIC_2, ARABIC]


def test_a_member_name_in_utf8_without_the_flag_is_read_as_utf8(tmp_path: Path) -> None:
    """macOS's and Linux's `zip` write UTF-8 names without the flag: zipfile reads them as
    code page 437, and an Arabic name was stored as mojibake."""
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("خبر.txt", ARABIC.encode())
        archive.writestr("r\xe9sum\xe9.txt", ARABIC_2.encode())  # not UTF-8 once unflagged
    data = bytearray(path.read_bytes())
    for sig, flags in ((b"PK\x01\x02", 8), (b"PK\x03\x04", 6)):
        at = -1
        while (at := data.find(sig, at + 1)) != -1:
            data[at + flags + 1] &= ~0x08 & 0xFF  # clear 0x800: the name is UTF-8
    raw = "résumé.txt".encode()
    data = data.replace(raw, "résumé.txt".encode("cp437").ljust(len(raw), b"_"))
    path.write_bytes(bytes(data))
    articles, skipped = read_all([path], NO_LANGID)
    assert skipped == []
    names = sorted(a.origin.member or "" for a in articles)
    assert "خبر.txt" in names
    assert any(n.startswith("résumé.txt") for n in names)  # cp437 as zipfile reads it


def test_a_small_truncated_gzip_keeps_its_complete_lines(tmp_path: Path) -> None:
    """A buffered read that met the end of a truncated .gz dropped what it had gathered: a
    small file lost every record. Its complete lines are kept; the cut one and the truncation
    are named."""
    rng = random.Random(0)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    lines = [
        json.dumps(
            {"id": f"g{i}", "text": " ".join(
                "".join(rng.choice(letters) for _ in range(5)) for _ in range(40))},
            ensure_ascii=False,
        )
        for i in range(6)
    ]  # fmt: skip
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    path = tmp_path / "day.jsonl.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    articles, skipped = read_all([path], NO_LANGID)
    assert [a.id for a in articles] == ["g0", "g1", "g2"]
    assert [s.origin.record for s in skipped] == [4, None]  # the cut line, then the file
    assert "end-of-stream marker" in skipped[-1].reason
    assert "after 4 record(s)" in skipped[-1].reason


def test_bytes_after_the_last_gzip_member_do_not_cost_its_content(tmp_path: Path) -> None:
    """gzip(1) ignores what follows the last member; the reader lost the whole article."""
    path = tmp_path / "one.txt.gz"
    path.write_bytes(gzip.compress(ARABIC.encode()) + b"garbage!")
    (article,), skipped = read_all([path], NO_LANGID)
    assert skipped == []
    assert article.text == ARABIC
    lines = [json.dumps({"id": f"g{i}", "text": ARABIC}, ensure_ascii=False) for i in range(3)]
    path = tmp_path / "day.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()) + b"\x00\x00 tail")
    articles, skipped = read_all([path], NO_LANGID)
    assert [a.id for a in articles] == ["g0", "g1", "g2"]
    assert skipped == []


def test_a_gzip_cut_before_any_content_says_so_not_empty(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(gzip.compress(ARABIC.encode() * 20)[:12])
    articles, (skipped,) = read_all([path], NO_LANGID)
    assert articles == []
    assert "end-of-stream marker" in skipped.reason


def test_a_saved_pages_styles_scripts_and_tables_are_no_articles(tmp_path: Path) -> None:
    """A browser's saved page (its `_files` folder) or an export holds styles, scripts and
    data tables beside the articles: they were stored as articles in English, Russian or
    Ukrainian; now each is skipped, saying why, in a folder and in a zip alike."""
    folder = tmp_path / "saved"
    (folder / "page_files").mkdir(parents=True)
    (folder / "page.txt").write_text(ARABIC, "utf-8")
    (folder / "page_files" / "style.css").write_text("body { direction: rtl; }", "utf-8")
    (folder / "page_files" / "app.js").write_text("function f() { return 1; }", "utf-8")
    (folder / "data.csv").write_text("id,text\n1,x\n", "utf-8")
    articles, skipped = read_all([folder], NO_LANGID)
    assert [a.source for a in articles] == ["page.txt"]
    assert sorted(s.origin.path.rsplit("/", 1)[-1] for s in skipped) == [
        "app.js",
        "data.csv",
        "style.css",
    ]
    assert all(s.reason.startswith("not an article: a .") for s in skipped)
    bundle = tmp_path / "saved.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
    articles, skipped = read_all([bundle], NO_LANGID)
    assert [a.origin.member for a in articles] == ["page.txt"]
    assert sorted(s.origin.member or "" for s in skipped) == [
        "data.csv",
        "page_files/app.js",
        "page_files/style.css",
    ]
