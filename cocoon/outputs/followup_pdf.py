"""The medborgarlöfte follow-up on A4: what the kommunpolis hands to the municipality.

The title with the area, the period and its reference, a chart of the burglaries per month, the
tables (burglaries, the work done, door visits, signs, near-repeats), the method in a few
sentences and, on the public version, the suppression rule. The internal version adds the zones
opened and the burglaries that fell in a live zone. Invariant mode makes re-runs byte-identical.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from cocoon.analysis.followup import (
    HIDDEN,
    SMALL,
    SUPPRESSED,
    WITHIN_HOURS,
    Cell,
    Measure,
    Month,
    PeriodError,
    parse_period,
)
from cocoon.core.time import local
from cocoon.i18n import Language
from cocoon.outputs import register
from cocoon.outputs.followup_content import FollowUpReport
from cocoon.outputs.fonts import BOLD, REGULAR
from cocoon.outputs.paper import Footer, FooterCanvas, FooterMark, a4_document, paragraph_style
from cocoon.outputs.sheet_map import GREY, INK, LINE

PADDING = 6  # the frame's padding each side, in points
CHART_HEIGHT = 58 * mm
PERIOD_FILL = colors.HexColor("#1f4e79")
REFERENCE_FILL = colors.HexColor("#b8c4d0")
HEAD_FILL = colors.HexColor("#e6e6e6")
TOTAL_FILL = colors.HexColor("#f2f2f2")
CELL_PT = 8.5
DASH = "–"

_MONTHS: dict[Language, tuple[str, ...]] = {
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip

#: The words of the follow-up, in Swedish and English.
WORDS: dict[str, dict[Language, str]] = {
    "title": {"sv": "Uppföljning av medborgarlöftet – {area}",
              "en": "Follow-up of the citizen promise – {area}"},
    "subtitle": {"sv": "Bostadsinbrott och cocooning {period}",
                 "en": "Residential burglaries and cocooning, {period}"},
    "against": {"sv": ", jämfört med {reference}", "en": ", compared with {reference}"},
    "public": {"sv": "Offentlig version", "en": "Public version"},
    "internal": {"sv": "Intern version – lämna inte ut", "en": "Internal – do not hand out"},
    "internal_short": {"sv": "Internt – lämna inte ut", "en": "Internal – do not hand out"},
    "made": {"sv": "Skapad {day}", "en": "Made {day}"},
    "year": {"sv": "år {year}", "en": "in {year}"},
    "tertial": {"sv": "tertial {n} {year} ({months})", "en": "tertial {n} of {year} ({months})"},
    "quarter": {"sv": "kvartal {n} {year} ({months})", "en": "quarter {n} of {year} ({months})"},
    "month": {"sv": "{month} {year}", "en": "in {month} {year}"},
    "dates": {"sv": "{first}–{last}", "en": "{first} to {last}"},
    "reference_year": {"sv": "referensåret {year}", "en": "the reference year {year}"},
    "reference_period": {"sv": "referensperioden {period}", "en": "the reference period {period}"},
    "lead": {"sv": "{count} bostadsinbrott under perioden{change}.",
             "en": "{count} residential burglaries in the period{change}."},
    "fewer": {"sv": ", {pct} färre än {reference} ({ref})",
              "en": ", {pct} fewer than {reference} ({ref})"},
    "more": {"sv": ", {pct} fler än {reference} ({ref})",
             "en": ", {pct} more than {reference} ({ref})"},
    "as_many": {"sv": ", lika många som {reference}", "en": ", as many as {reference}"},
    "lead_work": {"sv": "{zones} riskzoner öppnades och {rosters} besökslistor gjordes.",
                  "en": "{zones} risk zones opened and {rosters} visit rosters were made."},
    "fewer_than": {"sv": "färre än {limit}", "en": "fewer than {limit}"},
    "lead_near": {"sv": "{near} av inbrotten skedde i en aktiv riskzon.",
                  "en": "{near} of the burglaries happened inside a live risk zone."},
    "burglaries": {"sv": "Bostadsinbrott per månad", "en": "Residential burglaries per month"},
    "col_month": {"sv": "Månad", "en": "Month"},
    "col_count": {"sv": "Inbrott", "en": "Burglaries"},
    "col_reference_month": {"sv": "Referensmånad", "en": "Reference month"},
    "col_change": {"sv": "Förändring", "en": "Change"},
    "total": {"sv": "Totalt", "en": "Total"},
    "part_month": {"sv": "* en del av månaden ingår i perioden.",
                   "en": "* only part of the month lies in the period."},
    "not_located": {
        "sv": "Anmälningar under perioden som saknar plats (de bildar ingen zon och räknas inte): "
              "{count}.",
        "en": "Reports of the period without a place (they make no zone and are not counted): "
              "{count}.",
    },
    "work": {"sv": "Arbetet", "en": "The work done"},
    "zones_opened": {"sv": "Riskzoner som öppnats", "en": "Risk zones opened"},
    "rosters": {"sv": "Besökslistor (besöksplaner med minst en dörr)",
                "en": "Visit rosters (plans with at least one door)"},
    "plans_without_doors": {"sv": "Besöksplaner utan dörr kvar att besöka",
                            "en": "Visit plans with no door left to visit"},
    "report_to_roster": {"sv": "Tid från anmälan till besökslista",
                         "en": "Time from report to roster"},
    "report_to_first_visit": {"sv": "Tid från anmälan till första besök",
                              "en": "Time from report to the first visit"},
    "median": {"sv": "{what}, median", "en": "{what}, median"},
    "within": {"sv": "{what}: inom {hours} timmar", "en": "{what}: within {hours} hours"},
    "rosters_without_visit": {"sv": "Besökslistor utan registrerat besök",
                              "en": "Rosters without a recorded visit"},
    "alerts": {"sv": "Larm från tjänsten (med besökslista och skyltplan)",
               "en": "Alerts from the service (with roster and sign plan)"},
    "hours": {"sv": "{value} h", "en": "{value} h"},
    "visits": {"sv": "Dörrknackning och trapphusinformation",
               "en": "Door knocks and stairwell notices"},
    "col_stops": {"sv": "Besöksställen", "en": "Stops"},
    "col_planned": {"sv": "Planerade", "en": "Planned"},
    "col_visited": {"sv": "Besökta", "en": "Visited"},
    "col_not_home": {"sv": "Ej hemma (lapp lämnad)", "en": "Not at home (leaflet left)"},
    "col_declined": {"sv": "Avböjde", "en": "Declined"},
    "col_pending": {"sv": "Ej rapporterade", "en": "Not reported"},
    "doors": {"sv": "Dörrar (småhus)", "en": "Doors (houses)"},
    "stairwells": {"sv": "Trapphus (flerbostadshus)", "en": "Stairwells (blocks of flats)"},
    "signs": {"sv": "Skyltar", "en": "Signs"},
    "put_up": {"sv": "Skyltar uppsatta", "en": "Signs put up"},
    "due_down": {"sv": "Skyltar som skulle tas ner", "en": "Signs due to come down"},
    "down_on_time": {"sv": "– nedtagna i tid", "en": "– taken down on time"},
    "down_late": {"sv": "– nedtagna för sent", "en": "– taken down late"},
    "still_up_after_due": {"sv": "– står kvar efter nedtagningsdagen",
                           "en": "– still up after their day"},
    "down_on_time_pct": {"sv": "Andel nedtagna i tid", "en": "Share taken down on time"},
    "plan_days": {"sv": "Dagar med skyltplan", "en": "Days with a sign plan"},
    "ticked_up": {"sv": "Uppsatta enligt appen (avbockade)", "en": "Put up, ticked in the app"},
    "ticked_up_on_time": {"sv": "– senast på sin dag", "en": "– on or before their day"},
    "ticked_down_on_time": {"sv": "Nedtagna i tid enligt appen",
                            "en": "Taken down on time, ticked in the app"},
    "ticked_down_late": {"sv": "Nedtagna för sent enligt appen",
                         "en": "Taken down late, ticked in the app"},
    "of_days": {"sv": "{value} av {days}", "en": "{value} of {days}"},
    "near_repeats": {"sv": "Inbrott i en aktiv riskzon (upprepade inbrott i närheten)",
                     "en": "Burglaries inside a live risk zone (near-repeats)"},
    "near_burglaries": {"sv": "Inbrott under perioden (räknade)",
                        "en": "Burglaries in the period (counted)"},
    "in_live_zone": {"sv": "– i en aktiv riskzon när de skedde",
                     "en": "– inside a live risk zone when they happened"},
    "in_high_risk_zone": {"sv": "– varav inom {days} dagar från zonens anmälan (hög risk)",
                          "en": "– of which within {days} days of the zone's report (high risk)"},
    "col_count_pct": {"sv": "Antal (andel)", "en": "Count (share)"},
    "zones_list": {"sv": "Riskzoner som öppnats (internt)", "en": "Risk zones opened (internal)"},
    "col_zone": {"sv": "Zon", "en": "Zone"},
    "col_opened": {"sv": "Öppnad", "en": "Opened"},
    "col_reports": {"sv": "Anmälan", "en": "Report"},
    "near_list": {"sv": "Inbrott i en aktiv riskzon (internt)",
                  "en": "Burglaries inside a live risk zone (internal)"},
    "col_happened": {"sv": "Skedde", "en": "Happened"},
    "col_level": {"sv": "Nivå", "en": "Level"},
    "col_days_after": {"sv": "Dagar efter senaste tidigare anmälan inom radien",
                       "en": "Days after the latest earlier report within the radius"},
    "high": {"sv": "hög", "en": "high"},
    "elevated": {"sv": "förhöjd", "en": "elevated"},
    "none_listed": {"sv": "Inga.", "en": "None."},
    "method": {"sv": "Metod", "en": "Method"},
    "method_text": {
        "sv": "Ett bostadsinbrott räknas som i cocoons riskzoner: inbrott och försök i de slags"
              " bostäder som inställningarna räknar, med plats och inte återkallade. Det räknas"
              " i den månad det skedde (slutet av brottstiden, annars dess början, annars "
              "anmälningstiden), i svensk tid. Referensen är {reference_source}. En riskzon "
              "öppnas när en anmälan blir aktiv utan någon annan aktiv anmälan inom {reach} m. "
              "Ett inbrott skedde i en aktiv riskzon när det låg högst {radius} m från en "
              "anmälan som polisen kände till före inbrottet och vars {high} + {elevated} dagar"
              " inte hade gått ut; inom {high} dagar är risken hög. Tiden till besökslista "
              "räknas från anmälan till att besöksplanen gjordes, tiden till första besök till "
              "det första besök teamet förde in en tid för; besökslistor utan ett sådant besök "
              "räknas inte som gjorda inom 24 eller 48 timmar. En skylt är nedtagen i tid när "
              "skyltplanen som tog ner den gjordes för en dag senast den dag zonens nivå "
              "slutade. Siffrorna är hämtade ur databasen den {made}; anmälningar som kommer in "
              "senare kan ändra dem.",
        "en": "A residential burglary counts as it does for cocoon's risk zones: burglaries and "
              "attempts on the kinds of home the settings count, with a place and not withdrawn. "
              "It counts in the month it happened (the end of the offence window, else its "
              "start, else the time of the report), in Swedish time. The reference is "
              "{reference_source}. A risk zone opens when a report becomes live with no other "
              "live report within {reach} m. A burglary happened inside a live risk zone when it "
              "lay at most {radius} m from a report the police knew of before it whose {high} + "
              "{elevated} days had not run out; within {high} days the risk is high. The time to "
              "the roster runs from the report to when the visit plan was made, the time to the "
              "first visit to the first visit the team entered a time for; rosters without one "
              "do not count as done within 24 or 48 hours. A sign came down on time when the "
              "sign plan that took it down was made for a day no later than the day its zone's "
              "level ended. The figures are read from the database on {made}; reports that come "
              "in later can change them.",
    },
    "source_database": {"sv": "samma räkning för {reference} ur cocoons databas",
                        "en": "the same count for {reference} from cocoon's database"},
    "source_file": {"sv": "månadsantal för {reference} ur en referensfil",
                    "en": "monthly counts for {reference} from a reference file"},
    "source_none": {"sv": "inte angiven", "en": "not given"},
    "suppression": {"sv": "Skydd mot röjande", "en": "Disclosure control"},
    "suppression_text": {
        "sv": "Den här versionen visar bara sammanräknade tal. Antal 1–4 visas som ”{small}”. "
              "Om bara en månad i en serie döljs så döljs också den minsta andra månaden med "
              "inbrott (”{hidden}”), så att totalen inte avslöjar den. Förändring i procent anges "
              "inte när något av talen är under {limit}; andelar och medianer anges inte när de "
              "bygger på färre än {limit} eller visar ett antal 1–4. Inga anmälningsnummer, "
              "adresser, zonnummer eller datum för enskilda inbrott ingår. Det är en tröskelregel "
              "av det slag som Sveriges officiella statistik använder vid röjandekontroll av "
              "tabeller (SCB, statistisk röjandekontroll).",
        "en": "This version shows totals only. Counts of 1–4 are shown as “{small}”. Where only "
              "one month of a series is hidden so, the smallest other month with burglaries is "
              "hidden too (“{hidden}”), so that the total does not give it away. A change in "
              "per cent is not given when either count is below {limit}; shares and medians are "
              "not given when they rest on fewer than {limit} or show a count of 1–4. No report "
              "number, address, zone id or date of a single burglary is included. This is a "
              "threshold rule of the kind Swedish official statistics use in the disclosure "
              "control of tables (Statistics Sweden, statistisk röjandekontroll).",
    },
}  # fmt: skip


def word(key: str, lang: Language, **values: object) -> str:
    return WORDS[key][lang].format(**values)


def number(value: Cell, lang: Language, digits: int = 0) -> str:
    """A figure as people read it: thin-space thousands and a decimal comma in Swedish; a
    suppressed or missing one as the public rule shows it."""
    if value is None:
        return DASH
    if isinstance(value, str):
        return value
    text = f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"
    if lang == "sv":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text.replace("-", "−")


def percent(value: float | None, lang: Language, signed: bool = False) -> str:
    """'−46 %' ('-46%' in English); one decimal below 10 %, none from there on."""
    if value is None:
        return DASH
    if round(value, 1) == 0:
        return "0\u00a0%" if lang == "sv" else "0%"
    shown = number(abs(value) if not signed else value, lang, 1 if abs(value) < 10 else 0)
    if signed and value > 0:
        shown = "+" + shown
    return f"{shown}\u00a0%" if lang == "sv" else f"{shown}%"


def period_words(label: str, lang: Language, months: bool = True) -> str:
    """'år 2026', 'kvartal 1 2026 (januari–mars)', 'mars 2026', '2026-01-01–2026-06-30'; without
    `months` the short form ('2026', 'kvartal 1 2026') for a legend or a table's cell."""
    try:
        p = parse_period(label)
    except PeriodError:
        return label
    names = _MONTHS[lang]
    year, span = p.first.year, f"{names[p.first.month - 1]}–{names[p.last.month - 1]}"
    if p.kind == "year":
        return word("year", lang, year=year) if months else str(year)
    if p.kind in ("tertial", "quarter"):
        shown = word(p.kind, lang, n=p.number, year=year, months=span)
        return shown if months else shown.split(" (")[0]
    if p.kind == "month":
        shown = word("month", lang, month=names[p.first.month - 1], year=year)
        return shown if months else shown.removeprefix("in ")
    return word("dates", lang, first=p.first.isoformat(), last=p.last.isoformat())


def reference_words(label: str, lang: Language, months: bool = True) -> str:
    """'referensåret 2015', 'referensperioden kvartal 1 2015 (januari–mars)'; without
    `months` the reference's short name ('2015', 'kvartal 1 2015')."""
    if label.isdigit():
        return word("reference_year", lang, year=label) if months else label
    shown = period_words(label, lang, months).removeprefix("in ")
    return word("reference_period", lang, period=shown) if months else shown


def month_label(month: str, lang: Language, short: bool = False) -> str:
    """'2026-03' as 'mars 2026' (or 'mar' on the chart's axis)."""
    m = Month(int(month[:4]), int(month[5:7]))
    name = _MONTHS[lang][m.month - 1]
    return name[:3] if short else f"{name} {m.year}"


@register(FollowUpReport, "pdf")
def followup_pdf(content: FollowUpReport) -> bytes:
    """A4 portrait, in the content's language, DejaVu Sans embedded."""
    lang, f = content.language, content.figures
    styles = _Styles()
    title = word("title", lang, area=content.area_name)
    out = io.BytesIO()
    doc = a4_document(out, title, lang)
    width = doc.width - 2 * PADDING
    version = word("public" if content.public else "internal_short", lang)
    footer_mid = word("public" if content.public else "internal_short", lang)
    story: list[Flowable] = [
        FooterMark(Footer(title, footer_mid, lang, inset=PADDING)),
        *_heading(content, styles, width, version),
        Spacer(0, 3 * mm),
        *_lead(content, styles),
        Spacer(0, 3 * mm),
        Paragraph(escape(word("burglaries", lang)), styles.section),
        _chart(content, width),
        Spacer(0, 2 * mm),
        _month_table(content, styles, width),
    ]
    notes = []
    if any(r.part for r in f.burglaries.rows):
        notes.append(word("part_month", lang))
    not_located = content.value("burglaries", "not_located").value
    if not_located:
        notes.append(word("not_located", lang, count=number(not_located, lang)))
    story += [Paragraph(escape(n), styles.note) for n in notes]
    story += [
        _section(word("work", lang), _work_table(content, styles, width), styles),
        _section(word("visits", lang), _visit_table(content, styles, width), styles),
        _section(word("signs", lang), _sign_table(content, styles, width), styles),
        _section(word("near_repeats", lang), _near_table(content, styles, width), styles),
    ]
    if not content.public:
        story += _internal_lists(content, styles, width)
    story += _method(content, styles)
    doc.build(story, canvasmaker=FooterCanvas)
    return out.getvalue()


class _Styles:
    """The paragraph styles of the follow-up."""

    def __init__(self) -> None:
        style = paragraph_style
        self.title = style("fu-title", 16, BOLD, textColor=INK)
        self.subtitle = style("fu-subtitle", 11, textColor=INK)
        self.version = style("fu-version", 10, BOLD, textColor=INK, alignment=TA_RIGHT)
        self.made = style("fu-made", 8.5, textColor=GREY, alignment=TA_RIGHT)
        self.lead = style("fu-lead", 10.5, textColor=INK, spaceAfter=2)
        self.section = style("fu-section", 11.5, BOLD, textColor=INK, spaceBefore=6, spaceAfter=3)
        self.head = style("fu-head", 7.5, BOLD, textColor=INK)
        self.head_right = style("fu-head-r", 7.5, BOLD, textColor=INK, alignment=TA_RIGHT)
        self.cell = style("fu-cell", CELL_PT, textColor=INK)
        self.body = style("fu-body", 8.5, textColor=INK, spaceAfter=3)
        self.note = style("fu-note", 7.5, textColor=GREY, spaceBefore=2)


def _heading(
    content: FollowUpReport, styles: _Styles, width: float, version: str
) -> list[Flowable]:
    lang, f = content.language, content.figures
    subtitle = word("subtitle", lang, period=period_words(f.period.label, lang))
    if f.burglaries.reference_label:
        subtitle += word(
            "against", lang, reference=reference_words(f.burglaries.reference_label, lang)
        )
    made = word("made", lang, day=local(content.made_at, content.tz).date().isoformat())
    table = Table(
        [
            [
                Paragraph(escape(subtitle), styles.subtitle),
                [Paragraph(escape(version), styles.version), Paragraph(escape(made), styles.made)],
            ]
        ],
        colWidths=[width * 0.7, width * 0.3],
    )
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (0, -1), (-1, -1), 1.2, INK),
            ]
        )
    )
    title = Paragraph(escape(word("title", lang, area=content.area_name)), styles.title)
    return [title, Spacer(0, 1.5 * mm), table]


def _lead(content: FollowUpReport, styles: _Styles) -> list[Flowable]:
    """The answer in three sentences: how many, against the reference; the work; near-repeats."""
    lang, f = content.language, content.figures
    total = content.value("burglaries", "total")
    change = ""
    if f.burglaries.reference_label is not None:
        reference = reference_words(f.burglaries.reference_label, lang)
        ref = number(total.reference, lang)
        if total.change_pct is None:
            change = ""
        elif round(total.change_pct) == 0:
            change = word("as_many", lang, reference=reference)
        else:
            key = "fewer" if total.change_pct < 0 else "more"
            change = word(
                key, lang, pct=percent(abs(total.change_pct), lang), reference=reference, ref=ref
            )
    near = content.value("near_repeats", "in_live_zone_pct")

    def said(value: Cell) -> str:  # a sentence does not start with "< 5"
        return word("fewer_than", lang, limit=SMALL) if value == SUPPRESSED else number(value, lang)

    sentences = [
        word("lead", lang, count=said(total.value), change=change),
        word(
            "lead_work",
            lang,
            zones=said(content.value("work", "zones_opened").value),
            rosters=said(content.value("work", "rosters").value),
        ),
    ]
    if isinstance(near.value, float):
        sentences.append(word("lead_near", lang, near=percent(near.value, lang)))
    text = " ".join(s[:1].upper() + s[1:] for s in sentences)
    return [Paragraph(escape(text), styles.lead)]


def _chart(content: FollowUpReport, width: float) -> Drawing:
    """Bars per month: the period dark, the reference light beside it; a hidden count is no bar
    but its mark ('< 5', '..') at the foot."""
    lang = content.language
    months = [m for m in content.measures() if (m.section, m.measure) == ("burglaries", "count")]
    has_ref = content.figures.burglaries.reference_label is not None
    drawing = Drawing(width, CHART_HEIGHT)
    left, bottom, top = 24.0, 16.0, CHART_HEIGHT - 18
    plot_w, plot_h = width - left - 4, top - bottom
    values = [v for m in months for v in (m.value, m.reference) if isinstance(v, int)]
    peak, step = _axis(math.ceil(1.12 * max([SMALL, *values])))  # room for the bars' figures
    for tick in range(0, peak + 1, step):
        y = bottom + plot_h * tick / peak
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=LINE, strokeWidth=0.4))
        drawing.add(
            String(
                left - 3,
                y - 2.5,
                number(tick, lang),
                fontName=REGULAR,
                fontSize=7,
                fillColor=GREY,
                textAnchor="end",
            )
        )
    slot = plot_w / max(1, len(months))
    bar = slot * (0.36 if has_ref else 0.6)
    for i, m in enumerate(months):
        x0 = left + i * slot + (slot - (2 * bar if has_ref else bar)) / 2
        series = [(m.value, PERIOD_FILL)] + ([(m.reference, REFERENCE_FILL)] if has_ref else [])
        for j, (value, fill) in enumerate(series):
            x = x0 + j * bar
            if isinstance(value, int):
                h = plot_h * value / peak
                drawing.add(Rect(x, bottom, bar - 1, h, fillColor=fill, strokeColor=None))
                if len(months) <= 12:
                    drawing.add(
                        String(
                            x + bar / 2 - 0.5,
                            bottom + h + 1.5,
                            number(value, lang),
                            fontName=REGULAR,
                            fontSize=6,
                            fillColor=INK,
                            textAnchor="middle",
                        )
                    )
            elif isinstance(value, str):
                drawing.add(
                    String(
                        x + bar / 2 - 0.5,
                        bottom + 1.5,
                        value,
                        fontName=BOLD,
                        fontSize=5.5,
                        fillColor=INK,
                        textAnchor="middle",
                    )
                )
        label = month_label(m.month, lang, short=True)
        if len(months) > 12 or (m.month.endswith("-01") and i):
            label = f"{label} {m.month[2:4]}" if len(months) <= 24 else m.month[2:]
        drawing.add(
            String(
                left + (i + 0.5) * slot,
                bottom - 9,
                label,
                fontName=REGULAR,
                fontSize=7 if len(months) <= 24 else 5,
                fillColor=INK,
                textAnchor="middle",
            )
        )
    drawing.add(Line(left, bottom, left + plot_w, bottom, strokeColor=INK, strokeWidth=0.8))
    _legend(drawing, content, left, CHART_HEIGHT - 8, has_ref)
    return drawing


def _legend(drawing: Drawing, content: FollowUpReport, x: float, y: float, has_ref: bool) -> None:
    lang, f = content.language, content.figures
    items = [(period_words(f.period.label, lang, months=False), PERIOD_FILL)]
    if has_ref and f.burglaries.reference_label:
        items.append((reference_words(f.burglaries.reference_label, lang), REFERENCE_FILL))
    for label, fill in items:
        drawing.add(Rect(x, y, 8, 6, fillColor=fill, strokeColor=None))
        drawing.add(String(x + 11, y + 0.8, label, fontName=REGULAR, fontSize=7.5, fillColor=INK))
        x += 24 + stringWidth(label, REGULAR, 7.5)


def _axis(value: int) -> tuple[int, int]:
    """The axis's top and step: a step of 1, 2 or 5 times a power of ten, at most 6 of them."""
    scale = 1
    while True:
        for step in (scale, 2 * scale, 5 * scale):
            if value <= 6 * step:
                return step * math.ceil(value / step), step
        scale *= 10


def _month_table(content: FollowUpReport, styles: _Styles, width: float) -> Table:
    lang, f = content.language, content.figures
    has_ref = f.burglaries.reference_label is not None
    rows = [m for m in content.measures() if (m.section, m.measure) == ("burglaries", "count")]
    total = content.value("burglaries", "total")
    parts = {r.month.label for r in f.burglaries.rows if r.part}
    heads = ["col_month", "col_count"] + (
        ["col_reference_month", "col_count", "col_change"] if has_ref else []
    )
    body: list[list[Any]] = []
    for m in rows:
        mark = "*" if m.month in parts else ""
        line = [month_label(m.month, lang) + mark, number(m.value, lang)]
        if has_ref:
            line += [
                month_label(m.reference_month, lang),
                number(m.reference, lang),
                percent(m.change_pct, lang, signed=True),
            ]
        body.append(line)
    total_line = [word("total", lang), number(total.value, lang)]
    if has_ref:
        total_line += [
            reference_words(total.reference_month, lang, months=False),
            number(total.reference, lang),
            percent(total.change_pct, lang, signed=True),
        ]
    body.append(total_line)
    widths = [0.26, 0.14, 0.30, 0.14, 0.16] if has_ref else [0.5, 0.5]
    return _grid_table(
        heads, body, [width * w for w in widths], styles, right_from=1, total_row=True, lang=lang
    )


def _work_table(content: FollowUpReport, styles: _Styles, width: float) -> Table:
    lang = content.language
    rows: list[list[Any]] = []
    for key in ("zones_opened", "rosters", "plans_without_doors"):
        rows.append([word(key, lang), number(content.value("work", key).value, lang)])
    for step in ("report_to_roster", "report_to_first_visit"):
        what = word(step, lang)
        median = content.value("work", f"{step}_median_hours").value
        shown = DASH if median is None else word("hours", lang, value=number(median, lang, 1))
        rows.append([word("median", lang, what=what), shown])
        for hours in WITHIN_HOURS:
            m = content.value("work", f"{step}_within_{hours}h_pct")
            rows.append(
                [word("within", lang, what=what, hours=hours), _share(m, lang, content.public)]
            )
    rows.append(
        [
            word("rosters_without_visit", lang),
            number(content.value("work", "rosters_without_visit").value, lang),
        ]
    )
    rows.append([word("alerts", lang), number(content.value("work", "alerts").value, lang)])
    return _two_column(rows, styles, width, lang)


def _share(m: Measure, lang: Language, public: bool) -> str:
    """A share in per cent, with its counts in the internal version ('33 % (1 av 3)'); a dash
    where there is none, or the public rule hides it."""
    if not isinstance(m.value, float):
        return DASH
    shown = percent(m.value, lang)
    if public or m.part is None or m.base is None:
        return shown
    return f"{shown} ({word('of_days', lang, value=m.part, days=m.base)})"


def _visit_table(content: FollowUpReport, styles: _Styles, width: float) -> Table:
    lang = content.language
    columns = ("planned", "visited", "not_home", "declined", "pending")
    heads = ["col_stops", *(f"col_{c}" for c in columns)]
    body = [
        [
            word(kind, lang),
            *(number(content.value("visits", f"{kind}_{c}").value, lang) for c in columns),
        ]
        for kind in ("doors", "stairwells")
    ]
    widths = [0.25, 0.13, 0.13, 0.2, 0.13, 0.16]
    return _grid_table(heads, body, [width * w for w in widths], styles, right_from=1, lang=lang)


def _sign_table(content: FollowUpReport, styles: _Styles, width: float) -> Table:
    lang = content.language
    rows: list[list[Any]] = []
    for key in ("put_up", "due_down", "down_on_time", "down_late", "still_up_after_due"):
        rows.append([word(key, lang), number(content.value("signs", key).value, lang)])
    pct = content.value("signs", "down_on_time_pct")
    rows.append([word("down_on_time_pct", lang), _share(pct, lang, content.public)])
    days = content.value("signs", "period_days").value
    rows.append(
        [
            word("plan_days", lang),
            word(
                "of_days",
                lang,
                value=number(content.value("signs", "plan_days").value, lang),
                days=number(days, lang),
            ),
        ]
    )
    if any(content.value("signs", key).value for key in TICKS):
        for key in TICKS:
            rows.append([word(key, lang), number(content.value("signs", key).value, lang)])
    return _two_column(rows, styles, width, lang)


#: What the field app's ticks confirm, shown where anyone ticked (else signs were on paper).
TICKS = ("ticked_up", "ticked_up_on_time", "ticked_down_on_time", "ticked_down_late")


def _near_table(content: FollowUpReport, styles: _Styles, width: float) -> Table:
    lang, f = content.language, content.figures

    def with_share(count_key: str, pct_key: str) -> str:
        count = number(content.value("near_repeats", count_key).value, lang)
        pct = content.value("near_repeats", pct_key).value
        return f"{count} ({percent(pct, lang)})" if isinstance(pct, float) else count

    rows: list[list[Any]] = [
        [
            word("near_burglaries", lang),
            number(content.value("near_repeats", "burglaries").value, lang),
        ],
        [word("in_live_zone", lang), with_share("in_live_zone", "in_live_zone_pct")],
        [
            word("in_high_risk_zone", lang, days=f.high_risk_days),
            with_share("in_high_risk_zone", "in_high_risk_zone_pct"),
        ],
    ]
    return _two_column(rows, styles, width, lang)


def _internal_lists(content: FollowUpReport, styles: _Styles, width: float) -> list[Flowable]:
    """The zones opened and the burglaries in a live zone, with ids and times: police only."""
    lang, f, tz = content.language, content.figures, content.tz
    out: list[Flowable] = [Paragraph(escape(word("zones_list", lang)), styles.section)]
    if f.zones:
        body = [
            [z.zone_id, local(z.at, tz).strftime("%Y-%m-%d %H:%M"), ", ".join(z.report_ids)]
            for z in f.zones
        ]
        heads = ["col_zone", "col_opened", "col_reports"]
        out.append(
            _grid_table(heads, body, [width * w for w in (0.22, 0.22, 0.56)], styles, lang=lang)
        )
    else:
        out.append(Paragraph(escape(word("none_listed", lang)), styles.body))
    out.append(Paragraph(escape(word("near_list", lang)), styles.section))
    if f.near_repeats:
        body = [
            [
                n.report_id,
                local(n.at, tz).strftime("%Y-%m-%d %H:%M"),
                word(n.level.value, lang),
                number(n.days_after, lang, 1),
            ]
            for n in f.near_repeats
        ]
        heads = ["col_reports", "col_happened", "col_level", "col_days_after"]
        out.append(
            _grid_table(
                heads,
                body,
                [width * w for w in (0.3, 0.26, 0.16, 0.28)],
                styles,
                right_from=3,
                lang=lang,
            )
        )
    else:
        out.append(Paragraph(escape(word("none_listed", lang)), styles.body))
    return out


def _method(content: FollowUpReport, styles: _Styles) -> list[Flowable]:
    lang, f = content.language, content.figures
    label = f.burglaries.reference_label
    if label is None:
        source = word("source_none", lang)
    else:
        key = "source_file" if content.reference_from_file else "source_database"
        source = word(key, lang, reference=reference_words(label, lang))
    made = local(content.made_at, content.tz).date().isoformat()
    text = word(
        "method_text",
        lang,
        reference_source=source,
        reach=number(round(2 * content.radius_m), lang),
        radius=number(round(content.radius_m), lang),
        high=f.high_risk_days,
        elevated=content.elevated_risk_days,
        made=made,
    )
    out: list[Flowable] = [
        KeepTogether(
            [
                Paragraph(escape(word("method", lang)), styles.section),
                Paragraph(escape(text), styles.body),
            ]
        )
    ]
    if content.public:
        rule = word("suppression_text", lang, small=SUPPRESSED, hidden=HIDDEN, limit=SMALL)
        out.append(
            KeepTogether(
                [
                    Paragraph(escape(word("suppression", lang)), styles.section),
                    Paragraph(escape(rule), styles.body),
                ]
            )
        )
    return out


def _section(heading: str, table: Table, styles: _Styles) -> KeepTogether:
    return KeepTogether([Paragraph(escape(heading), styles.section), table])


def _two_column(rows: Sequence[list[Any]], styles: _Styles, width: float, lang: Language) -> Table:
    cells = [[Paragraph(escape(label), styles.cell), value] for label, value in rows]
    table = Table(cells, colWidths=[width * 0.72, width * 0.28])
    table.setStyle(_grid_style(header=False, right_from=1))
    return table


def _grid_table(
    heads: Sequence[str],
    body: Sequence[list[Any]],
    widths: Sequence[float],
    styles: _Styles,
    right_from: int | None = None,
    total_row: bool = False,
    lang: Language = "sv",
) -> Table:
    head = [
        Paragraph(
            escape(word(h, lang)),
            styles.head_right if right_from is not None and i >= right_from else styles.head,
        )
        for i, h in enumerate(heads)
    ]
    table = Table([head, *body], colWidths=list(widths), repeatRows=1)
    extra = (
        [("FONT", (0, -1), (-1, -1), BOLD, CELL_PT), ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL)]
        if total_row
        else []
    )
    table.setStyle(_grid_style(header=True, right_from=right_from, extra=extra))
    return table


def _grid_style(
    header: bool, right_from: int | None = None, extra: Sequence[tuple[Any, ...]] = ()
) -> TableStyle:
    first = 1 if header else 0
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, first), (-1, -1), REGULAR, CELL_PT),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("BOX", (0, 0), (-1, -1), 0.8, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL))
    if right_from is not None:
        commands.append(("ALIGN", (right_from, first), (-1, -1), "RIGHT"))
    return TableStyle([*commands, *extra])
