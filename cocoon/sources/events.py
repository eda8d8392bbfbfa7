"""Event files for the analyses (the Knox test, the back-test): each burglary as a place in
metres and a time in local days, plus the rows that could not be read, named by line and field.

Forms, told apart by the first line (column names match whatever their case):

- `x,y,date`: metres in the file's own metric CRS; preferred when a file also has lat, lon;
- `lat,lon,date`: WGS 84 degrees, projected by `metric_for` (see there);
- no header: the Near Repeat Calculator's `X,Y,date`;
- a report file of the input contract (`report_id`, `reported_at`, …): validated as ingest
  does, then `report_events` takes each report's risk start as its time and `reported_at` as
  when the police knew of it.

Times are local wall-clock days since 1970-01-01, fractional when a time of day is given: an
ISO date, or date-time; one with an offset is first converted to the installation's zone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path

import numpy as np
import numpy.typing as npt

from cocoon.core.geo import Projection
from cocoon.core.risk import risk_start
from cocoon.errors import InputError, RowError
from cocoon.sources.fields import number
from cocoon.sources.reasons import (
    MISSING,
    NO_EVENT_COLUMNS,
    NO_HEADER_COLUMN,
    NO_ROWS,
    NOT_A_DAY,
    NOT_DEGREES,
    YEAR_OUTSIDE,
)
from cocoon.sources.report_rows import Batch, Rejection

Floats = npt.NDArray[np.float64]
Box = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat

EPOCH = datetime(1970, 1, 1)
EPOCH_ORDINAL = EPOCH.toordinal()
FIRST_YEAR, LAST_YEAR = 1900, 2100  # a time outside these years is a typing error, not data
#: Column names each field may have in a header, compared case-insensitively.
NAMES = {
    "x": ("x",),
    "y": ("y",),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "long", "longitude"),
    "date": ("date", "datum", "occurred", "occurred_local", "time", "datetime", "tid"),
}
NRC_FIELDS = ("X", "Y", "date")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Events:
    """Burglaries as arrays, one entry each: x, y in metres, t in local days since 1970-01-01.

    `known` is when the police knew of each (its reported_at, local days) where the source says
    so (report files and stored reports), else None. `crs` names the CRS of x, y: "" for the
    file's own metres (x,y and NRC files).
    """

    source: str  # the file's name; empty for the stored reports
    form: str  # "x,y,date", "lat,lon,date", "X,Y,date", "reports" or "stored"
    x: Floats
    y: Floats
    t: Floats
    known: Floats | None = None
    crs: str = ""
    rejections: tuple[Rejection, ...] = field(default_factory=tuple)

    def __len__(self) -> int:
        return len(self.t)

    @property
    def whole_days(self) -> bool:
        """Whether every time is a date (or local midnight): no time of day to resolve."""
        return bool(np.all(self.t == np.floor(self.t)))

    def days(self) -> tuple[date, date] | None:
        """The first and last local day of the events, None when there are none."""
        if not len(self):
            return None
        first, last = int(np.floor(self.t.min())), int(np.floor(self.t.max()))
        return date.fromordinal(EPOCH_ORDINAL + first), date.fromordinal(EPOCH_ORDINAL + last)


def is_report_file(path: Path, text: str, id_column: str = "report_id") -> bool:
    """Whether a file is a report file of the input contract rather than an event file."""
    if path.suffix.lower() in (".json", ".geojson"):
        return True
    first = text.split("\n", 1)[0]
    return id_column.lower() in (name.strip().lower() for name in _split(first))


def read_event_file(path: Path, text: str, tz: tzinfo, home: Projection, home_box: Box) -> Events:
    """The events of an x,y,date, lat,lon,date or NRC file; bad rows become rejections.

    InputError when the file as a whole is unusable (no columns to read a place and a date).
    """
    rows = [r for r in _rows(text) if any(cell.strip() for cell in r[1])]
    if not rows:
        raise InputError(NO_ROWS(path=path))
    header = [cell.strip() for cell in rows[0][1]]
    if _looks_like_data(header):
        form, names, data = "X,Y,date", {"x": 0, "y": 1, "date": 2}, rows
        fields = dict(zip(("x", "y", "date"), NRC_FIELDS, strict=True))
    else:
        form, names = _header_form(path, header)
        fields = {key: header[i] for key, i in names.items()}
        data = rows[1:]
    place = ("x", "y") if form != "lat,lon,date" else ("lat", "lon")
    x, y, days, rejections = _read_rows(path.name, data, names, place, fields, tz)
    crs = ""
    if form == "lat,lon,date":
        lat, lon = x, y
        projection = metric_for(lon, lat, home, home_box)
        x, y, crs = *projection.to_metric(lon, lat), projection.crs
    return Events(path.name, form, x, y, days, None, crs, tuple(rejections))


def report_events(file: str, batch: Batch, tz: tzinfo, projection: Projection) -> Events:
    """The validated reports of a report file as events at their risk start; a report without a
    point (an address the register does not have) is a rejection, as it can make no zone."""
    located = [report for report, _ in batch.reports if report.located]
    rejections = list(batch.rejections)
    for report, source in batch.reports:
        if not report.located:
            values = {"report_id": report.report_id, "address": report.address}
            where = source.rsplit(":", 1)[-1] if ":" in source else source
            reason = "not found in the address register: no point to test"
            rejections.append(Rejection(file, where, "address", reason, values))
    rejections.sort(key=lambda r: _order(r.where))
    lon = [r.lon if r.lon is not None else np.nan for r in located]
    lat = [r.lat if r.lat is not None else np.nan for r in located]
    x, y = projection.to_metric(lon, lat)
    t = local_days([risk_start(r) for r in located], tz)
    known = local_days([r.reported_at for r in located], tz)
    return Events(file, "reports", x, y, t, known, projection.crs, tuple(rejections))


def local_days(moments: Iterable[datetime], tz: tzinfo) -> Floats:
    """Aware instants as local wall-clock days since 1970-01-01 in `tz`."""
    return np.array([_wall_days(m.astimezone(tz)) for m in moments], dtype=np.float64)


def metric_for(lon: Floats, lat: Floats, home: Projection, home_box: Box) -> Projection:
    """The installation's metric CRS when every point lies in its service area's lon/lat box (so
    distances are measured as the zones measure them), else a transverse Mercator centred on the
    events with scale 1 there: within 0.002 % of true distance 40 km from its centre, where a
    national CRS far from its own area (SWEREF 99 TM for Chicago) is off by far more."""
    min_lon, min_lat, max_lon, max_lat = home_box
    inside = (lon >= min_lon) & (lon <= max_lon) & (lat >= min_lat) & (lat <= max_lat)
    if len(lon) == 0 or bool(inside.all()):
        return home
    lon0 = (float(lon.min()) + float(lon.max())) / 2
    lat0 = (float(lat.min()) + float(lat.max())) / 2
    return Projection(
        f"+proj=tmerc +lat_0={lat0:.5f} +lon_0={lon0:.5f} +k=1 +x_0=0 +y_0=0 "
        "+ellps=WGS84 +units=m +no_defs"
    )


def _order(where: str) -> int:
    """The number in 'line 5' or 'feature 5', to list rejections in file order."""
    last = where.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def _split(line: str) -> list[str]:
    """One line's fields, with the delimiter the line uses most (, ; or tab)."""
    return next(csv.reader([line.rstrip("\r")], delimiter=_delimiter(line)), [])


def _delimiter(line: str) -> str:
    return max((",", ";", "\t"), key=line.count)


def _rows(text: str) -> list[tuple[str, list[str]]]:
    """Every row with where it stands ('line 5'), by the first line's delimiter."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    return [(f"line {reader.line_num}", row) for row in reader]


def _looks_like_data(first: Sequence[str]) -> bool:
    """A first line whose first two fields are numbers is NRC's data, not a header."""
    if len(first) < 2:
        return False
    try:
        return all(number({"v": cell}, "v") is not None for cell in first[:2])
    except RowError:
        return False


def _header_form(path: Path, header: Sequence[str]) -> tuple[str, dict[str, int]]:
    """The form a header names and the position of each field's column (x, y before lat, lon)."""
    lowered = [h.lower() for h in header]
    found = {
        key: next(i for i, h in enumerate(lowered) if h in names)
        for key, names in NAMES.items()
        if any(h in names for h in lowered)
    }
    for form, (a, b) in (("x,y,date", ("x", "y")), ("lat,lon,date", ("lat", "lon"))):
        if a in found and b in found:
            if "date" not in found:
                raise InputError(
                    NO_HEADER_COLUMN(path=path, column="date", header=", ".join(header))
                )
            return form, {a: found[a], b: found[b], "date": found["date"]}
    raise InputError(NO_EVENT_COLUMNS(path=path, header=", ".join(header)))


def _cell(cells: Sequence[str], i: int) -> str | None:
    return cells[i].strip() if i < len(cells) else None


def _read_rows(
    file: str,
    data: Sequence[tuple[str, list[str]]],
    names: dict[str, int],
    place: tuple[str, str],
    fields: dict[str, str],
    tz: tzinfo,
) -> tuple[Floats, Floats, Floats, list[Rejection]]:
    """Both coordinates and the local days of the good rows, in file order, and the rejections.

    Rows of plain numbers and ISO dates are read at once by numpy; the others, and those numpy
    finds out of range, one by one by `_row`, which gives the same values or names the field.
    """
    n = len(data)
    first, second, t = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    read = np.zeros(n, dtype=bool)
    a, b, d = names[place[0]], names[place[1]], names["date"]
    plain = [k for k, (_, cells) in enumerate(data) if _plain(cells, a, b, d)]
    try:
        pa, pb = (
            np.array([data[k][1][i].strip() for k in plain], dtype=np.float64) for i in (a, b)
        )
        dates = np.array([data[k][1][d].strip() for k in plain], dtype="datetime64[D]")
    except ValueError:  # a value numpy does not read: every row one by one
        plain, pa, pb, dates = [], np.empty(0), np.empty(0), np.empty(0, dtype="datetime64[D]")
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    fine = np.isfinite(pa) & np.isfinite(pb) & (years >= FIRST_YEAR) & (years <= LAST_YEAR)
    if place == ("lat", "lon"):
        fine &= (np.abs(pa) <= 90) & (np.abs(pb) <= 180)
    at = np.asarray(plain, dtype=np.intp)[fine]
    first[at], second[at], t[at] = pa[fine], pb[fine], dates[fine].astype(np.int64)
    read[at] = True
    rejections = []
    for k in np.flatnonzero(~read).tolist():
        where, cells = data[k]
        try:
            first[k], second[k], t[k] = _row(cells, names, place, fields, tz)
        except RowError as err:
            values = {fields[key]: _cell(cells, i) for key, i in names.items()}
            rejections.append(Rejection(file, where, err.field, err.why, values))
            continue
        read[k] = True
    return first[read], second[read], t[read], rejections


def _plain(cells: Sequence[str], a: int, b: int, d: int) -> bool:
    """Whether a row has both coordinates and a date alone (YYYY-MM-DD), for numpy to read."""
    if len(cells) <= max(a, b, d):
        return False
    return bool(cells[a].strip() and cells[b].strip() and ISO_DATE.fullmatch(cells[d].strip()))


def _row(
    cells: Sequence[str],
    names: dict[str, int],
    place: tuple[str, str],
    fields: dict[str, str],
    tz: tzinfo,
) -> tuple[float, float, float]:
    """One row's two coordinates and its time in local days, or RowError naming the field."""
    values = {fields[k]: _cell(cells, i) for k, i in names.items()}
    a, b = (_coordinate(values, fields[key]) for key in place)
    if place == ("lat", "lon") and not (-90 <= a <= 90 and -180 <= b <= 180):
        raise RowError(fields["lat"], NOT_DEGREES(lat=a, lon=b))
    return a, b, _days(values.get(fields["date"]), fields["date"], tz)


def _coordinate(values: dict[str, str | None], name: str) -> float:
    value = number(values, name)
    if value is None:
        raise RowError(name, MISSING())
    return value


def _days(text: str | None, name: str, tz: tzinfo) -> float:
    """An ISO date or date-time as local days since 1970-01-01 (an offset is converted to tz)."""
    if not text:
        raise RowError(name, MISSING())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RowError(name, NOT_A_DAY(text=text)) from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise RowError(
            name, YEAR_OUTSIDE(text=text, year=moment.year, first=FIRST_YEAR, last=LAST_YEAR)
        )
    return _wall_days(moment.astimezone(tz) if moment.tzinfo else moment)


def _wall_days(moment: datetime) -> float:
    """Days since 1970-01-01 of a wall-clock time (its offset, if any, ignored)."""
    wall = moment.replace(tzinfo=None)
    return (wall.toordinal() - EPOCH_ORDINAL) + (
        wall.hour * 3600 + wall.minute * 60 + wall.second + wall.microsecond / 1e6
    ) / 86400
