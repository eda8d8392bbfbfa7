"""Why a whole file's points miss the service area: swapped columns, RT90, metres as degrees.

A register or report file with lat and lon swapped, or in RT90 (EPSG:3021) where SWEREF 99 TM
was expected, has every point outside the area: each row would be skipped or rejected on its
own and the file would load nothing without saying why. The readers count their points here and
refuse such a file with one line that says what was likely wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray
from pyproj import Transformer

from cocoon.core.geo import WGS84, Projection, ServiceArea
from cocoon.messages import Message, Text

RT90 = "EPSG:3021"
SWEREF99TM = "EPSG:3006"
#: RT90 2.5 gon V coordinates of Sweden: eastings 1.2-1.9 million, northings 6.1-7.7 million.
#: SWEREF 99 TM eastings of Sweden stay below 1.0 million, so the two cannot be confused.
_RT90_EASTING, _RT90_NORTHING = (1.2e6, 1.9e6), (6.1e6, 7.7e6)

Floats = Sequence[float] | NDArray[np.float64]


def looks_like_rt90(easting: float, northing: float, crs: str) -> bool:
    """Whether a point given in SWEREF 99 TM lies where RT90's points of Sweden do."""
    e, n = _RT90_EASTING, _RT90_NORTHING
    return crs.upper() == SWEREF99TM and e[0] <= easting <= e[1] and n[0] <= northing <= n[1]


def _inside(area: ServiceArea, lon: Floats, lat: Floats) -> int:
    """How many of the points lie in the area (its box first, at once)."""
    x, y = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    min_lon, min_lat, max_lon, max_lat = area.bbox
    box = (x >= min_lon) & (x <= max_lon) & (y >= min_lat) & (y <= max_lat)
    return sum(1 for a, b in zip(x[box], y[box], strict=True) if area.contains(float(a), float(b)))


@dataclass
class OutsideCount:
    """Points a reader met, how many lay in the service area, and how many of those outside
    would have with the file read otherwise."""

    area: ServiceArea
    projection: Projection
    points: int = 0
    inside: int = 0
    alternatives: dict[str, int] = field(default_factory=dict)
    rt90_like: int = 0
    metric: int = 0
    example: tuple[float, float] | None = None  # lon, lat of a point outside

    @cached_property
    def _from_rt90(self) -> Transformer:
        return Transformer.from_crs(RT90, WGS84, always_xy=True)

    def _more(self, reason: str, count: int) -> None:
        self.alternatives[reason] = self.alternatives.get(reason, 0) + count

    def add_degrees(self, lat: Floats, lon: Floats, inside: int) -> None:
        """Points read as lat/lon, `inside` of them in the area; the rest are tried swapped and
        as metres of the metric CRS."""
        lat_, lon_ = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
        self.points += lat_.size
        self.inside += inside
        if self.inside or not lat_.size:
            return  # some point is in the area: the file is read right
        self._more("swapped", _inside(self.area, lat_, lon_))
        if self.example is None:
            self.example = (float(lon_[0]), float(lat_[0]))

    def add_metres(self, x: Floats, y: Floats, lon: Floats, lat: Floats, inside: int) -> None:
        """Points read as easting/northing (x, y) in the metric CRS, at lon/lat, `inside` of them
        in the area; the rest are tried swapped and as RT90."""
        x_, y_ = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self.points += x_.size
        self.inside += inside
        self.metric += x_.size
        if self.projection.crs.upper() == SWEREF99TM:
            e, n = _RT90_EASTING, _RT90_NORTHING
            like = (x_ >= e[0]) & (x_ <= e[1]) & (y_ >= n[0]) & (y_ <= n[1])
            self.rt90_like += int(np.count_nonzero(like))
        if self.inside or not x_.size:
            return
        slon, slat = self.projection.to_wgs84(y_, x_)
        self._more("swapped", _inside(self.area, slon, slat))
        rlon, rlat = self._from_rt90.transform(x_, y_)
        self._more("rt90", _inside(self.area, rlon, rlat))
        if self.example is None:
            self.example = (float(np.asarray(lon)[0]), float(np.asarray(lat)[0]))

    def add_degrees_that_are_metres(self, a: Floats, b: Floats) -> None:
        """lat/lon values too big for degrees: counted as points, tried as easting/northing."""
        a_, b_ = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        self.points += a_.size
        for x, y in ((b_, a_), (a_, b_)):  # written as lat=northing, lon=easting, or the reverse
            lon, lat = self.projection.to_wgs84(x, y)
            self._more("metres", _inside(self.area, lon, lat))

    def looks_rt90(self) -> bool:
        """Nine in ten easting/northing points (of a thousand or more) in RT90's range."""
        return self.metric >= 1000 and self.rt90_like * 10 >= self.metric * 9

    def refusal(self, what: str = "points") -> Message | None:
        """One line saying what was likely wrong, when no point (or most look like RT90) lies in
        the area; None when the file looks right. `what` is "points" or "located rows"."""
        crs, things = self.projection.crs, WHAT[what]()
        if self.metric and self.rt90_like * 10 >= self.metric * 9:
            return LOOKS_RT90(rt90=self.rt90_like, metric=self.metric, what=things, crs=crs)
        if self.inside or not self.points:
            return None
        if self.points > 1:
            line = NONE_INSIDE(points=self.points, what=things, area=self.area.name)
        else:
            line = ONLY_ONE_OUTSIDE(what=WHAT_ONE[what](), area=self.area.name)
        best = max(self.alternatives.items(), key=lambda kv: kv[1], default=("", 0))
        if best[1] * 2 > self.points:
            return HINTS[best[0]](line=line, count=best[1], crs=crs)
        if self.example is not None:
            lon, lat = self.example
            return NEAR_HINT(line=line, lat=lat, lon=lon)
        return line


# --- what the refusal says, in Swedish and English -------------------------------------------

WHAT = {
    "points": Text("outside_points", "punkter", "points"),
    "located rows": Text("outside_located_rows", "rader med plats", "located rows"),
}
WHAT_ONE = {
    "points": Text("outside_point", "punkten", "point"),
    "located rows": Text("outside_located_row", "raden med plats", "located row"),
}
LOOKS_RT90 = Text(
    "outside_looks_rt90",
    "{rt90} av {metric} {what} med öst- och nordkoordinat ser ut som RT90 (EPSG:3021: "
    "östkoordinater 1,2–1,9 miljoner), inte {crs}: räkna om dem till {crs} eller ange lat/lon",
    "{rt90:,} of {metric:,} easting/northing {what} look like RT90 (EPSG:3021: eastings "
    "1.2-1.9 million), not {crs}: convert them to {crs} or give lat/lon",
)
NONE_INSIDE = Text(
    "outside_none_inside",
    "ingen av {points} {what} ligger i tjänsteområdet {area}",
    "none of {points:,} {what} lies in the service area {area}",
)
ONLY_ONE_OUTSIDE = Text(
    "outside_only_one",
    "den enda {what} ligger utanför tjänsteområdet {area}",
    "the only {what} lies outside the service area {area}",
)
HINTS = {
    "swapped": Text(
        "outside_hint_swapped",
        "{line}; med de två koordinatkolumnerna omkastade skulle {count} göra det: är lat och "
        "lon (eller öst och nord) omkastade?",
        "{line}; with the two coordinate columns swapped {count:,} would: are lat and lon (or "
        "easting and northing) swapped?",
    ),
    "rt90": Text(
        "outside_hint_rt90",
        "{line}; lästa som RT90 (EPSG:3021) skulle {count} göra det: koordinaterna ser ut som "
        "RT90, inte {crs}: räkna om dem",
        "{line}; read as RT90 (EPSG:3021) {count:,} would: the coordinates look like RT90, not "
        "{crs}: convert them",
    ),
    "metres": Text(
        "outside_hint_metres",
        "{line}; lästa som meter ({crs}) skulle {count} göra det: lägg dem i kolumner för öst- "
        "och nordkoordinat",
        "{line}; read as metres ({crs}) {count:,} would: put them in easting and northing columns",
    ),
}
NEAR_HINT = Text(
    "outside_near_hint",
    "{line} (en ligger nära {lat:.2f} N, {lon:.2f} E): stämmer area.bbox?",
    "{line} (one lies near {lat:.2f} N, {lon:.2f} E): is area.bbox right?",
)
