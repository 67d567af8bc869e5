"""Published values in their many forms become ISO 8601 strings, or None when invalid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from akhbar.io.dates import parse_published


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-09", "2026-02-09"),
        ("2015-07-21 02:16:16", "2015-07-21T02:16:16"),
        ("2015-07-21T02:16:16", "2015-07-21T02:16:16"),
        ("2015-07-21T02:16:16Z", "2015-07-21T02:16:16+00:00"),
        ("2015-07-21T02:16:16.250+03:00", "2015-07-21T02:16:16+03:00"),
        ("Tue, 21 Jul 2015 02:16:16 +0300", "2015-07-21T02:16:16+03:00"),
        ("Tue, 21 Jul 2015 02:16:16 GMT", "2015-07-21T02:16:16+00:00"),
        (" 2026-02-09 ", "2026-02-09"),
        (1437444976, "2015-07-21T02:16:16+00:00"),
        (1437444976000, "2015-07-21T02:16:16+00:00"),  # milliseconds (JavaScript)
        (10**12, "2001-09-09T01:46:40+00:00"),
        ("٢٠٢٦-٠٢-٠٩", "2026-02-09"),  # Arabic-Indic digits
        ("۲۰۱۵-۰۷-۲۱ ۰۲:۱۶:۱۶", "2015-07-21T02:16:16"),  # Eastern Arabic-Indic digits
    ],
)
def test_valid_dates(value: object, expected: str) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize(
    "value",
    ["2026-13-45", "2026-02-30", "yesterday", "", None, True, [2026], 0, 5, 20240101, 10**14],
)
def test_invalid_dates_are_none(value: object) -> None:
    assert parse_published(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-07-22T10:00:00+03:30:15", "2015-07-22T06:29:45+00:00"),
        ("2015-07-22T10:00:00.5+00:00:30", "2015-07-22T09:59:30+00:00"),
        ("2015-07-22T10:00:00+03:30", "2015-07-22T10:00:00+03:30"),  # minutes: kept as given
    ],
)
def test_an_offset_with_seconds_is_written_in_utc(value: str, expected: str) -> None:
    import sqlite3

    out = parse_published(value)
    assert out == expected
    # what the store orders articles by must understand it
    assert sqlite3.connect(":memory:").execute("SELECT julianday(?)", (out,)).fetchone()[0]


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+05:00:30", "9999-12-31T23:59:59-05:00:30"])
def test_a_date_that_leaves_the_calendar_in_utc_is_no_date(value: str) -> None:
    assert parse_published(value) is None


def test_a_date_far_in_the_future_is_refused_with_a_warning(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from akhbar.io import read
    from akhbar.io.dates import too_far_ahead
    from akhbar.model import RawArticle
    from akhbar.settings import Settings

    now = datetime(2026, 4, 5, 12, tzinfo=UTC)
    assert too_far_ahead("2026-04-07T11:00:00+00:00", 2.0, now) is None
    assert too_far_ahead("2026-04-07T13:00:00+00:00", 2.0, now)
    assert too_far_ahead("2026-04-07", 2.0, now) is None  # naive: read as UTC midnight
    assert too_far_ahead("2106-04-05", 2.0, now)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    lines = [
        json.dumps(
            {"id": "typo", "text": "خبر عن افتتاح معرض الكتاب في جدة.", "date": "2106-04-05"}
        ),
        json.dumps({"id": "ok", "text": "خبر عن افتتاح معرض الكتاب في الرياض.", "date": tomorrow}),
    ]
    path = tmp_path / "x.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    (typo, ok) = [a for a in read([path], Settings.load().read) if isinstance(a, RawArticle)]
    assert typo.published is None
    assert any("in the future" in w for w in typo.warnings)
    assert ok.published == tomorrow
    assert not ok.warnings
    header = tmp_path / "h.txt"
    header.write_text("date 2106-04-05 ar\nخبر عن افتتاح معرض الكتاب في جدة.\n", "utf-8")
    (from_text,) = [a for a in read([header], Settings.load().read) if isinstance(a, RawArticle)]
    assert from_text.published is None
    assert any("in the future" in w for w in from_text.warnings)


def test_a_long_rejected_value_is_quoted_short() -> None:
    from akhbar.io.dates import checked_published

    published, why = checked_published(None, 10**400, "published", None)
    assert published is None
    assert why is not None
    assert why.startswith("published 1000")
    assert why.endswith("is not a valid date; left empty")
    assert len(why) < 150


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 21 Jul 2015 09:30:00 +03:00", "2015-07-21T09:30:00+03:00"),
        ("Tue, 21 Jul 2015 09:30:00 GMT+3", None),  # a zone it cannot read: not taken for UTC
        ("Tue, 21 Jul 2015 09:30:00 KSA", None),
        ("Tue, 21 Jul 2015 09:30:00", "2015-07-21T09:30:00"),  # no zone given: none lost
    ],
)
def test_an_rfc_2822_zone_is_read_or_the_date_refused(value: str, expected: str | None) -> None:
    """`+03:00` (a colon in an RFC 2822 offset) and names the parser does not know (`GMT+3`,
    `KSA`) were dropped silently, the time read as UTC: three hours off for Saudi outlets."""
    assert parse_published(value) == expected
