"""Markdown and HTML views: right-to-left, self-contained, escaped, outlets coloured."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from akhbar.digest import Digest, DigestArticle, build_digest, render_html, render_markdown
from akhbar.digest.render import outlet_colours

HOSTILE = (
    'أعلنت الشرطة القبض على المتهم <script>alert("x")</script> في جدة اليوم. '
    "وقال المتحدث إن التحقيق مستمر <img src=x onerror=alert(1)> حتى الآن."
)
PLAIN = (
    "أعلنت الشرطة القبض على المتهم في جدة اليوم بعد مطاردة. "
    "وقال المتحدث إن التحقيق مستمر حتى الآن مع المتهم."
)


def hostile_digest() -> Digest:
    """A story whose article text, title and outlet carry markup."""
    articles = [
        DigestArticle("a", "<b>A</b>", "2015-08-01", "<script>t()</script> عنوان", HOSTILE, None),
        DigestArticle("b", "B", "2015-08-02", "عنوان آخر", PLAIN, None),
    ]
    return build_digest("s<1>", articles)


def test_html_is_rtl_standalone() -> None:
    """One page, Arabic right-to-left, CSS inline, nothing loaded from elsewhere."""
    page = render_html(hostile_digest())
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="ar" dir="rtl">' in page
    assert "<style>" in page
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", page)
    assert "<link" not in page
    assert "@import" not in page


def test_html_escapes_article_text() -> None:
    """A <script> in an article, title or outlet name shows as text, never as markup."""
    page = render_html(hostile_digest())
    assert "<script" not in page
    assert "<img" not in page
    assert "<b>A</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_markdown_escapes_article_text() -> None:
    """Markdown passes raw HTML through, so article markup becomes entities there too."""
    md = render_markdown(hostile_digest())
    assert "<script" not in md
    assert "<img" not in md
    assert "&lt;script&gt;" in md


def test_outlets_coloured_consistently() -> None:
    """Each outlet has one colour, used for every one of its labels."""
    digest = hostile_digest()
    colours = outlet_colours(digest)
    assert len(set(colours.values())) == len(colours) == 2
    page = render_html(digest)
    for colour in colours.values():
        assert f"background:{colour}" in page


def test_seed_views(seed_digest: Digest) -> None:
    """The seed digest's views hold the sections a reader looks for."""
    md = render_markdown(seed_digest)
    page = render_html(seed_digest)
    for heading in ("ما تتفق عليه المصادر", "انفرد به", "الاقتباسات", "التسلسل الزمني"):
        assert heading in md
        assert heading in page
    assert "مصدران" in page
    assert "جوساروف" in md
    assert "غوساروف" in md


_TAGS = re.compile(
    r"<!DOCTYPE html>|</?(?:html|head|meta|title|style|body|main|h1|h2|h3|p|span|small|ol|ul|li"
    r"|details|summary|code|table|thead|tbody|tr|th|td|a|b|section|div)\b[^<>]*>"
)
_WORDS = st.sampled_from(
    ["قتل", "12", "شخصا", "في", "حادث", "<script>", "</script>", "&", '"', "«", "|", "*", "\n"]
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.one_of(_WORDS, st.text(max_size=8)), min_size=1, max_size=30).map(" ".join),
            st.sampled_from(["A", "<i>B</i>", "C&D"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_no_markup_from_articles(items: list[tuple[str, str]]) -> None:
    """Whatever the article text, titles and outlet names hold, the HTML has only the page's
    own tags and the Markdown no raw `<` at all."""
    articles = [
        DigestArticle(f"id{i}", outlet, None, text[:20] or None, text, None)
        for i, (text, outlet) in enumerate(items)
    ]
    digest = build_digest("s", articles)
    page = render_html(digest)
    assert "<" not in _TAGS.sub("", page)
    assert "<" not in render_markdown(digest)


def test_html_tags_balanced(seed_digest: Digest) -> None:
    """Every element the page opens is closed, in order."""
    from html.parser import HTMLParser

    class Checker(HTMLParser):
        """Tracks open elements."""

        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []
            self.errors: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag != "meta":
                self.stack.append(tag)

        def handle_endtag(self, tag: str) -> None:
            if self.stack and self.stack[-1] == tag:
                self.stack.pop()
            else:
                self.errors.append(tag)

    for digest in (seed_digest, hostile_digest()):
        checker = Checker()
        checker.feed(render_html(digest))
        assert checker.errors == []
        assert checker.stack == []


@pytest.mark.parametrize("story_id", ["story_1", "a*b", "s`1", "`x", "c\\d"])
def test_markdown_shows_ids_as_they_are(story_id: str) -> None:
    """An id is a code span, where a backslash escape would show: rendered by a CommonMark
    parser (markdown-it, which Rich brings), the span holds the id itself."""
    articles = [DigestArticle(story_id, "A", "2015-08-01", None, PLAIN, None)]
    page = MarkdownIt().render(render_markdown(build_digest(story_id, articles)))
    codes = [html.unescape(c) for c in re.findall(r"<code>(.*?)</code>", page)]
    assert codes[0] == story_id  # the story line
    assert set(codes[1:]) == {story_id}  # the claims' supports: the article of that id
