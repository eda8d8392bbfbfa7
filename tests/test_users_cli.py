"""`cocoon users`: accounts from the command line (the contract: the password from standard
input when it is not a terminal), what teams are given, and the access log as CSV."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest


def cocoon(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    environment["COCOON_OUTPUT__LANGUAGE"] = "en"
    return subprocess.run(
        [sys.executable, "-m", "cocoon.cli", "--db", f"sqlite:///{tmp_path / 'c.sqlite'}", *args],
        cwd=tmp_path, env=environment, input=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture
def initialised(tmp_path: Path) -> Path:
    assert cocoon(tmp_path, "init").returncode == 0
    return tmp_path


def test_users_add_reads_the_password_from_standard_input(initialised: Path) -> None:
    added = cocoon(
        initialised, "users", "add", "Anna", "--role", "admin", stdin="ett långt lösen\n"
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "user anna added (admin)"
    assert cocoon(initialised, "users", "list").stdout == "anna\tadmin\tactive\n"


def test_users_add_refuses_a_short_password_in_one_line(initialised: Path) -> None:
    result = cocoon(initialised, "users", "add", "anna", "--role", "team", stdin="kort\n")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "cocoon: error: the password is too short: at least 10 characters"
    )
    assert cocoon(initialised, "users", "list").stdout == ""


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("users", "add", "a b", "--role", "team"), "is not allowed"),
        (("users", "add", "anna", "--role", "boss"), "Invalid value for '--role'"),
        (("users", "disable", "nobody"), "no user nobody"),
        (("users", "passwd", "nobody"), "no user nobody"),
    ],
)
def test_a_wrong_users_command_says_why_in_one_line(
    initialised: Path, args: tuple[str, ...], says: str
) -> None:
    result = cocoon(initialised, *args, stdin="ett långt lösen\n")
    assert result.returncode != 0
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_disable_and_passwd_change_the_account_and_the_log_says_who(initialised: Path) -> None:
    cocoon(initialised, "users", "add", "team1", "--role", "team", stdin="första lösenordet\n")
    assert (
        cocoon(initialised, "users", "passwd", "team1", stdin="andra lösenordet\n").returncode == 0
    )
    assert cocoon(initialised, "users", "disable", "TEAM1").stdout == "user team1 disabled\n"
    assert cocoon(initialised, "users", "list").stdout == "team1\tteam\tdisabled\n"
    out = initialised / "log" / "access.csv"
    assert cocoon(initialised, "users", "access-log", "-o", str(out)).returncode == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["role"], r["action"], r["target"], r["detail"]) for r in rows] == [
        ("cli", "change", "user:team1", "added with role team"),
        ("cli", "change", "user:team1", "password set"),
        ("cli", "change", "user:team1", "disabled"),
    ]
    assert all(r["client"] == "command line" and r["user"] for r in rows)
    assert oct(out.stat().st_mode & 0o777) == "0o600"  # internal: the owner's only
    assert "första" not in out.read_text(encoding="utf-8")


def test_giving_a_team_a_zone_shows_in_the_list(initialised: Path) -> None:
    cocoon(initialised, "users", "add", "team1", "--role", "team", stdin="ett långt lösen\n")
    given = cocoon(initialised, "users", "give", "team1", "z-7k3m-q9td")
    assert given.stdout == "team1 given zone Z-7K3M-Q9TD\n"
    assert cocoon(initialised, "users", "list").stdout == "team1\tteam\tactive\tzone Z-7K3M-Q9TD\n"
    bad = cocoon(initialised, "users", "give", "team1", "5000-K1-26")
    assert bad.returncode == 1 and "is not a zone or roster id" in bad.stderr
    taken = cocoon(initialised, "users", "take", "team1", "Z-7K3M-Q9TD")
    assert taken.stdout == "team1 no longer has zone Z-7K3M-Q9TD\n"


def test_the_access_log_goes_to_standard_output_without_a_file(initialised: Path) -> None:
    cocoon(initialised, "users", "add", "anna", "--role", "admin", stdin="ett långt lösen\n")
    result = cocoon(initialised, "users", "access-log")
    assert result.stdout.startswith("at,user,role,client,action,target,detail\n")
    assert "user:anna" in result.stdout


def test_on_a_terminal_the_password_is_asked_twice_and_must_match(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cocoon.cli import users
    from cocoon.errors import CocoonError

    monkeypatch.setattr(users.sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter(["ett långt lösen", "ett långt lösen", "ett", "två"])
    monkeypatch.setattr(users.getpass, "getpass", lambda prompt="": next(answers))
    assert users.read_password() == "ett långt lösen"
    with pytest.raises(CocoonError, match="differ"):
        users.read_password()
