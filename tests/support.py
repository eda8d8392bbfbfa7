"""What the tests share that is not a fixture: the town's constants, report and rules factories,
the shared data, and the one factory of an initialised installation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cocoon.app import rules as from_settings
from cocoon.app.installation import Installation
from cocoon.config import Settings
from cocoon.core.geo import Projection
from cocoon.core.model import Premises, Report
from cocoon.core.public_map import PublicRules
from cocoon.core.risk import RiskRules
from cocoon.core.signs.rules import SignRules
from cocoon.core.visits import VisitRules

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
KALMAR = (16.3568, 56.6634)  # lon, lat of central Kalmar
SWEREF = Projection("EPSG:3006")

#: The rules every installation starts with: the settings model's defaults.
DEFAULTS = Settings()

#: Sets up an initialised installation on a database URL, with its folders under a root.
AppSetup = Callable[[str, Path], Installation]


def shared_file(relative: str) -> Path:
    """A file of ../shared/data, or skip the test saying where it was looked for."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"real data not found: {path} (the ../shared folder beside the project)")
    return path


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def risk_rules(**changes: Any) -> RiskRules:
    """The default risk rules, with some changed."""
    return replace(from_settings.risk_rules(DEFAULTS), **changes)


def visit_rules(**changes: Any) -> VisitRules:
    """The default visit rules, with some changed."""
    return replace(from_settings.visit_rules(DEFAULTS), **changes)


def sign_rules(**changes: Any) -> SignRules:
    """The default sign rules, with some changed."""
    return replace(from_settings.sign_rules(DEFAULTS), **changes)


def public_rules(**changes: Any) -> PublicRules:
    """The default public-map rules, with some changed."""
    return replace(from_settings.public_rules(DEFAULTS), **changes)


def report(
    report_id: str = "R1",
    at: datetime = datetime(2026, 11, 1, 12, tzinfo=UTC),
    *,
    offset_m: tuple[float, float] = (0.0, 0.0),
    projection: Projection = SWEREF,
    **fields: object,
) -> Report:
    """A located villa burglary reported at `at`, `offset_m` metres from central Kalmar."""
    x, y = projection.point_to_metric(*KALMAR)
    lon, lat = projection.point_to_wgs84(x + offset_m[0], y + offset_m[1])
    values: dict[str, object] = {
        "report_id": report_id,
        "reported_at": at,
        "premises": Premises.VILLA,
        "lon": lon,
        "lat": lat,
        "zone_key": f"Z-{report_id}",
    }
    values.update(fields)
    return Report(**values)  # type: ignore[arg-type]


def make_app(url: str, **sections: dict[str, object]) -> Installation:
    """An initialised installation on `url` with some settings changed; with mail settings, it
    mails through the SMTP relay they name, as the service does."""
    data: dict[str, object] = {"database": {"url": url}}
    data.update(sections)
    settings = Settings.model_validate(data)
    mailer = None
    if settings.mail.enabled:
        from cocoon.service.mail import SmtpMailer

        mailer = SmtpMailer(settings.mail)
    app = Installation(settings, mailer=mailer)
    app.init()
    return app


def plain_app(url: str, root: Path) -> Installation:
    """An initialised installation with the default settings, its rejects under `root`."""
    return make_app(url, ingest={"rejects_dir": str(root / "rejects")})
