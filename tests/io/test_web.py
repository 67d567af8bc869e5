"""HTML pages (trafilatura) and RSS/Atom feeds (feedparser), including the missing-extra case."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from akhbar.io.html import fragment_to_text
from akhbar.model import RawArticle
from tests.io._helpers import FIXTURES, NO_LANGID, read_all


def test_html_page_main_text_and_metadata() -> None:
    (article,), skipped = read_all([FIXTURES / "page.html"], NO_LANGID)
    assert skipped == []
    assert "بحث وزير الخارجية اليوم الاثنين" in article.text
    assert "الرئيسية" not in article.text  # navigation is not main text
    assert "جميع الحقوق محفوظة" not in article.text
    assert article.title is not None
    assert "وزير الخارجية يبحث" in article.title
    assert article.published == "2026-02-09T10:30:00+03:00"  # the meta tag's time of day
    assert article.outlet == "صحيفة الأخبار"
    assert article.source == "صحيفة الأخبار"
    assert article.url == "https://akhbar.example/news/2026/02/09/foreign-minister"
    assert article.language == "ar"


def test_cli_outlet_wins_over_sitename() -> None:
    (article,), _ = read_all([FIXTURES / "page.html"], NO_LANGID, outlet="akhbar")
    assert article.outlet == "akhbar"


def test_rss_items_are_articles() -> None:
    articles, (skipped,) = read_all([FIXTURES / "feed.rss"], NO_LANGID)
    first, second = articles
    assert first.url == "https://wakala.example/news/1"
    assert first.title == "ارتفاع أسعار النفط في ختام التعاملات"
    assert first.published == "2026-02-09T08:15:00+03:00"
    assert first.text.splitlines() == [
        "ارتفعت أسعار العقود الآجلة للنفط الخام في ختام تعاملات اليوم.",
        "وصعد خام برنت بنسبة واحد في المئة.",
    ]
    assert first.outlet == "وكالة الأنباء"
    assert first.language == "ar"
    assert first.origin.record == 1
    assert second.published is None
    assert "not a date at all" in second.warnings[0]
    assert (skipped.origin.record, skipped.reason) == (3, "empty text")


def test_atom_entry() -> None:
    (article,), skipped = read_all([FIXTURES / "feed.atom"], NO_LANGID)
    assert skipped == []
    assert article.url == "https://ajel.example/2026/02/summit"
    assert article.published == "2026-02-09T11:00:00+00:00"
    assert article.outlet == "موقع الأخبار العاجلة"
    assert "<p>" not in article.text
    assert article.text.startswith("انطلقت اليوم أعمال القمة العربية")


def test_fragment_to_text() -> None:
    html = "<p>سطر&nbsp;أول</p><script>var x;</script><br>سطر ثان &amp; أخير"
    assert fragment_to_text(html) == "سطر أول\nسطر ثان & أخير"


def test_missing_extra_becomes_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a None entry in sys.modules makes every import of the name fail, as if not installed
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    monkeypatch.setitem(sys.modules, "feedparser", None)
    page = tmp_path / "page.html"
    shutil.copy(FIXTURES / "page.html", page)
    articles, skipped = read_all([page, FIXTURES / "feed.rss"], NO_LANGID)
    assert articles == []
    assert len(skipped) == 2
    assert "pip install 'akhbar[web-input]'" in skipped[0].reason
    assert "trafilatura" in skipped[0].reason
    assert "feedparser" in skipped[1].reason


def test_a_feed_item_holding_half_an_emoji_costs_nothing(tmp_path: Path) -> None:
    """A character reference to a surrogate (`&#xD83D;`, half an emoji) made feedparser
    raise, losing the whole feed: it reads as U+FFFD, as an HTML parser reads it."""
    body = "ارتفعت أسعار العقود الآجلة للنفط الخام في ختام تعاملات اليوم رقم {}."
    items = "".join(
        f"<item><title>خبر {i}</title><link>https://x.example/{i}</link>"
        f"<description>{body.format(i)}{' &#xD83D; &#55357;' if i == 2 else ''} &#1575;"
        "</description></item>"
        for i in (1, 2, 3)
    )
    path = tmp_path / "feed.xml"
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>و</title>'
        f"{items}</channel></rss>",
        encoding="utf-8",
    )
    articles, skipped = read_all([path], NO_LANGID)
    assert skipped == []
    assert [a.origin.record for a in articles] == [1, 2, 3]
    assert articles[1].text.count("\ufffd") == 2
    assert all(a.text.endswith("ا") for a in articles)  # other references are read as ever


def _one_item(tmp_path: Path, feed: bytes) -> RawArticle:
    """The one article of a feed written as these bytes, read with nothing skipped."""
    path = tmp_path / "feed.xml"
    path.write_bytes(feed)
    (article,), skipped = read_all([path], NO_LANGID)
    assert skipped == []
    return article


@pytest.mark.parametrize(
    ("declaration", "encoding"),
    [
        ('<?xml version="1.0"?>', "cp1256"),  # no encoding declared: not Windows-1252
        ('<?xml version="1.0"?>', "utf-16"),  # with a BOM
        ('<?xml version="1.0" encoding="UTF-16"?>', "utf-16-le"),  # without one
        ('<?xml version="1.0" encoding="windows-1256"?>', "cp1256"),  # declared: as declared
    ],
)
def test_feeds_in_the_encodings_text_files_may_have(
    tmp_path: Path, declaration: str, encoding: str
) -> None:
    body = "أعلنت وزارة الخارجية السعودية اليوم عن زيارة رسمية إلى القاهرة لبحث العلاقات."
    feed = (
        f'{declaration}\n<rss version="2.0"><channel><title>سبق</title><item><title>خبر</title>'
        f"<link>https://x.example/1</link><description>{body}</description></item>"
        "</channel></rss>\n"
    )
    article = _one_item(tmp_path, feed.encode(encoding))
    assert (article.outlet, article.title, article.text) == ("سبق", "خبر", body)


@pytest.mark.parametrize(
    ("declared", "encoding"),
    [("utf-8", "cp1256"), ("windows-1256", "utf-8"), ("windows-1256", "cp1256")],
)
def test_a_feed_is_read_in_the_encoding_its_bytes_are_in(
    tmp_path: Path, declared: str, encoding: str
) -> None:
    """A declaration naming another encoding than the bytes' own (Windows-1256 declared
    UTF-8, UTF-8 declared Windows-1256) was trusted: the whole feed was stored as mojibake,
    with no warning."""
    title, body = "وزير الخارجية يزور موسكو", "وصل وزير الخارجية إلى موسكو اليوم في زيارة رسمية."
    feed = (
        f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel>'
        f"<title>صحيفة الأخبار</title><item><title>{title}</title>"
        f"<link>https://x.example/1</link><description>{body}</description></item>"
        "</channel></rss>"
    )
    article = _one_item(tmp_path, feed.encode(encoding))
    assert (article.title, article.text) == (title, body)


def _feed(items: str, link: str = "https://wakala.example/") -> bytes:
    """An RSS feed of these <item> elements, its channel linking to `link`."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>وكالة الأنباء</title><link>{link}</link>{items}</channel></rss>"
    ).encode()


def _item(text: str, guid: str | None = None, link: str = "https://wakala.example/news/1") -> str:
    guid_tag = "" if guid is None else f"<guid>{guid}</guid>"
    return (
        f"<item><title>خبر</title><link>{link}</link>{guid_tag}"
        f"<description>{text}</description></item>"
    )


_BODY = "ارتفعت أسعار العقود الآجلة للنفط الخام في ختام تعاملات اليوم."
_EDITED = _BODY + " وصعد خام برنت بنسبة واحد في المئة."


@pytest.mark.parametrize("guid", ["urn:wakala:1", None])
def test_a_feed_item_fetched_again_after_an_edit_keeps_its_id(
    tmp_path: Path, guid: str | None
) -> None:
    """Ids were hashes of the content: an item edited between two fetches (a correction, a
    longer version) came back as a second article instead of an update. Its guid, else its
    link, now names it."""
    before = _one_item(tmp_path, _feed(_item(_BODY, guid)))
    after = _one_item(tmp_path, _feed(_item(_EDITED, guid)))
    assert before.text != after.text
    assert before.id == after.id
    other = _one_item(tmp_path, _feed(_item(_BODY, guid, link="https://wakala.example/news/2")))
    assert (other.id == before.id) is (guid is not None)  # the guid names it, not the link


def test_items_sharing_one_guid_are_told_apart_by_their_content(tmp_path: Path) -> None:
    """A broken feed giving every item the channel's guid would otherwise keep one of them."""
    items = _item(_BODY, "https://wakala.example/") + _item(_EDITED, "https://wakala.example/")
    path = tmp_path / "feed.xml"
    path.write_bytes(_feed(items))
    articles, skipped = read_all([path], NO_LANGID)
    assert skipped == []
    assert len({a.id for a in articles}) == 2


def test_relative_item_links_are_resolved_against_the_feed(tmp_path: Path) -> None:
    """A relative link (`/news/1.html`) was stored as it is, leading nowhere from the page."""
    article = _one_item(tmp_path, _feed(_item(_BODY, link="/news/1.html")))
    assert article.url == "https://wakala.example/news/1.html"
    absolute = _one_item(tmp_path, _feed(_item(_BODY, link="https://other.example/a")))
    assert absolute.url == "https://other.example/a"
    unknown = _one_item(tmp_path, _feed(_item(_BODY, link="/news/1.html"), link=""))
    assert unknown.url == "/news/1.html"  # nothing to resolve it against: kept as given


_PAGE = """<html lang="ar"><head><meta charset="utf-8"><title>وزير الخارجية يزور موسكو</title>
{head}</head><body><article><h1>وزير الخارجية يزور موسكو</h1>
<p>وصل وزير الخارجية إلى موسكو اليوم في زيارة رسمية يبحث خلالها العلاقات الثنائية بين البلدين
وسبل تطويرها في المجالات الاقتصادية والسياسية، إلى جانب القضايا الإقليمية ذات الاهتمام المشترك.</p>
<p>وكان في استقباله لدى وصوله إلى المطار نائب وزير الخارجية الروسي وعدد من المسؤولين.</p>
</article></body></html>"""


@pytest.mark.parametrize(
    ("head", "published"),
    [
        ('<meta content="2026-02-09T08:15:00+03:00" property="article:published_time">',
         "2026-02-09T08:15:00+03:00"),
        ('<script type="application/ld+json">{"@type": "NewsArticle", '
         '"datePublished": "2026-02-09T05:15:00Z"}</script>',
         "2026-02-09T05:15:00+00:00"),
        # the time stated for another day than the page's date is not taken for it
        ('<meta name="date" content="2026-02-09"><meta itemprop="datePublished" '
         'content="2026-01-30T08:15:00+03:00">', "2026-02-09"),
    ],
)  # fmt: skip
def test_a_page_keeps_the_time_of_day_it_states(tmp_path: Path, head: str, published: str) -> None:
    """trafilatura keeps the day only: a page's stated time was dropped, so a day's pages
    came in file order, not in the order they were published."""
    path = tmp_path / "page.html"
    path.write_text(_PAGE.format(head=head), "utf-8")
    (article,), skipped = read_all([path], NO_LANGID)
    assert skipped == []
    assert article.published == published


def test_one_item_in_two_feeds_of_an_outlet_is_two_articles(tmp_path: Path) -> None:
    """A summary feed and a full-text feed carry one item under one guid: keyed by the guid
    alone, each ingest of one feed replaced the other's version of it."""

    def feed(self_link: str, text: str) -> bytes:
        atom = f'<atom:link href="{self_link}" rel="self" type="application/rss+xml"/>'
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>وكالة الأنباء</title>'
            f"<link>https://wakala.example/</link>{atom}{_item(text, 'urn:wakala:1')}"
            "</channel></rss>"
        ).encode()

    summary = _one_item(tmp_path, feed("https://wakala.example/feed/summary", _BODY))
    full = _one_item(tmp_path, feed("https://wakala.example/feed/full", _EDITED))
    edited = _one_item(tmp_path, feed("https://wakala.example/feed/full", _BODY))
    assert summary.id != full.id
    assert full.id == edited.id  # within one feed, the guid still names the item
