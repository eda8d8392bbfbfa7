"""Partner groups are told once per group and zone level, the right groups only: by e-mail
through a local SMTP server and by SMS through a stand-in HTTP endpoint or a stand-in command,
all started by the test; a failing channel is tried again later and then sent once."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.header import decode_header, make_header
from email.message import Message as Email
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from cocoon.app.groups import GroupCases
from cocoon.app.installation import Installation
from cocoon.config import SmsSettings
from cocoon.core.groups import Channel
from cocoon.errors import DeliveryError
from cocoon.service.sms import CommandGateway, HttpGateway, PartnerCourier
from tests.servicetown import NOW, report_csv, service_app
from tests.support import SWEREF
from tests.test_alerts import Relay, free_port
from tests.towns import ORIGIN

ANNA, BO, CIA, DAN, EVA = (
    "+46701234567",
    "bo@example.se",
    "cia@example.se",
    "+46731112233",
    "eva@example.se",
)


def wkt(x0: float, y0: float, x1: float, y1: float) -> str:
    """A square given in metres from the town's origin, as WKT in lon/lat."""
    ox, oy = ORIGIN
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    points = [SWEREF.point_to_wgs84(ox + x, oy + y) for x, y in corners]
    return "POLYGON((" + ", ".join(f"{lon:.7f} {lat:.7f}" for lon, lat in points) + "))"


#: The town's groups: round Storgatan's west end, the flats of Parkgatan 5 (by register id),
#: east of the town (reached only when a zone grows there) and far away (never reached).
GROUPS = (
    "group_id,name,contacts,area,addresses\n"
    f'GS,Grannsamverkan Storgatan,"Anna, sms, 070-123 45 67; Bo, email, {BO}",'
    f'"{wkt(-100, -100, 200, 100)}",\n'
    f'BB,Bostadsbolaget Parken,"Cia, e-post, {CIA}",,pg5-0\n'
    f'EAST,Grannsamverkan Öster,"Dan, sms, 073-111 22 33","{wkt(700, -100, 900, 100)}",\n'
    f'FAR,Långtbort,"Eva, email, {EVA}","{wkt(3000, 3000, 3500, 3500)}",\n'
)  # fmt: skip


@dataclass
class SmsEndpoint:
    """A stand-in SMS gateway: keeps what is POSTed to it and answers with `status`."""

    port: int = 0
    status: int = 200
    received: list[dict[str, Any]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/sms"

    @property
    def texts(self) -> list[tuple[str, str]]:
        """(number, text) of every message the endpoint accepted."""
        return [(r["fields"]["to"], r["fields"]["message"]) for r in self.received if r["ok"]]


@pytest.fixture
def sms_endpoint() -> Iterator[SmsEndpoint]:
    endpoint = SmsEndpoint()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            kind = self.headers["Content-Type"]
            if kind.startswith("application/json"):
                fields = json.loads(raw)
            else:
                fields = dict(urllib.parse.parse_qsl(raw.decode("ascii")))
            ok = endpoint.status < 300
            endpoint.received.append({
                "path": self.path, "fields": fields, "ok": ok,
                "authorization": self.headers.get("Authorization"),
            })  # fmt: skip
            self.send_response(endpoint.status)
            self.end_headers()
            self.wfile.write(b"queued" if ok else b"gateway says no")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    endpoint.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield endpoint
    server.shutdown()
    server.server_close()


def town(
    url: str, root: Path, mail_port: int | None, sms: dict[str, object], **sections: Any
) -> tuple[Installation, GroupCases]:
    """The service town with its groups loaded, on an installation handed the real courier as
    the service hands it; and its group use case."""
    mail: dict[str, object] = {}
    if mail_port is not None:
        mail = {"smtp_host": "127.0.0.1", "smtp_port": mail_port, "recipients": ["kp@example.se"],
                "timeout_seconds": 5}  # fmt: skip
    app = service_app(url, root, mail=mail, sms=sms, **sections)
    path = root / "grupper.csv"
    path.write_text(GROUPS, encoding="utf-8")
    loaded = app.groups.load(path, NOW - timedelta(days=1))
    assert loaded.rejections == [] and loaded.stored == 4
    courier = PartnerCourier(app.settings.mail, app.settings.sms)
    served = Installation(app.settings, engine=app.engine, mailer=app.mailer, courier=courier)
    return served, served.groups


def burglary(app: Installation, root: Path, report_id: str, where: str, hours_ago: float) -> None:
    path = root / f"{report_id}.csv"
    path.write_text(report_csv((report_id, NOW - timedelta(hours=hours_ago), where)), "utf-8")
    app.reports.ingest(path, NOW)


@pytest.fixture
def relay() -> Iterator[Relay]:
    """A local SMTP server (aiosmtpd) that keeps what it is sent."""
    handler = Relay(free_port())
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


def mails_to(relay: Relay) -> list[str]:
    return sorted(str(m["To"]) for m in relay.received)


def subject(msg: Email) -> str:
    return str(make_header(decode_header(str(msg["Subject"]))))


def body(msg: Email) -> str:
    part = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


# --- once, to the right groups only --------------------------------------------------------------


def test_a_new_zone_tells_the_groups_it_reaches_once_by_mail_and_sms(
    db_url: str, tmp_path: Path, relay: Relay, sms_endpoint: SmsEndpoint
) -> None:
    app, groups = town(db_url, tmp_path, relay.port, {"url": sms_endpoint.url})
    burglary(app, tmp_path, "R1", "Storgatan 1", hours_ago=3)
    first = groups.send(NOW)
    assert (first.notices, first.sent, first.failed) == (2, 3, 0)
    assert mails_to(relay) == [BO, CIA]
    assert [to for to, _ in sms_endpoint.texts] == [ANNA]
    mail = next(m for m in relay.received if m["To"] == CIA)
    assert subject(mail) == "Inbrott i närheten – hög risk t.o.m. 4 december"
    assert body(mail).startswith("Bostadsbolaget Parken: ett inbrott har skett i närheten.")
    assert not mail.is_multipart()  # no roster, no sign plan: the words only
    again = [groups.send(NOW + timedelta(minutes=5 * i)) for i in range(1, 4)]
    assert [(r.notices, r.sent) for r in again] == [(0, 0)] * 3
    assert len(relay.received) == 2 and len(sms_endpoint.received) == 1
    app.engine.dispose()


def test_every_message_is_on_record_with_whom_when_and_how_it_went(
    db_url: str, tmp_path: Path, relay: Relay, sms_endpoint: SmsEndpoint
) -> None:
    app, groups = town(db_url, tmp_path, relay.port, {"url": sms_endpoint.url})
    burglary(app, tmp_path, "R1", "Storgatan 1", hours_ago=3)
    groups.send(NOW)
    record = {(m.group_id, m.recipient): m for m in groups.messages()}
    assert sorted(record) == [("BB", CIA), ("GS", ANNA), ("GS", BO)]
    anna = record[("GS", ANNA)]
    assert (anna.channel, anna.level, anna.status, anna.attempts) == (
        Channel.SMS,
        "high",
        "sent",
        1,
    )
    assert anna.sent_at == NOW and anna.error is None and anna.contact_name == "Anna"
    assert anna.body == sms_endpoint.texts[0][1]
    app.engine.dispose()


def test_a_zone_that_grows_into_a_group_tells_that_group_then_and_no_other_again(
    db_url: str, tmp_path: Path, relay: Relay, sms_endpoint: SmsEndpoint
) -> None:
    app, groups = town(db_url, tmp_path, relay.port, {"url": sms_endpoint.url})
    burglary(app, tmp_path, "R1", "Storgatan 1", hours_ago=3)
    groups.send(NOW)
    burglary(app, tmp_path, "R2", "Storgatan 29", hours_ago=1)  # 350 m east: the zone grows
    grown = groups.send(NOW + timedelta(minutes=5))
    assert (grown.notices, grown.sent) == (1, 1)
    assert [to for to, _ in sms_endpoint.texts] == [ANNA, DAN]
    assert mails_to(relay) == [BO, CIA]
    assert "Grannsamverkan Öster" in sms_endpoint.texts[1][1]
    app.engine.dispose()


def test_a_zone_turning_elevated_sends_nothing_and_a_new_zone_later_is_news(
    db_url: str, tmp_path: Path, relay: Relay, sms_endpoint: SmsEndpoint
) -> None:
    app, groups = town(db_url, tmp_path, relay.port, {"url": sms_endpoint.url})
    burglary(app, tmp_path, "R1", "Storgatan 1", hours_ago=3)
    groups.send(NOW)
    assert groups.send(NOW + timedelta(days=20)).notices == 0  # elevated now: said already
    later = NOW + timedelta(days=60)  # R1's zone has ended
    path = tmp_path / "R3.csv"
    path.write_text(report_csv(("R3", later - timedelta(hours=1), "Storgatan 2")), "utf-8")
    app.reports.ingest(path, later)
    assert groups.send(later).notices == 2
    assert [to for to, _ in sms_endpoint.texts] == [ANNA, ANNA]
    app.engine.dispose()


def test_a_group_loaded_in_english_is_told_in_english(
    db_url: str, tmp_path: Path, relay: Relay, sms_endpoint: SmsEndpoint
) -> None:
    app, groups = town(db_url, tmp_path, relay.port, {"url": sms_endpoint.url})
    path = tmp_path / "english.csv"
    path.write_text(
        "name,contacts,area,language\n"
        f'Neighbourhood Watch,"Ed, ed@example.se","{wkt(0, 0, 50, 50)}",en\n',
        encoding="utf-8",
    )
    app.groups.load(path, NOW)
    burglary(app, tmp_path, "R1", "Storgatan 1", hours_ago=3)
    groups.send(NOW)
    (mail,) = [m for m in relay.received if m["To"] == "ed@example.se"]
    assert subject(mail) == "Burglary nearby – high risk through December 4"
    assert "Crime in progress: call 112" in body(mail)
    app.engine.dispose()


# --- the SMS gateways ----------------------------------------------------------------------------

#: A stand-in SMS program: keeps its arguments, one JSON line per run; fails while FAIL exists.
SCRIPT = """\
import json, pathlib, sys
here = pathlib.Path(__file__).parent
if (here / "FAIL").exists():
    sys.stderr.write("modem not ready\\nsecond line\\n")
    sys.exit(3)
with open(here / "sent.jsonl", "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
"""


@pytest.fixture
def sms_command(tmp_path: Path) -> Path:
    folder = tmp_path / "sms"
    folder.mkdir()
    (folder / "send.py").write_text(SCRIPT, encoding="utf-8")
    return folder


def command_sent(folder: Path) -> list[list[str]]:
    log = folder / "sent.jsonl"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_sms_through_a_command_gets_the_number_and_the_text_as_arguments_without_a_shell(
    db_url: str, tmp_path: Path, sms_command: Path
) -> None:
    command = [sys.executable, str(sms_command / "send.py"), "--to", "{to}", "{text}"]
    app, groups = town(db_url, tmp_path, None, {"command": command})
    burglary(app, tmp_path, "R1", "Storgatan 1", hours_ago=3)
    result = groups.send(NOW)
    assert (result.sent, result.failed) == (1, 2)  # e-mail is off: Bo and Cia wait on record
    ((flag, number, words),) = command_sent(sms_command)
    assert (flag, number) == ("--to", ANNA)
    assert words.startswith("Grannsamverkan Storgatan: ett inbrott har skett i närheten.")
    assert words.count("\n") == 3
    waiting = {m.recipient: m.error for m in groups.unsent(NOW)}
    assert waiting == {BO: "e-mail is off: mail.smtp_host is empty",
                       CIA: "e-mail is off: mail.smtp_host is empty"}  # fmt: skip
    app.engine.dispose()


def test_a_shell_would_expand_nothing_in_the_text(tmp_path: Path, sms_command: Path) -> None:
    gateway = CommandGateway((sys.executable, str(sms_command / "send.py"), "{to}", "{text}"), 30)
    gateway.send(ANNA, 'Grannsamverkan "Norr"; $HOME `id` {to}')
    assert command_sent(sms_command) == [[ANNA, 'Grannsamverkan "Norr"; $HOME `id` {to}']]


def test_a_failing_command_names_itself_its_status_and_its_first_line(
    tmp_path: Path, sms_command: Path
) -> None:
    (sms_command / "FAIL").touch()
    gateway = CommandGateway((sys.executable, str(sms_command / "send.py"), "{to}", "{text}"), 30)
    with pytest.raises(DeliveryError) as caught:
        gateway.send(ANNA, "x")
    assert str(caught.value) == f"SMS command {sys.executable} exited with 3: modem not ready"


def test_a_command_that_does_not_end_in_time_fails(tmp_path: Path) -> None:
    sleeper = tmp_path / "sleep.py"
    sleeper.write_text("import time\ntime.sleep(30)\n", encoding="utf-8")
    gateway = CommandGateway((sys.executable, str(sleeper), "{to}", "{text}"), 0.5)
    with pytest.raises(DeliveryError, match=r"no answer within 0\.5 s"):
        gateway.send(ANNA, "x")


def test_a_missing_command_fails_naming_it() -> None:
    gateway = CommandGateway(("/nonexistent/skicka-sms", "{to}", "{text}"), 5)
    with pytest.raises(DeliveryError, match="SMS command /nonexistent/skicka-sms: No such file"):
        gateway.send(ANNA, "x")


def test_the_http_gateway_may_take_form_fields_a_sender_and_basic_auth(
    sms_endpoint: SmsEndpoint,
) -> None:
    settings = SmsSettings(
        url=sms_endpoint.url, format="form", to_field="to", text_field="message",
        sender="Polisen", username="kalmar", password="hemligt",
    )  # fmt: skip
    HttpGateway(settings).send(ANNA, "Hög risk kring Storgatan")
    (got,) = sms_endpoint.received
    assert got["fields"] == {"to": ANNA, "message": "Hög risk kring Storgatan", "from": "Polisen"}
    assert got["authorization"] == "Basic a2FsbWFyOmhlbWxpZ3Q="
    assert got["path"] == "/api/sms"


def test_a_gateway_answer_that_is_no_success_fails_without_the_password(
    sms_endpoint: SmsEndpoint,
) -> None:
    sms_endpoint.status = 503
    url = sms_endpoint.url.replace("http://", "http://kalmar:hemligt@") + "?token=abc"
    gateway = HttpGateway(SmsSettings(url=url, timeout_seconds=5))  # credentials in the URL
    with pytest.raises(DeliveryError) as caught:
        gateway.send(ANNA, "x")
    assert sms_endpoint.received[0]["authorization"] == "Basic a2FsbWFyOmhlbWxpZ3Q="
    said = str(caught.value)
    assert (
        said
        == f"SMS gateway http://127.0.0.1:{sms_endpoint.port}/api/sms: HTTP 503: gateway says no"
    )
    assert "hemligt" not in said and "abc" not in said


def test_a_gateway_nobody_answers_at_fails_in_one_line() -> None:
    gateway = HttpGateway(SmsSettings(url=f"http://127.0.0.1:{free_port()}/sms", timeout_seconds=5))
    with pytest.raises(DeliveryError, match=r"SMS gateway http://127\.0\.0\.1:.*refused"):
        gateway.send(ANNA, "x")


def test_a_gateway_is_one_of_command_or_url_with_its_placeholders() -> None:
    from pydantic import ValidationError

    for bad in (
        {"command": ["send", "{to}", "{text}"], "url": "http://x"},
        {"command": ["send", "{text}"]},
        {"command": ["send", "{to}"]},
        {"url": "ftp://x"},
    ):
        with pytest.raises(ValidationError):
            SmsSettings.model_validate(bad)


# --- failures: on record, tried again, then sent once ---------------------------------------------


def test_a_failing_sms_gateway_is_tried_again_later_and_then_sends_once(
    db_url: str, tmp_path: Path, relay: Relay, sms_endpoint: SmsEndpoint
) -> None:
    app, groups = town(db_url, tmp_path, relay.port, {"url": sms_endpoint.url})
    sms_endpoint.status = 500
    burglary(app, tmp_path, "R1", "Storgatan 1", hours_ago=3)
    first = groups.send(NOW)
    assert (first.sent, first.failed) == (2, 1)
    (waiting,) = groups.unsent(NOW)
    assert (waiting.recipient, waiting.status, waiting.attempts) == (ANNA, "failed", 1)
    assert waiting.error is not None and "HTTP 500" in waiting.error
    assert groups.send(NOW + timedelta(minutes=5)).failed == 1  # still down
    sms_endpoint.status = 200
    back = groups.send(NOW + timedelta(minutes=10))
    assert (back.notices, back.sent, back.failed) == (0, 1, 0)
    assert groups.send(NOW + timedelta(minutes=15)).sent == 0
    assert [to for to, _ in sms_endpoint.texts] == [ANNA]
    assert mails_to(relay) == [BO, CIA]  # the mails went once, at the first pass
    (anna,) = [m for m in groups.messages() if m.recipient == ANNA]
    assert (anna.status, anna.attempts, anna.sent_at) == ("sent", 3, NOW + timedelta(minutes=10))
    assert groups.unsent(NOW + timedelta(minutes=15)) == []
    app.engine.dispose()


def test_a_failing_command_is_tried_again_later_and_then_sends_once(
    db_url: str, tmp_path: Path, sms_command: Path
) -> None:
    (sms_command / "FAIL").touch()
    command = [sys.executable, str(sms_command / "send.py"), "{to}", "{text}"]
    app, groups = town(db_url, tmp_path, None, {"command": command})
    burglary(app, tmp_path, "R1", "Storgatan 1", hours_ago=3)
    groups.send(NOW)
    (sms_command / "FAIL").unlink()
    groups.send(NOW + timedelta(minutes=5))
    groups.send(NOW + timedelta(minutes=10))
    assert [number for number, _ in command_sent(sms_command)] == [ANNA]
    app.engine.dispose()


def test_a_mail_relay_that_was_down_gets_the_mails_at_a_later_pass_once(
    db_url: str, tmp_path: Path, sms_endpoint: SmsEndpoint
) -> None:
    port = free_port()  # nothing listens here yet
    app, groups = town(db_url, tmp_path, port, {"url": sms_endpoint.url})
    burglary(app, tmp_path, "R1", "Storgatan 1", hours_ago=3)
    assert groups.send(NOW).failed == 2
    handler = Relay(port)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        groups.send(NOW + timedelta(minutes=5))
        groups.send(NOW + timedelta(minutes=10))
    finally:
        controller.stop()
    assert mails_to(handler) == [BO, CIA]
    app.engine.dispose()


def test_a_message_is_not_tried_forever(
    db_url: str, tmp_path: Path, sms_endpoint: SmsEndpoint
) -> None:
    sms_endpoint.status = 500
    app, groups = town(db_url, tmp_path, None, {"url": sms_endpoint.url},
                       groups={"max_attempts": 3})  # fmt: skip
    burglary(app, tmp_path, "R1", "Storgatan 1", hours_ago=3)
    tries = [groups.send(NOW + timedelta(minutes=5 * i)).failed for i in range(5)]
    assert tries == [3, 3, 3, 0, 0]  # Anna by SMS, Bo and Cia by e-mail (off): 3 attempts each
    assert len(sms_endpoint.received) == 3
    assert {m.attempts for m in groups.unsent(NOW + timedelta(minutes=25))} == {3}
    assert groups.unsent(NOW + timedelta(days=2)) == []  # a day later it is history
    app.engine.dispose()


def test_two_passes_that_race_send_a_notice_once(
    db_url: str, tmp_path: Path, relay: Relay, sms_endpoint: SmsEndpoint
) -> None:
    app, groups = town(db_url, tmp_path, relay.port, {"url": sms_endpoint.url})
    burglary(app, tmp_path, "R1", "Storgatan 1", hours_ago=3)
    late = groups.owed(NOW)  # what a second pass saw before the first one kept its notices
    groups.send(NOW)
    for reach in late:
        assert groups._decide(reach, (), NOW) is None
    assert len(relay.received) == 2 and len(sms_endpoint.received) == 1
    app.engine.dispose()


def test_owed_messages_without_a_courier_are_refused_not_dropped(
    db_url: str, tmp_path: Path
) -> None:
    from cocoon.errors import ConfigError

    app, _ = town(db_url, tmp_path, None, {})
    burglary(app, tmp_path, "R1", "Storgatan 1", hours_ago=3)
    plain = Installation(app.settings, engine=app.engine)  # as a command that sends nothing
    with pytest.raises(ConfigError, match="no courier"):
        plain.groups.send(NOW)
    assert plain.groups.messages() == []
    app.engine.dispose()


def test_an_installation_hands_its_courier_to_the_group_use_case(tmp_path: Path) -> None:
    from cocoon.config import Settings

    courier = PartnerCourier(Settings().mail, Settings().sms)
    settings = Settings.model_validate({"database": {"url": f"sqlite:///{tmp_path / 'c.sqlite'}"}})
    app = Installation(settings, courier=courier)
    assert app.groups.courier is courier
    app.engine.dispose()


# --- the command line ----------------------------------------------------------------------------


def cocoon(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": "/usr/bin:/bin", "COCOON_OUTPUT__LANGUAGE": "en", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "cocoon.cli", "--db", f"sqlite:///{root / 'cocoon.sqlite'}",
         "--config", str(root / "c.toml"), *args],
        cwd=root, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_groups_load_list_and_send_on_the_command_line(
    tmp_path: Path, relay: Relay, sms_endpoint: SmsEndpoint
) -> None:
    app, _ = town(f"sqlite:///{tmp_path / 'cocoon.sqlite'}", tmp_path, relay.port, {})
    burglary(app, tmp_path, "R1", "Storgatan 1", hours_ago=3)
    app.engine.dispose()
    (tmp_path / "c.toml").write_text(
        f'[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = {relay.port}\nrecipients = ["kp@x.se"]\n'
        f'[sms]\nurl = "{sms_endpoint.url}"\n',
        encoding="utf-8",
    )
    (tmp_path / "bad.csv").write_text(
        'name,contacts,addresses\nTrasig,"Eva, sms, 08-123",Storgatan 1\n', encoding="utf-8"
    )
    bad = cocoon(tmp_path, "groups", "load", "bad.csv")
    assert bad.returncode == 1
    assert (
        "bad.csv, line 2, field contacts: contact 1 (Eva): '08-123' is not a Swedish" in bad.stderr
    )
    assert bad.stderr.strip().endswith("cocoon: error: 1 group row(s) rejected")
    reload = cocoon(tmp_path, "groups", "load", "grupper.csv")
    assert reload.returncode == 0, reload.stderr
    assert "grupper.csv: 4 group(s) (replacing 4 loaded earlier from this file)" in reload.stdout
    at = (NOW + timedelta(minutes=1)).isoformat()
    listed = cocoon(tmp_path, "groups", "list", "--at", at)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    storgatan = lines.index(
        next(line for line in lines if line.startswith("Grannsamverkan Storgatan"))
    )
    assert "area 0.06 km²" in lines[storgatan]
    assert lines[storgatan + 1].split() == ["sms", ANNA, "Anna"]
    assert lines[storgatan + 3].startswith("  zones now: Z-") and "(high)" in lines[storgatan + 3]
    assert "1 address(es)" in next(line for line in lines if line.startswith("Bostadsbolaget"))
    sent = cocoon(tmp_path, "groups", "send", "--at", at)
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.strip() == "group messages: 2 notice(s), 3 sent, 0 failed"
    assert mails_to(relay) == [BO, CIA] and [to for to, _ in sms_endpoint.texts] == [ANNA]
    again = cocoon(tmp_path, "groups", "send", "--at", at)
    assert again.stdout.strip() == "group messages: 0 notice(s), 0 sent, 0 failed"
    listed = cocoon(tmp_path, "groups", "list", "--at", at)
    assert "  messages sent: 2" in listed.stdout


def test_groups_send_with_a_channel_down_exits_non_zero_naming_it(
    tmp_path: Path, sms_endpoint: SmsEndpoint
) -> None:
    app, _ = town(f"sqlite:///{tmp_path / 'cocoon.sqlite'}", tmp_path, None, {})
    burglary(app, tmp_path, "R1", "Storgatan 1", hours_ago=3)
    app.engine.dispose()
    sms_endpoint.status = 500
    (tmp_path / "c.toml").write_text(f'[sms]\nurl = "{sms_endpoint.url}"\n', encoding="utf-8")
    sent = cocoon(tmp_path, "groups", "send", "--at", NOW.isoformat())
    assert sent.returncode == 1
    assert "not sent: Grannsamverkan Storgatan → Anna: SMS gateway" in sent.stderr
    assert sent.stderr.strip().endswith(
        "cocoon: error: 3 group message(s) not sent; tried again at the next send"
    )


def test_the_service_poll_tells_the_groups_and_keeps_the_counts_on_record(
    db_url: str, tmp_path: Path, relay: Relay, sms_endpoint: SmsEndpoint
) -> None:
    from cocoon.service.scheduler import Service

    app, _ = town(db_url, tmp_path, relay.port, {"url": sms_endpoint.url})
    sms_endpoint.status = 500
    burglary(app, tmp_path, "R1", "Storgatan 1", hours_ago=3)
    Service(app, clock=lambda: NOW).poll(NOW)
    (run,) = app.runs.last(1)
    assert run.counts["group_messages"] == 2 and run.counts["group_messages_failed"] == 1
    assert mails_to(relay) == [BO, CIA, "kp@example.se"]  # and the alert to the kommunpolis
    app.engine.dispose()
