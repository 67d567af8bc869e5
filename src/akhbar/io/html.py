"""HTML to text: whole pages through trafilatura (main text + metadata), fragments simply."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from types import ModuleType

from akhbar.errors import InputError, import_extra
from akhbar.io.blob import Blob, Context
from akhbar.io.dates import checked_published, parse_published
from akhbar.io.encoding import decode_bytes
from akhbar.io.langid import normalize_language
from akhbar.model import RawArticle, Skipped, make_article_id

__all__ = ["Page", "extract_main_text", "extract_page", "fragment_to_text", "html_article"]

_BLOCK_TAGS = frozenset(
    {
        "p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
        "blockquote", "section", "article", "header", "footer", "figcaption", "pre", "hr", "dd",
        "dt",
    }
)  # fmt: skip
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head"})
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{2,}")
_HTML_LANG = re.compile(
    r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.I
)

# where a page states when it was published, to the minute: OpenGraph and schema.org meta
# tags, and JSON-LD (trafilatura keeps the day only)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_PUBLISHED_NAMES = frozenset(
    {"article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
     "dc.date.issued", "parsely-pub-date", "sailthru.date"}
)  # fmt: skip
_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{10,40})"')


def _stated_times(document: str) -> list[str]:
    """Publication times (ISO, with a time of day) the page's meta tags and JSON-LD state,
    in the order they come."""
    found: list[str] = []
    for tag in _META_TAG.findall(document):
        attrs = {m[0].lower(): m[1] or m[2] or m[3] for m in _ATTR.findall(tag)}
        name = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if name in _PUBLISHED_NAMES and attrs.get("content"):
            found.append(attrs["content"])
    found.extend(_JSON_LD_PUBLISHED.findall(document))
    out = []
    for value in found:
        iso = parse_published(value.strip())
        if iso is not None and "T" in iso:
            out.append(iso)
    return out


def _with_time(day: str | None, document: str | bytes) -> str | None:
    """`day` (trafilatura's date) with the time of day the page states for that day, if any:
    the stream orders a day's articles by it and the timeline shows it."""
    iso = parse_published(day)
    if iso is None or "T" in iso:
        return iso
    head = document[:200_000]
    text = head.decode("utf-8", errors="ignore") if isinstance(head, bytes) else head
    for stated in _stated_times(text):
        if stated[:10] == iso:
            return stated
    return iso


def _trafilatura() -> ModuleType:
    """Import trafilatura, an optional extra, only when an HTML input needs it."""
    return import_extra("trafilatura", "web-input")


@dataclass(frozen=True, slots=True)
class Page:
    """What trafilatura finds in a page: the main text and the metadata we keep."""

    text: str
    title: str | None
    date: str | None
    sitename: str | None
    url: str | None
    language: str | None


def _clean(value: object) -> str | None:
    """A metadata value as a non-empty string, or None."""
    if not isinstance(value, str):
        return None
    return value.strip() or None


def extract_page(document: str | bytes, url: str | None = None) -> Page:
    """Main text and metadata of a whole HTML page (raises ConfigError without trafilatura)."""
    trafilatura = _trafilatura()
    doc = trafilatura.bare_extraction(
        document, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    if doc is None:
        return Page("", None, None, None, url, None)
    return Page(
        text=_clean(getattr(doc, "text", None)) or "",
        title=_clean(getattr(doc, "title", None)),
        date=_clean(getattr(doc, "date", None)),
        sitename=_clean(getattr(doc, "sitename", None)),
        url=_clean(getattr(doc, "url", None)) or url,
        language=_clean(getattr(doc, "language", None)),
    )


def extract_main_text(document: str) -> str:
    """The main text of an HTML document (e.g. a JSONL record's `html` field)."""
    return extract_page(document).text


class _TextCollector(HTMLParser):
    """Collects the text of an HTML fragment, one line per block element."""

    def __init__(self) -> None:
        """Start with no text and no skipped element open."""
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a block (new line) or a skipped element."""
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        """Close a block (new line) or a skipped element."""
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        """Keep text outside scripts and styles."""
        if not self._skip:
            self.parts.append(data)


def fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed summary): tags dropped, blocks on their own lines."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(collector.parts).split("\n"))
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()


def _declared_language(document: str | bytes) -> str | None:
    """The language the page declares in `<html lang=...>`, as an ISO code."""
    head = document[:4096]
    text = head.decode("ascii", errors="ignore") if isinstance(head, bytes) else head
    match = _HTML_LANG.search(text)
    return normalize_language(match.group(1)) if match else None


def html_article(data: bytes, blob: Blob, ctx: Context) -> RawArticle | Skipped:
    """An HTML page as an article: trafilatura's main text, title, date, site name and URL."""
    origin = blob.origin
    try:
        document: str | bytes = decode_bytes(data, str(origin))
    except InputError:
        document = data  # let trafilatura honour the page's declared charset
    page_url = blob.path if blob.path.startswith(("http://", "https://")) else None
    page = extract_page(document, url=page_url)
    if not page.text.strip():
        return Skipped(origin, "no main text found in the HTML page")
    limit = ctx.settings.max_record_chars
    if len(page.text) > limit:
        return Skipped(origin, f"text too long ({len(page.text)} chars > max_record_chars {limit})")
    warnings: list[str] = []
    published, why = checked_published(
        _with_time(page.date, document), page.date, "page date", ctx.settings.max_future_days
    )
    if why is not None:
        warnings.append(f"{origin}: {why}")
    outlet = ctx.outlet or page.sitename
    source = outlet or blob.name
    return RawArticle(
        id=make_article_id(None, source=source, url=page.url, title=page.title, text=page.text),
        text=page.text,
        origin=origin,
        source=source,
        title=page.title,
        outlet=outlet,
        url=page.url,
        published=published,
        language=normalize_language(page.language) or _declared_language(document),
        metadata={"format": "html"},
        warnings=tuple(warnings),
    )
