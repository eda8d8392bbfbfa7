"""What the back-test and calibration outputs show, and their words in Swedish (the default) and
English: the summary of one set of zone rules against the baselines (`BacktestSummary`), and the
grid of radii and days with its suggestion (`Calibration`). The CSV files keep the method names
and figures of the contract whatever the language; the terminal, text and PNG use these words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from cocoon.i18n import Language
from cocoon.outputs.evidence_content import NBSP, DataSource, number

if TYPE_CHECKING:
    from cocoon.analysis.backtest import Backtest
    from cocoon.analysis.calibrate import Sensitivity, SensitivityGrid, SensitivityRow
    from cocoon.analysis.replay import ZoneRules
    from cocoon.analysis.weekly import Interval

EPOCH = date(1970, 1, 1)  # the analysis counts local days from here
MINUS = "\u2212"  # Swedish typography writes a minus sign, not a hyphen

WORDS: dict[str, dict[Language, str]] = {
    "title": {
        "sv": "Utvärdering av riskzonerna: {rules}",
        "en": "Back-test of the risk zones: {rules}",
    },
    "subtitle": {
        "sv": "Låg inbrotten i zonerna som fanns när de skedde? Varje dag med de anmälningar "
        "polisen då kände till, mot andra sätt att välja lika stor yta.",
        "en": "Did the burglaries fall in the zones there were when they happened? Each day with "
        "the reports the police knew of by then, against other ways of choosing as much ground.",
    },
    "rules": {
        "sv": "{radius} m, {high} + {elevated} dagar",
        "en": "{radius} m, {high} + {elevated} days",
    },
    "method": {"sv": "Metod", "en": "Method"},
    "events": {"sv": "Inbrott", "en": "Burglaries"},
    "hits": {"sv": "Träffar", "en": "Hits"},
    "hit_rate": {"sv": "Träffandel (95 %)", "en": "Hit rate (95%)"},
    "area_share": {"sv": "Ytandel", "en": "Area share"},
    "pai": {"sv": "PAI (95 %)", "en": "PAI (95%)"},
    "winner": {
        "sv": "Bäst på samma yta: {winner}, {lead} fler träffar än {runner_up} "
        "(95 %: {low} till {high}){clear}.",
        "en": "Best at the same area: {winner}, {lead} more hits than {runner_up} "
        "(95%: {low} to {high}){clear}.",
    },
    "tie": {
        "sv": "Bäst på samma yta: {methods}, med lika många träffar.",
        "en": "Best at the same area: {methods}, with as many hits.",
    },
    "and": {"sv": "{first} och {last}", "en": "{first} and {last}"},
    "not_clear": {
        "sv": "; skillnaden ryms inom slumpens marginal",
        "en": "; the difference is within chance",
    },
    "against": {"sv": "Riskzonerna {rest}.", "en": "The zones {rest}."},
    "against_one": {
        "sv": "mot {baseline}: {difference} (95 %: {low} till {high})",
        "en": "against {baseline}: {difference} (95%: {low} to {high})",
    },
    "points": {"sv": "{v} procentenheter", "en": "{v} percentage points"},
    "workload": {
        "sv": "Arbetsbörda: {zone_days} zondagar (i snitt {per_day} zoner om dagen){doors}.",
        "en": "Workload: {zone_days} zone-days ({per_day} zones a day on average){doors}.",
    },
    "doors": {
        "sv": "; {rosters} besöksplaner med omkring {doors} dörrar (en per adresspunkt i "
        "adressregistret, {addresses} inom räckhåll)",
        "en": "; {rosters} visit plans with about {doors} doors (one per address point of the "
        "register, {addresses} within reach)",
    },
    "no_register": {
        "sv": "; dörrar: inget adressregister för dessa platser",
        "en": "; doors: no address register for these places",
    },
    "period": {
        "sv": "Period: {first} – {last} ({days} dagar, efter {warmup} dagars uppvärmning), "
        "{events} inbrott.",
        "en": "Period: {first} – {last} ({days} days, after a warm-up of {warmup} days), "
        "{events} burglaries.",
    },
    "explain": {
        "sv": "Träffandel: andel av periodens inbrott som låg i en zon (eller vald ruta) den dag "
        "de skedde. Ytandel: andel av studieområdet ({cells} rutor à {cell} m inom {reach} m från "
        "något inbrott, {km2} km²) som täcktes, i snitt per dag. PAI = träffandel / ytandel (1 är "
        "vad slumpen ger).{baselines} Intervall: bootstrap över veckor ({draws} dragningar), 95 %.",
        "en": "Hit rate: share of the period's burglaries that lay in a zone (or chosen cell) on "
        "the day they happened. Area share: share of the study area ({cells} cells of {cell} m "
        "within {reach} m of some burglary, {km2} km²) covered, averaged over the days. PAI = hit "
        "rate / area share (1 is what chance gives).{baselines} Intervals: bootstrap over weeks "
        "({draws} draws), 95%.",
    },
    "baselines": {
        "sv": " ProMap, hot spot och slumpvis får varje dag lika stor yta som zonerna (alla "
        "nivåer).",
        "en": " ProMap, hot spot and random get as much ground each day as the zones (all levels).",
    },
    # --- the calibration -------------------------------------------------------------------
    "cal_title": {"sv": "Kalibrering av radie och dagar", "en": "Calibration of radius and days"},
    "cal_subtitle": {
        "sv": "{n} kombinationer prövade på områdets egna inbrott: radie {radii} m, hög risk "
        "{high} dagar, förhöjd risk {elevated} dagar.",
        "en": "{n} combinations tried on the area's own burglaries: radius {radii} m, high risk "
        "{high} days, elevated risk {elevated} days.",
    },
    "by_radius": {"sv": "Efter radie, vid {days}:", "en": "By radius, at {days}:"},
    "by_days": {
        "sv": "Efter dagar, vid {radius} m: PAI (träffandel)",
        "en": "By days, at {radius} m: PAI (hit rate)",
    },
    "radius": {"sv": "Radie", "en": "Radius"},
    "high_hit_rate": {"sv": "Hög risk: träffandel", "en": "High risk: hit rate"},
    "high_pai": {"sv": "PAI hög", "en": "High PAI"},
    "zone_days": {"sv": "Zondagar", "en": "Zone-days"},
    "plain_pai": {"sv": "PAI", "en": "PAI"},
    "plain_hit_rate": {"sv": "Träffandel", "en": "Hit rate"},
    "high_by_elevated": {"sv": "Hög \\ förhöjd", "en": "High \\ elevated"},
    "n_days": {"sv": "{n} dagar", "en": "{n} days"},
    "in_use": {"sv": "I bruk", "en": "In use"},
    "suggested": {"sv": "Förslag", "en": "Suggested"},
    "figures": {
        "sv": "{rules}: {hit_rate} av inbrotten på {area} av ytan, PAI {pai}; {zone_days} zondagar",
        "en": "{rules}: {hit_rate} of the burglaries on {area} of the ground, PAI {pai}; "
        "{zone_days} zone-days",
    },
    "same": {
        "sv": "Ingen prövad kombination fångar lika mycket på mindre yta: behåll {rules}.",
        "en": "No combination tried catches as much on less ground: keep {rules}.",
    },
    "gain": {
        "sv": "PAI-vinst {gain} (95 %: {low} till {high}){verdict}.",
        "en": "PAI gain {gain} (95%: {low} to {high}){verdict}.",
    },
    "gain_clear": {"sv": ": mer än slumpen", "en": ": more than chance"},
    "gain_chance": {
        "sv": ": inom slumpens marginal, {rules} passar lika bra",
        "en": ": within chance, {rules} fits as well",
    },
    "paste": {
        "sv": "Att klistra in i inställningarna (ersätt de tre raderna i [risk]):",
        "en": "To paste into the settings (replace the three lines of [risk]):",
    },
    "rule": {
        "sv": "Förslaget: av kombinationerna som fångar minst lika stor andel av inbrotten som "
        "inställningarna i bruk, både i alla nivåer och i hög risk, den med högst PAI (samma "
        "skydd på minst yta per fångat inbrott); vid lika PAI högst PAI i hög risk, sedan färre "
        "zondagar, mindre radie och kortare tider.",
        "en": "The suggestion: of the combinations that catch at least as large a share of the "
        "burglaries as the rules in use, at all levels and at high risk, the one with the highest "
        "PAI (the same protection on the least ground per burglary caught); on equal PAI the "
        "highest high-risk PAI, then fewer zone-days, the smaller radius and the shorter days.",
    },
    "evidence": {
        "sv": "cocoon calibrate {first} – {last}, {events} inbrott: {suggested} fångade {hit_rate} "
        "på {area} av ytan (PAI {pai}); {reference} fångade {ref_hit_rate} på {ref_area} (PAI "
        "{ref_pai}); {verdict}",
        "en": "cocoon calibrate {first} – {last}, {events} burglaries: {suggested} caught "
        "{hit_rate} on {area} of the ground (PAI {pai}); {reference} caught {ref_hit_rate} on "
        "{ref_area} (PAI {ref_pai}); {verdict}",
    },
    "evidence_same": {
        "sv": "ingen prövad kombination fångar lika mycket på mindre yta",
        "en": "no combination tried catches as much on less ground",
    },
    "evidence_gain": {
        "sv": "PAI-vinst {gain} (95 % {low} till {high}){chance}",
        "en": "PAI gain {gain} (95% {low} to {high}){chance}",
    },
    "evidence_chance": {
        "sv": ", inom slumpens marginal",
        "en": ", within chance",
    },
    "heat_title": {
        "sv": "Kalibrering: PAI per radie och dagar",
        "en": "Calibration: PAI by radius and days",
    },
    "heat_subtitle": {
        "sv": "PAI = andel av inbrotten i zonerna / andel av ytan; under: andel av inbrotten. "
        "Tunn ram: i bruk; tjock ram: förslaget.",
        "en": "PAI = share of the burglaries in the zones / share of the ground; below: share of "
        "the burglaries. Thin frame: in use; thick frame: suggested.",
    },
    "panel": {"sv": "hög risk {n} dagar", "en": "high risk {n} days"},
    "elevated_axis": {"sv": "förhöjd risk, dagar", "en": "elevated risk, days"},
    "radius_axis": {"sv": "radie, m", "en": "radius, m"},
    "chart_subtitle": {
        "sv": "Andel av inbrotten som låg i zonerna (eller valda rutor), mot andel av ytan",
        "en": "Share of the burglaries in the zones (or chosen cells), against share of the ground",
    },
    "bar_hits": {"sv": "träffandel (95 %)", "en": "hit rate (95%)"},
    "bar_area": {"sv": "ytandel", "en": "area share"},
}

#: The methods' names in a table (the CSV keeps the contract's names) and in a sentence.
METHOD_WORDS: dict[str, dict[Language, str]] = {
    "zones_high": {"sv": "riskzoner, hög risk", "en": "zones, high risk"},
    "zones_any": {"sv": "riskzoner, alla nivåer", "en": "zones, all levels"},
    "promap": {"sv": "ProMap, samma yta", "en": "ProMap, same area"},
    "hotspot": {"sv": "hot spot, samma yta", "en": "hot spot, same area"},
    "random": {"sv": "slumpvis, samma yta", "en": "random, same area"},
}
METHOD_NAMES: dict[str, dict[Language, str]] = {
    "zones_high": {"sv": "riskzonerna med hög risk", "en": "the high-risk zones"},
    "zones_any": {"sv": "riskzonerna", "en": "the zones"},
    "promap": {"sv": "ProMap", "en": "ProMap"},
    "hotspot": {"sv": "hot spot-kartan", "en": "the hot-spot map"},
    "random": {"sv": "slumpvis valda rutor", "en": "random cells"},
}


@dataclass(frozen=True)
class Study:
    """How the back-test measured: the evaluated days, the study cells, the bootstrap."""

    first_day: date
    last_day: date
    warmup_days: int
    cells: int
    cell_m: float
    reach_m: float
    area_km2: float
    draws: int

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


class Words:
    """Numbers and words in the record's language, shared by the two records."""

    language: Language

    def t(self, key: str, **values: object) -> str:
        return WORDS[key][self.language].format(**values)

    def number(self, value: float, decimals: int = 0) -> str:
        return number(value, decimals, self.language)

    def percent(self, share: float, decimals: int = 1) -> str:
        """'43,0 %' in Swedish, '43.0%' in English."""
        text = self.number(100 * share, decimals)
        return f"{text}{NBSP}%" if self.language == "sv" else f"{text}%"

    def signed(self, value: float, decimals: int = 1) -> str:
        """'+2,8', '−0,01' (a minus sign in Swedish)."""
        text = self.number(abs(value), decimals)
        if round(value, decimals) == 0:
            return text
        minus = MINUS if self.language == "sv" else "-"
        return ("+" if value > 0 else minus) + text

    def rules(self, z: ZoneRules) -> str:
        radius = self.number(z.radius_m, 0 if float(z.radius_m).is_integer() else 1)
        return self.t(
            "rules", radius=radius, high=z.high_risk_days, elevated=z.elevated_risk_days
        ).replace(" m,", f"{NBSP}m,")

    def pai(self, value: float | None, interval: Interval | None = None) -> str:
        """'1,42 (1,40–1,44)', '–' when the method covered nothing."""
        if value is None:
            return "–"
        text = self.number(value, 2)
        if interval is not None and interval.low == interval.low:  # not NaN
            text += f" ({self.number(interval.low, 2)}–{self.number(interval.high, 2)})"
        return text


@dataclass(frozen=True)
class BacktestSummary(Words):
    """The back-test of one set of rules: the figures, how they were measured, the data read,
    and how many register addresses the door count had (None: no register)."""

    result: Backtest
    study: Study
    data: DataSource
    addresses: int | None = None
    language: Language = "sv"

    def title(self) -> str:
        return self.t("title", rules=self.rules(self.result.rules))

    def method(self, name: str) -> str:
        return METHOD_WORDS[name][self.language]

    def verdict(self) -> str:
        """The winner at the zones' area and by how much, with the interval."""
        v = self.result.verdict
        if round(100 * v.lead, 1) == 0:  # a tie, perhaps of more than two
            best = self.result.figures(v.winner).row.hits
            tied = [
                METHOD_NAMES[m.row.method][self.language]
                for m in self.result.methods[1:]  # zones_any and the baselines: the same area
                if m.row.hits == best
            ]
            return self.t("tie", methods=self.t("and", first=", ".join(tied[:-1]), last=tied[-1]))
        return self.t(
            "winner",
            winner=METHOD_NAMES[v.winner][self.language],
            runner_up=METHOD_NAMES[v.runner_up][self.language],
            lead=self.t("points", v=self.number(100 * v.lead, 1)),
            low=self.signed(100 * v.lead_95.low),
            high=self.signed(100 * v.lead_95.high),
            clear="" if v.clear else self.t("not_clear"),
        )

    def against(self) -> str:
        """The zones (all levels) against each baseline: hit-rate differences with intervals."""
        parts = [
            self.t(
                "against_one",
                baseline=METHOD_NAMES[c.baseline][self.language],
                difference=self.t("points", v=self.signed(100 * c.hit_rate_difference)),
                low=self.signed(100 * c.hit_rate_difference_95.low),
                high=self.signed(100 * c.hit_rate_difference_95.high),
            )
            for c in self.result.comparisons
        ]
        return self.t("against", rest="; ".join(parts))

    def workload(self) -> str:
        w = self.result.workload
        doors = self.t("no_register")
        if w.doors is not None and w.rosters is not None and self.addresses is not None:
            doors = self.t(
                "doors",
                rosters=self.number(w.rosters),
                doors=self.number(w.doors),
                addresses=self.number(self.addresses),
            )
        return self.t(
            "workload",
            zone_days=self.number(w.zone_days),
            per_day=self.number(w.zone_days / self.study.days, 1),
            doors=doors,
        )

    def period(self) -> str:
        return period_line(self, self.study, self.result.rows()[0].events)

    def notes(self) -> list[str]:
        return [explain(self, self.study, baselines=True), self.data.line(self.language)]


@dataclass(frozen=True)
class Calibration(Words):
    """The sensitivity grid on one history, the rules in use and the suggestion."""

    result: Sensitivity
    grid: SensitivityGrid
    study: Study
    data: DataSource
    language: Language = "sv"

    def subtitle(self) -> str:
        g = self.grid
        return self.t(
            "cal_subtitle",
            n=self.number(len(self.result.rows)),
            radii=_span(
                [self.number(r, 0 if float(r).is_integer() else 1) for r in sorted(g.radii_m)]
            ),
            high=_span([str(d) for d in sorted(g.high_days)]),
            elevated=_span([str(d) for d in sorted(g.elevated_days)]),
        )

    def figures(self, row: SensitivityRow) -> str:
        return self.t(
            "figures",
            rules=self.rules(row.rules),
            hit_rate=self.percent(row.hit_rate),
            area=self.percent(row.area_share),
            pai=self.pai(row.pai, row.pai_95),
            zone_days=self.number(row.zone_days),
        )

    def gain(self) -> str:
        """Whether the suggestion's PAI gain over the rules in use is more than chance."""
        s = self.result.suggestion
        if s.row.rules == s.reference.rules:
            return self.t("same", rules=self.rules(s.reference.rules))
        if s.pai_gain is None or s.pai_gain_95 is None:
            return ""
        verdict = (
            self.t("gain_clear")
            if s.clear
            else self.t("gain_chance", rules=self.rules(s.reference.rules))
        )
        return self.t(
            "gain",
            gain=self.signed(s.pai_gain, 2),
            low=self.signed(s.pai_gain_95.low, 2),
            high=self.signed(s.pai_gain_95.high, 2),
            verdict=verdict,
        )

    def evidence(self) -> str:
        """One line for the snippet's comment: what the suggestion catches against the rules in
        use, on which data (plain spaces: it is pasted into a TOML file)."""
        s = self.result.suggestion
        row, ref = s.row, s.reference
        if row.rules == ref.rules:
            verdict = self.t("evidence_same")
        elif s.pai_gain is None or s.pai_gain_95 is None:
            verdict = ""
        else:
            verdict = self.t(
                "evidence_gain",
                gain=self.signed(s.pai_gain, 2),
                low=self.signed(s.pai_gain_95.low, 2),
                high=self.signed(s.pai_gain_95.high, 2),
                chance="" if s.clear else self.t("evidence_chance"),
            )
        line = self.t(
            "evidence",
            first=self.study.first_day.isoformat(),
            last=self.study.last_day.isoformat(),
            events=self.number(row.events),
            suggested=self.rules(row.rules),
            hit_rate=self.percent(row.hit_rate),
            area=self.percent(row.area_share),
            pai=self.pai(row.pai),
            reference=self.rules(ref.rules),
            ref_hit_rate=self.percent(ref.hit_rate),
            ref_area=self.percent(ref.area_share),
            ref_pai=self.pai(ref.pai),
            verdict=verdict,
        )
        return line.replace(NBSP, " ").replace(MINUS, "-")

    def snippet(self) -> str:
        """The `[risk]` settings to paste, with the evidence as a comment."""
        return self.result.suggestion.snippet(comment=self.evidence())

    def slice_point(self) -> tuple[ZoneRules, ZoneRules]:
        """Where the two slices of the grid go through: the days of the rules in use when the
        grid has them (else the suggestion's), and its radius likewise."""
        ref, best = self.result.suggestion.reference.rules, self.result.suggestion.row.rules
        g = self.grid
        days = ref if (ref.high_risk_days in g.high_days and
                       ref.elevated_risk_days in g.elevated_days) else best  # fmt: skip
        radius = ref if ref.radius_m in g.radii_m else best
        return days, radius

    def by_radius(self) -> list[SensitivityRow]:
        """The rows at the slice's days, by radius."""
        days, _ = self.slice_point()
        return sorted(
            (r for r in self.result.rows
             if (r.high_risk_days, r.elevated_risk_days)
             == (days.high_risk_days, days.elevated_risk_days)),
            key=lambda r: r.radius_m,
        )  # fmt: skip

    def by_days(self) -> dict[tuple[int, int], SensitivityRow]:
        """The rows at the slice's radius, by (high, elevated) days."""
        _, radius = self.slice_point()
        return {
            (r.high_risk_days, r.elevated_risk_days): r
            for r in self.result.rows
            if r.radius_m == radius.radius_m
        }

    def period(self) -> str:
        return period_line(self, self.study, self.result.reference.events)

    def notes(self) -> list[str]:
        return [explain(self, self.study), self.data.line(self.language)]


def period_line(words: Words, study: Study, events: int) -> str:
    return words.t(
        "period",
        first=study.first_day.isoformat(),
        last=study.last_day.isoformat(),
        days=words.number(study.days),
        warmup=words.number(study.warmup_days),
        events=words.number(events),
    )


def explain(words: Words, study: Study, baselines: bool = False) -> str:
    """What hit rate, area share, PAI and the intervals mean, with the study area's size."""
    return words.t(
        "explain",
        baselines=words.t("baselines") if baselines else "",
        cells=words.number(study.cells),
        cell=words.number(study.cell_m),
        reach=words.number(study.reach_m),
        km2=words.number(study.area_km2),
        draws=words.number(study.draws),
    )


def day_of(days_since_epoch: int) -> date:
    """A day the analysis counts (local days since 1970-01-01) as a date."""
    return EPOCH + timedelta(days=int(days_since_epoch))


def _span(values: list[str]) -> str:
    """'100–800' of several values, the value itself of one."""
    return values[0] if len(values) == 1 else f"{values[0]}–{values[-1]}"
