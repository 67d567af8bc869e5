"""Publication dates in whatever form inputs give them, normalised to ISO 8601 strings."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

__all__ = ["checked_published", "parse_published", "too_far_ahead"]

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
# numbers are Unix times in seconds (or, from JavaScript, milliseconds) between 1990-01-01 and
# 2100-01-01; others (a count, an id, a 0 for "unknown") are not plausible publication times
_EPOCH_MIN = 631_152_000
_EPOCH_MAX = 4_102_444_800
# Arabic-Indic and Eastern Arabic-Indic (Persian) digits, as Arabic sites write dates
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_SHOWN = 80  # characters of a rejected value quoted in a warning
# an RFC 2822 date that ends at its time (or says -0000): no zone given, so none dropped
_NO_ZONE = re.compile(r"(\d{2,4}\s+\d{1,2}:\d{2}(:\d{2})?|-0000)\s*$")
_COLON_OFFSET = re.compile(r"(\s[+-]\d{2}):(\d{2})\s*$")  # "+03:00" in RFC 2822


def _iso(value: datetime) -> str:
    """ISO 8601 without microseconds: news dates are not that precise. An offset with
    seconds (a historical local mean time) is written in UTC instead, as "+03:30:15" is
    not ISO 8601 and SQLite's date functions, which order stored articles, reject it."""
    offset = value.utcoffset()
    if offset is not None and (offset.seconds % 60 or offset.microseconds):
        value = value.astimezone(UTC)
    return value.replace(microsecond=0).isoformat()


def parse_published(value: object) -> str | None:
    """The value as an ISO 8601 date or date-time string; None when it is not a valid date.

    Accepts `YYYY-MM-DD`, `YYYY-MM-DD hh:mm:ss`, ISO 8601 with `T` and a time zone (or `Z`),
    RFC 2822 (RSS `pubDate`) and Unix timestamps (seconds or milliseconds); digits may be
    Arabic-Indic.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if _EPOCH_MIN <= value <= _EPOCH_MAX:
            return _iso(datetime.fromtimestamp(value, tz=UTC))
        if _EPOCH_MIN * 1000 <= value <= _EPOCH_MAX * 1000:
            return _iso(datetime.fromtimestamp(value / 1000, tz=UTC))
        return None
    if not isinstance(value, str):
        return None
    text = value.strip().translate(_DIGITS)
    if not text:
        return None
    if _DATE_ONLY.fullmatch(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    if text[:4].isdigit():
        try:
            return _iso(datetime.fromisoformat(text))
        except (ValueError, OverflowError):  # overflow: year 1 or 9999 moved to UTC
            return None
    try:
        when = parsedate_to_datetime(_COLON_OFFSET.sub(r"\1\2", text))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None and not _NO_ZONE.search(text):
        return None  # a zone the parser does not know (+03:00, GMT+3, KSA): not read as UTC
    return _iso(when)


def too_far_ahead(
    published: str, max_future_days: float, now: datetime | None = None
) -> str | None:
    """Why an ISO date from `parse_published` is not kept (None: it is): more than
    `max_future_days` after `now` (the wall clock), it is a typo or a broken feed, not news.
    Kept, it would become the clock of story clustering (every open story would look stale
    at once) and head the story list for ever."""
    when = datetime.fromisoformat(published)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if when > (now or datetime.now(UTC)) + timedelta(days=max_future_days):
        return f"is more than {max_future_days:g} days in the future; left empty"
    return None


def checked_published(
    published: str | None,
    raw: object,
    what: str,
    max_future_days: float | None,
    now: datetime | None = None,
) -> tuple[str | None, str | None]:
    """The date a reader keeps (`published`, parsed from `raw`) and, when a given date is
    left empty, the reason for the warning, with `what` naming where it came from; dates
    more than `max_future_days` after `now` are left empty (None: not checked, as for
    dates a reader checked already)."""
    if raw is not None and published is None:
        return None, f"{what} {_shown(raw)} is not a valid date; left empty"
    if published is None or max_future_days is None:
        return published, None
    if ahead := too_far_ahead(published, max_future_days, now):
        return None, f"{what} {_shown(raw)} {ahead}"
    return published, None


def _shown(raw: object) -> str:
    """The value as a warning quotes it: its repr, cut short when long."""
    text = repr(raw)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
