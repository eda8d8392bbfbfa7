"""Times: stored in UTC, naive input is Europe/Stockholm wall-clock time, DST nights handled."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cocoon.core.time import add_local_days, parse_instant
from tests.support import STOCKHOLM


def test_naive_time_means_stockholm_winter_time() -> None:
    assert parse_instant("2026-01-15T08:00", STOCKHOLM) == datetime(2026, 1, 15, 7, tzinfo=UTC)


def test_naive_time_means_stockholm_summer_time() -> None:
    assert parse_instant("2026-07-15 08:00", STOCKHOLM) == datetime(2026, 7, 15, 6, tzinfo=UTC)


def test_time_with_offset_keeps_its_offset() -> None:
    assert parse_instant("2026-07-15T08:00+00:00", STOCKHOLM) == datetime(
        2026, 7, 15, 8, tzinfo=UTC
    )


def test_z_suffix_is_utc() -> None:
    assert parse_instant("2026-07-15T08:00:00Z", STOCKHOLM) == datetime(2026, 7, 15, 8, tzinfo=UTC)


def test_date_alone_is_local_midnight() -> None:
    assert parse_instant("2026-11-22", STOCKHOLM) == datetime(2026, 11, 21, 23, tzinfo=UTC)


def test_ambiguous_autumn_dst_time_is_read_as_the_first_occurrence() -> None:
    # 25 Oct 2026: 02:30 happens twice; the first is still summer time (UTC+2).
    assert parse_instant("2026-10-25T02:30", STOCKHOLM) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_missing_spring_dst_time_is_read_with_the_winter_offset() -> None:
    # 29 Mar 2026: 02:30 does not exist; read as 02:30+01:00, which is 03:30 summer time.
    assert parse_instant("2026-03-29T02:30", STOCKHOLM) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_police_feed_time_with_unpadded_hour_is_read() -> None:
    assert parse_instant("2025-06-01 3:12:16 +02:00", STOCKHOLM) == datetime(
        2025, 6, 1, 1, 12, 16, tzinfo=UTC
    )


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-01", "2026-02-30T10:00", "12/11/2026"])
def test_unreadable_time_is_an_error(text: str) -> None:
    with pytest.raises(ValueError):
        parse_instant(text, STOCKHOLM)


def test_adding_days_across_dst_keeps_the_wall_clock_time() -> None:
    start = datetime(2026, 10, 24, 10, tzinfo=UTC)  # 12:00 CEST
    assert add_local_days(start, 2, STOCKHOLM).astimezone(STOCKHOLM).hour == 12


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("0001-01-01", "'0001-01-01' is before 1900"),
        ("0001-01-01T00:00+05:00", "is before 1900"),
        ("1899-12-31T23:59", "is before 1900"),
        ("9999-12-31T23:59:59", "'9999-12-31T23:59:59' is after 2100"),
        ("9999-12-31T23:00-05:00", "is after 2100"),
        ("2101-01-01", "is after 2100"),
    ],
)
def test_a_time_python_cannot_shift_to_utc_is_a_clear_error_not_an_overflow(
    text: str, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_instant(text, STOCKHOLM)


def test_the_first_and_last_instants_of_the_range_are_read() -> None:
    assert parse_instant("1900-01-01T00:00", STOCKHOLM).year == 1899  # 23:00 UTC the day before
    assert parse_instant("2100-12-31T23:59", STOCKHOLM) == datetime(
        2100, 12, 31, 22, 59, tzinfo=UTC
    )
