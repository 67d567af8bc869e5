"""The pages in a real headless Chromium (Debian's, driven by Playwright), with screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from akhbar.io import read
from akhbar.model import RawArticle
from akhbar.pipeline import Ingestor
from akhbar.settings import Settings
from akhbar.store.sqlite import SqliteStore
from tests.web.conftest import CHROMIUM, SAMPLES, LiveServer, artifacts_dir

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} not installed (scripts/install_browser.sh installs Debian's chromium)",
    ),
]

XSS = "<script>window.__pwned = 1</script>"
XSS_ARTICLE = {
    "id": "xss-article",
    "outlet": "مصدر التجربة",
    "title": f"عنوان فيه {XSS}",
    "text": f"نص خبر تجريبي عن معرض الكتاب فيه {XSS} وصورة "
    '<img src=x onerror="window.__pwned=2"> ثم بقية الخبر.',
}


def seed_ids(paths: list[Path]) -> list[str]:
    """Ids akhbar gives the seed files."""
    return [a.id for a in read([str(p) for p in paths], Settings.load().read)
            if isinstance(a, RawArticle)]  # fmt: skip


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, seed_paths: dict[str, Path]
) -> Iterator[dict[str, Any]]:
    """A live server over a store holding the seeds and the bundled samples."""
    db = tmp_path_factory.mktemp("web") / "site.db"
    settings = Settings.load()
    seeds = [seed_paths["000"], seed_paths["001"]]
    samples = [p for p in sorted(SAMPLES.rglob("*")) if p.is_file() and p.suffix != ".md"]
    with SqliteStore(db, settings.store) as store:
        Ingestor(store, settings, workers=1).ingest_inputs(
            [str(p) for p in seeds + samples], settings.read
        )
        ids = seed_ids(seeds)
        stories = {store_id for store_id in (s.story for s in store.stories(limit=1000))
                   if {b.id for b in store.story(store_id)} >= set(ids)}  # fmt: skip
    assert len(stories) == 1, "the two seeds must form one story"
    with LiveServer(db) as server:
        response = httpx.post(f"{server.url}/api/articles", json=XSS_ARTICLE, timeout=30)
        assert response.status_code == 200, response.text
        yield {
            "url": server.url,
            "story": stories.pop(),
            "seeds": ids,
            "outlets": [p.name for p in seeds],
        }


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless (never a downloaded browser)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    sync_playwright = sync_api.sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in Arabic, desktop sized."""
    context = browser.new_context(locale="ar", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def shot(page: Page, name: str) -> None:
    """A full-page screenshot into the test-artifact folder."""
    page.screenshot(path=str(artifacts_dir() / f"{name}.png"), full_page=True)


def test_story_list_story_and_compare(page: Page, site: dict[str, Any]) -> None:
    page.goto(site["url"] + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    cards = page.locator(".story-card")
    assert cards.count() >= 4
    first = cards.first
    assert first.locator(".headline").inner_text().strip()
    assert first.locator(".count").inner_text().strip()
    assert first.locator(".outlet").count() >= 1
    shot(page, "01-stories")

    page.locator(f'.story-card[data-id="{site["story"]}"] a.headline').click()
    page.wait_for_url(f"**/stories/{site['story']}")
    outlets = site["outlets"]
    for outlet in outlets:
        assert page.locator(f'tr.story-article[data-outlet="{outlet}"]').count() == 1
    shared = page.locator("#shared-claims .claim")
    assert shared.count() >= 1
    both = [
        i for i in range(shared.count())
        if all(shared.nth(i).locator(".outlet", has_text=o).count() for o in outlets)
    ]  # fmt: skip
    assert both, "a shared claim must name both seed outlets"
    assert "2 مصادر" in shared.nth(both[0]).locator(".badge").inner_text()
    shot(page, "02-story")

    page.locator("a.compare").first.click()
    page.wait_for_url("**/compare?**")
    sides = page.locator(".side")
    assert sides.count() == 2
    assert sides.nth(0).locator("mark.shared").count() >= 1
    assert sides.nth(1).locator("mark.shared").count() >= 1
    shot(page, "03-compare")


def test_search_finds_other_spelling(page: Page, site: dict[str, Any]) -> None:
    page.goto(site["url"] + "/")
    page.fill('form.search input[name="q"]', "فى")
    page.locator("form.search button").click()
    page.wait_for_url("**/search?q=**")
    hits = page.locator(".hit")
    assert hits.count() >= 1
    spelled_fi = page.locator(f'.hit:has(a[href="/articles/{site["seeds"][1]}"])')
    assert spelled_fi.count() == 1, "seed 001 writes في only; a search for فى must find it"
    assert "في" in [m.inner_text() for m in spelled_fi.locator("mark").all()]
    shot(page, "04-search")


def test_script_in_an_article_is_text(page: Page, site: dict[str, Any]) -> None:
    for path in ("/articles/xss-article", "/search?q=معرض", "/"):
        page.goto(site["url"] + path)
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.get_by_text(XSS, exact=False).first.is_visible(), path
    page.goto(site["url"] + "/articles/xss-article")
    assert XSS in page.locator(".body").inner_text()
    shot(page, "05-escaped-script")


def test_story_list_updates_live(page: Page, site: dict[str, Any]) -> None:
    page.goto(site["url"] + "/")
    article = {
        "id": "live-article",
        "outlet": "مصدر مباشر",
        "published": datetime.now(UTC).date().isoformat(),  # the newest story: listed first
        "title": "افتتاح مرصد فلكي جديد في صحراء الربع الخالي",
        "text": "افتتح اليوم مرصد فلكي جديد في صحراء الربع الخالي لرصد النجوم والمذنبات، "
        "ويضم المرصد تلسكوبا بقطر أربعة أمتار وقاعة لاستقبال الزوار.",
    }
    response = httpx.post(f"{site['url']}/api/articles", json=article, timeout=30)
    story = response.json()["results"][0]["story"]
    card = page.locator(f'.story-card[data-id="{story}"]')
    card.wait_for(timeout=15_000)
    assert "مرصد فلكي" in card.inner_text()
    shot(page, "06-live")


def test_entity_chip_opens_the_entity_page(page: Page, site: dict[str, Any]) -> None:
    page.goto(f"{site['url']}/stories/{site['story']}")
    page.locator("section.entities a.chip.entity", has_text="غوساروف").first.click()
    page.wait_for_url("**/entities/**")
    variants = [v.inner_text() for v in page.locator("#entity-variants .variant").all()]
    assert {"ألكسندر جوساروف", "ألكسندر غوساروف"} <= set(variants)
    assert page.locator("#entity-quotes tbody tr").count() >= 2
    page.locator(f'#entity-stories a[href="/stories/{site["story"]}"]').wait_for()
    shot(page, "07-entity")

    page.locator("#entity-quotes tbody a").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator(f'#article-story a[href="/stories/{site["story"]}"]').count() == 1
    assert page.locator("#article-quotes tbody tr").count() >= 1
    shot(page, "08-article-extras")
