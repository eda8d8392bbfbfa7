"""Alerts: every newly zoned report gets, at once, its roster and the sign plan in the outbox,
one line in the alert log and, where configured, an e-mail through the local relay."""

from __future__ import annotations

import csv
import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from cocoon.app.installation import Installation
from cocoon.core.alerts import AlertNote, alert_line, awaiting_alerts
from cocoon.core.model import Level
from cocoon.core.risk import zones_at
from cocoon.store.schema import alerts
from tests.servicetown import NOW, report_csv, service_app
from tests.support import STOCKHOLM, SWEREF, AppSetup, report, risk_rules

FOLDER = f"{NOW.date().isoformat()}-R1"


def test_reports_of_live_zones_without_an_alert_are_owed_one_in_the_order_reported() -> None:
    found = zones_at(
        [
            report("R2", NOW - timedelta(hours=2), offset_m=(100, 0)),
            report("R1", NOW - timedelta(hours=5)),
            report("R3", NOW - timedelta(days=20), offset_m=(5000, 0)),
        ],
        NOW, risk_rules(), SWEREF,
    )  # fmt: skip
    owed = awaiting_alerts(found, alerted={"R2"})
    assert [(n.report_id, n.level) for n in owed] == [("R3", Level.ELEVATED), ("R1", Level.HIGH)]


def test_alert_line_names_report_zone_level_visits_and_folder_in_swedish_and_english() -> None:
    (zone,) = zones_at([report("R1", NOW - timedelta(hours=5))], NOW, risk_rules(), SWEREF)
    (new,) = awaiting_alerts([zone], alerted=())
    note = AlertNote(new, NOW, stops=34, sheets=2, new_signs=2, folder="var/outbox/x")
    sv = alert_line(note, STOCKHOLM, "sv")
    assert sv.startswith("2026-11-20 10:00:00 LARM R1 · zon ")
    assert "hög risk till 2026-12-04 05:00" in sv and "34 besök på 2 listor" in sv
    assert sv.endswith("2 nya skyltar · var/outbox/x")
    en = alert_line(note, STOCKHOLM, "en")
    assert "ALERT R1" in en and "34 stops on 2 sheets" in en and "high risk until" in en


def test_alert_line_of_a_late_report_says_there_are_no_visits() -> None:
    (zone,) = zones_at([report("R1", NOW - timedelta(days=20))], NOW, risk_rules(), SWEREF)
    (new,) = awaiting_alerts([zone], alerted=())
    note = AlertNote(new, NOW, stops=None, sheets=0, new_signs=0, folder="f")
    assert "inga grannbesök: högriskperioden är redan över" in alert_line(note, STOCKHOLM, "sv")


@dataclass
class Relay:
    """A local SMTP server that keeps what it is sent."""

    port: int
    received: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def relay() -> Iterator[Relay]:
    handler = Relay(free_port())
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


def installation(url: str, root: Path, port: int | None = None) -> Installation:
    mail: dict[str, object] = {}
    if port is not None:
        mail = {"smtp_host": "127.0.0.1", "smtp_port": port, "recipients": ["kp@example.se"],
                "timeout_seconds": 5}  # fmt: skip
    return service_app(url, root, mail=mail)


@pytest.fixture
def app_setup() -> AppSetup:
    return installation


def ingest(app: Installation, root: Path, *rows: tuple[str, Any, str]) -> None:
    path = root / f"reports-{len(list(root.glob('reports-*')))}.csv"
    path.write_text(report_csv(*rows), encoding="utf-8")
    app.reports.ingest(path, NOW)


def outbox(app: Installation) -> Path:
    return Path(app.settings.service.outbox_dir)


def test_new_report_gets_roster_and_sign_plan_in_its_outbox_folder(
    app: Installation, tmp_path: Path
) -> None:
    ingest(app, tmp_path, ("R1", NOW - timedelta(hours=3), "Storgatan 1"))
    sent = app.alerts.send(NOW)
    assert sent.alerted == ["R1"]
    names = sorted(p.name for p in (outbox(app) / FOLDER).iterdir())
    assert names == ["roster.csv", "roster.pdf", "signs.csv", "signs.geojson", "signs.pdf"]
    rows = list(csv.DictReader((outbox(app) / FOLDER / "roster.csv").open(encoding="utf-8")))
    assert rows and "Storgatan 1, Kalmar" not in {r["address"] for r in rows}


def test_alert_log_has_one_line_per_alert(app: Installation, tmp_path: Path) -> None:
    ingest(app, tmp_path, ("R1", NOW - timedelta(hours=3), "Storgatan 1"))
    app.alerts.send(NOW)
    ingest(app, tmp_path, ("R2", NOW - timedelta(hours=1), "Storgatan 20"))
    app.alerts.send(NOW + timedelta(minutes=5))
    lines = Path(app.settings.service.alert_log).read_text(encoding="utf-8").splitlines()
    assert [line.split(" ")[3] for line in lines] == ["R1", "R2"]
    assert all(" LARM " in line and "outbox" in line for line in lines)


def test_a_report_is_alerted_once(app: Installation, tmp_path: Path) -> None:
    ingest(app, tmp_path, ("R1", NOW - timedelta(hours=3), "Storgatan 1"))
    app.alerts.send(NOW)
    again = app.alerts.send(NOW + timedelta(minutes=5))
    assert again.alerted == []
    assert len(Path(app.settings.service.alert_log).read_text(encoding="utf-8").splitlines()) == 1


def test_report_reported_late_gets_an_alert_but_no_roster_past_its_high_period(
    app: Installation, tmp_path: Path
) -> None:
    path = tmp_path / "late.csv"  # found after a holiday: broken into 20 days ago
    path.write_text(
        "report_id,reported_at,occurred_to,address,premises\n"
        f"R1,{(NOW - timedelta(hours=1)).isoformat()},{(NOW - timedelta(days=20)).isoformat()},"
        '"Storgatan 1, Kalmar",villa\n',
        encoding="utf-8",
    )
    app.reports.ingest(path, NOW)
    assert app.alerts.send(NOW).alerted == ["R1"]
    names = {p.name for p in (outbox(app) / FOLDER).iterdir()}
    assert "roster.pdf" not in names and "signs.pdf" in names


def test_report_outside_any_zone_gets_no_alert(app: Installation, tmp_path: Path) -> None:
    ingest(app, tmp_path, ("R1", NOW - timedelta(days=80), "Storgatan 1"))
    assert app.alerts.send(NOW).alerted == []
    assert not outbox(app).exists()


def test_alert_mail_goes_to_the_relay_with_the_pdfs(
    db_url: str, tmp_path: Path, relay: Relay
) -> None:
    app = installation(db_url, tmp_path, relay.port)
    ingest(app, tmp_path, ("R1", NOW - timedelta(hours=3), "Storgatan 1"))
    sent = app.alerts.send(NOW)
    assert sent.mails_sent == 1
    (msg,) = relay.received
    assert msg["To"] == "kp@example.se" and msg["Subject"].startswith("cocoon: inbrott R1, zon ")
    body = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
    assert "LARM R1" in body.get_payload(decode=True).decode("utf-8")
    attached = sorted(p.get_filename() for p in msg.walk() if p.get_filename())
    assert attached == ["roster.pdf", "signs.pdf"]
    with app.engine.connect() as conn:
        row = conn.execute(select(alerts)).one()
    assert row.mail == "sent" and row.mail_attempts == 1
    app.engine.dispose()


def test_failed_mail_is_on_record_and_tried_again_at_the_next_pass(
    db_url: str, tmp_path: Path
) -> None:
    port = free_port()  # nothing listens here yet: the relay is down
    app = installation(db_url, tmp_path, port)
    ingest(app, tmp_path, ("R1", NOW - timedelta(hours=3), "Storgatan 1"))
    first = app.alerts.send(NOW)
    assert first.alerted == ["R1"] and first.mails_failed == 1
    with app.engine.connect() as conn:
        row = conn.execute(select(alerts)).one()
    assert row.mail == "failed" and "127.0.0.1:" in row.mail_error
    handler = Relay(port)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        later = app.alerts.send(NOW + timedelta(minutes=5))
    finally:
        controller.stop()
    assert later.alerted == [] and later.mails_sent == 1 and len(handler.received) == 1
    app.engine.dispose()


def test_failed_mail_is_not_tried_forever(db_url: str, tmp_path: Path) -> None:
    app = installation(db_url, tmp_path, free_port())
    ingest(app, tmp_path, ("R1", NOW - timedelta(hours=3), "Storgatan 1"))
    tries = [app.alerts.send(NOW + timedelta(minutes=5 * i)).mails_failed for i in range(7)]
    assert tries == [1, 1, 1, 1, 1, 0, 0]  # mail.max_attempts = 5
    app.engine.dispose()


def test_only_reports_reported_within_the_high_period_are_owed_an_alert() -> None:
    found = zones_at(
        [report("OLD", NOW - timedelta(days=20)), report("NEW", NOW - timedelta(hours=1))],
        NOW, risk_rules(), SWEREF,
    )  # fmt: skip
    owed = awaiting_alerts(found, alerted=(), since=NOW - timedelta(days=14))
    assert [n.report_id for n in owed] == ["NEW"]


def test_service_started_on_an_old_database_does_not_alert_its_old_reports(
    app: Installation, tmp_path: Path
) -> None:
    ingest(app, tmp_path, ("OLD", NOW - timedelta(days=20), "Storgatan 1"))
    ingest(app, tmp_path, ("NEW", NOW - timedelta(days=2), "Storgatan 20"))
    assert app.alerts.send(NOW).alerted == ["NEW"]


def test_one_failing_alert_does_not_hold_up_the_others_and_is_tried_again(
    app: Installation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cocoon.service.scheduler import Service

    ingest(app, tmp_path, ("R1", NOW - timedelta(hours=3), "Storgatan 1"),
           ("R2", NOW - timedelta(hours=2), "Storgatan 20"))  # fmt: skip
    real_plan = app.visits.plan

    def plan(report_id: str, now: Any, zones: Any = None) -> Any:
        if report_id == "R1":
            raise OSError("printer spool full")
        return real_plan(report_id, now, zones)

    monkeypatch.setattr(app.visits, "plan", plan)
    Service(app, clock=lambda: NOW).poll(NOW)
    (run,) = app.runs.last(1)
    assert run.outcome == "partial" and run.error == "R1: OSError: printer spool full"
    assert run.counts["alerts"] == 1 and run.counts["alerts_failed"] == 1
    monkeypatch.undo()
    assert app.alerts.send(NOW + timedelta(minutes=5)).alerted == ["R1"]


# --- an alert that cannot be made is on record; control characters never forge a line ------


def store_report(app: Installation, report_id: str, hours_ago: float) -> None:
    """A report stored as it is, whatever its id holds (readers may refuse such ids)."""
    from cocoon.store.reports import upsert_reports

    new = report(report_id, NOW - timedelta(hours=hours_ago), address_id=None)
    with app.engine.begin() as conn:
        upsert_reports(conn, [(new, "test")], NOW)


def test_an_alert_that_cannot_be_made_is_kept_with_its_reason_and_tried_a_bounded_number_of_times(
    app: Installation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cocoon.app.alerts import ALERT_ATTEMPTS

    ingest(app, tmp_path, ("R1", NOW - timedelta(hours=3), "Storgatan 1"),
           ("R2", NOW - timedelta(hours=2), "Storgatan 20"))  # fmt: skip
    real_plan = app.visits.plan

    def plan(report_id: str, now: Any, zones: Any = None) -> Any:
        if report_id == "R1":
            raise ValueError("no roster for this one")
        return real_plan(report_id, now, zones)

    monkeypatch.setattr(app.visits, "plan", plan)
    rounds = [app.alerts.send(NOW + timedelta(minutes=5 * i)) for i in range(ALERT_ATTEMPTS + 2)]
    assert rounds[0].alerted == ["R2"] and rounds[0].failed == {
        "R1": "ValueError: no roster for this one"
    }
    assert [len(r.failed) for r in rounds] == [1] * ALERT_ATTEMPTS + [0, 0]
    assert rounds[ALERT_ATTEMPTS - 1].given_up == ["R1"]
    (failure,) = app.alerts.failed_alerts(NOW + timedelta(hours=1))
    assert failure.report_id == "R1" and failure.attempts == ALERT_ATTEMPTS
    assert failure.error == "ValueError: no roster for this one"
    assert failure.first_failed_at == NOW


def test_an_alert_made_at_a_later_try_clears_its_failures(
    app: Installation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(app, tmp_path, ("R1", NOW - timedelta(hours=3), "Storgatan 1"))
    monkeypatch.setattr(app.visits, "plan", lambda *a, **k: (_ for _ in ()).throw(OSError("full")))
    assert app.alerts.send(NOW).failed == {"R1": "OSError: full"}
    monkeypatch.undo()
    assert app.alerts.send(NOW + timedelta(minutes=5)).alerted == ["R1"]
    assert app.alerts.failed_alerts(NOW + timedelta(minutes=5)) == []


def test_the_poll_record_says_when_an_alert_is_given_up(
    app: Installation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cocoon.app.alerts import ALERT_ATTEMPTS
    from cocoon.service.scheduler import Service

    ingest(app, tmp_path, ("R1", NOW - timedelta(hours=3), "Storgatan 1"))
    monkeypatch.setattr(app.visits, "plan", lambda *a, **k: (_ for _ in ()).throw(OSError("full")))
    for i in range(ALERT_ATTEMPTS):
        Service(app, clock=lambda: NOW).poll(NOW + timedelta(minutes=5 * i))
    (run,) = app.runs.last(1)
    assert run.outcome == "partial" and run.counts["alerts_given_up"] == 1
    assert run.error == f"R1: OSError: full (given up after {ALERT_ATTEMPTS} attempts)"


NEWLINE_ID = "R1\n2026-11-20 10:00:00 LARM FORGED"


def test_a_report_id_with_a_newline_writes_one_escaped_line_in_the_alert_log(
    app: Installation,
) -> None:
    store_report(app, NEWLINE_ID, hours_ago=3)
    sent = app.alerts.send(NOW)
    assert sent.alerted == [NEWLINE_ID] and not sent.failed
    (line,) = Path(app.settings.service.alert_log).read_text(encoding="utf-8").splitlines()
    assert " LARM R1\\n2026-11-20 10:00:00 LARM FORGED · zon " in line


def test_an_id_with_a_newline_gets_its_mail_with_a_one_line_subject(
    db_url: str, tmp_path: Path, relay: Relay
) -> None:
    app = installation(db_url, tmp_path, relay.port)
    store_report(app, NEWLINE_ID, hours_ago=3)
    sent = app.alerts.send(NOW)
    assert sent.mails_sent == 1 and sent.mails_failed == 0
    (msg,) = relay.received
    assert "\n" not in msg["Subject"] and "LARM FORGED" in msg["Subject"]
    assert msg["Subject"].startswith("cocoon: inbrott R1\\n2026-11-20")
    app.engine.dispose()


def test_a_mail_that_cannot_be_made_is_a_failed_mail_on_record_not_a_failed_poll(
    db_url: str, tmp_path: Path, relay: Relay, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = installation(db_url, tmp_path, relay.port)
    ingest(app, tmp_path, ("R1", NOW - timedelta(hours=3), "Storgatan 1"))
    assert app.mailer is not None

    def bad_header(*args: object) -> None:
        raise ValueError("Header values may not contain linefeed or carriage return characters")

    monkeypatch.setattr(app.mailer, "send", bad_header)
    first = app.alerts.send(NOW)
    assert first.alerted == ["R1"] and first.mails_failed == 1
    later = app.alerts.send(NOW + timedelta(minutes=5))  # the retry fails the same way, on record
    assert later.mails_failed == 1 and not later.failed
    (unsent,) = app.alerts.unsent_mails(NOW + timedelta(minutes=5))
    assert unsent.mail_error is not None and unsent.mail_error.startswith("ValueError: Header")
    app.engine.dispose()


def test_mail_headers_carry_no_control_characters() -> None:
    from cocoon.config import MailSettings
    from cocoon.service.mail import header_text, message

    forged = "R1\r\nBcc: x@example.se\u2028\x85 zon\u202eZ"
    assert header_text(forged) == "R1 Bcc: x@example.se zon Z"
    settings = MailSettings(smtp_host="127.0.0.1", recipients=["kp@example.se"])
    msg = message(settings, "cocoon: inbrott R1\nBcc: x@example.se", "body")
    assert msg["Subject"] == "cocoon: inbrott R1 Bcc: x@example.se" and msg["Bcc"] is None


def test_the_alert_line_escapes_every_character_that_could_start_a_new_line() -> None:
    from cocoon.core.alerts import printable

    (zone,) = zones_at(
        [report("R1\r\nX\u2028Y\x85Z\x1b[31m", NOW - timedelta(hours=5))], NOW, risk_rules(), SWEREF
    )
    (new,) = awaiting_alerts([zone], alerted=())
    line = alert_line(AlertNote(new, NOW, 3, 1, 2, "f"), STOCKHOLM, "sv")
    assert len(line.splitlines()) == 1 and "\x1b" not in line
    assert "LARM R1\\r\\nX\\u2028Y\\x85Z\\x1b[31m · zon" in line
    assert printable("Storgatan 1, Kalmar å") == "Storgatan 1, Kalmar å"


def test_an_alert_finishes_a_plan_left_without_files_so_visits_new_does_not_wait_for_it(
    app: Installation, tmp_path: Path
) -> None:
    ingest(app, tmp_path, ("R1", NOW - timedelta(hours=3), "Storgatan 1"))
    stored = app.visits.plan("R1", NOW - timedelta(hours=1))  # a killed `visits new` left this
    assert app.visits.unwritten(NOW) == ["R1"]
    assert app.alerts.send(NOW).alerted == ["R1"]
    assert app.visits.unwritten(NOW) == []
    head = app.visits.head("R1")
    assert head is not None and head.roster_path == str(outbox(app) / FOLDER / "roster")
    assert head.planned_at == stored.planned_at  # the stored plan, not a new one
    rows = list(csv.DictReader((outbox(app) / FOLDER / "roster.csv").open(encoding="utf-8")))
    assert [r["address_id"] for r in rows] == [s.address_id for s in stored.stops]


def test_a_failed_alert_of_an_id_with_a_newline_is_one_line_on_the_runs_record(
    app: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cocoon.service.scheduler import Service

    store_report(app, NEWLINE_ID, hours_ago=3)
    monkeypatch.setattr(
        app.visits, "plan", lambda *a, **k: (_ for _ in ()).throw(OSError("x\x1by"))
    )
    Service(app, clock=lambda: NOW).poll(NOW)
    (run,) = app.runs.last(1)
    assert run.error == "R1\\n2026-11-20 10:00:00 LARM FORGED: OSError: x\\x1by"
