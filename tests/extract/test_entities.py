"""Entities linked across the store: all at once after a large ingest, incrementally after a
small one (a few posted articles), with the same people coming out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from akhbar.extract.entities import (
    LinkedMentions,
    link_entities,
    speaker_entity_of,
    stored_quotes,
)
from akhbar.extract.model import Quote
from akhbar.pipeline import Ingestor
from akhbar.settings import Settings
from akhbar.store import SqliteStore
from akhbar.text.normalize import normalize


def _gusarov(store: SqliteStore) -> list[set[str]]:
    """The spelling sets of the entities that hold a Gusarov spelling."""
    wanted = {normalize("جوساروف"), normalize("غوساروف")}
    return [
        {normalize(v) for v in e.variants}
        for e in store.entities(kind="PER")
        if any(w in normalize(v) for v in e.variants for w in wanted)
    ]


@pytest.fixture
def one_by_one(seed_paths: dict[str, Path], tmp_path: Path) -> SqliteStore:
    """The seeds ingested in two separate runs: the second links incrementally."""
    settings = Settings.load()
    store = SqliteStore(tmp_path / "s.db", settings.store)
    with Ingestor(store, settings, workers=1) as ingestor:
        ingestor.ingest_inputs([seed_paths["000"]], settings.read)
        assert store.link_pending_ids() == []
        ingestor.ingest_inputs([seed_paths["001"]], settings.read)
    return store


def test_small_ingest_links_new_spellings_to_known_people(one_by_one: SqliteStore) -> None:
    store = one_by_one
    assert store.link_pending_ids() == []
    groups = _gusarov(store)
    assert len(groups) == 1, groups
    assert {normalize("ألكسندر جوساروف"), normalize("ألكسندر غوساروف")} <= groups[0]
    gusarov = next(
        e
        for e in store.entities(kind="PER")
        if normalize("ألكسندر غوساروف") in groups[0] and normalize(e.name) in groups[0]
    )
    assert gusarov.articles == 2
    quotes = list(stored_quotes(store, gusarov.id))
    assert len({q.article for q in quotes}) == 2


def test_full_link_agrees_with_the_incremental_one(one_by_one: SqliteStore) -> None:
    store = one_by_one
    before = _gusarov(store)
    count = link_entities(store, full=True)
    assert count == len(store.entities())
    assert _gusarov(store) == before
    for article_id in store.ids():
        linked = store.mention_entities(article_id)
        assert len(linked) == len(store.extraction(article_id).entities)


def test_every_mention_of_a_small_ingest_is_linked(one_by_one: SqliteStore) -> None:
    for article_id in one_by_one.ids():
        spans = {(m.start, m.end) for m in one_by_one.extraction(article_id).entities}
        assert set(one_by_one.mention_entities(article_id)) == spans


def test_an_updated_article_relinks_everything(
    one_by_one: SqliteStore, seed_paths: dict[str, Path], tmp_path: Path
) -> None:
    store = one_by_one
    settings = Settings.load()
    text = seed_paths["001"].read_text(encoding="utf-8").split("\n", 1)[1]
    feed = tmp_path / "feed.jsonl"
    for version in (text, text.replace("وتابع:", "وأضاف:")):
        record = {"id": "gusarov-interview", "outlet": "feed", "text": version}
        feed.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        with Ingestor(store, settings, workers=1) as ingestor:
            report = ingestor.ingest_inputs([feed], settings.read)
    assert report.updated == 1
    assert not store.entities_stale()
    assert store.link_pending_ids() == []
    assert len(_gusarov(store)) == 1
    spans = {(m.start, m.end) for m in store.extraction("gusarov-interview").entities}
    assert set(store.mention_entities("gusarov-interview")) == spans


def test_a_new_alias_spelling_joins_the_known_place(
    one_by_one: SqliteStore, tmp_path: Path
) -> None:
    store = one_by_one
    us = [
        e for e in store.entities(kind="LOC") if normalize("واشنطن") in map(normalize, e.variants)
    ]
    assert len(us) == 1
    feed = tmp_path / "feed.jsonl"
    text = "وقال المتحدث إن أميركا ستواصل دعم الحوار مع روسيا خلال الأسابيع المقبلة."
    feed.write_text(
        json.dumps({"id": "us-spelling", "outlet": "feed", "text": text}, ensure_ascii=False),
        encoding="utf-8",
    )
    settings = Settings.load()
    with Ingestor(store, settings, workers=1) as ingestor:
        ingestor.ingest_inputs([feed], settings.read)
    linked = store.mention_entities("us-spelling")
    spans = {(m.start, m.end): m for m in store.extraction("us-spelling").entities}
    ameerka = [k for k, m in spans.items() if m.text == "أميركا"]
    assert ameerka, spans
    assert linked[ameerka[0]] == us[0].id
    assert not [e for e in store.entities() if e.id.startswith(us[0].id + "-")]


def test_speaker_entity_rule() -> None:
    def quote(start: int | None, end: int | None) -> Quote:
        return Quote(50, 60, "نص", "indirect", "قال", "وزير الخارجية عادل الجبير", start, end)

    plain = {(10, 20): "per-a", (30, 40): "per-b", (30, 35): "per-b"}
    for linked in (plain, LinkedMentions(plain)):
        assert speaker_entity_of(quote(10, 20), linked) == "per-a"  # the mention itself
        assert speaker_entity_of(quote(5, 25), linked) == "per-a"  # one name inside the phrase
        assert speaker_entity_of(quote(5, 45), linked) is None  # two names: no guess
        assert speaker_entity_of(quote(25, 41), linked) == "per-b"  # one entity, two mentions
        assert speaker_entity_of(quote(12, 33), linked) is None  # no mention wholly inside
        assert speaker_entity_of(quote(None, None), linked) is None


@pytest.mark.parametrize(
    ("phrase", "name", "entity", "spoke"),
    [
        ("وزير الخارجية عادل الجبير", "عادل الجبير", "per-jubeir", True),
        ("مكتب رئيس الوزراء أحمد داود أوغلو", "أحمد داود أوغلو", "per-davutoglu", False),
        ("محامي المتهم خالد العمر", "خالد العمر", "per-omar", False),
        ("وزارة الخارجية الروسية", "الخارجية الروسية", "org-mfa", True),
        ("صحيفة نيويورك تايمز", "نيويورك تايمز", "org-nyt", True),
        ("رئيس الاتحاد السعودي لكرة القدم", "الاتحاد السعودي لكرة القدم", "org-saff", False),
        ("حلفاء غربيون لتركيا", "تركيا", "loc-turkey", False),
        ("بلدية محايل عسير", "محايل عسير", "loc-mahayel", False),
        ("موسكو على لسان المتحدث", "موسكو", "loc-moscow", True),
        ("المتحدث الرسمي باسم وزارة الحج", "وزارة الحج", "org-hajj", True),
        ("التقرير السنوي لغرفة الشرقية", "غرفة الشرقية", "org-chamber", True),
    ],
)
def test_the_name_inside_a_speaker_phrase_is_the_speaker_only_when_it_spoke(
    phrase: str, name: str, entity: str, spoke: bool
) -> None:
    """The one mention inside a speaker phrase was taken whatever it was: Turkey "said" its
    allies' words and a prime minister his office's statement (`akhbar quotes --entity`)."""
    text = f"وقال {phrase} إن الاجتماع انتهى."
    start = text.index(phrase)
    at = text.index(name, start)
    quote = Quote(0, 4, "نص", "indirect", "قال", phrase, start, start + len(phrase))
    linked = {(at, at + len(name)): entity}
    for mentions in (linked, LinkedMentions(linked)):
        assert speaker_entity_of(quote, mentions) == (entity if spoke else None)


def test_linked_mentions_find_what_lies_inside_a_span() -> None:
    """Bisection finds the mentions a scan over all of them finds, for any span."""
    plain = {(s, s + w): f"e{s % 7}" for s in range(0, 400, 9) for w in (3, 8)}
    index = LinkedMentions(plain)
    assert dict(index) == plain
    for start in range(0, 420, 5):
        for end in range(start, start + 60, 7):
            scanned = {e for (s, t), e in plain.items() if s >= start and t <= end}
            assert index.within(start, end) == scanned


def test_a_bare_name_posted_again_and_again_adds_no_entities(tmp_path: Path) -> None:
    settings = Settings.load()
    store = SqliteStore(tmp_path / "bare.db", settings.store)
    feed = tmp_path / "feed.jsonl"
    first = [
        "وقال جوساروف إن المحادثات حول الرحلات الجوية ستستمر الأسبوع المقبل في موسكو.",
        "أعلن نادي الهلال فوزه في المباراة، وقال جوساروف إن الفريق استحق النقاط الثلاث.",
    ]
    records = [{"id": f"a{n}", "outlet": f"o{n}", "text": t} for n, t in enumerate(first)]
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    with Ingestor(store, settings, workers=1) as ingestor:
        ingestor.ingest_inputs([feed], settings.read)
        before = [e.id for e in store.entities(kind="PER") if e.name == "جوساروف"]
        for n in range(2):  # small ingests, linked incrementally
            text = f"وقال جوساروف إن الجولة رقم {n + 5} من المحادثات ستعقد قريبا."
            record = {"id": f"post-{n}", "outlet": "feed", "text": text}
            feed.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            ingestor.ingest_inputs([feed], settings.read)
    after = [e.id for e in store.entities(kind="PER") if e.name == "جوساروف"]
    assert before
    assert sorted(after) == sorted(before)
    assert all(store.mention_entities(f"post-{n}") for n in range(2))


def test_an_entitys_stories_are_listed_as_the_story_list_lists_them(
    one_by_one: SqliteStore,
) -> None:
    store = one_by_one
    gusarov = store.entities(name="غوساروف")[0]
    found = store.entity_stories(gusarov.id)
    listed = {s.story: s for s in store.stories(limit=100)}
    assert found
    assert all(s == listed[s.story] for s in found)
    placed = store.assignments_of(store.entity_article_ids(gusarov.id))
    assert {s.story for s in found} == {a.story for a in placed.values()}
    assert store.entity_stories("per-nobody") == []
