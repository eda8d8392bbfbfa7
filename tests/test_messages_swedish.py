"""Errors are one line naming the file, row and field: in Swedish when output.language = sv,
frame and reason alike; in English when en, word for word as before. Every reason a reader or a
use case gives has both wordings, with the same values, and the Swedish is Swedish."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cocoon.app import reasons as app_reasons
from cocoon.core import time as core_time
from cocoon.core import visits as core_visits
from cocoon.errors import InputError, RowError
from cocoon.messages import CATALOGUE, Text, say
from cocoon.outputs import reasons as output_reasons
from cocoon.sources import outside as source_outside
from cocoon.sources import reasons as source_reasons
from cocoon.sources.addresses import read_addresses
from cocoon.store import reasons as store_reasons
from cocoon.web import reasons as web_reasons
from tests.test_cli_failures import Ended, cocoon
from tests.test_readers_registers import SWEDEN, SWEREF, register_csv
from tests.test_web_field import new_tap, send, stops_of
from tests.test_web_town import Town, logged_in
from tests.test_web_town import town as town  # the fixture

#: The modules that hold the reasons of readers and use cases: imported, so that their Texts
#: are in the catalogue these tests read.
REASON_MODULES = (
    core_time, core_visits, source_reasons, source_outside, app_reasons, store_reasons,
    output_reasons, web_reasons,
)  # fmt: skip
#: The keys of their Texts (those of a module's tables of Texts too).
REASON_KEYS = sorted(
    text.key
    for module in REASON_MODULES
    for value in vars(module).values()
    for text in (value.values() if isinstance(value, dict) else [value])
    if isinstance(text, Text)
)
#: Texts the same in both languages on purpose.
SAME_IN_BOTH = {"json_null"}

REPORTS = (
    "report_id,reported_at,lat,lon,premises\n"
    "K1,2026-11-19T10:00,56.6634,16.3568,villa\n"
    "K2,2026-13-45,56.66,16.35,villa\n"
    "K3,2026-11-19T10:00,56.66,16.35,slott\n"
    "K4,2026-11-19T10:00,55.6,12.5,villa\n"
)


@pytest.fixture(autouse=True)
def own_folder(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[None]:
    """Each test in its own folder, with no COCOON_* variable of the machine running it (the
    field app's town keeps them: it is made from its own settings and may need PostgreSQL)."""
    for name in [n for n in os.environ if n.startswith("COCOON_")]:
        if "town" not in request.fixturenames:
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    yield


def ingest(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, language: str, name: str
) -> Ended:
    """`cocoon ingest NAME` on a new database, said in `language`."""
    monkeypatch.setenv("COCOON_OUTPUT__LANGUAGE", language)
    assert cocoon(capsys, "--db", "sqlite:///c.sqlite", "init").code == 0
    return cocoon(capsys, "--db", "sqlite:///c.sqlite", "ingest", name)


def rejected_lines(ended: Ended) -> list[str]:
    return [line.strip() for line in ended.err.splitlines() if line.startswith("  ")]


def test_a_rejected_report_row_reads_all_swedish_when_the_language_is_sv(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("r.csv").write_text(REPORTS, encoding="utf-8")
    ended = ingest(capsys, monkeypatch, "sv", "r.csv")
    assert ended.code == 1
    assert rejected_lines(ended)[:3] == [
        "avvisad: r.csv, rad 3, fält reported_at: "
        "'2026-13-45' går inte att läsa som en tidpunkt i ISO 8601",
        "avvisad: r.csv, rad 4, fält premises: "
        "okänt värde 'slott'; använd villa, radhus, lagenhet, fritidshus eller other",
        "avvisad: r.csv, rad 5, fält lat: "
        "punkten 55.60000 N, 12.50000 Ö ligger utanför tjänsteområdet Sverige",
    ]


def test_the_same_rows_read_as_before_in_english_when_the_language_is_en(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("r.csv").write_text(REPORTS, encoding="utf-8")
    ended = ingest(capsys, monkeypatch, "en", "r.csv")
    assert rejected_lines(ended)[:3] == [
        "rejected: r.csv, line 3, field reported_at: cannot read '2026-13-45' as an ISO 8601 time",
        "rejected: r.csv, line 4, field premises: "
        "unknown value 'slott'; use villa, radhus, lagenhet, fritidshus or other",
        "rejected: r.csv, line 5, field lat: "
        "point 55.60000 N, 12.50000 E is outside the service area Sverige",
    ]


def test_the_rejects_file_gives_the_reasons_in_the_language_of_the_command_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """File, row and field are data the reader of the rejects file may sort on: as written."""
    Path("r.csv").write_text(REPORTS, encoding="utf-8")
    ingest(capsys, monkeypatch, "sv", "r.csv")
    (rejects,) = Path("var/rejects").glob("r-*.rejects.csv")
    first = next(csv.DictReader(rejects.open(encoding="utf-8")))
    assert (first["file"], first["row"], first["field"]) == ("r.csv", "line 3", "reported_at")
    assert first["reason"] == "'2026-13-45' går inte att läsa som en tidpunkt i ISO 8601"


def test_a_file_that_cannot_be_read_is_one_swedish_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("r.txt").write_text("x", encoding="utf-8")
    ended = ingest(capsys, monkeypatch, "sv", "r.txt")
    assert ended.err.splitlines()[-2] == (
        "cocoon: fel: r.txt: okänt format för anmälningar '.txt'; använd .csv, .geojson eller .json"
    )


def test_a_row_error_is_english_in_str_and_swedish_when_rendered() -> None:
    err = RowError("report_id", source_reasons.MISSING())
    assert str(err) == "report_id: missing" and err.reason == "missing"
    assert err.render("sv") == "report_id: saknas"


def test_a_register_rejection_is_an_english_line_said_in_swedish_on_the_command_line() -> None:
    """Address, road and group loads list their rejected rows as lines (in the run's record)."""
    line = source_reasons.rejected("a.csv", "line 7", RowError("street", source_reasons.MISSING()))
    assert line == "a.csv, line 7, field street: missing"
    assert say(line, "sv") == "a.csv, rad 7, fält street: saknas"


def test_the_reasons_are_in_the_catalogue() -> None:
    assert {"row_missing", "file_not_json", "time_not_iso", "app_withdrawn"} <= set(REASON_KEYS)
    assert {"store_no_report", "outputs_no_leaflet", "web_give_report_id"} <= set(REASON_KEYS)


@pytest.mark.parametrize("key", REASON_KEYS)
def test_every_reason_has_both_wordings_with_the_same_values(key: str) -> None:
    text = CATALOGUE[key]
    assert text.sv.strip() and text.en.strip()
    assert text.placeholders("sv") == text.placeholders("en")


@pytest.mark.parametrize("key", REASON_KEYS)
def test_every_reason_is_translated(key: str) -> None:
    """No English copied into the Swedish: the wordings differ beyond their placeholders."""
    text = CATALOGUE[key]
    assert (text.sv == text.en) == (key in SAME_IN_BOTH)


# --- errors of the store, the use cases and the field app -----------------------------------


def retract_unknown(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, language: str
) -> Ended:
    monkeypatch.setenv("COCOON_OUTPUT__LANGUAGE", language)
    assert cocoon(capsys, "--db", "sqlite:///c.sqlite", "init").code == 0
    return cocoon(capsys, "--db", "sqlite:///c.sqlite", "retract", "R404", "--reason", "x")


def test_retract_of_an_unknown_report_says_so_in_swedish(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ended = retract_unknown(capsys, monkeypatch, "sv")
    assert (ended.code, ended.line) == (1, "cocoon: fel: ingen anmälan med id 'R404'")


def test_retract_of_an_unknown_report_says_so_in_english_as_before(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ended = retract_unknown(capsys, monkeypatch, "en")
    assert (ended.code, ended.line) == (1, "cocoon: error: no report with id 'R404'")


def test_a_leaflet_in_an_unknown_language_is_one_swedish_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COCOON_OUTPUT__LANGUAGE", "sv")
    assert cocoon(capsys, "--db", "sqlite:///c.sqlite", "init").code == 0
    ended = cocoon(capsys, "--db", "sqlite:///c.sqlite", "leaflet", "--lang", "xx", "-o", "x.pdf")
    assert ended.line == (
        "cocoon: fel: inget informationsblad på språket 'xx'; "
        "det finns: sv, en, ar, so, fa, ti, pl, fi, bs"
    )


def test_why_a_report_gets_no_visits_is_said_in_either_language() -> None:
    reason = core_visits.NO_VISITS_ATTEMPT_NOT_COUNTED(premises="villa")
    refusal = app_reasons.NO_VISITS(report_id="K1", reason=reason)
    assert str(refusal) == "report K1 (villa, attempt) does not make a zone under the settings"
    assert refusal.render("sv") == (
        "anmälan K1 (villa, försök) ger ingen riskzon med inställningarna"
    )


def test_a_tap_for_an_address_not_on_the_roster_is_refused_in_swedish(town: Town) -> None:
    """The town's installation speaks Swedish: the field app's refusal reads Swedish too."""
    c = logged_in(town, "team")
    answer = send(c, town, **new_tap("nowhere"))
    assert answer.status_code == 404
    assert answer.json["error"] == (
        f"adressen 'nowhere' finns inte på besökslistan {town.roster_key}"
    )
    assert stops_of(town)  # the roster is there; only the address is not on it


def test_an_unknown_roster_page_is_refused_in_swedish(town: Town) -> None:
    page = logged_in(town, "admin").get("/rosters/" + "Q" * 20)
    assert page.status_code == 404 and "ingen besökslista QQQQQQQQQQQQQQQQ…" in page.text


def test_a_database_not_made_by_init_is_one_swedish_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COCOON_OUTPUT__LANGUAGE", "sv")
    ended = cocoon(capsys, "--db", "sqlite:///c.sqlite", "retract", "R1", "--reason", "x")
    assert (ended.code, ended.line) == (
        1,
        "cocoon: fel: databasen har inga cocoon-tabeller; kör `cocoon init` först",
    )


def test_a_register_with_lat_and_lon_swapped_is_refused_in_swedish(tmp_path: Path) -> None:
    path = register_csv(tmp_path, 120, swap=True)
    with pytest.raises(InputError) as caught:
        read_addresses(path, SWEDEN, SWEREF)
    assert caught.value.render("sv") == (
        f"{path}: ingen av 120 punkter ligger i tjänsteområdet Sverige; med de två "
        "koordinatkolumnerna omkastade skulle 120 göra det: är lat och lon (eller öst och nord) "
        "omkastade?"
    )
    assert str(caught.value).startswith(f"{path}: none of 120 points lies in the service area")
