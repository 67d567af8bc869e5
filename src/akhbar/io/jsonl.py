"""JSON records (JSONL lines or items of a JSON array), with common field names mapped to ours."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from akhbar.errors import ConfigError, InputError
from akhbar.io.blob import Blob, Context
from akhbar.io.dates import checked_published, parse_published
from akhbar.io.encoding import decode_line, looks_like_arabic_cp1256, text_encoding
from akhbar.io.langid import normalize_language
from akhbar.io.sniff import head_text
from akhbar.model import Origin, RawArticle, Skipped, make_article_id

__all__ = ["FIELD_NAMES", "read_json_array", "read_jsonl", "record_article"]

# Our field -> the names inputs use for it, preferred first.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "site", "publisher"),
    "published": ("published", "date_extracted", "date", "pubDate", "published_at"),
    "title": ("title", "headline"),
    "text": ("text", "content", "body", "article"),
    "html": ("html",),
    "lang": ("lang", "language"),
}
_TEXT_NAMES = ", ".join(FIELD_NAMES["text"] + FIELD_NAMES["html"])


def _pick(record: Mapping[str, Any], names: tuple[str, ...], used: set[str]) -> Any:
    """The first present, non-empty value among `names`; marks the key used."""
    for name in names:
        value = record.get(name)
        if value is not None and value != "":
            used.add(name)
            return value
    return None


def _optional_str(value: Any) -> str | None:
    """A field as a stripped string, or None when absent or blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _text_field(value: Any, name: str, origin: Origin, warnings: list[str]) -> str | None:
    """A text field given as text or a number, stripped (None when absent or blank); any
    other JSON value (true, an object, a list) is no name, URL or id: it is left empty, with
    a warning, rather than stored as Python's spelling of it."""
    if (
        value is None
        or isinstance(value, str)
        or (isinstance(value, int | float) and not isinstance(value, bool))
    ):
        return _optional_str(value)
    shown = json.dumps(value, ensure_ascii=False, default=str)[:60]
    warnings.append(f"{origin}: {name} {shown} is not text; left empty")
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


# a text field that opens with one of these tags (`<p>...</p>`, `<div>`) is a body as HTML, read
# as a fragment; a text that only mentions or quotes a tag further on is text
_MARKUP = re.compile(
    r"<(?:p|br|div|span|a|strong|b|i|em|h[1-6]|ul|ol|li|img|table|tr|td|blockquote|figure)"
    r"(?:\s[^<>]*)?/?>|</(?:p|div|span|a|strong|b|i|em|h[1-6]|ul|ol|li|table|blockquote)>",
    re.IGNORECASE,
)


def _without_surrogates(value: Any) -> tuple[Any, bool]:
    """The value with lone surrogates (JSON's escape of half an emoji, common in scraped
    feeds) as U+FFFD, which UTF-8 cannot write; and whether there were any."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _SURROGATE.sub("\ufffd", value), True
        return value, False
    if isinstance(value, dict):
        pairs = [(_without_surrogates(k), _without_surrogates(v)) for k, v in value.items()]
        if any(k[1] or v[1] for k, v in pairs):
            return {k[0]: v[0] for k, v in pairs}, True
        return value, False
    if isinstance(value, list):
        items = [_without_surrogates(v) for v in value]
        if any(changed for _, changed in items):
            return [v for v, _ in items], True
        return value, False
    return value, False


def record_article(
    record: object, origin: Origin, ctx: Context, fallback_source: str
) -> RawArticle | Skipped:
    """Map one JSON record to an article; Skipped (with the reason) when it cannot be one.

    The record's own outlet wins over `--outlet`, which only fills in records without one.
    """
    if not isinstance(record, dict):
        return Skipped(origin, f"record is {_json_kind(record)}, not an object")
    fields: dict[str, Any]
    fields, repaired = _without_surrogates(record)
    used: set[str] = set()
    text_value = _pick(fields, FIELD_NAMES["text"], used)
    html_value = None if text_value is not None else _pick(fields, FIELD_NAMES["html"], used)
    if text_value is None and html_value is None:
        present = [n for n in FIELD_NAMES["text"] + FIELD_NAMES["html"] if n in fields]
        if present:
            return Skipped(origin, "empty text")
        return Skipped(origin, f"no text field (expected one of: {_TEXT_NAMES})")
    if text_value is not None:
        if not isinstance(text_value, str):
            return Skipped(origin, f"text must be a string, not {type(text_value).__name__}")
        text = text_value
        if _MARKUP.match(text.lstrip()):  # a CMS export's body as HTML: its text, not tags
            from akhbar.io.html import fragment_to_text  # noqa: PLC0415 - as `html` below

            text = fragment_to_text(text)
    else:
        if not isinstance(html_value, str):
            return Skipped(origin, f"html must be a string, not {type(html_value).__name__}")
        from akhbar.io.html import extract_main_text  # noqa: PLC0415 - optional extra

        try:
            text = extract_main_text(html_value) or ""
        except ConfigError as exc:
            return Skipped(origin, str(exc))
    if not text.strip():
        return Skipped(origin, "empty text")
    limit = ctx.settings.max_record_chars
    if len(text) > limit:
        return Skipped(origin, f"text too long ({len(text)} chars > max_record_chars {limit})")

    warnings: list[str] = []
    if repaired:
        warnings.append(f"{origin}: lone surrogate escapes (half an emoji?) replaced by U+FFFD")
    given_id = _text_field(_pick(fields, FIELD_NAMES["id"], used), "id", origin, warnings)
    url = _text_field(_pick(fields, FIELD_NAMES["url"], used), "url", origin, warnings)
    outlet = _text_field(_pick(fields, FIELD_NAMES["outlet"], used), "outlet", origin, warnings)
    outlet = outlet or ctx.outlet
    title = _text_field(_pick(fields, FIELD_NAMES["title"], used), "title", origin, warnings)
    raw_date = _pick(fields, FIELD_NAMES["published"], used)
    published, why = checked_published(
        parse_published(raw_date), raw_date, "published value", ctx.settings.max_future_days
    )
    if why is not None:
        warnings.append(f"{origin}: {why}")
    raw_lang = _pick(fields, FIELD_NAMES["lang"], used)
    language = normalize_language(raw_lang)
    if raw_lang is not None and language is None:
        warnings.append(f"{origin}: language {raw_lang!r} is not known; it will be detected")
    source = outlet or fallback_source
    metadata = {k: v for k, v in fields.items() if k not in used}
    return RawArticle(
        id=make_article_id(given_id, source=source, url=url, title=title, text=text),
        text=text,
        origin=origin,
        source=source,
        title=title,
        outlet=outlet,
        url=url,
        published=published,
        language=language,
        metadata=metadata,
        warnings=tuple(warnings),
    )


def _lines(stream: IO[bytes], head: bytes) -> Iterator[bytes]:
    """Lines of the stream as UTF-8 bytes, re-encoding UTF-16/32 input and dropping a BOM."""
    unicode = text_encoding(head)
    if unicode is None or unicode[0] == "utf-8":
        first = True
        for line in stream:
            if first:
                first = False
                yield line.removeprefix(b"\xef\xbb\xbf")
            else:
                yield line
        return
    name, size = unicode
    stream.read(size)
    # an unpaired surrogate code unit (half an emoji) is read as U+FFFD on its own line,
    # rather than stopping the decoder, and with it every line after
    for text_line in io.TextIOWrapper(stream, encoding=name, errors="surrogatepass", newline=None):
        try:
            yield text_line.encode("utf-8")
        except UnicodeEncodeError:
            yield _SURROGATE.sub("\ufffd", text_line).encode("utf-8")


def read_jsonl(blob: Blob, head: bytes, ctx: Context) -> Iterator[RawArticle | Skipped]:
    """Stream a JSONL file line by line; a bad line is Skipped and the rest goes on."""
    with blob.open() as stream:
        for number, raw in enumerate(_lines(stream, head), start=1):
            origin = Origin(blob.path, blob.member, number, "line")
            if not raw.strip():
                continue
            try:
                line = decode_line(raw, str(origin))
            except InputError as exc:
                yield Skipped(origin, exc.reason)
                continue
            try:  # (without its line end: a line cut off inside a string is "unterminated")
                record = json.loads(line.rstrip("\r\n"))
            except json.JSONDecodeError as exc:
                yield Skipped(origin, f"invalid JSON: {exc.msg} (column {exc.colno})")
                continue
            yield record_article(record, origin, ctx, blob.name)


class _Utf8Reader:
    """A bytes reader over a text stream, so ijson can read UTF-16/32 JSON as UTF-8."""

    def __init__(self, text: IO[str]) -> None:
        """Wrap `text`, an already decoding stream."""
        self._text = text

    def read(self, size: int = -1) -> bytes:
        """Up to `size` characters, encoded as UTF-8."""
        if size == 0:
            return b""
        return self._text.read(size if size > 0 else -1).encode("utf-8")


def _is_cp1256(head: bytes) -> bool:
    """True when the head is not UTF-8 (before a possibly cut last character) but Arabic cp1256."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:
            return False
        return looks_like_arabic_cp1256(head.decode("cp1256"))
    return False


def _json_bytes(stream: IO[bytes], head: bytes) -> IO[bytes] | _Utf8Reader:
    """The stream positioned after any BOM, as UTF-8 bytes (UTF-16/32 and cp1256 re-encoded)."""
    unicode = text_encoding(head)
    if unicode is None:
        if _is_cp1256(head):
            return _Utf8Reader(io.TextIOWrapper(stream, encoding="cp1256"))
        return stream
    name, size = unicode
    stream.read(size)
    if name == "utf-8":
        return stream
    return _Utf8Reader(io.TextIOWrapper(stream, encoding=name))


class _TopLevel:
    """Watches ijson's parse events for top-level values that are not arrays: with the
    `item` prefix they are not items and ijson passes over them without a word."""

    def __init__(self) -> None:
        self.others = 0  # top-level values that are not arrays
        self._depth = 0

    def watch(self, events: Iterable[tuple[str, str, Any]]) -> Iterator[tuple[str, str, Any]]:
        """The events, unchanged, counted on the way."""
        for event in events:
            kind = event[1]
            if self._depth == 0 and kind != "start_array":
                self.others += 1
            if kind in ("start_map", "start_array"):
                self._depth += 1
            elif kind in ("end_map", "end_array"):
                self._depth -= 1
            yield event


def _json_problem(exc: Exception) -> str:
    """The first line of ijson's message (its C backend gives bytes)."""
    message = exc.args[0] if exc.args else exc
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return str(message).strip().split("\n", 1)[0]


def read_json_array(blob: Blob, head: bytes, ctx: Context) -> Iterator[RawArticle | Skipped]:
    """Stream the items of a JSON array (or top-level objects) with ijson, numbered from 1.

    A file that is not UTF-8 only past its head (an ASCII start, then Arabic in cp1256) is
    read again as cp1256 from where UTF-8 failed; values beside the array that are not
    arrays (JSONL lines after it) are recorded as not read, never passed over in silence.
    """
    import ijson  # noqa: PLC0415 - C backend loaded on first JSON file

    sample = head_text(head).lstrip("\ufeff \t\r\n")
    prefix = "item" if sample.startswith("[") else ""
    number = 0
    cp1256 = False
    while True:
        done = number
        top = _TopLevel()
        with blob.open() as stream:
            source: IO[bytes] | _Utf8Reader = (
                _Utf8Reader(io.TextIOWrapper(stream, encoding="cp1256"))
                if cp1256
                else _json_bytes(stream, head)
            )
            events = ijson.parse(source, use_float=True, multiple_values=True)
            try:
                for n, record in enumerate(ijson.items(top.watch(events), prefix), start=1):
                    if n <= done:
                        continue  # read before a switch to cp1256
                    number = n
                    yield record_article(
                        record, Origin(blob.path, blob.member, number, "item"), ctx, blob.name
                    )
            except ijson.JSONError as exc:
                problem = _json_problem(exc)
                if not cp1256 and source is stream and "invalid bytes in UTF8" in problem:
                    cp1256 = True  # try the rest as cp1256, the other encoding of Arabic
                    continue
                yield Skipped(
                    Origin(blob.path, blob.member, number + 1, "item"),
                    f"invalid JSON after {number} item(s): {problem}; the rest of the file is "
                    "not read",
                )
                return
        break
    if prefix and top.others:
        yield Skipped(
            Origin(blob.path, blob.member),
            f"{top.others} value(s) beside the JSON array are not arrays (JSONL lines after "
            "it?) and were not read: put every article in the array, or one per line in a "
            ".jsonl file",
        )


def _json_kind(value: object) -> str:
    """What a JSON value is, in JSON's own words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else f"a JSON {type(value).__name__}"
