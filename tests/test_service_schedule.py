"""When the service's jobs fire, across both DST changes; the daily run once per calendar day;
a missed run made up once at start; the scheduler's wiring. No sleeping: fixed instants."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from cocoon.app.installation import Installation
from cocoon.config import Settings
from cocoon.service.scheduler import (
    DAILY,
    POLL,
    Service,
    catch_up,
    daily_day,
    daily_fire,
    daily_trigger,
    next_runs,
)
from cocoon.store.schema import runs
from tests.servicetown import NOW, report_csv, service_app
from tests.support import AppSetup

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at_time(hhmm: str) -> Settings:
    return Settings.model_validate({"service": {"daily_time": hhmm}})


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)  # type: ignore[misc]


def wall(moment: datetime) -> datetime:
    """Stockholm wall-clock time of an instant (via UTC: a time the spring night skips moves on)."""
    return moment.astimezone(UTC).astimezone(STOCKHOLM).replace(tzinfo=None)


def fires(settings: Settings, start: datetime, count: int) -> list[datetime]:
    """The next `count` fire times of the daily cron from `start`, as APScheduler computes them."""
    trigger, out, previous = daily_trigger(settings), [], None
    now = start
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, now)
        out.append(fire)
        previous, now = fire, fire.astimezone(UTC) + timedelta(seconds=1)  # as the clock moves
    return out


def test_daily_run_is_at_six_local_time_in_winter_and_in_summer() -> None:
    settings = Settings()
    winter = daily_fire(settings, date(2026, 1, 15))
    summer = daily_fire(settings, date(2026, 7, 15))
    assert winter == datetime(2026, 1, 15, 5, 0, tzinfo=UTC)
    assert summer == datetime(2026, 7, 15, 4, 0, tzinfo=UTC)


def test_six_oclock_run_fires_once_on_each_dst_night() -> None:
    spring = fires(Settings(), local(2026, 3, 28, 12), 2)
    autumn = fires(Settings(), local(2026, 10, 24, 12), 2)
    assert [wall(f) for f in spring] == [
        datetime(2026, 3, 29, 6), datetime(2026, 3, 30, 6),
    ]  # fmt: skip
    assert [wall(f) for f in autumn] == [
        datetime(2026, 10, 25, 6), datetime(2026, 10, 26, 6),
    ]  # fmt: skip


def test_a_half_past_two_cron_fires_twice_on_the_autumn_night() -> None:
    first, second, third = fires(at_time("02:30"), local(2026, 10, 24, 12), 3)
    assert first.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # summer time
    assert second.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # again, winter
    assert third.astimezone(UTC) == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)


def test_a_half_past_two_cron_fires_once_at_half_past_three_on_the_spring_night() -> None:
    first, second = fires(at_time("02:30"), local(2026, 3, 28, 12), 2)
    assert wall(first) == datetime(2026, 3, 29, 3, 30)
    assert wall(second) == datetime(2026, 3, 30, 2, 30)
    assert daily_day(at_time("02:30"), first) == date(2026, 3, 29)


def test_both_autumn_fires_are_for_the_same_day() -> None:
    settings = at_time("02:30")
    first, second, _ = fires(settings, local(2026, 10, 24, 12), 3)
    assert daily_day(settings, first) == daily_day(settings, second) == date(2026, 10, 25)


def test_before_the_run_time_the_list_due_is_yesterdays() -> None:
    settings = Settings()
    assert daily_day(settings, local(2026, 11, 20, 5, 59)) == date(2026, 11, 19)
    assert daily_day(settings, local(2026, 11, 20, 6, 0)) == date(2026, 11, 20)
    assert daily_day(at_time("23:30"), local(2026, 11, 21, 1, 0)) == date(2026, 11, 20)


def test_missed_run_is_made_up_when_the_service_starts_within_the_grace_time() -> None:
    settings = Settings()
    start = local(2026, 11, 20, 9, 15)
    assert catch_up(settings, start, done=False) == local(2026, 11, 20, 6, 0)


def test_run_already_made_is_not_made_up() -> None:
    assert catch_up(Settings(), local(2026, 11, 20, 9, 15), done=True) is None


def test_run_missed_by_more_than_the_grace_time_is_not_made_up() -> None:
    assert catch_up(Settings(), local(2026, 11, 20, 12, 1), done=False) is None
    late = Settings.model_validate({"service": {"daily_grace_hours": 8}})
    assert catch_up(late, local(2026, 11, 20, 13, 59), done=False) is not None


def test_status_shows_the_next_poll_after_the_last_one_and_the_next_daily_run() -> None:
    now = local(2026, 11, 20, 9, 0)
    upcoming = next_runs(Settings(), now, last_poll=now - timedelta(seconds=100))
    assert upcoming.poll == now + timedelta(seconds=200)
    assert upcoming.daily == local(2026, 11, 21, 6, 0)
    assert next_runs(Settings(), now, last_poll=None).poll == now


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """The schedule's rules need no second database: SQLite only."""
    return f"sqlite:///{tmp_path / 'c.sqlite'}"


@pytest.fixture
def app_setup() -> AppSetup:
    return service_app


def test_scheduler_has_both_jobs_with_fixed_ids_and_a_grace_of_hours(app: Installation) -> None:
    service = Service(app)
    start = local(2026, 11, 20, 12, 30)  # today's list was made up to 6 h late: too late now
    scheduler = service.scheduler(start)
    scheduler.start(paused=True)
    try:
        poll, daily = scheduler.get_job(POLL), scheduler.get_job(DAILY)
        assert poll.next_run_time == start
        assert daily.next_run_time == local(2026, 11, 21, 6, 0)
        assert daily.misfire_grace_time == 6 * 3600
        assert daily.coalesce and poll.coalesce
        assert daily.max_instances == poll.max_instances == 1
        assert poll.trigger.interval == timedelta(seconds=300)
    finally:
        scheduler.shutdown(wait=False)


def test_scheduler_makes_up_a_missed_daily_run_at_once(app: Installation) -> None:
    start = local(2026, 11, 20, 9, 15)
    scheduler = Service(app).scheduler(start)
    scheduler.start(paused=True)
    try:
        assert scheduler.get_job(DAILY).next_run_time == local(2026, 11, 20, 6, 0)
    finally:
        scheduler.shutdown(wait=False)


def _runs(app: Installation) -> list[dict[str, object]]:
    with app.engine.connect() as conn:
        rows = conn.execute(select(runs).order_by(runs.c.run_id))
        return [dict(r._mapping) for r in rows]


def test_daily_run_is_made_once_per_calendar_day(app: Installation) -> None:
    settings = app.settings.model_copy(
        update={"service": app.settings.service.model_copy(update={"daily_time": "02:30"})}
    )
    app.context.settings = settings
    service = Service(app, clock=lambda: NOW)
    first, second, _ = fires(settings, local(2026, 10, 24, 12), 3)
    made = service.daily(first)
    again = service.daily(second)
    assert [p.name for p in made] == [
        "daily-2026-10-25.pdf", "daily-2026-10-25.html",
        "daily-2026-10-25.csv", "daily-2026-10-25-signs.csv", "daily-2026-10-25-map.html",
    ]  # fmt: skip
    assert again == []
    rows = _runs(app)
    assert [(r["job"], r["day"], r["outcome"]) for r in rows] == [
        ("daily", date(2026, 10, 25), "ok"), ("daily", date(2026, 10, 25), "skipped"),
    ]  # fmt: skip


def test_daily_run_by_hand_makes_the_list_even_when_it_was_made(app: Installation) -> None:
    service = Service(app, clock=lambda: NOW)
    service.daily(NOW)
    by_hand = service.daily(NOW + timedelta(hours=1), "manual")
    assert by_hand and all(p.is_file() for p in by_hand)
    assert [r["trigger"] for r in _runs(app)] == ["schedule", "manual"]
    assert not app.runs.daily_done(date(2026, 11, 19))


def test_a_run_by_hand_does_not_stand_in_for_the_morning_run(app: Installation) -> None:
    service = Service(app, clock=lambda: NOW)
    service.daily(local(2026, 11, 20, 5, 0), "manual", day=date(2026, 11, 20))
    service.daily(local(2026, 11, 20, 6, 0))
    assert [r["outcome"] for r in _runs(app)] == ["ok", "ok"]


def test_daily_run_is_on_record_with_its_counts(app: Installation) -> None:
    (app_root := Path(app.settings.service.inbox_dir).parent).mkdir(exist_ok=True)
    path = app_root / "r.csv"
    yesterday = NOW - timedelta(days=1)  # its signs go up today
    path.write_text(report_csv(("R1", yesterday, "Storgatan 1")), encoding="utf-8")
    app.reports.ingest(path, NOW)
    ended = NOW + timedelta(seconds=2)
    Service(app, clock=lambda: ended).daily(NOW)
    (row,) = _runs(app)
    assert row["started_at"] == NOW and row["ended_at"] == ended
    assert row["outcome"] == "ok" and row["trigger"] == "schedule" and row["error"] is None
    counts = json.loads(str(row["counts"]))
    assert counts["zones"] == 1 and counts["high"] == 1 and counts["signs_up"] == 2


def test_failed_run_is_on_record_with_its_error(
    app: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(at: datetime, day: date, zones: object = None) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(app.daily, "list_for", broken)
    with pytest.raises(OSError):
        Service(app, clock=lambda: NOW).daily(NOW)
    (row,) = _runs(app)
    assert row["outcome"] == "failed" and row["error"] == "OSError: disk full"
    assert not app.runs.daily_done(date(2026, 11, 20))


def test_runs_cut_off_by_a_crash_are_marked_interrupted(app: Installation) -> None:
    with app.engine.begin() as conn:
        from cocoon.store.runs import start_run

        start_run(conn, POLL, "schedule", None, NOW)
    assert app.runs.close_interrupted(NOW + timedelta(minutes=5)) == 1
    (row,) = _runs(app)
    assert row["outcome"] == "interrupted" and row["ended_at"] == NOW + timedelta(minutes=5)


def test_idle_polls_are_kept_a_week(app: Installation) -> None:
    service = Service(app, clock=lambda: NOW)
    service.poll(NOW - timedelta(days=8))
    service.poll(NOW - timedelta(days=6))
    assert [r["outcome"] for r in _runs(app)] == ["idle", "idle"]
    assert app.runs.prune(NOW) == 1
    assert [r["started_at"] for r in _runs(app)] == [NOW - timedelta(days=6)]
