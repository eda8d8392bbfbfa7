"""Every command given wrong values ends in one clear line: impossible dates, numbers out of
bounds, empty strings, unknown ids, bytes that are not UTF-8, and files that cannot be written
(with nothing half-written left behind)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_cli_failures import Ended, as_a_user, cocoon, open_folder

#: K1 for the commands on one report; K2, never planned, for `visits new`.
REPORTS = "report_id,reported_at,lat,lon\nK1,{at},56.6634,16.3568\nK2,{at},57.7,11.97\n"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An initialised database with two located burglaries of 2026-11-19."""
    folder = tmp_path_factory.mktemp("options")
    url = f"sqlite:///{folder / 'c.sqlite'}"
    (folder / "r.csv").write_text(REPORTS.format(at="2026-11-19T10:00"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    for args in (["init"], ["ingest", str(folder / "r.csv")]):
        done = subprocess.run(
            [sys.executable, "-m", "cocoon.cli", "--db", url, *args],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    return url


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    with open_folder() as folder:
        yield folder


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """In a folder of the test's own, in English, the language the assertions read."""
    for name in [n for n in os.environ if n.startswith("COCOON_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("COCOON_OUTPUT__LANGUAGE", "en")
    monkeypatch.chdir(tmp_path)
    yield


def run(capsys: pytest.CaptureFixture[str], database: str, *args: str) -> Ended:
    return cocoon(capsys, "--db", database, *args)


# --- instants and days ---------------------------------------------------------------------

#: Every option that names an instant or a day, with the command around it.
TIME_OPTIONS = [
    ("zones", "--at"),
    ("signs", "--at"),
    ("signs", "--due"),
    ("daily", "--at"),
    ("export -o z.geojson", "--at"),
    ("visits status", "--at"),
    ("visits new --out rosters", "--at"),
    ("visits K1", "--at"),
    ("visits record --address-id 1 --outcome visited", "--visited-at"),
]
IMPOSSIBLE = ["2026-13-45", "2026-02-30", "0000-01-01", "10000-01-01", "2026-11-20T25:00",
              "0001-01-01T00:00", "9999-12-31", "tisdag"]  # fmt: skip


@pytest.mark.parametrize("value", IMPOSSIBLE)
@pytest.mark.parametrize(("command", "option"), TIME_OPTIONS, ids=lambda v: str(v))
def test_an_impossible_date_is_a_usage_error_naming_the_option(
    capsys: pytest.CaptureFixture[str], database: str, command: str, option: str, value: str
) -> None:
    ended = run(capsys, database, *command.split(), option, value)
    assert ended.code == 2, ended.err
    assert ended.line.startswith(f"cocoon: error: invalid value for {option}: "), ended.line
    assert repr(value) in ended.line and ended.line.endswith(" --help`)")


def test_a_day_out_of_the_calendar_says_which_years_are_possible(
    capsys: pytest.CaptureFixture[str], database: str
) -> None:
    ended = run(capsys, database, "daily", "--at", "9999-12-31")
    assert ended.line == (
        "cocoon: error: invalid value for --at: '9999-12-31' is outside the years 1900–2100 "
        "(see `cocoon daily --help`)"
    )


def test_an_impossible_date_names_what_a_date_looks_like(
    capsys: pytest.CaptureFixture[str], database: str
) -> None:
    ended = run(capsys, database, "signs", "--due", "2026-13-45")
    assert ended.line == (
        "cocoon: error: invalid value for --due: not a valid date: '2026-13-45' "
        "(YYYY-MM-DD, e.g. 2026-11-24) (see `cocoon signs --help`)"
    )


def test_impossible_dates_are_said_in_swedish_by_default(
    capsys: pytest.CaptureFixture[str], database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COCOON_OUTPUT__LANGUAGE")
    ended = run(capsys, database, "zones", "--at", "2026-13-45")
    assert ended.line == (
        "cocoon: fel: ogiltigt värde för --at: ingen giltig tidpunkt: '2026-13-45' "
        "(ISO 8601, t.ex. 2026-11-20T07:00) (se `cocoon zones --help`)"
    )


@pytest.mark.parametrize(
    "args", [["zones", "--at", ""], ["signs", "--due", " "], ["daily", "--at", ""]], ids=str
)
def test_an_empty_instant_is_refused_rather_than_read_as_now(
    capsys: pytest.CaptureFixture[str], database: str, args: list[str]
) -> None:
    ended = run(capsys, database, *args)
    assert ended.code == 2 and f"invalid value for {args[1]}: empty value" in ended.line


# --- numbers, ids, empty strings, choices ---------------------------------------------------


@pytest.mark.parametrize("value", ["99999999999999999999", "0", "-5", "1001", "ten"])
def test_status_runs_is_bounded(
    capsys: pytest.CaptureFixture[str], database: str, value: str
) -> None:
    ended = run(capsys, database, "status", "--runs", value)
    assert ended.code == 2 and "'--runs'" in ended.line, ended.err


def test_status_runs_within_bounds_lists_the_runs(
    capsys: pytest.CaptureFixture[str], database: str
) -> None:
    assert run(capsys, database, "status", "--runs", "1000").code == 0


#: (arguments, exit status, what the one line says): the wrong values of every command.
WRONG_VALUES = [
    (["--db", "", "zones"], 2, "invalid value for --db: empty value"),
    (["--config", " ", "zones"], 2, "invalid value for --config: empty value"),
    (["visits", "R404"], 1, "no report with id 'R404'"),
    (["visits", ""], 1, "no report with id ''"),
    (["retract", "R404", "--reason", "x"], 1, "no report with id 'R404'"),
    (["retract", "", "--reason", "x"], 1, "no report with id ''"),
    (["retract", "R1", "--reason", ""], 2, "invalid value for --reason: empty value"),
    (["locate", "R404", "--lat", "56.66", "--lon", "16.36"], 1, "no report with id 'R404'"),
    (["locate", "K1", "--lat", "-91", "--lon", "500"], 1, "outside the service area"),
    (["locate", "K1", "--lat", "nan", "--lon", "16"], 1, "outside the service area"),
    (["locate", "K1", "--lat", "1e400", "--lon", "16"], 1, "outside the service area"),
    (["locate", "K1", "--easting", "1e308", "--northing", "-1e308"], 1, "outside the service"),
    (["locate", "K1", "--lat", "north", "--lon", "16"], 2, "'north' is not a valid float"),
    (["locate", "K1"], 1, "give --address, or --lat and --lon"),
    (["locate", "K1", "--address", ""], 1, "no single address in the register matches ''"),
    (["ingest"], 2, "Missing argument 'PATHS...'"),
    (["ingest", "nowhere.csv"], 1, "file(s) had rejected rows or could not be read"),
    (["load-addresses", "nowhere.gpkg"], 2, "'nowhere.gpkg' does not exist"),
    (["load-roads", ""], 2, "does not exist"),
    (["export", "-o", ""], 2, "invalid value for -o: empty value"),
    (["export", "-o", "z.shp"], 2, "unknown suffix '.shp'"),
    (["export", "--profile", "press", "-o", "z.png"], 2, "'press' is not one of"),
    (["export", "--format", "pdf", "-o", "z.pdf"], 2, "'pdf' is not one of"),
    (["signs", "-o", ""], 2, "invalid value for -o: empty value"),
    (["signs", "--due", "2026-11-24", "-o", "s.csv"], 2, "--due lists a day"),
    (["daily", "--out", ""], 2, "invalid value for --out: empty value"),
    (["visits", "record", "--address-id", "1", "--outcome", "maybe"], 2, "unknown outcome"),
    (["visits", "record"], 2, "give a filled-in roster CSV"),
    (["serve", "--log-format", "xml"], 2, "'xml' is not one of"),
]


@pytest.mark.parametrize(("args", "code", "says"), WRONG_VALUES, ids=lambda v: str(v))
def test_a_wrong_value_of_any_command_ends_in_one_line(
    capsys: pytest.CaptureFixture[str], database: str, args: list[str], code: int, says: str
) -> None:
    ended = run(capsys, database, *args)
    assert ended.code == code, ended.err
    last = ended.err.splitlines()[-1]  # after the per-file line of ingest
    assert last.startswith("cocoon: error: ") and says in last, ended.err
    assert "Traceback" not in ended.err


def test_an_argument_that_is_not_utf_8_is_refused_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    env["COCOON_OUTPUT__LANGUAGE"] = "en"
    done = subprocess.run(
        [sys.executable, "-m", "cocoon.cli", "retract", "K1", "--reason", b"f\xf6rsenad"],
        cwd=tmp_path, env=env, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "cocoon: error: the argument 'f\\xf6rsenad' is not UTF-8 text (see `cocoon --help`)\n"
    )


# --- files that cannot be written -------------------------------------------------------------

#: The commands that write, with the option naming where: (command, option, name in the folder).
MINE = [("signs", "-o", "plan.csv"), ("export", "-o", "map.geojson"), ("daily", "--out", "list")]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(("command", "option", "name"), MINE)
def test_writing_under_a_regular_file_names_the_path_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], database: str, tmp_path: Path, command: str,
    option: str, name: str,
) -> None:  # fmt: skip
    (tmp_path / "afile").write_text("")
    ended = run(capsys, database, command, option, f"afile/{name}")
    assert ended.code == 1
    assert ended.line == f"cocoon: error: afile/{name}: afile is a file, not a folder"
    assert leftovers(tmp_path) == ["afile"]


@pytest.mark.parametrize(("command", "option", "name"), MINE)
def test_writing_where_no_file_can_be_made_names_the_path(
    capsys: pytest.CaptureFixture[str], database: str, command: str, option: str, name: str
) -> None:
    if not Path("/proc/self").is_dir():
        pytest.skip("no /proc here")
    ended = run(capsys, database, command, option, f"/proc/{name}")
    assert ended.code == 1
    assert ended.line.startswith(f"cocoon: error: /proc/{name}: "), ended.err


@pytest.mark.parametrize(("command", "option", "name"), MINE)
def test_writing_into_a_read_only_folder_names_the_path(
    shared_folder: Path,
    command: str,
    option: str,
    name: str,
) -> None:
    prefix = as_a_user()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    env["COCOON_OUTPUT__LANGUAGE"] = "en"
    cocoon_argv = [sys.executable, "-m", "cocoon.cli", "--db", f"sqlite:///{shared_folder}/c.db"]
    subprocess.run([*cocoon_argv, "init"], env=env, capture_output=True, check=True, timeout=120)
    (shared_folder / "c.db").chmod(0o666)
    (shared_folder / "ro").mkdir(mode=0o555)
    done = subprocess.run(
        [*prefix, *cocoon_argv, command, option, f"ro/{name}"],
        cwd=shared_folder, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr.splitlines()[-1]) == (
        1, f"cocoon: error: ro/{name}: cannot be written: permission denied"
    ), done.stderr  # fmt: skip
    assert leftovers(shared_folder / "ro") == []


@pytest.mark.parametrize(("command", "name"), [("signs", "plan.pdf"), ("export", "map.png")])
def test_a_full_disk_names_the_file_and_leaves_the_last_good_one(
    capsys: pytest.CaptureFixture[str], database: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, command: str, name: str,
) -> None:  # fmt: skip
    assert run(capsys, database, command, "-o", name).code == 0
    good = (tmp_path / name).read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    ended = run(capsys, database, command, "-o", name)
    assert ended.code == 1
    assert ended.err.splitlines()[-1] == (
        f"cocoon: error: {name}: cannot be written: no space left on the disk"
    )
    assert (tmp_path / name).read_bytes() == good
    assert leftovers(tmp_path) == [name]


@pytest.mark.parametrize(
    "args",
    [["zones", "-o", "afile/z.geojson"], ["visits", "K1", "-o", "afile/r"],
     ["visits", "new", "--out", "afile/rosters", "--at", "2026-11-20T12:00"]],
    ids=str,
)  # fmt: skip
def test_the_other_writing_commands_end_in_one_line_under_a_regular_file(
    capsys: pytest.CaptureFixture[str], database: str, tmp_path: Path, args: list[str]
) -> None:
    (tmp_path / "afile").write_text("")
    ended = run(capsys, database, *args)
    assert ended.code == 1
    target = args[args.index("-o" if "-o" in args else "--out") + 1]
    assert ended.line == f"cocoon: error: {target}: afile is a file, not a folder"
    assert leftovers(tmp_path) == ["afile"]
