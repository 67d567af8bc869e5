"""The digest of a stored story, end to end: the seeds ingested with the real extractors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from akhbar.cli import app
from akhbar.digest import Digest, story_digest
from akhbar.errors import NotFoundError
from akhbar.pipeline import Ingestor
from akhbar.settings import Settings
from akhbar.store import SqliteStore
from akhbar.text.normalize import normalize

runner = CliRunner()


@pytest.fixture(scope="module")
def seeds_store(seed_paths: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("digest") / "seeds.db"
    settings = Settings.load()
    with SqliteStore(db, settings.store) as store, Ingestor(store, settings, workers=1) as ing:
        ing.ingest_inputs([seed_paths["000"], seed_paths["001"]], settings.read)
    return db


@pytest.fixture(scope="module")
def digest(seeds_store: Path) -> Digest:
    with SqliteStore(seeds_store) as store:
        (story,) = {a.story for a in store.assignments()}
        return story_digest(store, story)


def _claims_with(d: Digest, words: str) -> list[set[str]]:
    return [set(c.outlets) for c in d.claims if normalize(words) in normalize(c.text)]


def test_shared_claims_carry_both_outlets(digest: Digest) -> None:
    both = {o.name for o in digest.outlets}
    assert len(both) == 2
    for words in ("متواصلة بشكل نشط", "تصور تطبيع", "القرار الآن بيد", "صياغة صيغة المفاوضات"):
        found = _claims_with(digest, words)
        assert both in found, (words, found)


def test_gusarov_once_with_both_spellings(digest: Digest) -> None:
    rows = [
        e
        for e in digest.to_dict()["entities"]
        if any(normalize("جوساروف") in normalize(v) for v in e["variants"])
        or any(normalize("غوساروف") in normalize(v) for v in e["variants"])
    ]
    assert len(rows) == 1, rows
    variants = {normalize(v) for v in rows[0]["variants"]}
    assert {normalize("ألكسندر جوساروف"), normalize("ألكسندر غوساروف")} <= variants


def test_quotes_table_names_gusarov_and_zelensky(digest: Digest) -> None:
    speakers = {normalize(q["speaker"] or "") for q in digest.to_dict()["quotes"]}
    assert any("غوساروف" in s or "جوساروف" in s for s in speakers)
    assert any("زيلينسكي" in s for s in speakers)


def test_inserted_headline_is_nowhere(digest: Digest) -> None:
    assert "أبوظبي" not in json.dumps(digest.to_dict(), ensure_ascii=False)


def test_cli_digest_formats(seeds_store: Path, tmp_path: Path) -> None:
    with SqliteStore(seeds_store) as store:
        (story,) = {a.story for a in store.assignments()}
    as_json = runner.invoke(app, ["digest", story, "--db", str(seeds_store), "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    obj = json.loads(as_json.stdout)
    assert {"story", "headline", "dates", "outlets", "claims", "only", "quotes", "entities",
            "cited_sources", "conflicts", "timeline"} <= set(obj)  # fmt: skip
    out = tmp_path / "all"
    done = runner.invoke(
        app, ["digest", "--all", "--format", "html", "--out", str(out), "--db", str(seeds_store)]
    )
    assert done.exit_code == 0, done.output
    page = (out / f"{story}.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in page
    assert "<script" not in page.lower()


def test_unknown_story_is_named(seeds_store: Path) -> None:
    with SqliteStore(seeds_store) as store, pytest.raises(NotFoundError, match="nope"):
        story_digest(store, "nope")
