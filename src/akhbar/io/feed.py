"""RSS and Atom feeds: each item is an article (link, title, date, content or summary)."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from types import ModuleType
from typing import Any
from urllib.parse import urljoin, urlsplit

from akhbar.errors import import_extra
from akhbar.io.blob import Blob, Context
from akhbar.io.dates import checked_published, parse_published
from akhbar.io.encoding import decode_bytes, text_encoding
from akhbar.io.html import extract_main_text, fragment_to_text
from akhbar.io.langid import normalize_language
from akhbar.io.sniff import HEAD_BYTES
from akhbar.model import Origin, RawArticle, Skipped, make_article_id

__all__ = ["feed_articles"]

_WHOLE_PAGE_MARKERS = ("<html", "<body", "<!doctype")


def _feedparser() -> ModuleType:
    """Import feedparser, an optional extra, only when a feed needs it."""
    return import_extra("feedparser", "web-input")


def _entry_body(entry: Any) -> str:
    """The item's fullest text: its content, else its summary, as plain text."""
    value = ""
    for content in entry.get("content") or ():
        candidate = content.get("value") or ""
        if len(candidate) > len(value):
            value = candidate
    if not value.strip():
        value = entry.get("summary") or entry.get("description") or ""
    low = value[:2000].lower()
    if any(marker in low for marker in _WHOLE_PAGE_MARKERS):
        return extract_main_text(value)
    return fragment_to_text(value)


def _entry_date(entry: Any) -> tuple[str | None, str | None]:
    """The item's ISO date and the raw value it came from (published, else updated)."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if raw:
            iso = parse_published(raw)
            if iso is None:
                parsed = entry.get(f"{key}_parsed")
                if isinstance(parsed, time.struct_time):
                    iso = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", parsed)
            return iso, str(raw)
    return None, None


def _absolute(base: str | None) -> str | None:
    """`base` when it is an absolute http(s) URL that relative links can be resolved against."""
    if base and urlsplit(base.strip()).scheme.lower() in ("http", "https"):
        return base.strip()
    return None


def _link(entry: Any, base: str | None) -> str | None:
    """The item's link, resolved against `base` when it is relative (`/news/1.html`): a
    relative link stored as it is leads nowhere from the page or the API."""
    url = str(entry.get("link") or "").strip() or None
    if url is not None and base is not None and not urlsplit(url).scheme:
        return urljoin(base, url)
    return url


def _feed_key(info: Any, blob: Blob) -> str:
    """What names the feed across fetches: its self link, else the URL it was fetched from,
    else its channel's link, title and description. An outlet's two feeds (a summary feed and
    a full-text one) carry one item under one guid: keyed by the guid alone, each fetch of
    one replaced the other's version of it."""
    for link in info.get("links") or ():
        if link.get("rel") == "self" and str(link.get("href") or "").strip():
            return str(link["href"]).strip()
    if _absolute(blob.path) is not None:
        return blob.path
    parts = (info.get("id"), info.get("link"), info.get("title"), info.get("subtitle"))
    return "\x1f".join(str(p or "").strip() for p in parts)


def _item_keys(entries: list[Any], links: list[str | None], feed: str) -> list[str | None]:
    """What names each item across fetches: its guid, else its link, within its feed (see
    `_feed_key`); None where no key is given, or where the feed gives one key to several
    items (a broken feed whose guid is the channel's): those are told apart by their content
    instead, so none replaces another."""
    keys = [str(e.get("id") or "").strip() or link for e, link in zip(entries, links, strict=True)]
    counts = Counter(keys)
    return [f"{feed}\x1f{k}" if k and counts[k] == 1 else None for k in keys]


# a numeric character reference: decimal or hexadecimal
_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _surrogate_ref_to_fffd(match: re.Match[bytes]) -> bytes:
    """A reference to a surrogate (half of an emoji, written as its UTF-16 unit) as U+FFFD,
    as an HTML parser reads it; any other reference as it is."""
    hexa, decimal = match.groups()
    value = int(hexa, 16) if hexa is not None else int(decimal)
    return b"&#xFFFD;" if 0xD800 <= value <= 0xDFFF else match.group(0)


# an XML declaration that names an encoding, which feedparser then follows
_DECLARED = re.compile(rb"\s*<\?xml[^>]*\bencoding\s*=", re.IGNORECASE)
_DECLARATION_ENCODING = re.compile(r"(<\?xml[^>]*\bencoding\s*=\s*)([\"'])[^\"']*\2", re.IGNORECASE)


def _declares_utf8(data: bytes) -> bool:
    """True when the XML declaration names UTF-8."""
    head = data[:200].decode("ascii", "ignore")
    match = _DECLARATION_ENCODING.search(head)
    return match is not None and re.search(r"utf-?8", match.group(0), re.I) is not None


def _utf8_feed(data: bytes, where: str) -> bytes:
    """The feed as UTF-8 where feedparser would misread it: UTF-16/32 (with a BOM or not)
    and Windows-1256 that declares no encoding (feedparser falls back to Windows-1252).
    UTF-8 and feeds that declare their encoding are left to feedparser as they are."""
    if text_encoding(data[:HEAD_BYTES]) is None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            if _DECLARED.match(data) and not _declares_utf8(data):
                return data  # a declared single-byte encoding, and the bytes are no UTF-8
        else:
            if not _DECLARED.match(data) or _declares_utf8(data):
                return data
            # bytes that are UTF-8 whatever the declaration says: read them as UTF-8
    text = decode_bytes(data, where).lstrip("\ufeff")
    # a declaration that named the old encoding (UTF-16) would now be wrong
    text = _DECLARATION_ENCODING.sub(r"\1\2utf-8\2", text, count=1)
    return text.encode("utf-8")


def feed_articles(data: bytes, blob: Blob, ctx: Context) -> Iterator[RawArticle | Skipped]:
    """The items of an RSS/Atom feed as articles; items without text are Skipped."""
    feedparser = _feedparser()
    data = _utf8_feed(data, str(blob.origin))
    if b"&#" in data:  # feedparser raises on a surrogate reference, losing the whole feed
        data = _CHARREF.sub(_surrogate_ref_to_fffd, data)
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        problem = parsed.get("bozo_exception")
        reason = f"not a readable feed: {problem}" if problem else "feed has no items"
        yield Skipped(blob.origin, reason)
        return
    info = parsed.get("feed") or {}
    feed_title = (info.get("title") or "").strip() or None
    feed_language = normalize_language(info.get("language"))
    outlet = ctx.outlet or feed_title
    base = _absolute(blob.path) or _absolute(info.get("link"))
    links = [_link(entry, base) for entry in entries]
    keys = _item_keys(entries, links, _feed_key(info, blob))
    for number, (entry, url, key) in enumerate(zip(entries, links, keys, strict=True), start=1):
        origin = Origin(blob.path, blob.member, number, "item")
        text = _entry_body(entry)
        if not text.strip():
            yield Skipped(origin, "empty text")
            continue
        title = fragment_to_text(entry.get("title") or "") or None
        published, why = checked_published(
            *_entry_date(entry), "item date", ctx.settings.max_future_days
        )
        warnings = () if why is None else (f"{origin}: {why}",)
        source = outlet or blob.name
        metadata: dict[str, Any] = {"format": "feed"}
        if entry.get("id"):
            metadata["guid"] = entry.get("id")
        if entry.get("author"):
            metadata["author"] = entry.get("author")
        yield RawArticle(
            id=make_article_id(None, source=source, url=url, title=title, text=text, key=key),
            text=text,
            origin=origin,
            source=source,
            title=title,
            outlet=outlet,
            url=url,
            published=published,
            language=normalize_language(entry.get("language")) or feed_language,
            metadata=metadata,
            warnings=warnings,
        )
