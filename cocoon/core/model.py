"""Plain records the core works on: reports, addresses and the values they take."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Premises(StrEnum):
    """Kind of burgled premises, as in the report input contract."""

    VILLA = "villa"
    RADHUS = "radhus"
    LAGENHET = "lagenhet"
    FRITIDSHUS = "fritidshus"
    OTHER = "other"


class Level(StrEnum):
    """Risk level at a place; the order of the members is their rank, highest first."""

    HIGH = "high"
    ELEVATED = "elevated"


class Dwelling(StrEnum):
    """How a door is visited: a small house gets a knock, a block of flats a stairwell notice."""

    SMAHUS = "smahus"
    FLERBOSTADSHUS = "flerbostadshus"


class LocatedBy(StrEnum):
    """Where a report's point came from, so a hand-placed point survives a re-ingest."""

    COORDINATES = "coordinates"
    ADDRESS = "address"
    MANUAL = "manual"


@dataclass(frozen=True, slots=True)
class Report:
    """One burglary report; times are aware UTC, the point is WGS 84 (None when unlocated)."""

    report_id: str
    reported_at: datetime
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    premises: Premises = Premises.VILLA
    attempt: bool = False
    lon: float | None = None
    lat: float | None = None
    address: str | None = None
    address_id: str | None = None
    located_by: LocatedBy | None = None
    zone_key: str = ""
    retracted: bool = False

    @property
    def located(self) -> bool:
        return self.lon is not None and self.lat is not None


@dataclass(frozen=True, slots=True)
class Address:
    """One residential address point of the register; lon/lat in WGS 84."""

    address_id: str
    street: str
    number: str
    lon: float
    lat: float
    postcode: str | None = None
    town: str | None = None
    dwelling: Dwelling | None = None

    @property
    def label(self) -> str:
        """The address as a person writes it: 'Storgatan 12B, Kalmar'."""
        town = f", {self.town}" if self.town else ""
        return f"{self.street} {self.number}{town}"


@dataclass(frozen=True, slots=True)
class Road:
    """One road or path of the network: its class (OSM `highway` value), name and WGS 84 line."""

    road_class: str
    coords: tuple[tuple[float, float], ...]
    name: str | None = None
    source_id: str | None = None


def content_fingerprint(report: Report) -> str:
    """Hash of what a source said about a report: equal hashes make a re-ingest a no-op."""

    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    content = [
        iso(report.reported_at),
        iso(report.occurred_from),
        iso(report.occurred_to),
        report.premises.value,
        report.attempt,
        None if report.lon is None else round(report.lon, 7),
        None if report.lat is None else round(report.lat, 7),
        report.address,
    ]
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()
