"""Alert e-mails through the local SMTP relay the settings name."""

from __future__ import annotations

import mimetypes
import smtplib
import unicodedata
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from cocoon.config import MailSettings
from cocoon.errors import DeliveryError


def header_text(value: str) -> str:
    """A header value on one line: control, format and line-separator characters become a
    space, so no text from an input file can end a header or start a forged one."""
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in value
    )
    return " ".join(cleaned.split())


def message(
    settings: MailSettings, subject: str, body: str, attachments: Sequence[Path] = ()
) -> EmailMessage:
    """The e-mail: UTF-8 text, and the files attached when the settings say so."""
    msg = EmailMessage()
    msg["From"] = header_text(settings.sender)
    msg["To"] = ", ".join(header_text(r) for r in settings.recipients)
    msg["Subject"] = header_text(subject)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=header_text(settings.sender).rpartition("@")[2] or None)
    msg.set_content(body)
    for path in attachments if settings.attach else ():
        kind, _ = mimetypes.guess_type(path.name)
        main, _, sub = (kind or "application/octet-stream").partition("/")
        msg.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
    return msg


def send(settings: MailSettings, msg: EmailMessage) -> None:
    """Hand the message to the relay; any failure is one DeliveryError naming the relay."""
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.timeout_seconds
        ) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.username:
                smtp.login(settings.username, settings.password)
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"mail relay {where}: {exc}") from exc


class SmtpMailer:
    """The alert use case's mailer: each alert as one e-mail through the configured relay."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    def send(self, subject: str, body: str, attachments: Sequence[Path]) -> None:
        send(self.settings, message(self.settings, subject, body, attachments))
