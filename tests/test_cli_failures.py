"""How every `cocoon` command ends when it fails: one line on stderr and a non-zero exit status,
in the configured language; never a traceback, unless --debug asks for one."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from cocoon.cli.common import State
from cocoon.cli.main import main
from cocoon.errors import NotFoundError


@dataclass(frozen=True)
class Ended:
    """How a run of `cocoon` ended: its exit status and what it wrote."""

    code: int
    out: str
    err: str

    @property
    def line(self) -> str:
        """The one line of a failure, checked to be the only one."""
        lines = self.err.splitlines()
        assert len(lines) == 1, self.err
        return lines[0]


@pytest.fixture(autouse=True)
def no_cocoon_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Each test in its own folder, with no COCOON_* variable of the machine running the tests."""
    for name in [n for n in os.environ if n.startswith("COCOON_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    yield


def cocoon(capsys: pytest.CaptureFixture[str], *args: str) -> Ended:
    """`cocoon ARGS` through its entry point, `main()`, in this process."""
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return Ended(code, out, err)


def process(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Ended:
    """`python -m cocoon.cli ARGS` as a process, as a user runs it."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    environment.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "cocoon.cli", *args],
        cwd=cwd, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return Ended(done.returncode, done.stdout, done.stderr)


def failing_app(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    """Make every command's installation fail with `exc`, as a bug or a Ctrl-C deep down would."""

    def fail(self: State, check: bool = True, with_mail: bool = False) -> None:
        raise exc

    monkeypatch.setattr(State, "app", fail)


# --- the four endings ----------------------------------------------------------------------


def test_an_unexpected_error_ends_in_one_line_naming_its_type_and_first_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_app(monkeypatch, RuntimeError("boom\nsecond line"))
    monkeypatch.setenv("COCOON_OUTPUT__LANGUAGE", "en")
    ended = cocoon(capsys, "zones")
    assert ended.code == 1
    assert ended.line == (
        "cocoon: internal error: RuntimeError: boom (run with --debug to see where)"
    )


def test_an_unexpected_error_is_said_in_swedish_by_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_app(monkeypatch, ZeroDivisionError("division by zero"))
    ended = cocoon(capsys, "zones")
    assert ended.code == 1
    assert ended.line == (
        "cocoon: internt fel: ZeroDivisionError: division by zero (kör med --debug för att se var)"
    )


def test_debug_shows_the_whole_traceback_before_the_same_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_app(monkeypatch, RuntimeError("boom"))
    ended = cocoon(capsys, "--debug", "zones")
    assert ended.code == 1
    assert ended.err.startswith("Traceback (most recent call last):")
    assert "in fail" in ended.err and "RuntimeError: boom" in ended.err
    assert ended.err.splitlines()[-1].startswith("cocoon: internt fel: RuntimeError: boom")


def test_without_debug_no_traceback_reaches_the_user(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_app(monkeypatch, RuntimeError("boom"))
    assert "Traceback" not in cocoon(capsys, "zones").err


def test_an_error_a_user_can_act_on_is_its_message_in_the_configured_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    failing_app(monkeypatch, NotFoundError("no report with id 'R404'"))
    assert cocoon(capsys, "zones").line == "cocoon: fel: no report with id 'R404'"
    (tmp_path / "en.toml").write_text('[output]\nlanguage = "en"\n')
    ended = cocoon(capsys, "--config", "en.toml", "zones")
    assert ended.code == 1
    assert ended.line == "cocoon: error: no report with id 'R404'"


def test_a_file_system_error_names_the_path_and_the_reason(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_app(monkeypatch, PermissionError(errno.EACCES, "Permission denied", "var/inbox"))
    ended = cocoon(capsys, "zones")
    assert ended.code == 1
    assert ended.line == "cocoon: fel: var/inbox: åtkomst nekad"
    monkeypatch.setenv("COCOON_OUTPUT__LANGUAGE", "en")
    failing_app(monkeypatch, OSError(errno.ENOSPC, "No space left on device", "c.sqlite"))
    assert cocoon(capsys, "zones").line == "cocoon: error: c.sqlite: no space left on the disk"


def test_making_a_folder_where_a_file_is_says_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "var").write_text("")
    failing_app(monkeypatch, FileExistsError(errno.EEXIST, "File exists", "var"))
    assert cocoon(capsys, "zones").line == "cocoon: fel: var: är en fil, inte en mapp"


def test_ctrl_c_in_a_command_ends_aborted_with_status_130(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_app(monkeypatch, KeyboardInterrupt())
    monkeypatch.setenv("COCOON_OUTPUT__LANGUAGE", "en")
    ended = cocoon(capsys, "zones")
    assert (ended.code, ended.line) == (130, "cocoon: aborted")


def test_ctrl_c_while_the_settings_load_ends_aborted(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("cocoon.config.load_settings", interrupted)
    ended = cocoon(capsys, "zones")
    assert (ended.code, ended.line) == (130, "cocoon: aborted")  # no settings: English


def test_a_usage_error_keeps_exit_status_2_in_one_line_pointing_at_the_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ended = cocoon(capsys, "zones", "--bogus")
    assert ended.code == 2
    assert ended.line == "cocoon: fel: No such option '--bogus'. (se `cocoon zones --help`)"
    unknown = cocoon(capsys, "zonez")
    assert unknown.code == 2 and unknown.line.startswith("cocoon: fel: No such command 'zonez'.")


def test_a_usage_error_is_framed_in_the_language_of_the_settings_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "en.toml").write_text('[output]\nlanguage = "en"\n')
    ended = cocoon(capsys, "--config", "en.toml", "status", "--runs", "0")
    assert ended.code == 2
    assert ended.line == (
        "cocoon: error: Invalid value for '--runs': 0 is not in the range 1<=x<=1000. "
        "(see `cocoon status --help`)"
    )


def test_settings_that_cannot_be_read_are_said_in_english(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ended = cocoon(capsys, "--config", "nowhere.toml", "zones")
    assert ended.code == 1
    assert ended.line == "cocoon: error: nowhere.toml: no such configuration file"


def test_settings_that_cannot_be_read_are_said_in_the_language_of_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COCOON_OUTPUT__LANGUAGE", "sv")
    ended = cocoon(capsys, "--config", "nowhere.toml", "zones")
    assert ended.line == "cocoon: fel: nowhere.toml: ingen sådan inställningsfil"


def test_help_and_version_still_end_well(capsys: pytest.CaptureFixture[str]) -> None:
    assert cocoon(capsys, "--help").code == 0
    version = cocoon(capsys, "--version")
    assert version.code == 0 and version.out.startswith("cocoon, version ")


def test_no_command_shows_the_help_with_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    ended = cocoon(capsys)
    assert ended.code == 2 and "Commands:" in ended.err


# --- as processes: the entry point, Ctrl-C at start-up, the settings file --------------------


def test_the_entry_point_loads_nothing_before_its_guard(tmp_path: Path) -> None:
    """The console script imports cocoon.cli.main before calling main(): that must be instant."""
    probe = "import sys, cocoon.cli.main\nprint(sorted(m for m in sys.modules if 'click' in m))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


#: Runs main() with an import that a Ctrl-C interrupts: python INTERRUPT MODULE ARGS...
INTERRUPT = """
import sys

class Interrupted:
    def find_spec(self, fullname, path=None, target=None):
        if fullname == sys.argv[1]:
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, Interrupted())
from cocoon.cli.main import main
main(sys.argv[2:])
"""


@pytest.mark.parametrize("module", ["click", "cocoon.cli.reports", "pydantic", "sqlalchemy"])
def test_ctrl_c_while_python_loads_the_command_ends_aborted(tmp_path: Path, module: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPT, module, "--db", f"sqlite:///{tmp_path / 'c.sqlite'}",
         "zones"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (130, "cocoon: aborted\n")


def test_ctrl_c_at_start_up_is_said_in_the_language_of_the_environment(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    env["COCOON_OUTPUT__LANGUAGE"] = "sv"
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPT, "click", "zones"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (130, "cocoon: avbrutet\n")


def test_a_folder_as_the_settings_file_ends_in_one_line_naming_it(tmp_path: Path) -> None:
    (tmp_path / "settings").mkdir()
    ended = process(tmp_path, "--config", "settings", "zones")
    assert ended.code == 1
    assert ended.line == "cocoon: error: settings: is a folder, not a configuration file"


def test_a_latin_1_settings_file_ends_in_one_line_naming_it(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_bytes('[area]\nname = "Växjö"\n'.encode("latin-1"))
    ended = process(tmp_path, "--config", "c.toml", "zones")
    assert ended.code == 1
    assert ended.line == ("cocoon: error: c.toml: not UTF-8 text (byte 16); save the file as UTF-8")


def test_a_section_given_as_a_value_beside_its_override_ends_in_one_line_naming_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "c.toml").write_text("risk = 5\n")
    ended = process(tmp_path, "--config", "c.toml", "zones", env={"COCOON_RISK__RADIUS_M": "300"})
    assert ended.code == 1
    assert ended.line == (
        "cocoon: error: c.toml: risk must be a section ([risk]) of settings, not a plain value"
    )


def as_a_user() -> list[str]:
    """The prefix that runs a command as an ordinary user (root reads and writes anything)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: no way to be refused a file")
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    if subprocess.run([*prefix, sys.executable, "-c", "import cocoon"], check=False).returncode:
        pytest.skip("the user nobody cannot run this Python")
    return prefix


@contextmanager
def open_folder() -> Iterator[Path]:
    """A folder the ordinary user may work in too (pytest's own are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="cocoon-test-"))
    try:
        folder.chmod(0o777)
        yield folder
    finally:
        shutil.rmtree(folder)


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    with open_folder() as folder:
        yield folder


def test_a_settings_file_the_user_may_not_read_ends_in_one_line_naming_it(
    shared_folder: Path,
) -> None:
    prefix = as_a_user()
    (shared_folder / "c.toml").write_text("[risk]\n")
    (shared_folder / "c.toml").chmod(0)
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "cocoon.cli", "--config", "c.toml", "zones"],
        cwd=shared_folder, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (
        1, "cocoon: error: c.toml: cannot be read: permission denied\n"
    )  # fmt: skip


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path: Path) -> None:
    """`cocoon zones | head -c 0`: the closed pipe is no error to report."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    assert process(tmp_path, "--db", f"sqlite:///{tmp_path / 'c.sqlite'}", "init").code == 0
    reader, writer = os.pipe()
    os.close(reader)  # nobody will read what the command writes
    try:
        done = subprocess.run(
            [sys.executable, "-m", "cocoon.cli", "--db", f"sqlite:///{tmp_path / 'c.sqlite'}",
             "zones"],
            cwd=tmp_path, env=env, stdout=writer, stderr=subprocess.PIPE, text=True, timeout=120,
            check=False,
        )  # fmt: skip
    finally:
        os.close(writer)
    assert done.returncode == 1 and done.stderr == ""
