"""Settings: one validated model read from TOML, with COCOON_* environment overrides.

Every field here is documented in config/default.toml; a test keeps the two in step.
"""

from __future__ import annotations

import os
import tomllib
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pyproj import CRS
from pyproj.exceptions import CRSError

from cocoon.core.model import Premises
from cocoon.errors import ConfigError
from cocoon.messages import (
    BBOX_ORDER,
    CLEARANCE_OVER_HALF_GRID,
    CONFIG_ENVIRONMENT,
    CONFIG_FOLDER,
    CONFIG_INVALID,
    CONFIG_INVALID_WHOLE,
    CONFIG_MISSING,
    CONFIG_NOT_A_SECTION,
    CONFIG_NOT_TOML,
    CONFIG_NOT_UTF8,
    CONFIG_TOO_LARGE,
    CONFIG_UNKNOWN_SECTION,
    CONFIG_UNKNOWN_SETTING,
    CONFIG_UNREADABLE,
    CRS_NOT_METRIC,
    MAIL_WITHOUT_RECIPIENTS,
    NOT_A_CLOCK_TIME,
    SETTING_FILE_MISSING,
    UNKNOWN_COLUMNS,
    UNKNOWN_CRS,
    UNKNOWN_TIME_ZONE,
    Message,
    os_reason,
)

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

#: Columns of the report input contract (README, "Input formats"); a mapping may only name these.
REPORT_COLUMNS = (
    "report_id",
    "reported_at",
    "occurred_from",
    "occurred_to",
    "lat",
    "lon",
    "easting",
    "northing",
    "address",
    "premises",
    "attempt",
)

#: A settings file is a page of TOML; anything larger is the wrong file (or /dev/zero).
MAX_CONFIG_BYTES = 1024**2

#: Environment variables that are not settings overrides.
SPECIAL_ENV = {"COCOON_DB": ("database", "url")}  # COCOON_CONFIG names the file


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AreaSettings(_Section):
    name: str = "Sverige"
    bbox: tuple[float, float, float, float] = (10.9, 55.3, 24.2, 69.1)
    boundary: str = ""
    crs: str = "EPSG:3006"
    timezone: str = "Europe/Stockholm"

    @field_validator("bbox")
    @classmethod
    def _bbox_in_order(cls, v: tuple[float, float, float, float]) -> tuple[float, ...]:
        min_lon, min_lat, max_lon, max_lat = v
        if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
            raise ValueError(BBOX_ORDER())
        return v

    @field_validator("crs")
    @classmethod
    def _crs_is_metric(cls, v: str) -> str:
        try:
            crs = CRS.from_user_input(v)
        except CRSError as exc:
            raise ValueError(UNKNOWN_CRS(crs=v)) from exc
        if not crs.is_projected or crs.axis_info[0].unit_name not in ("metre", "meter"):
            raise ValueError(CRS_NOT_METRIC(crs=v))
        return v

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(UNKNOWN_TIME_ZONE(zone=v)) from exc
        return v


class RiskSettings(_Section):
    radius_m: float = Field(500.0, gt=0, le=5000)
    high_risk_days: int = Field(14, ge=1, le=365)
    elevated_risk_days: int = Field(42, ge=0, le=365)
    counted_premises: tuple[Premises, ...] = (Premises.VILLA, Premises.RADHUS, Premises.LAGENHET)
    count_attempts: bool = True


class DatabaseSettings(_Section):
    url: str = "sqlite:///var/cocoon.sqlite"


class IngestSettings(_Section):
    rejects_dir: str = "var/rejects"
    future_tolerance_minutes: int = Field(10, ge=0)
    columns: dict[str, str] = Field(default_factory=dict)
    premises_values: dict[str, Premises] = Field(default_factory=dict)
    feed_types: tuple[str, ...] = ("Inbrott", "Inbrott, försök", "Stöld/inbrott")

    @field_validator("columns")
    @classmethod
    def _columns_are_contract_columns(cls, v: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(v) - set(REPORT_COLUMNS))
        if unknown:
            known = ", ".join(REPORT_COLUMNS)
            raise ValueError(UNKNOWN_COLUMNS(unknown=", ".join(unknown), known=known))
        return v


class VisitsSettings(_Section):
    radius_m: float = Field(0.0, ge=0, le=5000)  # 0: the zone radius (risk.radius_m)
    cap: int = Field(60, ge=1, le=10000)
    sheet_size: int = Field(20, ge=1, le=500)
    revisit_days: int = Field(14, ge=0, le=365)
    victim_match_m: float = Field(5.0, ge=0, le=50)
    same_side_bonus_m: float = Field(50.0, ge=0, le=1000)
    unknown_dwelling: Literal["door", "stairwell"] = "door"
    leaflet: str = ""


class LeafletsSettings(_Section):
    languages: tuple[str, ...] = ("sv",)
    by_postcode: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""

    @field_validator("languages")
    @classmethod
    def _some_built_in(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if not v:
            raise ValueError("name at least one language")
        return _built_in_leaflets(v)

    @field_validator("by_postcode")
    @classmethod
    def _postcodes_and_languages(cls, v: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for prefix, languages in v.items():
            if not prefix.replace(" ", "").isdigit():
                raise ValueError(f"{prefix!r} is not the start of a postcode (digits)")
            _built_in_leaflets(languages)
        return v


def _built_in_leaflets(languages: tuple[str, ...]) -> tuple[str, ...]:
    """The languages, if cocoon has a leaflet in each of them."""
    from cocoon.texts import leaflet_codes

    unknown = [code for code in languages if code not in leaflet_codes()]
    if unknown:
        raise ValueError(f"no built-in leaflet in {', '.join(unknown)}; known: "
                         f"{', '.join(leaflet_codes())}")  # fmt: skip
    return languages


class SignsSettings(_Section):
    first_signs: int = Field(2, ge=0, le=20)
    max_signs: int = Field(5, ge=0, le=50)
    spacing_m: float = Field(150.0, ge=0, le=2000)
    clearance_m: float = Field(100.0, ge=0, le=1000)
    on_road_m: float = Field(5.0, ge=0, le=50)
    entry_inset_m: float = Field(15.0, ge=0, le=200)
    take_down: Literal["elevated", "high"] = "elevated"


class ExportSettings(_Section):
    public_grid_m: float = Field(250.0, ge=50, le=5000)
    public_clearance_m: float = Field(75.0, ge=0, le=1000)

    @model_validator(mode="after")
    def _clearance_fits_the_grid(self) -> ExportSettings:
        if self.public_clearance_m >= self.public_grid_m / 2:
            raise ValueError(CLEARANCE_OVER_HALF_GRID())
        return self


class OutputSettings(_Section):
    language: Literal["sv", "en"] = "sv"
    csv_format: Literal["standard", "excel"] = "standard"
    internal_access: Literal["owner", "group"] = "owner"


class ServiceSettings(_Section):
    inbox_dir: str = "var/inbox"
    processed_dir: str = "var/processed"
    rejected_dir: str = "var/rejected"
    outbox_dir: str = "var/outbox"
    alert_log: str = "var/outbox/alerts.log"
    daily_dir: str = "var/daily"
    poll_seconds: int = Field(300, ge=1, le=86400)
    settle_seconds: int = Field(10, ge=0, le=3600)
    daily_time: str = "06:00"
    daily_grace_hours: float = Field(6.0, gt=0, le=23)
    keep_idle_runs_days: int = Field(7, ge=1, le=3650)

    @field_validator("daily_time")
    @classmethod
    def _clock_time(cls, v: str) -> str:
        try:
            time.fromisoformat(v)
        except ValueError as exc:
            raise ValueError(NOT_A_CLOCK_TIME(text=v)) from exc
        return v

    @property
    def daily_clock(self) -> time:
        return time.fromisoformat(self.daily_time)


class MailSettings(_Section):
    smtp_host: str = ""
    smtp_port: int = Field(25, ge=1, le=65535)
    starttls: bool = False
    username: str = ""
    password: str = ""
    sender: str = "cocoon@localhost"
    recipients: tuple[str, ...] = ()
    attach: bool = True
    timeout_seconds: float = Field(30.0, gt=0, le=600)
    max_attempts: int = Field(5, ge=1, le=100)

    @model_validator(mode="after")
    def _recipients_when_on(self) -> MailSettings:
        if self.smtp_host and not self.recipients:
            raise ValueError(MAIL_WITHOUT_RECIPIENTS())
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.smtp_host)


class WebSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    threads: int = Field(4, ge=1, le=64)
    session_idle_minutes: int = Field(30, ge=1, le=24 * 60)
    session_max_hours: float = Field(12.0, gt=0, le=24 * 7)
    cookie_secure: bool = True
    trusted_proxies: tuple[str, ...] = ()
    proxy_user_header: str = ""
    login_failures_per_user: int = Field(5, ge=1, le=1000)
    login_failures_per_address: int = Field(20, ge=1, le=10000)
    login_window_minutes: int = Field(15, ge=1, le=24 * 60)
    upload_max_mb: int = Field(20, ge=1, le=1024)
    with_service: bool = False


class GroupsSettings(_Section):
    """Messages to partner groups (Grannsamverkan, housing companies): `cocoon groups`."""

    max_attempts: int = Field(5, ge=1, le=100)


class SmsSettings(_Section):
    """The SMS gateway of the group messages: a command, or an HTTP endpoint."""

    command: tuple[str, ...] = ()
    url: str = ""
    format: Literal["json", "form"] = "json"
    to_field: str = Field("to", min_length=1)
    text_field: str = Field("message", min_length=1)
    sender: str = ""
    sender_field: str = Field("from", min_length=1)
    username: str = ""
    password: str = ""
    timeout_seconds: float = Field(30.0, gt=0, le=600)

    @model_validator(mode="after")
    def _one_gateway(self) -> SmsSettings:
        if self.command and self.url:
            raise ValueError("give sms.command or sms.url, not both")
        if self.command and not any("{to}" in arg for arg in self.command):
            raise ValueError("sms.command needs a {to} placeholder for the phone number")
        if self.command and not any("{text}" in arg for arg in self.command):
            raise ValueError("sms.command needs a {text} placeholder for the message")
        if self.url and not self.url.startswith(("http://", "https://")):
            raise ValueError("sms.url must start with http:// or https://")
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.command or self.url)


class Settings(_Section):
    area: AreaSettings = AreaSettings()
    risk: RiskSettings = RiskSettings()
    database: DatabaseSettings = DatabaseSettings()
    ingest: IngestSettings = IngestSettings()
    visits: VisitsSettings = VisitsSettings()
    leaflets: LeafletsSettings = LeafletsSettings()
    signs: SignsSettings = SignsSettings()
    export: ExportSettings = ExportSettings()
    output: OutputSettings = OutputSettings()
    service: ServiceSettings = ServiceSettings()
    mail: MailSettings = MailSettings()
    web: WebSettings = WebSettings()
    groups: GroupsSettings = GroupsSettings()
    sms: SmsSettings = SmsSettings()

    @model_validator(mode="after")
    def _boundary_exists(self) -> Settings:
        if self.area.boundary and not Path(self.area.boundary).is_file():
            raise ValueError(SETTING_FILE_MISSING(setting="area.boundary", path=self.area.boundary))
        if self.visits.leaflet and not Path(self.visits.leaflet).is_file():
            raise ValueError(
                SETTING_FILE_MISSING(setting="visits.leaflet", path=self.visits.leaflet)
            )
        return self


def load_settings(path: str | Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read a TOML file (or $COCOON_CONFIG, or the defaults), apply COCOON_* overrides, validate."""
    env = dict(os.environ if env is None else env)
    path = path or env.get("COCOON_CONFIG") or None
    data: dict[str, Any] = {}
    source: str | Message = CONFIG_ENVIRONMENT()  # the defaults are valid: what else is wrong
    if path is not None:
        source = str(path)
        data = _read_toml(Path(path))
        for section in Settings.model_fields:
            if section in data and not isinstance(data[section], dict):
                raise ConfigError(CONFIG_NOT_A_SECTION(source=source, section=section))
    overridden = _apply_env(data, env)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(str(p) for p in first["loc"])
        reason = _reason(first)
        origin: str | Message = source
        if len(loc) >= 2 and (loc[0], loc[1]) in overridden:
            origin = overridden[(loc[0], loc[1])]  # an environment override names its variable
        if not loc:
            raise ConfigError(CONFIG_INVALID_WHOLE(source=origin, reason=reason)) from exc
        raise ConfigError(
            CONFIG_INVALID(source=origin, setting=".".join(loc), reason=reason)
        ) from exc


def _reason(error: ErrorDetails) -> str | Message:
    """Why a setting is wrong: a validator's own message (said in either language), else
    pydantic's English."""
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, ValueError) and cause.args and isinstance(cause.args[0], Message):
        return cause.args[0]
    return error["msg"].removeprefix("Value error, ")


def _read_toml(path: Path) -> dict[str, Any]:
    """The TOML file's tables, or a ConfigError naming the file and what is wrong with it."""
    name = str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError as exc:
        raise ConfigError(CONFIG_MISSING(path=name)) from exc
    except IsADirectoryError as exc:
        raise ConfigError(CONFIG_FOLDER(path=name)) from exc
    except OSError as exc:
        raise ConfigError(CONFIG_UNREADABLE(path=name, reason=os_reason(exc))) from exc
    except ValueError as exc:  # a NUL in the name
        raise ConfigError(CONFIG_UNREADABLE(path=name, reason=str(exc))) from exc
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(CONFIG_TOO_LARGE(path=name, limit=MAX_CONFIG_BYTES // 1024**2))
    try:
        text = raw.decode("utf-8-sig")  # Notepad's byte order mark is fine
    except UnicodeDecodeError as exc:
        raise ConfigError(CONFIG_NOT_UTF8(path=name, position=exc.start)) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(CONFIG_NOT_TOML(path=name, reason=str(exc))) from exc


def _apply_env(data: dict[str, Any], env: dict[str, str]) -> dict[tuple[str, str], str]:
    """COCOON_SECTION__KEY=value overrides one setting; the value is read as TOML if it can be.

    Returns the variable that set each (section, key), so an error can name it.
    """
    overridden: dict[tuple[str, str], str] = {}
    for name, value in sorted(env.items()):
        if name in SPECIAL_ENV:
            section, key = SPECIAL_ENV[name]
        elif name.startswith("COCOON_") and "__" in name:
            section, _, key = name[len("COCOON_") :].lower().partition("__")
        else:
            continue
        fields = Settings.model_fields
        if section not in fields:
            raise ConfigError(CONFIG_UNKNOWN_SECTION(name=name, section=section))
        section_model = fields[section].annotation
        assert isinstance(section_model, type) and issubclass(section_model, BaseModel)
        if key not in section_model.model_fields:
            raise ConfigError(CONFIG_UNKNOWN_SETTING(name=name, section=section, key=key))
        data.setdefault(section, {})[key] = _toml_value(value)
        overridden[(section, key)] = name
    return overridden


def _toml_value(text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
