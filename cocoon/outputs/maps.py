"""The map exports' content record, and what every map format shares: layers, fields, words
and colours, decided here once so a zone is called and coloured the same in QGIS, Google
Earth, the offline HTML map and the PNG.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import cached_property
from typing import Any, Literal

import shapely
from shapely.geometry.base import BaseGeometry

from cocoon.core.geo import Projection
from cocoon.core.maps import MapContent, ReportPoint, SignOnMap, StopOnMap
from cocoon.core.model import Address, Level, Road
from cocoon.core.profile import Profile
from cocoon.core.risk import ZoneShape
from cocoon.core.visits import VisitKind
from cocoon.i18n import Language, text

#: Printed wherever the loaded roads are drawn: they come from OpenStreetMap (ODbL).
ATTRIBUTION = "© OpenStreetMap contributors"

#: Colours of everything a map draws, by style key. Zone fills are drawn at FILL_OPACITY.
COLOURS = {
    "high": "#d7301f",
    "elevated": "#f28c28",
    "sign": "#1f5fa8",
    "report": "#5c0a1f",
    "stop-visited": "#1a9850",
    "stop-not_home": "#8c6bb1",
    "stop-declined": "#3d3d3d",
    "stop-pending": "#ffffff",
    "address": "#8c8c8c",
    "road": "#b4b4b4",
    "path": "#cccccc",
    "ink": "#1a1a1a",
    "name": "#333333",
}
FILL_OPACITY = 0.35

FieldKind = Literal["str", "strs", "int", "float", "bool", "date", "datetime"]
#: How a legend entry draws its style.
Shape = Literal["area", "circle", "triangle", "cross", "dot", "line"]


@dataclass(frozen=True)
class Field:
    """A layer's attribute and its type (GeoPackage column types follow it)."""

    name: str
    kind: FieldKind


@dataclass(frozen=True)
class Feature:
    """One object of a layer: metric geometry, field values, style key, and what people read."""

    geometry: BaseGeometry
    values: dict[str, Any]  # by field name
    style: str
    title: str
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Layer:
    """A named layer: a GeoPackage table, a KML folder, a group on the HTML map."""

    name: str
    label: str
    geometry_type: Literal["MultiPolygon", "Point"]
    fields: tuple[Field, ...]
    features: tuple[Feature, ...]

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        for feature in self.features:
            if list(feature.values) != names:
                raise ValueError(f"{self.name}: values {list(feature.values)} for fields {names}")


@dataclass(frozen=True)
class LegendEntry:
    style: str
    label: str
    shape: Shape


@dataclass(frozen=True)
class ExportMap:
    """What a map export shows: a publication (the profile already applied), the base layer
    (loaded roads; register addresses on internal maps only) and how to present it."""

    publication: MapContent
    at: datetime
    projection: Projection
    tz: tzinfo
    language: Language = "sv"
    roads: tuple[Road, ...] = ()
    addresses: tuple[Address, ...] = ()

    def __post_init__(self) -> None:
        if self.addresses and not self.publication.shows_addresses:
            raise ValueError("a public map never carries register addresses")

    @property
    def public(self) -> bool:
        return self.publication.profile is Profile.PUBLIC

    def t(self, key: str, **values: object) -> str:
        return text(key, self.language, **values)

    def when(self, moment: datetime | None) -> str:
        """A local time as people read it: '2026-11-24 07:00'."""
        return moment.astimezone(self.tz).strftime("%Y-%m-%d %H:%M") if moment else ""

    @property
    def title(self) -> str:
        return self.t("zones_at", at=self.when(self.at))

    @property
    def note(self) -> str:
        """What the map is: generalised for anyone, or internal."""
        if self.public:
            return self.t("export_public_note", grid=f"{self.publication.grid_m:g}")
        return self.t("export_internal_note")

    @property
    def frame(self) -> tuple[float, float, float, float] | None:
        """The metric box the map shows (None: nothing to show)."""
        return self.publication.frame()

    @cached_property
    def layers(self) -> list[Layer]:
        """The profile's layers in drawing order; internal maps list empty layers too."""
        pub = self.publication
        if self.public:
            return [self._zone_layer(pub.zones)]
        return [
            self._zone_layer(pub.zones),
            self._stop_layer(pub.stops),
            self._sign_layer(pub.signs),
            self._report_layer(pub.reports),
        ]

    def legend(self) -> list[LegendEntry]:
        """The styles the map uses, in a fixed order, with their labels."""
        used = {f.style for layer in self.layers for f in layer.features}
        entries = [
            LegendEntry("high", self.t("export_legend_high"), "area"),
            LegendEntry("elevated", self.t("export_legend_elevated"), "area"),
            LegendEntry("report", self.t("export_legend_report"), "cross"),
            LegendEntry("sign", self.t("sign_legend_sign"), "triangle"),
            *(
                LegendEntry(f"stop-{o}", self._outcome(o), "circle")
                for o in ("visited", "not_home", "declined", "pending")
            ),
        ]
        out = [e for e in entries if e.style in used]
        if self.addresses:
            out.append(LegendEntry("address", self.t("export_legend_address"), "dot"))
        if self.roads:
            out.append(LegendEntry("road", self.t("export_legend_road"), "line"))
        return out

    # -- layers -------------------------------------------------------------------------------

    def _zone_layer(self, zones: Sequence[ZoneShape]) -> Layer:
        fields = [
            Field("zone_id", "str"),
            Field("level", "str"),
            Field("level_until", "datetime"),
            Field("level_until_day", "date"),
            Field("area_km2", "float"),
        ]
        if not self.public:
            fields += [Field("report_ids", "strs"), Field("reports", "int")]
        features = []
        for z in sorted(zones, key=lambda z: z.level is Level.HIGH):  # high drawn over elevated
            day = z.last_day(self.tz)
            values: dict[str, Any] = {
                "zone_id": z.zone_id,
                "level": z.level.value,
                "level_until": z.until,
                "level_until_day": day,
                "area_km2": round(z.area.area / 1e6, 3),
            }
            level = self.t(f"export_legend_{z.level.value}")
            if self.public:
                title = self.t("export_zone_through", level=level, day=day.isoformat())
                until = (self.t("export_field_last_day"), day.isoformat())
            else:
                values |= {"report_ids": z.report_ids, "reports": len(z.report_ids)}
                title = self.t("export_zone_until", level=level, until=self.when(z.until))
                until = (self.t("export_field_until"), self.when(z.until))
            rows = [
                (self.t("export_field_level"), level),
                until,
                (self.t("roster_zone"), z.zone_id),
                (self.t("export_field_area"), f"{z.area.area / 1e6:.2f} km²"),
            ]
            if not self.public:
                rows.append((self.t("export_field_reports"), ", ".join(z.report_ids)))
            features.append(Feature(z.area, values, z.level.value, title, tuple(rows)))
        return Layer(
            "zones", self.t("export_layer_zones"), "MultiPolygon", tuple(fields), tuple(features)
        )

    def _sign_layer(self, signs: Sequence[SignOnMap]) -> Layer:
        fields = (
            Field("sign_id", "str"),
            Field("zone_id", "str"),
            Field("status", "str"),
            Field("put_up", "date"),
            Field("take_down", "date"),
            Field("description", "str"),
            Field("on_road", "bool"),
        )
        features = []
        for placed in signs:
            s = placed.sign
            rows = (
                (self.t("export_field_place"), s.description),
                (self.t("export_field_status"), self.t(f"export_sign_{placed.status.value}")),
                (self.t("export_field_put_up"), s.put_up.isoformat()),
                (self.t("export_field_take_down"), s.take_down.isoformat()),
                (self.t("roster_zone"), s.zone_id),
                (self.t("export_field_sign"), s.sign_id),
            )
            features.append(
                Feature(
                    shapely.Point(s.x, s.y),
                    {
                        "sign_id": s.sign_id,
                        "zone_id": s.zone_id,
                        "status": placed.status.value,
                        "put_up": s.put_up,
                        "take_down": s.take_down,
                        "description": s.description,
                        "on_road": s.on_road,
                    },
                    "sign",
                    f"{self.t('sign_legend_sign')}: {s.description}",
                    rows,
                )
            )
        return Layer("signs", self.t("export_layer_signs"), "Point", fields, tuple(features))

    def _stop_layer(self, stops: Sequence[StopOnMap]) -> Layer:
        fields = (
            Field("report_id", "str"),
            Field("zone_id", "str"),
            Field("sheet", "int"),
            Field("stop", "int"),
            Field("address_id", "str"),
            Field("address", "str"),
            Field("visit_kind", "str"),
            Field("distance_m", "int"),
            Field("outcome", "str"),
            Field("visited_at", "datetime"),
            Field("note", "str"),
        )
        features = []
        for s in stops:
            outcome = s.outcome.value if s.outcome else "pending"
            kind = self.t(
                "roster_kind_stairwell"
                if s.stop.kind is VisitKind.STAIRWELL
                else "roster_kind_door"
            )
            rows = [
                (self.t("roster_col_address"), s.stop.label),
                (self.t("roster_col_kind"), kind),
                (self.t("export_field_outcome"), self._outcome(outcome)),
                (self.t("export_field_visited_at"), self.when(s.visited_at)),
                (self.t("export_field_note"), s.note or ""),
                (self.t("export_field_sheet"), f"{s.sheet}/{s.number}"),
                (self.t("export_field_report"), s.report_id),
            ]
            features.append(
                Feature(
                    shapely.Point(s.stop.x, s.stop.y),
                    {
                        "report_id": s.report_id,
                        "zone_id": s.zone_id,
                        "sheet": s.sheet,
                        "stop": s.number,
                        "address_id": s.stop.address_id,
                        "address": s.stop.label,
                        "visit_kind": s.stop.kind.value,
                        "distance_m": s.stop.distance_m,
                        "outcome": outcome,
                        "visited_at": s.visited_at,
                        "note": s.note,
                    },
                    f"stop-{outcome}",
                    f"{s.number}. {s.stop.label}",
                    tuple((k, v) for k, v in rows if v),
                )
            )
        return Layer(
            "visit_stops", self.t("export_layer_visit_stops"), "Point", fields, tuple(features)
        )

    def _report_layer(self, reports: Sequence[ReportPoint]) -> Layer:
        fields = (
            Field("report_id", "str"),
            Field("zone_id", "str"),
            Field("level", "str"),
            Field("premises", "str"),
            Field("attempt", "bool"),
            Field("address", "str"),
            Field("reported_at", "datetime"),
            Field("risk_start", "datetime"),
            Field("high_until", "datetime"),
            Field("elevated_until", "datetime"),
        )
        features = []
        for p in reports:
            r, w = p.live.report, p.live.window
            yes_no = self.t("export_yes" if r.attempt else "export_no")
            rows = [
                (self.t("export_field_report"), r.report_id),
                (self.t("export_field_level"), self.t(f"export_legend_{p.live.level.value}")),
                (self.t("roster_col_address"), r.address or ""),
                (self.t("export_field_premises"), r.premises.value),
                (self.t("export_field_attempt"), yes_no),
                (self.t("export_field_reported"), self.when(r.reported_at)),
                (self.t("export_field_risk_start"), self.when(w.start)),
                (self.t("roster_zone"), p.zone_id),
            ]
            features.append(
                Feature(
                    shapely.Point(p.live.x, p.live.y),
                    {
                        "report_id": r.report_id,
                        "zone_id": p.zone_id,
                        "level": p.live.level.value,
                        "premises": r.premises.value,
                        "attempt": r.attempt,
                        "address": r.address,
                        "reported_at": r.reported_at,
                        "risk_start": w.start,
                        "high_until": w.high_until,
                        "elevated_until": w.elevated_until,
                    },
                    "report",
                    r.report_id,
                    tuple((k, v) for k, v in rows if v),
                )
            )
        return Layer("reports", self.t("export_layer_reports"), "Point", fields, tuple(features))

    def _outcome(self, outcome: str) -> str:
        return self.t(f"export_outcome_{outcome}")


def field_text(value: Any, tz: tzinfo) -> str:
    """A field value as text: instants in local ISO 8601, dates ISO, lists joined by commas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(tz).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
