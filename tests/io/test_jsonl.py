"""JSON records: JSONL line by line, JSON arrays with ijson, common field names mapped."""

from __future__ import annotations

import json
from pathlib import Path

from akhbar.io.jsonl import record_article
from akhbar.model import Origin, Skipped
from tests.io._helpers import ARABIC, ARABIC_2, NO_LANGID, read_all


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_with_truncated_line_goes_on(tmp_path: Path) -> None:
    good = json.dumps({"id": "a1", "text": ARABIC, "lang": "ar"}, ensure_ascii=False)
    good2 = json.dumps({"id": "a3", "text": ARABIC_2}, ensure_ascii=False)
    path = _jsonl(tmp_path / "x.jsonl", [good, good[:40], "", good2])
    articles, (skipped,) = read_all([path], NO_LANGID)
    assert [a.id for a in articles] == ["a1", "a3"]
    assert skipped.origin == Origin(str(path), None, 2, "line")
    assert str(skipped).startswith(f"{path} (line 2): invalid JSON:")
    assert articles[1].origin.record == 4
    # cut inside a string: said so, not "Invalid control character" (the line's end)
    cut = good[: good.index(ARABIC[:5]) + 3]
    path = _jsonl(tmp_path / "cut.jsonl", [cut, good2])
    _, (skipped,) = read_all([path], NO_LANGID)
    assert "Unterminated string" in skipped.reason


def test_field_aliases_and_metadata(tmp_path: Path) -> None:
    record = {
        "link": "https://x.example/1",
        "source": "okaz",
        "date_extracted": "2015-07-21 02:16:16",
        "headline": "عنوان",
        "content": ARABIC,
        "language": "Arabic",
        "author": "نايف عبدالله",
    }
    path = _jsonl(tmp_path / "a.jsonl", [json.dumps(record, ensure_ascii=False)])
    (article,), _ = read_all([path], NO_LANGID)
    assert article.url == "https://x.example/1"
    assert (article.outlet, article.source) == ("okaz", "okaz")
    assert article.published == "2015-07-21T02:16:16"
    assert article.title == "عنوان"
    assert article.text == ARABIC
    assert article.language == "ar"
    assert article.metadata == {"author": "نايف عبدالله"}
    assert len(article.id) == 16


def test_record_outlet_wins_over_cli_outlet(tmp_path: Path) -> None:
    lines = [
        json.dumps({"outlet": "sabq", "text": ARABIC}, ensure_ascii=False),
        json.dumps({"text": ARABIC_2}, ensure_ascii=False),
    ]
    articles, _ = read_all([_jsonl(tmp_path / "o.jsonl", lines)], NO_LANGID, outlet="cli")
    assert [a.outlet for a in articles] == ["sabq", "cli"]


def test_bad_records_are_skipped_with_reasons() -> None:
    from akhbar.io.blob import Context
    from tests.io._helpers import SETTINGS

    ctx = Context(SETTINGS)
    origin = Origin("f.jsonl", None, 1)
    cases = {
        "record is an array, not an object": [1, 2],
        "record is null, not an object": None,
        "record is a string, not an object": "خبر",
        "record is a number, not an object": 5,
        "record is true, not an object": True,
        "empty text": {"content": "  "},
        "no text field": {"title": "x"},
        "text must be a string, not int": {"text": 5},
    }
    for reason, record in cases.items():
        result = record_article(record, origin, ctx, "f.jsonl")
        assert isinstance(result, Skipped)
        assert result.reason.startswith(reason)


def test_invalid_date_is_a_warning(tmp_path: Path) -> None:
    line = json.dumps({"text": ARABIC, "published": "2026-13-45"}, ensure_ascii=False)
    (article,), _ = read_all([_jsonl(tmp_path / "d.jsonl", [line])], NO_LANGID)
    assert article.published is None
    assert "2026-13-45" in article.warnings[0]
    assert "d.jsonl (line 1)" in article.warnings[0]


def test_html_field_goes_through_trafilatura(tmp_path: Path) -> None:
    html = (
        "<html><body><nav>القائمة الرئيسية</nav><article>"
        + "".join(f"<p>{p}</p>" for p in ARABIC.splitlines())
        + "</article></body></html>"
    )
    path = _jsonl(tmp_path / "h.jsonl", [json.dumps({"html": html}, ensure_ascii=False)])
    (article,), _ = read_all([path], NO_LANGID)
    assert "الاتصالات بين البلدين" in article.text
    assert "<p>" not in article.text


def test_json_array_items_are_numbered(tmp_path: Path) -> None:
    items = [{"id": "1", "text": ARABIC}, "oops", {"id": "3", "content": ARABIC_2}]
    path = tmp_path / "arr.json"
    path.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    articles, (skipped,) = read_all([path], NO_LANGID)
    assert [a.id for a in articles] == ["1", "3"]
    assert [a.origin.record_kind for a in articles] == ["item", "item"]
    assert skipped.origin.record == 2
    assert "(item 2)" in str(skipped)


def test_json_array_broken_midway_keeps_what_came_before(tmp_path: Path) -> None:
    text = json.dumps([{"id": "1", "text": ARABIC}, {"id": "2", "text": ARABIC_2}])
    path = tmp_path / "cut.json"
    path.write_text(text[: text.index('"id": "2"') + 12], encoding="utf-8")
    articles, (skipped,) = read_all([path], NO_LANGID)
    assert [a.id for a in articles] == ["1"]
    assert "invalid JSON after 1 item" in skipped.reason


def test_json_lines_after_an_array_are_recorded_not_dropped_silently(tmp_path: Path) -> None:
    path = tmp_path / "mixed.json"
    lines = [json.dumps({"id": f"a{i}", "text": ARABIC}, ensure_ascii=False) for i in range(3)]
    path.write_text("[]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    articles, (skipped,) = read_all([path], NO_LANGID)
    assert articles == []
    assert "3 value(s) beside the JSON array" in skipped.reason
    assert skipped.origin.path == str(path)


def test_ijson_messages_are_text_not_a_bytes_repr(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[{"id": "1", "text": "x"}, {"id": 2 oops}]', encoding="utf-8")
    articles, (skipped,) = read_all([path], NO_LANGID)
    assert [a.id for a in articles] == ["1"]
    assert "b'" not in skipped.reason
    assert "\\n" not in skipped.reason


def test_cp1256_past_an_ascii_head_is_read_as_cp1256(tmp_path: Path) -> None:
    """The encoding check sees the head only: an ASCII first record hid the cp1256 after it."""
    records = [{"id": "pad", "text": "x" * 9000}] + [
        {"id": f"j{i}", "text": f"{ARABIC} {i}"} for i in range(3)
    ]
    path = tmp_path / "late.json"
    path.write_bytes(json.dumps(records, ensure_ascii=False).encode("cp1256"))
    articles, skipped = read_all([path], NO_LANGID)
    assert skipped == []
    assert [a.id for a in articles] == ["pad", "j0", "j1", "j2"]
    assert articles[1].text == f"{ARABIC} 0"


def test_jsonl_named_json_loses_only_its_bad_lines(tmp_path: Path) -> None:
    """Lines longer than the head, or a broken first line, made the file one JSON document,
    and the first error then lost every record after it."""
    long_lines = [
        json.dumps({"id": f"L{i}", "text": (ARABIC + " ") * 60}, ensure_ascii=False)
        for i in range(5)
    ]
    long_lines[2] = long_lines[2][:-1]
    short = [json.dumps({"id": f"S{i}", "text": ARABIC}, ensure_ascii=False) for i in range(3)]
    broken_first = [long_lines[2][:200], *short]
    for name, lines, ids in (
        ("long.json", long_lines, ["L0", "L1", "L3", "L4"]),
        ("first.json", broken_first, ["S0", "S1", "S2"]),
    ):
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        articles, skipped = read_all([path], NO_LANGID)
        assert [a.id for a in articles] == ids, name
        assert len(skipped) == 1, name


def test_utf16_json_array(tmp_path: Path) -> None:
    path = tmp_path / "u16.json"
    path.write_bytes(json.dumps([{"text": ARABIC}], ensure_ascii=False).encode("utf-16"))
    (article,), skipped = read_all([path], NO_LANGID)
    assert skipped == []
    assert article.text == ARABIC


def test_cp1256_json_array(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_bytes(json.dumps([{"text": ARABIC}], ensure_ascii=False).encode("cp1256"))
    (article,), skipped = read_all([path], NO_LANGID)
    assert skipped == []
    assert article.text == ARABIC


def test_cp1256_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    path.write_bytes((json.dumps({"text": ARABIC}, ensure_ascii=False) + "\n").encode("cp1256"))
    (article,), _ = read_all([path], NO_LANGID)
    assert article.text == ARABIC


def test_lone_surrogate_escapes_are_replaced_and_the_file_goes_on(tmp_path: Path) -> None:
    """Half an emoji ("\\ud83d") is valid JSON but no Unicode text: it becomes U+FFFD, with a
    warning, and neither this record nor the next is lost (langid runs on them: the default
    settings)."""
    from akhbar.io import read
    from akhbar.model import RawArticle
    from akhbar.settings import Settings

    bad = json.dumps(
        {"id": "a2", "title": "خبر \ud83d", "text": ARABIC + " \ud83d", "x": ["\udc00"]}
    )
    lines = [
        json.dumps({"id": "a1", "text": ARABIC}),
        bad,
        json.dumps({"id": "a3", "text": ARABIC_2}),
    ]
    path = _jsonl(tmp_path / "x.jsonl", lines)
    got = list(read([path], Settings.load().read))
    assert [a.id for a in got if isinstance(a, RawArticle)] == ["a1", "a2", "a3"]
    repaired = next(a for a in got if isinstance(a, RawArticle) and a.id == "a2")
    assert repaired.text.endswith("\ufffd")
    assert repaired.title == "خبر \ufffd"
    assert repaired.metadata["x"] == ["\ufffd"]
    assert any("surrogate" in w for w in repaired.warnings)
    repaired.text.encode("utf-8")  # writable now


def test_utf16_jsonl_with_an_unpaired_surrogate_unit_loses_no_line(tmp_path: Path) -> None:
    """Half an emoji as a raw UTF-16 unit stopped the decoder, and every line was lost with
    it: that line reads U+FFFD where the unit was, and the lines around it are read."""
    import codecs

    def line(i: int) -> bytes:
        record = json.dumps({"id": f"r{i}", "text": f"{ARABIC} {i}"}, ensure_ascii=False)
        return (record + "\n").encode("utf-16-le")

    broken = '{"id": "r3", "text": "'.encode("utf-16-le") + b"\x3d\xd8" + '"}\n'.encode("utf-16-le")
    path = tmp_path / "u16.jsonl"
    path.write_bytes(codecs.BOM_UTF16_LE + line(1) + line(2) + broken + line(4))
    articles, skipped = read_all([path], NO_LANGID)
    assert skipped == []
    assert [a.id for a in articles] == ["r1", "r2", "r3", "r4"]
    assert articles[2].text == "\ufffd"


def test_jsonl_with_a_run_of_nuls_is_read_line_by_line(tmp_path: Path) -> None:
    """An append cut short by a crash can leave NULs near the top of a JSONL file: it is not
    taken for a binary file; only the broken line is skipped."""
    path = tmp_path / "cut.jsonl"
    first = json.dumps({"id": "a1", "text": ARABIC}, ensure_ascii=False)
    last = json.dumps({"id": "a3", "text": ARABIC_2}, ensure_ascii=False)
    path.write_bytes(first.encode() + b"\n" + b"\x00" * 16 + b"\n" + last.encode() + b"\n")
    articles, (skipped,) = read_all([path], NO_LANGID)
    assert [a.id for a in articles] == ["a1", "a3"]
    assert skipped.origin.record == 2
    assert "invalid JSON" in skipped.reason


def test_a_name_url_or_id_given_as_an_object_is_left_empty_with_a_warning(
    tmp_path: Path,
) -> None:
    """`"outlet": {"name": "x"}` was stored as Python's spelling of the dict, and listed so."""
    record = {
        "id": True,
        "outlet": {"name": "x"},
        "title": ["a", "b"],
        "url": {"u": 1},
        "text": ARABIC,
    }
    path = _jsonl(tmp_path / "t.jsonl", [json.dumps(record, ensure_ascii=False)])
    (article,), _ = read_all([path], NO_LANGID)
    assert (article.title, article.url, article.outlet) == (None, None, None)
    assert article.id != "True"  # a content hash, as for a record without an id
    assert len(article.warnings) == 4
    assert all("is not text; left empty" in w for w in article.warnings)
    assert any('outlet {"name": "x"}' in w for w in article.warnings)
    numbers = {"id": 7, "title": 2024, "text": ARABIC}
    path = _jsonl(tmp_path / "n.jsonl", [json.dumps(numbers)])
    (article,), _ = read_all([path], NO_LANGID)
    assert (article.id, article.title, article.warnings) == ("7", "2024", ())


def test_utf16_without_a_bom_is_read_as_jsonl_json_and_text(tmp_path: Path) -> None:
    """UTF-16 LE saved without a BOM: its NULs made every file of it a 'binary file'."""
    line = json.dumps({"id": "u1", "text": ARABIC}, ensure_ascii=False)
    (tmp_path / "a.jsonl").write_bytes((line + "\n").encode("utf-16-le"))
    (tmp_path / "b.json").write_bytes(f"[{line}]".replace("u1", "u2").encode("utf-16-le"))
    (tmp_path / "c.txt").write_bytes(ARABIC_2.encode("utf-16-be"))
    articles, skipped = read_all([tmp_path], NO_LANGID)
    assert skipped == []
    texts = {a.id if a.id in ("u1", "u2") else "txt": a.text for a in articles}
    assert texts == {"u1": ARABIC, "u2": ARABIC, "txt": ARABIC_2}


def test_a_text_field_holding_html_is_read_as_html(tmp_path: Path) -> None:
    """A CMS export's body as HTML kept its tags and entities as text (`<p>…&amp;…</p>`),
    and a body of empty tags was stored as an article; a `<` in plain text, or a tag further
    on in a text that opens as text (a post that quotes markup), stays."""
    body = "<p>أعلنت وزارة الصحة &amp; الوقاية افتتاح مستشفى.</p><p>وقال الوزير إن العمل مستمر.</p>"
    records = [
        {"id": "h1", "text": body},
        {"id": "h2", "text": "<p></p><div><br></div>"},
        {"id": "h3", "text": "قال إن 3 < 5 وإن السعر ارتفع اليوم"},
        {"id": "h4", "text": "نص فيه وسم <b>مكتوب</b> في وسطه ويبقى كما هو"},
    ]
    path = tmp_path / "cms.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    articles, skipped = read_all([path], NO_LANGID)
    assert [a.text for a in articles] == [
        "أعلنت وزارة الصحة & الوقاية افتتاح مستشفى.\nوقال الوزير إن العمل مستمر.",
        "قال إن 3 < 5 وإن السعر ارتفع اليوم",
        "نص فيه وسم <b>مكتوب</b> في وسطه ويبقى كما هو",  # text that holds a tag, not HTML
    ]
    assert [(s.origin.record, s.reason) for s in skipped] == [(2, "empty text")]
