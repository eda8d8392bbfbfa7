"""Group messages out: SMS through the configured gateway (a command or an HTTP endpoint), and
e-mail through the alert relay (mail.py's message and sending, to one contact).

The group use case's courier: every failure is one DeliveryError naming the gateway or relay,
never a password or a traceback.
"""

from __future__ import annotations

import base64
import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from cocoon.config import MailSettings, SmsSettings
from cocoon.core.groups import Channel
from cocoon.errors import DeliveryError
from cocoon.service import mail

#: At most this much of a failing gateway's answer goes into the error.
_ANSWER_CHARS = 200


class SmsGateway(Protocol):
    """Sends one text to one mobile number; a failure is a DeliveryError."""

    def send(self, to: str, text: str) -> None: ...


class CommandGateway:
    """An SMS program run without a shell: {to} and {text} in its arguments are filled in.

    Exit status 0 is sent; anything else, or no end within the timeout, is a failure that
    names the program and its first line of stderr.
    """

    def __init__(self, argv: tuple[str, ...], timeout: float) -> None:
        self.argv = argv
        self.timeout = timeout

    def send(self, to: str, text: str) -> None:
        args = [arg.replace("{to}", to).replace("{text}", text) for arg in self.argv]
        program = self.argv[0]
        try:
            done = subprocess.run(
                args,
                capture_output=True,
                timeout=self.timeout,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise DeliveryError(
                f"SMS command {program}: no answer within {self.timeout:g} s"
            ) from None
        except OSError as exc:
            raise DeliveryError(f"SMS command {program}: {exc.strerror or exc}") from exc
        if done.returncode != 0:
            said = _first_line(done.stderr.decode("utf-8", "replace")) or "no message"
            raise DeliveryError(f"SMS command {program} exited with {done.returncode}: {said}")


class HttpGateway:
    """An SMS endpoint the message is POSTed to (JSON or form fields); a 2xx answer is sent."""

    def __init__(self, settings: SmsSettings) -> None:
        self.settings = settings

    def send(self, to: str, text: str) -> None:
        s = self.settings
        fields = {s.to_field: to, s.text_field: text}
        if s.sender:
            fields[s.sender_field] = s.sender
        if s.format == "json":
            data = json.dumps(fields, ensure_ascii=False).encode("utf-8")
            kind = "application/json; charset=utf-8"
        else:
            data = urllib.parse.urlencode(fields).encode("ascii")
            kind = "application/x-www-form-urlencoded"
        url, user, password = _credentials(s.url)
        request = urllib.request.Request(url, data=data, method="POST")
        request.add_header("Content-Type", kind)
        if s.username or user:
            pair = f"{s.username}:{s.password}" if s.username else f"{user}:{password}"
            token = base64.b64encode(pair.encode()).decode("ascii")
            request.add_header("Authorization", f"Basic {token}")
        where = _safe_url(s.url)
        try:
            with urllib.request.urlopen(request, timeout=s.timeout_seconds) as answer:
                status = int(answer.status)
        except urllib.error.HTTPError as exc:
            body = _first_line(exc.read().decode("utf-8", "replace"))
            raise DeliveryError(
                f"SMS gateway {where}: HTTP {exc.code}" + (f": {body}" if body else "")
            ) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise DeliveryError(f"SMS gateway {where}: {reason}") from None
        if not 200 <= status < 300:
            raise DeliveryError(f"SMS gateway {where}: HTTP {status}")


def sms_gateway(settings: SmsSettings) -> SmsGateway | None:
    """The gateway the settings name, or None when SMS is off."""
    if settings.command:
        return CommandGateway(settings.command, settings.timeout_seconds)
    if settings.url:
        return HttpGateway(settings)
    return None


class PartnerCourier:
    """The group use case's courier: e-mail through the relay of [mail], SMS through [sms].

    A channel that is not set up is a failure on record (and tried again), not a message lost.
    """

    def __init__(
        self, mail_settings: MailSettings, sms_settings: SmsSettings, sms: SmsGateway | None = None
    ) -> None:
        self.mail = mail_settings
        self.sms = sms if sms is not None else sms_gateway(sms_settings)

    def deliver(self, channel: Channel, to: str, subject: str, body: str) -> None:
        if channel is Channel.SMS:
            if self.sms is None:
                raise DeliveryError("no SMS gateway: set sms.command or sms.url")
            self.sms.send(to, body)
            return
        if not self.mail.enabled:
            raise DeliveryError("e-mail is off: mail.smtp_host is empty")
        one = self.mail.model_copy(update={"recipients": (to,), "attach": False})
        mail.send(one, mail.message(one, subject, body))


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:_ANSWER_CHARS]


def _credentials(url: str) -> tuple[str, str, str]:
    """The URL without a user and password written into it (urllib sends none), and those."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, "", ""
    host = parts.netloc.rpartition("@")[2]
    bare = urllib.parse.urlunsplit(parts._replace(netloc=host))
    user = urllib.parse.unquote(parts.username)
    return bare, user, urllib.parse.unquote(parts.password or "")


def _safe_url(url: str) -> str:
    """The URL without user, password or query (a token may hide there)."""
    parts = urllib.parse.urlsplit(url)
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a port that is no number: the request fails and says so
        port = ""
    return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"
