"""The JSON API over a temporary store: every endpoint, paging, filters and the error cases."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from akhbar.model import Origin, RawArticle
from akhbar.settings import Settings
from akhbar.web import create_app
from tests.web.conftest import SAMPLES, TestClient, feed_records, records_of

DESAL = [SAMPLES / "desalination_alsahil.txt", SAMPLES / "desalination_almarsad.txt"]


def post(client: TestClient, body: Any) -> dict[str, Any]:
    """POST articles; the response must be 200."""
    response = client.post("/api/articles", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def ingest_samples(client: TestClient) -> None:
    """The bundled samples: the JSONL feed and the two desalination articles."""
    post(client, feed_records())
    post(client, records_of(DESAL))
    post(client, records_of([SAMPLES / "football_glued_heading.txt"]))


# -- POST /api/articles --------------------------------------------------------------------


def test_post_one_article_opens_a_story(client: TestClient) -> None:
    record = feed_records()[0]
    out = post(client, record)
    assert (out["new"], out["duplicate"], out["updated"], out["skipped"]) == (1, 0, 0, 0)
    [result] = out["results"]
    assert result["id"] == record["id"]
    assert result["status"] == "new"
    assert result["story_action"] == "opened"
    assert result["story"]
    assert result["event"]
    assert result["copy_of"] is None


def test_post_batch_reports_copies_and_joined_stories(client: TestClient) -> None:
    out = post(client, feed_records())
    by_id = {r["id"]: r for r in out["results"]}
    assert out["new"] == 4
    assert [r["index"] for r in out["results"]] == [0, 1, 2, 3]
    near_copy = by_id["sample-feed-002"]
    assert near_copy["copy_of"] == "sample-feed-001"
    assert near_copy["story"] == by_id["sample-feed-001"]["story"]
    assert near_copy["story_action"] == "joined"
    assert by_id["sample-feed-001"]["story_action"] == "opened"


def test_post_names_what_ingest_noticed_about_each_article(client: TestClient) -> None:
    """A body that cleaning removes whole (only a link line) is stored, with a warning on
    that article's result only; the other article of the request has none."""
    record = feed_records()[0]
    link = {"id": "link-only", "title": "بالصور .. رمضان في ليبيا",
            "text": "رابط الخبر بصحيفة الوئام: بالصور .. رمضان في ليبيا"}  # fmt: skip
    out = post(client, [record, link])
    by_id = {r["id"]: r for r in out["results"]}
    assert out["new"] == 2
    assert by_id[record["id"]]["warnings"] == []
    [warning] = by_id["link-only"]["warnings"]
    assert warning.startswith("link-only: every line of its body was removed")


def test_second_outlet_joins_the_story_of_the_first(client: TestClient) -> None:
    first, second = records_of(DESAL)
    opened = post(client, first)["results"][0]
    joined = post(client, second)["results"][0]
    assert opened["story_action"] == "opened"
    assert joined["story_action"] == "joined"
    assert joined["story"] == opened["story"]


def test_duplicate_and_updated(client: TestClient) -> None:
    record = feed_records()[2]
    post(client, record)
    again = post(client, record)["results"][0]
    assert again["status"] == "duplicate"
    changed = {**record, "text": record["text"] + "\n\nفقرة أضيفت لاحقا إلى الخبر."}
    updated = post(client, changed)
    assert updated["updated"] == 1
    assert updated["results"][0]["status"] == "updated"
    assert updated["results"][0]["story"]
    body = client.get(f"/api/articles/{record['id']}").json()
    assert "فقرة أضيفت لاحقا" in body["text"]


def test_same_id_twice_in_one_batch(client: TestClient) -> None:
    record = feed_records()[3]
    out = post(client, [record, record])
    assert [r["status"] for r in out["results"]] == ["new", "duplicate"]


def test_alternative_field_names_are_mapped(client: TestClient) -> None:
    out = post(client, {"source": "وكالة", "content": "خبر قصير عن افتتاح مكتبة في المدينة."})
    [result] = out["results"]
    assert result["status"] == "new"
    article = client.get(f"/api/articles/{result['id']}").json()
    assert article["outlet"] == "وكالة"


def test_too_long_text_is_skipped_with_its_reason(tmp_path: Path) -> None:
    base = Settings.load()
    settings = dataclasses.replace(base, read=dataclasses.replace(base.read, max_record_chars=50))
    with TestClient(create_app(tmp_path / "w.db", settings)) as client:
        out = post(
            client, [{"text": "قصير"}, {"text": "طويل " * 40}, {"id": " t3 ", "text": "طويل " * 40}]
        )
    assert [r["status"] for r in out["results"]] == ["new", "skipped", "skipped"]
    assert "too long" in out["results"][1]["reason"]
    assert out["results"][1]["id"] is None  # none was sent
    assert out["results"][2]["id"] == "t3"  # the id it was sent with, as ids are stored
    assert out["skipped"] == 2


# -- errors of POST ------------------------------------------------------------------------


def error(response: Any, status: int) -> dict[str, Any]:
    """The JSON error body, checked for its status and shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["message"]
    return body


def test_malformed_json_is_422(client: TestClient) -> None:
    response = client.post(
        "/api/articles", content=b'{"text": "x",', headers={"content-type": "application/json"}
    )
    body = error(response, 422)
    assert body["fields"][0]["field"].startswith("body")
    assert "JSON" in body["message"]


def test_missing_text_is_422_naming_the_field(client: TestClient) -> None:
    body = error(client.post("/api/articles", json={"title": "عنوان بلا نص"}), 422)
    assert [f["field"] for f in body["fields"]] == ["body.text"]
    body = error(client.post("/api/articles", json={"text": "   "}), 422)
    assert body["fields"][0]["field"] == "body.text"


def test_missing_text_in_a_batch_names_the_item_and_stores_nothing(client: TestClient) -> None:
    good = feed_records()[0]
    body = error(client.post("/api/articles", json=[good, {"outlet": "x"}]), 422)
    assert [f["field"] for f in body["fields"]] == ["body.1.text"]
    assert client.get(f"/api/articles/{good['id']}").status_code == 404


def test_wrong_field_type_is_422(client: TestClient) -> None:
    body = error(client.post("/api/articles", json={"text": "نص", "title": ["x"]}), 422)
    assert "body.title" in [f["field"] for f in body["fields"]]


def test_empty_list_and_non_object_are_422(client: TestClient) -> None:
    error(client.post("/api/articles", json=[]), 422)
    error(client.post("/api/articles", json="نص"), 422)


def test_too_large_a_body_is_413(client: TestClient) -> None:
    body = error(client.post("/api/articles", json={"text": "خبر " * 40_000}), 413)
    assert "too large" in body["message"]


def test_too_large_a_streamed_body_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 1024
        yield b'"}'

    response = client.post(
        "/api/articles", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "too large" in error(response, 413)["message"]


# -- reads ---------------------------------------------------------------------------------


def test_stories_paged_newest_first(client: TestClient) -> None:
    ingest_samples(client)
    everything = client.get("/api/stories", params={"limit": 100}).json()
    assert everything["next_offset"] is None
    items = everything["items"]
    assert len(items) >= 3
    dated = [s["last"] for s in items if s["last"]]
    assert dated == sorted(dated, reverse=True)
    first = client.get("/api/stories", params={"limit": 2}).json()
    assert first["next_offset"] == 2
    second = client.get("/api/stories", params={"limit": 2, "offset": 2}).json()
    assert [s["id"] for s in first["items"] + second["items"]] == [s["id"] for s in items[:4]]
    for story in items:
        assert {"id", "headline", "articles", "events", "outlets", "first", "last"} <= set(story)


def test_stories_filtered_by_outlet_and_dates(client: TestClient) -> None:
    ingest_samples(client)
    items = client.get("/api/stories", params={"outlet": "al-mithal"}).json()["items"]
    assert items
    assert all("al-mithal" in s["outlets"] for s in items)
    assert client.get("/api/stories", params={"outlet": "لا يوجد"}).json()["items"] == []
    dated = [s for s in client.get("/api/stories").json()["items"] if s["last"]]
    newest = max(s["last"][:10] for s in dated)
    recent = client.get("/api/stories", params={"since": newest}).json()["items"]
    assert recent
    assert all(s["last"][:10] >= newest for s in recent)
    early = client.get("/api/stories", params={"until": "2000-01-01"}).json()["items"]
    assert early == []


def test_story_list_errors(client: TestClient) -> None:
    body = error(client.get("/api/stories", params={"limit": 0}), 422)
    assert body["fields"][0]["field"] == "query.limit"
    body = error(client.get("/api/stories", params={"since": "yesterday"}), 422)
    assert body["fields"][0]["field"] == "query.since"
    body = error(client.get("/api/stories", params={"offset": -1}), 422)
    assert body["fields"][0]["field"] == "query.offset"
    body = error(client.get("/api/stories", params={"entity": "غوساروف"}), 404)
    assert "غوساروف" in body["message"]


def test_story_digest(client: TestClient) -> None:
    first, second = records_of(DESAL)
    story = post(client, [first, second])["results"][0]["story"]
    body = client.get(f"/api/stories/{story}").json()
    assert body["id"] == story
    assert {a["id"] for a in body["articles"]} == {first["id"], second["id"]}
    assert body["outlets"] == sorted({first["outlet"], second["outlet"]})
    digest = body["digest"]
    assert digest["story"] == story
    assert digest["claims"]
    assert {"claims", "only", "quotes", "entities", "outlets"} <= set(digest)
    assert any(len(c["outlets"]) == 2 for c in digest["claims"])


def test_unknown_story_is_404_with_the_id(client: TestClient) -> None:
    body = error(client.get("/api/stories/story-nope"), 404)
    assert "story-nope" in body["message"]


def test_article(client: TestClient) -> None:
    record = feed_records()[0]
    post(client, record)
    body = client.get(f"/api/articles/{record['id']}").json()
    assert body["id"] == record["id"]
    assert body["outlet"] == record["outlet"]
    assert body["title"] == record["title"]
    assert body["raw_text"] == record["text"]
    assert body["paragraphs"]
    assert all(body["text"][p["start"] : p["end"]] == p["text"] for p in body["paragraphs"])


def test_unknown_article_is_404_with_the_id(client: TestClient) -> None:
    body = error(client.get("/api/articles/no-such-article"), 404)
    assert "no-such-article" in body["message"]
    assert ".db" not in body["message"]  # the server's files are not the client's business
    assert "no-such-article" in client.get("/articles/no-such-article").text
    assert ".db" not in client.get("/articles/no-such-article").text


def test_search_is_normalised(client: TestClient) -> None:
    post(client, {"id": "fi", "outlet": "أ", "text": "اجتماع في وزارة الخارجية اليوم."})
    hits = client.get("/api/search", params={"q": "فى"}).json()["hits"]
    assert [h["id"] for h in hits] == ["fi"]
    assert [hits[0]["snippet"][a:b] for a, b in hits[0]["marks"]] == ["في"]
    assert client.get("/api/search", params={"q": "كلمةغائبة"}).json()["hits"] == []


def test_search_needs_a_query(client: TestClient) -> None:
    body = error(client.get("/api/search"), 422)
    assert body["fields"][0]["field"] == "query.q"
    error(client.get("/api/search", params={"q": ""}), 422)


def test_unknown_entity_is_404_with_the_id(client: TestClient) -> None:
    body = error(client.get("/api/entities/per-000000000000"), 404)
    assert "per-000000000000" in body["message"]


def test_unknown_api_route_is_json_404(client: TestClient) -> None:
    error(client.get("/api/nothing-here"), 404)


def test_openapi_schema(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/articles",
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles/{article_id}",
        "/api/search",
        "/api/entities",
        "/api/entities/{entity_id}",
    ):
        assert path in paths  # fmt: skip
    assert "ArticleIn" in schema["components"]["schemas"]
    assert "IngestOut" in schema["components"]["schemas"]
    assert "413" in paths["/api/articles"]["post"]["responses"]


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_no_page_loads_scripts_from_a_cdn(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404  # FastAPI's pages fetch swagger/redoc online


# -- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/search?q=فى", "/search", "/entities/الجبيل"])
def test_pages_are_arabic_rtl(client: TestClient, path: str) -> None:
    ingest_samples(client)
    response = client.get(path)
    assert response.status_code == 200
    assert '<html dir="rtl" lang="ar">' in response.text


def test_story_article_and_compare_pages(client: TestClient) -> None:
    first, second = records_of(DESAL)
    story = post(client, [first, second])["results"][0]["story"]
    page = client.get(f"/stories/{story}").text
    assert 'id="shared-claims"' in page
    assert f"/compare?a={first['id']}&amp;b={second['id']}" in page
    assert first["outlet"] in client.get(f"/articles/{first['id']}").text
    compare = client.get("/compare", params={"a": first["id"], "b": second["id"]}).text
    assert first["outlet"] in compare
    assert second["outlet"] in compare


def test_compare_finds_shared_passages(client: TestClient) -> None:
    records = feed_records()
    post(client, records)
    page = client.get("/compare", params={"a": "sample-feed-001", "b": "sample-feed-002"}).text
    assert page.count('<mark class="shared"') >= 2


def test_page_errors_are_html(client: TestClient) -> None:
    for path in ("/stories/nope", "/articles/nope", "/nowhere", "/compare?a=x&b=y"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert '<html dir="rtl" lang="ar">' in response.text
    response = client.get("/compare?a=x")
    assert response.status_code == 422
    assert "query.b" in response.text


def test_article_text_is_escaped(client: TestClient) -> None:
    text = "خبر فيه <script>window.__pwned = 1</script> نص."
    post(client, {"id": "xss", "outlet": "<b>outlet</b>", "title": "<i>عنوان</i>", "text": text})
    for path in ("/articles/xss", "/search?q=خبر", "/"):
        page = client.get(path).text
        assert "<script>window.__pwned" not in page, path
        assert "<b>outlet</b>" not in page, path
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in client.get("/articles/xss").text


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "  JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>", "/x"],
)
def test_an_article_url_that_is_not_http_is_shown_not_linked(client: TestClient, url: str) -> None:
    post(client, {"id": "u1", "outlet": "أ", "url": url, "text": "خبر عن رابط غير آمن اليوم."})
    page = client.get("/articles/u1").text
    assert 'href="javascript' not in page.lower().replace(" ", "")
    assert 'href="data:' not in page
    assert 'href="/x"' not in page
    assert "u1" in page  # the page itself is there, the address shown as text


def test_an_http_article_url_is_linked(client: TestClient) -> None:
    url = "https://example.com/news/1?a=1&b=2"
    post(client, {"id": "u2", "outlet": "أ", "url": url, "text": "خبر عن رابط آمن اليوم."})
    assert 'href="https://example.com/news/1?a=1&amp;b=2"' in client.get("/articles/u2").text


def test_pages_forbid_inline_and_foreign_script(client: TestClient) -> None:
    for path in ("/", "/search?q=خبر", "/articles/nope"):
        policy = client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in policy, path
        assert "object-src 'none'" in policy, path
    assert "content-security-policy" not in client.get("/api/health").headers


def test_ids_with_slashes_and_dots_link_to_their_own_page(client: TestClient) -> None:
    post(client, {"id": "../x3", "outlet": "أ", "text": "خبر بمعرف غريب فيه نقطتان."})
    page = client.get("/search", params={"q": "غريب"}).text
    assert 'href="/articles/..%2Fx3"' in page
    assert client.get("/articles/..%2Fx3").status_code == 200


def test_search_page_marks_matches_not_the_texts_brackets(client: TestClient) -> None:
    text = "قال المتحدث إن الجدول [ المرفق يوضح أن الصادرات ارتفعت بنسبة كبيرة."
    post(client, {"id": "br", "outlet": "أ", "text": text})
    page = client.get("/search", params={"q": "الصادرات"}).text
    assert "<mark>الصادرات</mark>" in page
    assert "[ المرفق" in page


def test_static_css(client: TestClient) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert "Noto Naskh Arabic" in response.text


def test_concurrent_posts_each_get_their_own_results(client: TestClient) -> None:
    from concurrent.futures import ThreadPoolExecutor

    records = [
        {"id": f"c{n}", "outlet": f"مصدر {n}", "text": f"خبر رقم {n} عن موضوع مختلف تماما {n}."}
        for n in range(12)
    ]
    with ThreadPoolExecutor(6) as pool:
        outs = list(pool.map(lambda r: post(client, [r, r]), records))
    for record, out in zip(records, outs, strict=True):
        assert [r["id"] for r in out["results"]] == [record["id"], record["id"]]
        assert [r["index"] for r in out["results"]] == [0, 1]
        assert [r["status"] for r in out["results"]] == ["new", "duplicate"]
        assert out["results"][0]["story"]


def test_health_and_background_digests(client: TestClient) -> None:
    first, second = records_of(DESAL)
    story = post(client, [first, second])["results"][0]["story"]
    assert client.get(f"/api/stories/{story}").status_code == 200
    health = client.get("/api/health").json()
    assert health["status"] == "ok"
    assert health["articles"] == 2
    assert health["digests"] >= 1
    third = {**feed_records()[0]}
    post(client, third)
    body = client.get(f"/api/stories/{story}").json()
    assert {a["id"] for a in body["articles"]} == {first["id"], second["id"]}


def test_digest_follows_a_story_that_grows(client: TestClient) -> None:
    first, second = records_of(DESAL)
    story = post(client, first)["results"][0]["story"]
    assert len(client.get(f"/api/stories/{story}").json()["articles"]) == 1
    assert post(client, second)["results"][0]["story"] == story
    body = client.get(f"/api/stories/{story}").json()
    assert len(body["articles"]) == 2
    assert len(body["digest"]["outlets"]) == 2


def _saved(client: TestClient) -> None:
    """Wait until the writer thread has saved the digests built so far."""
    client.app.state.akhbar._executor.submit(lambda: None).result()  # type: ignore[attr-defined]


def test_a_built_digest_is_kept_in_the_store_and_served_after_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from akhbar.store.sqlite import SqliteStore
    from akhbar.web import state as state_module
    from akhbar.web.views import DIGEST_BUILDER

    db = tmp_path / "web.db"
    with TestClient(create_app(db, Settings.load(), warm_stories=0)) as client:
        story = post(client, records_of(DESAL))["results"][0]["story"]
        first = client.get(f"/api/stories/{story}")
        _saved(client)
        assert client.get("/api/health").json()["digests"] == 1
    with SqliteStore(db) as store:
        assert store.kept_digest(story, DIGEST_BUILDER)[1] == first.content

    def no_build(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("a kept digest was built again")

    monkeypatch.setattr(state_module, "story_json", no_build)
    with TestClient(create_app(db, Settings.load(), warm_stories=5)) as client:
        again = client.get(f"/api/stories/{story}")
        assert again.status_code == 200
        assert again.content == first.content
        assert 'id="digest-building"' not in client.get(f"/stories/{story}").text


def test_a_story_changed_by_another_writer_is_not_served_stale(tmp_path: Path) -> None:
    from akhbar.store.sqlite import SqliteStore

    db = tmp_path / "web.db"
    with TestClient(create_app(db, Settings.load(), warm_stories=0)) as client:
        results = post(client, records_of(DESAL))["results"]
        story = results[0]["story"]
        assert results[1]["story"] == story
        assert len(client.get(f"/api/stories/{story}").json()["articles"]) == 2
        _saved(client)
        with SqliteStore(db) as other:  # another process moves one article out of the story
            moved = other.assignments_of([results[1]["id"]])[results[1]["id"]]
            other.save_assignment(dataclasses.replace(moved, story="story-elsewhere"))
        body = client.get(f"/api/stories/{story}").json()
        assert [a["id"] for a in body["articles"]] == [results[0]["id"]]
        assert [o["articles"] for o in body["digest"]["outlets"]] == [[results[0]["id"]]]
        moved_out = client.get("/api/stories/story-elsewhere").json()
        assert [a["id"] for a in moved_out["articles"]] == [results[1]["id"]]


def test_story_list_shows_new_stories_at_once(client: TestClient) -> None:
    assert client.get("/api/stories").json()["items"] == []
    post(client, feed_records()[2])
    assert len(client.get("/api/stories").json()["items"]) == 1
    post(client, feed_records()[3])
    assert len(client.get("/api/stories").json()["items"]) == 2


@pytest.mark.parametrize("limit", ["INLINE_MAX_ARTICLES", "INLINE_MAX_CHARS"])
def test_large_story_digest_is_built_in_the_background(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, limit: str
) -> None:
    """A story of many articles, or of few but long ones, is digested in the background."""
    import threading
    import time

    from akhbar.web import state as state_module

    monkeypatch.setattr(state_module, limit, 1 if limit == "INLINE_MAX_ARTICLES" else 200)
    gate = threading.Event()  # holds the background build until the pending story is seen
    build = state_module.story_json

    def held(*args: Any, **kwargs: Any) -> bytes:
        assert gate.wait(60)
        return build(*args, **kwargs)

    monkeypatch.setattr(state_module, "story_json", held)
    first, second = records_of(DESAL)
    story = post(client, [first, second])["results"][0]["story"]
    response = client.get(f"/api/stories/{story}")
    assert response.status_code == 202
    assert response.headers["retry-after"] == "2"
    body = response.json()
    assert body["digest_status"] == "building"
    assert body["digest"] is None
    assert len(body["articles"]) == 2
    page = client.get(f"/stories/{story}").text
    assert 'id="digest-building"' in page
    assert 'http-equiv="refresh"' in page
    gate.set()
    deadline = time.monotonic() + 60
    while (response := client.get(f"/api/stories/{story}")).status_code == 202:
        assert time.monotonic() < deadline, "the digest was never built"
        time.sleep(0.2)
    assert response.status_code == 200
    assert response.json()["digest_status"] == "ready"
    assert response.json()["digest"]["claims"]
    assert 'id="digest-building"' not in client.get(f"/stories/{story}").text


# -- entities (over the two seed articles and the bundled feed) ---------------------------

GUSAROV = ("ألكسندر جوساروف", "ألكسندر غوساروف")  # one man, spelt two ways by two outlets


@dataclasses.dataclass(frozen=True)
class Seeded:
    """An app holding the seeds and the sample feed, the seeds' story and ids."""

    client: TestClient
    db: Path
    story: str
    seeds: list[str]
    other_story: str


@pytest.fixture(scope="module")
def seeded(
    seed_paths: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    """The seeds and the sample feed, ingested once for the entity tests of this module."""
    db = tmp_path_factory.mktemp("seeded") / "web.db"
    with TestClient(create_app(db, Settings.load(), warm_stories=0)) as test_client:
        seeds = post(test_client, records_of([seed_paths["000"], seed_paths["001"]]))["results"]
        assert len({r["story"] for r in seeds}) == 1, seeds
        feed = post(test_client, feed_records())["results"]
        test_client.app.state.akhbar.linked()  # type: ignore[attr-defined]  # tests read the db
        yield Seeded(test_client, db, seeds[0]["story"], [r["id"] for r in seeds], feed[0]["story"])


def gusarov_id(db: Path) -> str:
    """The id of the entity whose variants hold both spellings of Gusarov's name."""
    from akhbar.store.sqlite import SqliteStore

    with SqliteStore(db) as store:
        found = [e.id for e in store.entities() if set(GUSAROV) <= set(e.variants)]
    assert len(found) == 1, found
    return found[0]


def test_entity_has_its_variants_quotes_and_story(seeded: Seeded) -> None:
    entity = gusarov_id(seeded.db)
    body = seeded.client.get(f"/api/entities/{entity}").json()
    assert body["id"] == entity
    assert body["type"] == "PER"
    assert set(GUSAROV) <= set(body["variants"])
    assert body["mentions"] >= 2
    assert isinstance(body["roles"], list)
    assert [s["id"] for s in body["stories"]] == [seeded.story]
    assert body["story_count"] == 1
    assert body["next_offset"] is None
    [story] = body["stories"]
    assert story["articles"] == 2
    assert story["headline"]
    quotes = body["quotes"]
    assert quotes
    assert {q["article"] for q in quotes} == set(seeded.seeds)  # both outlets quote him
    assert {q["kind"] for q in quotes} <= {"direct", "indirect"}
    for q in quotes:
        assert q["speaker"]
        assert q["cue"]
        assert q["outlet"]
        text = seeded.client.get(f"/api/articles/{q['article']}").json()["text"]
        assert text[q["start"] : q["end"]] == q["text"]


def test_posted_articles_entities_are_linked_before_entity_links_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A POST answers before entities are linked; whatever reads entity links links first."""
    from akhbar.web import state as state_module

    monkeypatch.setattr(state_module, "LINK_IDLE_S", 3600.0)  # no pause long enough
    monkeypatch.setattr(state_module, "LINK_MAX_DELAY_S", 3600.0)
    with TestClient(create_app(tmp_path / "web.db", Settings.load(), warm_stories=0)) as client:
        state = client.app.state.akhbar  # type: ignore[attr-defined]
        first = post(client, records_of(DESAL))["results"][0]
        assert state._unlinked_since is not None  # answered, entities still waiting
        listed = client.get("/api/entities").json()["items"]
        assert listed
        assert state._unlinked_since is None
        post(client, feed_records()[0])
        article = client.get(f"/api/articles/{first['id']}").json()
        assert any(m["entity"] for m in article["entities"])
        assert state._unlinked_since is None


def test_posted_articles_entities_are_linked_after_a_pause(tmp_path: Path) -> None:
    import time

    from akhbar.store.sqlite import SqliteStore

    db = tmp_path / "web.db"
    with TestClient(create_app(db, Settings.load(), warm_stories=0)) as client:
        state = client.app.state.akhbar  # type: ignore[attr-defined]
        post(client, records_of(DESAL))
        deadline = time.monotonic() + 60
        while state._unlinked_since is not None:
            assert time.monotonic() < deadline, "never linked"
            time.sleep(0.1)
        with SqliteStore(db) as store:
            assert store.entities()
            assert not store.link_pending_ids()


def test_story_order_kept_by_the_store_matches_the_articles(seeded: Seeded) -> None:
    from akhbar.store.sqlite import SqliteStore
    from akhbar.stories.doc import parse_time

    with SqliteStore(seeded.db) as store:
        kept = store._db.execute("SELECT story, last FROM story_last ORDER BY story").fetchall()
        computed = store._db.execute(
            "SELECT s.story, max(julianday(a.published)) FROM assignments s "
            "JOIN articles a ON a.rowid = s.article_rowid GROUP BY s.story ORDER BY s.story"
        ).fetchall()
    assert [tuple(r) for r in kept] == [tuple(r) for r in computed]
    listed = seeded.client.get("/api/stories", params={"limit": 500}).json()["items"]
    assert len(listed) == len(kept)
    lasts = [s["last"] for s in listed]
    dated = [d for d in lasts if d is not None]
    assert dated == sorted(dated, key=parse_time, reverse=True)  # by instant
    assert lasts == dated + [None] * (len(lasts) - len(dated))


def test_entity_quotes_are_the_stored_quotes_of_the_entity(seeded: Seeded) -> None:
    """The web reads only the articles where an entity names a speaker: the same quotes."""
    from collections import Counter

    from akhbar.extract.entities import stored_quotes
    from akhbar.store.sqlite import SqliteStore
    from akhbar.web.views import entity_quotes

    quoted = 0
    with SqliteStore(seeded.db) as store:
        for e in store.entities():
            found = entity_quotes(store, e.id)
            assert Counter(found) == Counter(stored_quotes(store, e.id)), e
            quoted += bool(found)
    assert quoted >= 2


def test_entity_stories_are_paged(seeded: Seeded) -> None:
    entity = gusarov_id(seeded.db)
    body = seeded.client.get(f"/api/entities/{entity}", params={"offset": 1}).json()
    assert body["stories"] == []
    assert body["story_count"] == 1
    body = error(seeded.client.get(f"/api/entities/{entity}", params={"limit": 0}), 422)
    assert body["fields"][0]["field"] == "query.limit"


def test_stories_filtered_by_entity(seeded: Seeded) -> None:
    entity = gusarov_id(seeded.db)
    everything = [s["id"] for s in seeded.client.get("/api/stories").json()["items"]]
    assert {seeded.story, seeded.other_story} <= set(everything)
    for wanted in (entity, "غوساروف", "جوساروف"):  # an id, or a spelling of it
        items = seeded.client.get("/api/stories", params={"entity": wanted}).json()["items"]
        assert [s["id"] for s in items] == [seeded.story], wanted
    outlets = seeded.client.get(f"/api/stories/{seeded.story}").json()["outlets"]
    both = {"entity": entity, "outlet": outlets[0]}
    assert [s["id"] for s in seeded.client.get("/api/stories", params=both).json()["items"]] == [
        seeded.story
    ]
    for other in ({"outlet": "al-mithal"}, {"until": "2000-01-01"}, {"offset": 1}):
        params = {"entity": entity, **other}
        assert seeded.client.get("/api/stories", params=params).json()["items"] == [], other


def test_stories_of_an_unknown_entity_are_404(seeded: Seeded) -> None:
    body = error(seeded.client.get("/api/stories", params={"entity": "كلمةغائبة"}), 404)
    assert "كلمةغائبة" in body["message"]
    body = error(seeded.client.get("/api/entities/غوساروف"), 404)  # the API wants an id
    assert "غوساروف" in body["message"]
    assert str(seeded.db) not in body["message"]
    error(seeded.client.get("/api/stories", params={"entity": " "}), 404)  # matches nothing


def test_web_digest_is_the_library_digest(seeded: Seeded) -> None:
    from akhbar.digest import story_digest
    from akhbar.store.sqlite import SqliteStore

    body = seeded.client.get(f"/api/stories/{seeded.story}").json()
    with SqliteStore(seeded.db) as store:
        expected = story_digest(store, seeded.story).to_dict()
    assert body["digest"] == json.loads(json.dumps(expected, ensure_ascii=False))


def test_entity_page(seeded: Seeded) -> None:
    entity = gusarov_id(seeded.db)
    for wanted in (entity, "جوساروف"):
        page = seeded.client.get(f"/entities/{wanted}").text
        assert f'data-id="{entity}"' in page, wanted
        for variant in GUSAROV:
            assert f'<li class="chip entity variant">{variant}</li>' in page
        assert f'href="/stories/{seeded.story}"' in page
        assert 'id="entity-quotes"' in page
        for article in seeded.seeds:
            assert f'href="/articles/{article}"' in page
    unknown = seeded.client.get("/entities/<i>كلمةغائبة")
    assert unknown.status_code == 200
    assert 'id="entity-unknown"' in unknown.text
    assert "&lt;i&gt;كلمةغائبة" in unknown.text
    assert "<i>كلمةغائبة" not in unknown.text


def test_story_page_entity_chips_open_the_entity_page(seeded: Seeded) -> None:
    import re

    page = seeded.client.get(f"/stories/{seeded.story}").text
    links = re.findall(r'<a class="chip entity" href="(/entities/[^"]+)"', page)
    assert links
    entity = gusarov_id(seeded.db)
    assert f"/entities/{entity}" in links  # linked by the stored entity's id
    opened = [seeded.client.get(link) for link in links]
    assert all(r.status_code == 200 for r in opened)
    assert any(f'data-id="{entity}"' in r.text for r in opened)


def test_article_page_links_its_story_names_and_quotes(seeded: Seeded) -> None:
    entity = gusarov_id(seeded.db)
    for article in seeded.seeds:
        page = seeded.client.get(f"/articles/{article}").text
        assert 'id="article-story"' in page
        assert f'href="/stories/{seeded.story}"' in page
        assert 'id="article-entities"' in page
        assert f'href="/entities/{entity}"' in page
        assert 'id="article-quotes"' in page


def test_article_extras_are_escaped(client: TestClient) -> None:
    text = (
        'قال المتحدث باسم الوزارة أحمد سالم "<script>window.__pwned = 1</script>" في بيان '
        "نقلته وكالة <b>الأنباء</b> السعودية (واس)."
    )
    post(client, {"id": "xss-quote", "outlet": "أ", "text": text})
    page = client.get("/articles/xss-quote").text
    assert 'id="article-quotes"' in page  # the quote holding the script is shown...
    assert 'id="article-sources"' in page
    assert "<script>window.__pwned" not in page  # ...as text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "<b>" not in page


def test_article_has_its_story_names_quotes_and_sources(seeded: Seeded) -> None:
    entity = gusarov_id(seeded.db)
    for article in seeded.seeds:
        body = seeded.client.get(f"/api/articles/{article}").json()
        assert body["story"] == seeded.story
        assert body["extracted"] is True
        text = body["text"]
        for span in body["entities"] + body["quotes"] + body["cited_sources"] + body["dates"]:
            assert text[span["start"] : span["end"]] == span["text"]
        assert any(m["entity"] == entity for m in body["entities"])
        assert any(q["speaker_entity"] == entity for q in body["quotes"])


def test_entity_list(seeded: Seeded) -> None:
    entity = gusarov_id(seeded.db)
    found = seeded.client.get("/api/entities", params={"name": "جوساروف"}).json()
    assert [e["id"] for e in found["items"]] == [entity]
    assert set(GUSAROV) <= set(found["items"][0]["variants"])
    people = seeded.client.get("/api/entities", params={"type": "PER", "limit": 100}).json()
    assert entity in [e["id"] for e in people["items"]]
    assert {e["type"] for e in people["items"]} == {"PER"}
    everything = seeded.client.get("/api/entities", params={"limit": 500}).json()["items"]
    counts = [e["mentions"] for e in everything]
    assert counts == sorted(counts, reverse=True)
    first = seeded.client.get("/api/entities", params={"limit": 2}).json()
    assert first["next_offset"] == 2
    assert [e["id"] for e in first["items"]] == [e["id"] for e in everything[:2]]
    body = error(seeded.client.get("/api/entities", params={"type": "PERSON"}), 422)
    assert body["fields"][0]["field"] == "query.type"


def test_story_list_page_of_an_entity(seeded: Seeded) -> None:
    entity = gusarov_id(seeded.db)
    for wanted in (entity, "غوساروف"):
        page = seeded.client.get("/", params={"entity": wanted}).text
        assert f'data-id="{seeded.story}"' in page
        assert f'data-id="{seeded.other_story}"' not in page
        assert f'href="/entities/{entity}"' in page
        assert 'data-live="off"' in page
    missing = seeded.client.get("/", params={"entity": "كلمةغائبة"})
    assert missing.status_code == 404
    assert "كلمةغائبة" in missing.text


def test_a_served_store_gets_every_story_prepared(tmp_path: Path) -> None:
    from akhbar.store.sqlite import SqliteStore
    from akhbar.web.views import DIGEST_BUILDER

    db = tmp_path / "web.db"
    with TestClient(create_app(db, Settings.load(), warm_stories=0)) as client:
        post(client, records_of(DESAL) + feed_records())
    with SqliteStore(db) as store:
        stories = store.undigested_stories(DIGEST_BUILDER)
    assert len(stories) > 2  # nothing was read: no story has a digest yet
    with TestClient(create_app(db, Settings.load(), warm_stories=0, prepare_all=True)) as client:
        deadline = time.monotonic() + 120
        while client.get("/api/health").json()["warming"] and time.monotonic() < deadline:
            time.sleep(0.05)
        _saved(client)
        assert client.get("/api/health").json()["digests"] == len(stories)
    with SqliteStore(db) as store:
        assert store.undigested_stories(DIGEST_BUILDER) == []


# -- review findings: odd ids, odd values, a busy store -------------------------------------


@pytest.mark.parametrize("field", ["id", "published"])
def test_json_true_is_no_id_and_no_date(client: TestClient, field: str) -> None:
    """Lax coercion read `true` as 1: it replaced article "1", or dated one 1970."""
    post(client, {"id": 1, "text": "قال وزير الخارجية إن المحادثات ستستمر الأسبوع المقبل."})
    record = {"id": "x", "text": "أعلنت وزارة الصحة عن افتتاح مستشفى جديد في المدينة.", field: True}
    body = error(client.post("/api/articles", json=record), 422)
    assert any(f["field"].startswith(f"body.{field}") for f in body["fields"])
    assert client.get("/api/articles/1").json()["text"].startswith("قال")


def test_a_huge_offset_is_422_not_500(client: TestClient) -> None:
    body = error(client.get("/api/stories", params={"offset": 2**63}), 422)
    assert body["fields"][0]["field"] == "query.offset"
    assert client.get("/api/stories", params={"offset": 2**63 - 1}).status_code == 200


def test_ids_holding_a_slash_are_reachable(client: TestClient) -> None:
    """Ids like `reuters/2024/1` were stored but every URL of theirs was a 404."""
    results = post(
        client, {"id": "reuters/2024/1", "text": "قال وزير الخارجية إن المحادثات ستستمر."}
    )
    story = results["results"][0]["story"]
    for url in ("/api/articles/reuters/2024/1", "/api/articles/reuters%2F2024%2F1"):
        assert client.get(url).json()["id"] == "reuters/2024/1"
    assert client.get(f"/api/stories/{story}").json()["id"] == story
    page = client.get("/").text
    link = "/stories/" + story.replace("/", "%2F")  # one path segment, however the id reads
    assert f'href="{link}"' in page
    assert client.get(link).status_code == 200
    assert client.get(f"/stories/{story}").status_code == 200
    assert client.get("/articles/reuters/2024/1").status_code == 200


def test_a_body_that_is_not_utf8_json_says_so(client: TestClient) -> None:
    """FastAPI's 'There was an error parsing the body' said neither what nor what to do."""
    for content in (b'{"text": "\xff\xfe"}', '{"text": "نص"}'.encode("cp1256")):
        response = client.post(
            "/api/articles", content=content, headers={"content-type": "application/json"}
        )
        assert "send UTF-8 JSON" in error(response, 400)["message"]


def test_skips_of_different_requests_are_recorded_apart(tmp_path: Path) -> None:
    """Each request's articles are told apart, also after a restart (the count restarts)."""
    db = tmp_path / "s.db"
    empty = {"html": "<script>var x = 1;</script>"}
    for _ in range(2):
        with TestClient(create_app(db, Settings.load(), warm_stories=0)) as client:
            assert post(client, empty)["results"][0]["status"] == "skipped"
    from akhbar.store import SqliteStore

    with SqliteStore(db) as store:
        origins = [origin for origin, _ in store.skipped()]
    assert len(origins) == 2
    assert len(set(origins)) == 2


def test_a_post_while_another_process_writes_is_503_with_the_reason(tmp_path: Path) -> None:
    """Past the busy timeout: a JSON 503 saying the store is busy (it was a bare 500)."""
    import sqlite3

    db = tmp_path / "b.db"
    base = Settings.load()
    settings = dataclasses.replace(base, store=dataclasses.replace(base.store, busy_timeout_ms=50))
    with TestClient(create_app(db, settings, warm_stories=0)) as client:
        post(client, {"id": "a", "text": "قال وزير الخارجية إن المحادثات ستستمر الأسبوع المقبل."})
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            record = {"id": "b", "text": "أعلنت وزارة الصحة عن افتتاح مستشفى جديد في المدينة."}
            body = error(client.post("/api/articles", json=record), 503)
            assert "busy" in body["message"]
        finally:
            other.execute("ROLLBACK")
        assert post(client, record)["results"][0]["status"] == "new"  # free again: taken


def test_a_post_reports_what_storing_did_when_another_process_stored_it_first(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CLI ingest that stores the same article just before the API's ingest writes it
    (the API looked at the store first, and answered what it saw then): the article is a
    duplicate, not the new one such a look promised."""
    from akhbar.pipeline import Ingestor
    from akhbar.store.sqlite import SqliteStore

    record = feed_records()[0]
    ingest = Ingestor.ingest
    meanwhile: list[RawArticle] = []

    def cli_stores_it_first(self: Ingestor, items: Any, *args: Any, **kwargs: Any) -> Any:
        if not meanwhile:  # the API's ingest: the CLI's comes first, on its own connection
            meanwhile.extend(i for i in items if isinstance(i, RawArticle))
            with SqliteStore(tmp_path / "web.db") as other:  # the same article, from a file
                as_read = [dataclasses.replace(i, origin=Origin("cli.jsonl", record=1))
                           for i in meanwhile]  # fmt: skip
                ingest(Ingestor(other, Settings.load(), workers=1), as_read)
        return ingest(self, items, *args, **kwargs)

    monkeypatch.setattr(Ingestor, "ingest", cli_stores_it_first)
    out = post(client, record)
    assert out["results"][0]["status"] == "duplicate"
    assert out["duplicate"] == 1


def test_since_keeps_a_story_whose_day_comes_after_a_later_instant(client: TestClient) -> None:
    """Stories are listed by instant, `since` filters by the day as written: 01:00+05:00 on
    the 2nd is listed after 22:00Z on the 1st, and the scan stopped at the latter."""
    east = dict(feed_records()[0], id="east", published="2015-09-02T01:00:00+05:00")
    west = dict(
        records_of([SAMPLES / "football_glued_heading.txt"])[0],
        id="west",
        published="2015-09-01T22:00:00Z",
    )
    post(client, [east, west])
    items = client.get("/api/stories", params={"since": "2015-09-02"}).json()["items"]
    assert [s["last"] for s in items] == ["2015-09-02T01:00:00+05:00"]


def test_a_story_has_one_headline_in_the_list_and_on_its_own(client: TestClient) -> None:
    """The story endpoint gave the digest's best title, the list (and the answer while the
    digest is built) the earliest: a link's text was not the page's heading."""
    first, copy = feed_records()[:2]  # sample-feed-002 is a copy of -001: one story
    post(client, [dict(first, title="عاجل"), copy])  # the earliest title says little
    for story in client.get("/api/stories").json()["items"]:
        deadline = time.monotonic() + 30
        while (one := client.get(f"/api/stories/{story['id']}")).status_code == 202:
            assert time.monotonic() < deadline
            assert one.json()["headline"] == story["headline"]
            time.sleep(0.05)
        assert one.status_code == 200
        assert one.json()["headline"] == story["headline"]


def test_a_trailing_slash_leads_to_the_story_list_and_a_page_past_the_end_says_so(
    client: TestClient,
) -> None:
    """`/api/stories/` and `/stories/` (where `/stories` redirects) answered 404 for a story
    with the empty id; a page past the last said the store had no stories yet."""
    ingest_samples(client)
    listed = client.get("/api/stories/")
    assert listed.status_code == 200
    assert listed.json()["items"]
    page = client.get("/stories/")
    assert page.status_code == 200
    assert "/stories/" in page.text  # the list, linking its stories
    past = client.get("/", params={"page": 1000})
    assert past.status_code == 200
    assert "لا توجد قصص بعد" not in past.text
    assert "لا توجد قصص في هذه الصفحة" in past.text


def test_a_digest_the_store_cannot_keep_is_kept_in_memory(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """On a store that cannot be written (a read-only file), a built digest stays in
    memory: a later read serves it instead of building it again (a large story answered
    202 forever), and the log says so once, not with a traceback per story."""
    from akhbar.errors import StoreError
    from akhbar.store.sqlite import SqliteStore
    from akhbar.web import state as state_module

    def refused(*args: Any, **kwargs: Any) -> bool:
        raise StoreError("web.db: the store cannot be written (attempt to write a readonly db)")

    monkeypatch.setattr(SqliteStore, "save_digest", refused)
    story = post(client, records_of(DESAL))["results"][0]["story"]
    first = client.get(f"/api/stories/{story}")
    _saved(client)
    built = []
    build = state_module.story_json

    def counted(*args: Any, **kwargs: Any) -> bytes:
        built.append(args)
        return build(*args, **kwargs)

    monkeypatch.setattr(state_module, "story_json", counted)
    again = client.get(f"/api/stories/{story}")
    _saved(client)
    assert (again.status_code, again.content) == (200, first.content)
    assert built == []
    told = [r for r in caplog.records if "kept in memory only" in r.getMessage()]
    assert len(told) == 1
    assert not [r for r in caplog.records if r.exc_info]


def test_a_store_deleted_while_serving_is_refused_not_made_again(tmp_path: Path) -> None:
    """A store file deleted under the running server: every request is a 503 that says so;
    before, a post answered `new` into the deleted file (never to be read again), some
    threads read the old data, others a new empty store they had made."""
    db = tmp_path / "web.db"
    with TestClient(create_app(db, Settings.load(), warm_stories=0)) as client:
        post(client, feed_records()[2])
        assert client.get("/api/health").status_code == 200
        for path in tmp_path.glob("web.db*"):
            path.unlink()
        health = client.get("/api/health")
        assert health.status_code == 503
        assert "deleted or replaced" in health.json()["message"]
        posted = client.post("/api/articles", json=feed_records()[3])
        assert posted.status_code == 503
        assert client.get("/api/stories").status_code == 503
        assert not db.exists()


def test_an_id_posted_twice_in_one_request_is_warned_of_in_its_result(
    client: TestClient,
) -> None:
    """As the CLI warns when an input holds one id twice: the later version's result says
    that it replaced the earlier one."""
    first = feed_records()[2]
    second = {**first, "text": first["text"] + " وأكد المتحدث أن العمل سيستمر الشهر المقبل."}
    results = post(client, [first, second])["results"]
    assert results[0]["warnings"] == []
    assert any("came earlier in this run" in w for w in results[1]["warnings"])


def test_small_things_a_client_meets(client: TestClient) -> None:
    """A redirect from a list's trailing slash keeps its query; HEAD answers as GET, with no
    body (link checkers and monitors ask HEAD: it was 405); an entity page with no name is
    a 404 like the API's; a form-encoded post is told to send JSON."""
    post(client, feed_records()[2])
    moved = client.get("/api/stories/?limit=5&outlet=okaz", follow_redirects=False)
    assert moved.status_code == 307
    assert moved.headers["location"] == "/api/stories?limit=5&outlet=okaz"
    page = client.get("/stories/?outlet=okaz", follow_redirects=False)
    assert page.headers["location"] == "/?outlet=okaz"
    for path in ("/", "/api/stories", "/api/health"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
    assert client.get("/entities/").status_code == 404
    form = client.post(
        "/api/articles",
        content=json.dumps(feed_records()[3]),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 422
    assert "application/json" in form.json()["message"]
