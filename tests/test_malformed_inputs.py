"""Malformed inputs through the command line: every reader, the settings and every command's
arguments. Whatever the input, a run ends with an exit status that says what happened, no
Python traceback, an error in one line naming the file (for a row: its line and field, one
line per row), and the good rows of a file stored beside its bad ones.

The cases are generated in tests/hostile.py and run once per module, three at a time, each
as a fork of one process that has imported cocoon and then runs `python -m cocoon.cli` through
runpy (COCOON_HOSTILE_FRESH=1 runs each as a fresh process instead: slower, the same
outcomes); each test below reads the outcome of its case.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import hostile
from tests.hostile import Case, CaseRun

CASES = hostile.malformed_cases()


def _cases(area: str) -> list[Case]:
    return [c for c in CASES if c.area == area]


@pytest.fixture(scope="module")
def outcomes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, CaseRun]:
    """Every selected case run once, in parallel, each on its own copy of the town."""
    selected = {
        item.callspec.params["case"].name
        for item in request.session.items
        if item.module is request.module and hasattr(item, "callspec")
    }
    town = hostile.build_town(tmp_path_factory.mktemp("town"))
    root = tmp_path_factory.mktemp("cases")
    return hostile.run_cases([c for c in CASES if c.name in selected], town, root)


def _check(outcomes: dict[str, CaseRun], case: Case) -> None:
    done = outcomes[case.name]
    if done.problems:
        pytest.fail(done.report(), pytrace=False)


def _ids(cases: list[Case]) -> list[str]:
    return [c.name for c in cases]


@pytest.mark.parametrize("case", _cases("readers"), ids=_ids(_cases("readers")))
def test_a_bad_report_file_is_named_in_one_line_and_its_good_rows_are_stored(
    outcomes: dict[str, CaseRun], case: Case
) -> None:
    _check(outcomes, case)


@pytest.mark.parametrize("case", _cases("register"), ids=_ids(_cases("register")))
def test_a_bad_register_or_road_file_is_named_in_one_line_and_its_good_rows_are_stored(
    outcomes: dict[str, CaseRun], case: Case
) -> None:
    _check(outcomes, case)


@pytest.mark.parametrize("case", _cases("outcomes"), ids=_ids(_cases("outcomes")))
def test_a_bad_outcome_row_is_named_with_its_line_and_field_and_the_others_are_kept(
    outcomes: dict[str, CaseRun], case: Case
) -> None:
    _check(outcomes, case)


@pytest.mark.parametrize("case", _cases("config"), ids=_ids(_cases("config")))
def test_a_bad_setting_stops_the_command_with_one_line_naming_it(
    outcomes: dict[str, CaseRun], case: Case
) -> None:
    _check(outcomes, case)


@pytest.mark.parametrize("case", _cases("arguments"), ids=_ids(_cases("arguments")))
def test_a_bad_argument_is_refused_in_one_line_naming_it(
    outcomes: dict[str, CaseRun], case: Case
) -> None:
    _check(outcomes, case)


def test_the_corpus_has_over_a_hundred_cases_and_every_reader() -> None:
    assert len(CASES) >= 100
    files = {name.rsplit(".", 1)[-1] for c in CASES for name in c.files}
    assert {"csv", "geojson", "json", "gpkg", "osm", "pbf", "toml"} <= files
    assert any("load-roads" in c.args for c in CASES)
    assert any("record" in c.args and c.files for c in CASES)  # the outcomes CSV
    assert any(c.env for c in CASES)  # COCOON_* overrides


def _command(args: tuple[str, ...], visits_commands: set[str]) -> str:
    """The command a case runs: 'zones', or 'visits new' ('visits ID' is 'visits plan')."""
    rest = list(args)
    while rest[:1] and rest[0] in ("--db", "--config"):
        rest = rest[2:]
    if rest[:1] == ["visits"]:
        sub = rest[1] if len(rest) > 1 and rest[1] in visits_commands else "plan"
        return f"visits {sub}"
    return rest[0] if rest else ""


def _listed(tmp_path: Path, *group: str) -> list[str]:
    ran = hostile.run(tmp_path, None, *group, "--help")
    assert ran.returncode == 0, str(ran)
    return re.findall(r"^  (\S+)", ran.stdout.split("Commands:", 1)[1], re.M)


def test_every_command_of_the_help_has_cases_of_its_arguments(tmp_path: Path) -> None:
    """`cocoon --help` and `cocoon visits --help` list the commands; each is in the corpus."""
    visits_commands = set(_listed(tmp_path, "visits"))
    listed = {c for c in _listed(tmp_path) if c != "visits"}
    listed |= {f"visits {c}" for c in visits_commands}
    covered = {_command(c.args, visits_commands) for c in CASES}
    assert sorted(listed - covered) == []
