"""What the evidence outputs show, and the words they share: the Knox table's record, its band
labels and its notes, in Swedish (the default) and English; what every analysis says of the data
it read (`DataSource`) and how it writes numbers (`number`), which the back-test's records
(backtest_content.py) share.

Band labels say exactly what was counted. Space bands read "0–100 m"; under the inclusive
convention a band holds its upper edge, under NRC's its lower one (the notes say which). Time
bands of whole days list the days a band holds ("0–7 dagar", then "8–14 dagar"), so NRC's
"0 to 7" shows as the 0–6 days it counts; with times of day they read like the space bands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from cocoon.analysis.bands import time_thresholds
from cocoon.i18n import Language

if TYPE_CHECKING:
    from cocoon.analysis.knox import KnoxCell, KnoxResult, KnoxSettings

NBSP = "\u00a0"

WORDS: dict[str, dict[Language, str]] = {
    "title": {"sv": "Knox-test: nära upprepade inbrott", "en": "Knox test: near-repeat burglaries"},
    "subtitle": {
        "sv": "Kvot observerade/förväntade par av inbrott, per avstånd och tid mellan dem",
        "en": "Ratio of observed to expected pairs of burglaries, by distance and time apart",
    },
    "counts": {"sv": "observerade par inom parentes", "en": "observed pairs in brackets"},
    "distance": {"sv": "Avstånd", "en": "Distance"},
    "time": {"sv": "Tid", "en": "Time"},
    "distance_axis": {"sv": "Avstånd mellan inbrotten", "en": "Distance between the burglaries"},
    "time_axis": {"sv": "Tid mellan inbrotten", "en": "Time between the burglaries"},
    "ratio": {"sv": "Kvot observerade/förväntade", "en": "Observed/expected"},
    "pairs": {"sv": "{n} par", "en": "{n} pairs"},
    "same": {"sv": "samma plats", "en": "same location"},
    "beyond_incl": {"sv": "mer än {v}", "en": "more than {v}"},
    "beyond_nrc": {"sv": "{v} eller mer", "en": "{v} or more"},
    "day": {"sv": "dag", "en": "day"},
    "days": {"sv": "dagar", "en": "days"},
    "marks": {
        "sv": "** p ≤ 0,01, * p ≤ 0,05: fler par än slumpen förklarar (Monte Carlo-test: "
        "tiderna slumpvis omfördelade över platserna {iterations} gånger, frö {seed}).",
        "en": "** p ≤ 0.01, * p ≤ 0.05: more pairs than chance explains (Monte Carlo test: "
        "the times shuffled over the places {iterations} times, seed {seed}).",
    },
    "inclusive": {
        "sv": "Ett band omfattar sin övre gräns ({example}: över 0 m och högst {width}). "
        "{distance}; {resolution}.",
        "en": "A band holds its upper edge ({example}: over 0 m and at most {width}). "
        "{distance}; {resolution}.",
    },
    "nrc": {
        "sv": "Banden som i Near Repeat Calculator 1.3: ett band omfattar sin undre gräns, inte "
        "sin övre ({example}: över 0 m och under {width}). {distance}; {resolution}.",
        "en": "Bands as in the Near Repeat Calculator 1.3: a band holds its lower edge, not its "
        "upper one ({example}: over 0 m and under {width}). {distance}; {resolution}.",
    },
    "euclidean": {"sv": "Avstånd fågelvägen", "en": "Straight-line distance"},
    "manhattan": {
        "sv": "Manhattanavstånd (|dx| + |dy|)",
        "en": "Manhattan distance (|dx| + |dy|)",
    },
    "date": {"sv": "tid i hela dagar", "en": "time in whole days"},
    "datetime": {"sv": "tid med klockslag", "en": "time to the minute"},
    "data_file": {
        "sv": "Data: {source}, {events} händelser {span}",
        "en": "Data: {source}, {events} events {span}",
    },
    "data_stored": {
        "sv": "Data: lagrade anmälningar ({premises}{area}), {events} händelser {span}",
        "en": "Data: stored reports ({premises}{area}), {events} events {span}",
    },
    "area": {"sv": ", inom {name}", "en": ", within {name}"},
    "rejected": {
        "sv": "; {n} rader utan giltig plats eller tid utelämnade",
        "en": "; {n} rows without a valid place or time left out",
    },
    "rejected_one": {
        "sv": "; 1 rad utan giltig plats eller tid utelämnad",
        "en": "; 1 row without a valid place or time left out",
    },
    "no_ratio": {"sv": "–", "en": "–"},
}

PREMISES_WORDS: dict[str, dict[Language, str]] = {
    "villa": {"sv": "villa", "en": "house"},
    "radhus": {"sv": "radhus", "en": "terraced house"},
    "lagenhet": {"sv": "lägenhet", "en": "flat"},
    "fritidshus": {"sv": "fritidshus", "en": "holiday home"},
    "other": {"sv": "annat", "en": "other"},
}


@dataclass(frozen=True)
class KnoxTable:
    """What a Knox output shows: the result and what data it came from.

    `source` is the file's name, empty for the stored reports, which name the premises counted
    and the area they were limited to. No report id, address or point is in it.
    """

    result: KnoxResult
    source: str = ""
    first_day: date | None = None
    last_day: date | None = None
    premises: tuple[str, ...] = ()
    area: str = ""
    rejected: int = 0
    language: Language = "sv"

    def t(self, key: str, **values: object) -> str:
        """The words `key` in the record's language, filled in."""
        return WORDS[key][self.language].format(**values)

    def number(self, value: float, decimals: int = 0) -> str:
        """A number as the language writes it: '11 700', '1,65' in Swedish."""
        return number(value, decimals, self.language)

    def ratio(self, cell: KnoxCell) -> str:
        """The cell's ratio to two decimals with its significance marks ('1,65**')."""
        if cell.ratio is None:
            return self.t("no_ratio")
        return self.number(cell.ratio, 2) + marks(cell)

    def space_labels(self) -> list[str]:
        """One label per space band, same location first, beyond last."""
        return [self._space_label(row[0]) for row in self.result.rows()]

    def time_labels(self) -> list[str]:
        """One label per time band, beyond last."""
        s = self.result.settings
        if s.resolution == "date":
            return self._whole_day_labels(s)
        labels = [self._span(c.time_from_days, c.time_to_days, "days") for c in self._columns()]
        return [*labels[:-1], self._beyond(s.time_bands * s.time_band_days, "days")]

    def notes(self) -> list[str]:
        """The lines under a table or picture: the marks, the convention, the data and the run."""
        s = self.result.settings
        width = f"{self._edge(s.space_band_m)}{NBSP}m"
        convention = self.t(
            s.convention,
            example=f"0–{width}",
            width=width,
            distance=self.t(s.distance),
            resolution=self.t(s.resolution),
        )
        marks = self.t("marks", iterations=self.number(s.iterations), seed=s.seed)
        return [marks, convention, self.data_line()]

    def data_line(self) -> str:
        """What was tested: the file or the stored reports, events, days, rows left out."""
        return DataSource(
            self.result.events,
            self.source,
            self.first_day,
            self.last_day,
            self.premises,
            self.area,
            self.rejected,
        ).line(self.language)

    def _columns(self) -> tuple[KnoxCell, ...]:
        return self.result.rows()[0]

    def _space_label(self, cell: KnoxCell) -> str:
        if cell.space_to_m == 0:
            return self.t("same")
        if cell.space_to_m is None:
            return self._beyond(cell.space_from_m, "m")
        return self._span(cell.space_from_m, cell.space_to_m, "m")

    def _span(self, lo: float, hi: float | None, unit: str) -> str:
        words = unit if unit == "m" else self.t("days")
        return f"{self._edge(lo)}–{self._edge(hi or 0.0)}{NBSP}{words}"

    def _beyond(self, edge: float, unit: str) -> str:
        words = unit if unit == "m" else self.t("days")
        key = "beyond_nrc" if self.result.settings.convention == "nrc" else "beyond_incl"
        return self.t(key, v=f"{self._edge(edge)}{NBSP}{words}")

    def _edge(self, value: float) -> str:
        return self.number(value, 0 if float(value).is_integer() else 1).replace(NBSP, "")

    def _whole_day_labels(self, s: KnoxSettings) -> list[str]:
        """Whole-day bands as the days they hold: gaps from one threshold up to the next."""
        edges = time_thresholds(s.time_band_days, s.time_bands, s.convention, "date")
        starts = [0, *(int(e) for e in edges[:-1])]
        labels = []
        for lo, end in zip(starts, (int(e) for e in edges), strict=True):
            hi = end - 1
            if hi < lo:  # a band narrower than a day can hold no whole-day gap
                labels.append(f"–{NBSP}({self._edge(lo)}{NBSP}{self.t('days')})")
            elif hi == lo:
                unit = self.t("day") if lo == 1 else self.t("days")
                labels.append(f"{lo}{NBSP}{unit}")
            else:
                labels.append(f"{lo}–{hi}{NBSP}{self.t('days')}")
        last = int(edges[-1]) - 1
        labels.append(self.t("beyond_incl", v=f"{last}{NBSP}{self.t('days')}"))
        return labels


@dataclass(frozen=True)
class DataSource:
    """What an analysis read: the file (`source`), or the stored reports with the premises
    counted and the area they were limited to; its events, first and last day, rows left out."""

    events: int
    source: str = ""
    first_day: date | None = None
    last_day: date | None = None
    premises: tuple[str, ...] = ()
    area: str = ""
    rejected: int = 0

    def line(self, language: Language) -> str:
        """'Data: events.csv, 7 964 händelser 2020-01-01 – 2026-02-05; 2 rader … utelämnade.'"""

        def t(key: str, **values: object) -> str:
            return WORDS[key][language].format(**values)

        span = ""
        if self.first_day and self.last_day:
            span = f"{self.first_day.isoformat()} – {self.last_day.isoformat()}"
        events = number(self.events, 0, language)
        if self.source:
            line = t("data_file", source=self.source, events=events, span=span)
        else:
            kinds = ", ".join(PREMISES_WORDS[p][language] for p in self.premises)
            area = t("area", name=self.area) if self.area else ""
            line = t("data_stored", premises=kinds, area=area, events=events, span=span)
        if self.rejected:
            key = "rejected_one" if self.rejected == 1 else "rejected"
            line += t(key, n=number(self.rejected, 0, language))
        return f"{line.rstrip()}."


def number(value: float, decimals: int, language: Language) -> str:
    """A number as the language writes it: '11 700', '1,65' in Swedish (a no-break space
    between thousands), '11,700', '1.65' in English."""
    text = f"{value:,.{decimals}f}"
    if language == "sv":
        return text.replace(",", NBSP).replace(".", ",")
    return text


def marks(cell: KnoxCell) -> str:
    """'**' for p ≤ 0.01, '*' for p ≤ 0.05, else '' (the cell's significance)."""
    return {"p<=0.01": "**", "p<=0.05": "*"}.get(cell.significance, "")
