"""EXPECTED.md sections 5-7 end to end: the seeds ingested, then read back through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from akhbar.cli import app
from akhbar.store import SqliteStore
from akhbar.text.normalize import normalize

runner = CliRunner()


@pytest.fixture(scope="module")
def seeds_db(seed_paths: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    result = runner.invoke(
        app, ["ingest", str(seed_paths["000"]), str(seed_paths["001"]), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    return db


def _json(*args: str) -> Any:
    result = runner.invoke(app, [*args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _ids(db: Path) -> dict[str, str]:
    """Seed prefix ('000'/'001') -> article id."""
    out = {}
    for obj in _json("show", "--all", "--db", str(db), "--json"):
        out["001" if obj["published"] else "000"] = obj["id"]
    return out


def _entity(entities: list[dict[str, Any]], spelling: str) -> dict[str, Any]:
    found = [e for e in entities if normalize(spelling) in {normalize(v) for v in e["variants"]}]
    assert len(found) == 1, (spelling, found)
    return found[0]


def test_gusarov_is_one_person_with_both_spellings_and_his_role(seeds_db: Path) -> None:
    entities = _json("entities", "--db", str(seeds_db), "--json")
    assert set(entities[0]) == {"id", "type", "name", "variants", "roles", "mentions", "articles"}
    gusarov = _entity(entities, "ألكسندر جوساروف")
    assert gusarov is _entity(entities, "ألكسندر غوساروف")
    assert gusarov["type"] == "PER"
    assert gusarov["articles"] == 2
    assert any("رئيس إدارة شؤون شمال الأطلس" in r for r in gusarov["roles"])


@pytest.mark.parametrize(
    ("spelling", "kind"),
    [
        ("ألكسندر دارتشيف", "PER"),
        ("سوناتا كولتر", "PER"),
        ("فولوديمير زيلينسكي", "PER"),
        ("روسيا", "LOC"),
        ("أوكرانيا", "LOC"),
        ("بريطانيا", "LOC"),
        ("كندا", "LOC"),
        ("أنكوريج", "LOC"),
    ],
)
def test_other_people_and_places(seeds_db: Path, spelling: str, kind: str) -> None:
    entities = _json("entities", "--db", str(seeds_db), "--json")
    assert _entity(entities, spelling)["type"] == kind


def test_the_united_states_under_its_names(seeds_db: Path) -> None:
    entities = _json("entities", "--db", str(seeds_db), "--json")
    us = _entity(entities, "الولايات المتحدة")
    assert {normalize(v) for v in ("أمريكا", "واشنطن")} <= {normalize(v) for v in us["variants"]}


def test_every_quote_of_001_is_gusarovs(seeds_db: Path) -> None:
    ids = _ids(seeds_db)
    entities = _json("entities", "--db", str(seeds_db), "--json")
    gusarov = _entity(entities, "غوساروف")["id"]
    quotes = [
        q for q in _json("quotes", "--db", str(seeds_db), "--json") if q["article"] == ids["001"]
    ]
    assert set(quotes[0]) == {
        "speaker", "speaker_entity", "text", "kind", "cue", "article", "start", "end",
    }  # fmt: skip
    assert len(quotes) >= 8
    assert {q["speaker_entity"] for q in quotes} == {gusarov}
    cues = {normalize(q["cue"]) for q in quotes}
    assert {"تابع", "اكمل", "اوضح", "اشار"} <= cues
    assert {q["kind"] for q in quotes} == {"direct", "indirect"}


def test_quotes_filter_by_entity_spelling(seeds_db: Path) -> None:
    only = _json("quotes", "--db", str(seeds_db), "--entity", "زيلينسكي", "--json")
    assert only
    assert {q["speaker_entity"] for q in only} == {only[0]["speaker_entity"]}
    assert any(normalize(q["cue"]) == normalize("قائلا") and q["kind"] == "direct" for q in only)
    assert any("إما أن نستهدف الأسلحة نفسها" in q["text"] for q in only)


def test_cited_sources_and_dates(seeds_db: Path) -> None:
    ids = _ids(seeds_db)
    a000 = _json("show", ids["000"], "--db", str(seeds_db), "--json")
    a001 = _json("show", ids["001"], "--db", str(seeds_db), "--json")
    assert {"entities", "quotes", "cited_sources", "dates"} <= set(a000)
    assert any(
        s["kind"] == "agency" and normalize(s["name"]) == normalize("سبوتنيك")
        for s in a000["cited_sources"]
    )
    assert any(
        s["kind"] == "media" and "وسائل إعلام روسية" in s["text"] for s in a001["cited_sources"]
    )
    today = [d for d in a001["dates"] if d["text"] == "اليوم الاثنين"]
    assert [d["value"] for d in today] == ["2026-02-09"]
    assert any(d["kind"] == "year" and d["value"] == "2025" for d in a000["dates"])
    for m in a000["entities"]:
        assert m["entity"] is not None  # every mention is linked to an entity


def test_offsets_point_into_the_cleaned_text(seeds_db: Path) -> None:
    with SqliteStore(seeds_db) as store:
        for article_id in store.ids():
            text = store.get(article_id).clean.text
            x = store.extraction(article_id)
            spans = [*x.entities, *x.quotes, *x.sources, *x.dates]
            assert spans
            assert all(text[s.start : s.end] == s.text for s in spans)


def test_quotes_of_an_ambiguous_spelling_list_the_candidates(seeds_db: Path) -> None:
    result = runner.invoke(app, ["quotes", "--db", str(seeds_db), "--entity", "ألكسندر"])
    assert result.exit_code == 2
    assert "several entities match" in result.output


def test_digest_files_of_ids_with_slashes(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    record = {"id": "https://ex.org/news/1", "outlet": "ex", "text": "افتتح الوزير المعرض اليوم."}
    feed.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "s.db"
    assert runner.invoke(app, ["ingest", str(feed), "--db", str(db)]).exit_code == 0
    out = tmp_path / "digests"
    done = runner.invoke(app, ["digest", "--all", "--db", str(db), "--out", str(out)])
    assert done.exit_code == 0, done.output
    (written,) = out.iterdir()
    assert written.suffix == ".md"
    assert "/" not in written.name


def test_entities_of_a_store_ingested_without_extraction_say_why(
    seed_paths: dict[str, Path], tmp_path: Path
) -> None:
    config = tmp_path / "off.toml"
    config.write_text("[extract]\nenabled = false\n", encoding="utf-8")
    db = tmp_path / "off.db"
    ingested = runner.invoke(
        app, ["ingest", str(seed_paths["001"]), "--db", str(db), "--config", str(config)]
    )
    assert ingested.exit_code == 0, ingested.output
    result = runner.invoke(app, ["entities", "--db", str(db), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert "nothing was extracted" in result.stderr
    again = runner.invoke(app, ["ingest", str(seed_paths["001"]), "--db", str(db)])
    assert again.exit_code == 0
    result = runner.invoke(app, ["entities", "--db", str(db), "--json"])
    assert json.loads(result.stdout)
    assert "note:" not in result.stderr
