"""`cocoon followup` through the entry point: files written (the internal one for the owner only),
the summary, and one line for a bad period, option or reference file."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cocoon.app.installation import Installation
from cocoon.cli.main import main
from tests.support import make_app
from tests.test_followup_app import app_setup, keys, seed

__all__ = ["app_setup"]  # the seeded town's installation, for the `app` fixture


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Each test in its own folder with no setting of the machine's environment (COCOON_DB,
    COCOON_CONFIG, COCOON_SECTION__KEY; the test database's URL stays)."""
    read = [n for n in os.environ if n.startswith("COCOON_") and "__" in n]
    for name in [*read, *(n for n in ("COCOON_DB", "COCOON_CONFIG") if n in os.environ)]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    yield


def cocoon(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_followup_writes_the_internal_pdf_the_public_csv_and_prints_a_summary(
    app: Installation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(app, tmp_path)
    db = app.settings.database.url
    base = ["--db", db, "followup", "--period", "2026-T1", "--reference", "2025"]
    code, out, err = cocoon(capsys, *base, "-o", "intern.pdf")
    assert (code, err) == (0, "") and out == "written: intern.pdf\n"
    assert (tmp_path / "intern.pdf").read_bytes().startswith(b"%PDF")
    assert mode(tmp_path / "intern.pdf") == 0o600  # internal: the owner only
    code, out, err = cocoon(capsys, *base, "--public", "-o", "offentlig.csv")
    assert code == 0
    public = (tmp_path / "offentlig.csv").read_text(encoding="utf-8")
    assert public.startswith("section,measure,month,value,reference_month,reference,change_pct\n")
    assert "R-A" not in public and keys(app, "R-A")[0] not in public
    assert mode(tmp_path / "offentlig.csv") != 0o600
    code, out, err = cocoon(capsys, *base)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "follow-up 2026-T1 against 2025 (internal)"
    assert "2026-01           5         10  -50.0 %" in lines
    assert "total             9         17  -47.1 %" in lines
    assert "  burglaries inside a live zone: 4" in lines


@pytest.mark.parametrize(
    "period",
    ["2026-Q5", "2026-T4", "2026-13", "26", "2026-1", "2026-02-30..2026-03-01",
     "2026-03-01..2026-02-01", "3000", "2026-03-01", " "],
)  # fmt: skip
def test_a_bad_period_is_one_line_naming_the_option(
    period: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_app(f"sqlite:///{tmp_path / 'c.sqlite'}").engine.dispose()
    code, out, err = cocoon(capsys, "--db", f"sqlite:///{tmp_path / 'c.sqlite'}", "followup",
                            "--period", period)  # fmt: skip
    assert code == 2 and out == ""
    [line] = err.splitlines()
    assert line.startswith("cocoon: fel: ogiltigt värde för --period: ")
    assert line.endswith("(se `cocoon followup --help`)")


def test_a_bad_row_of_the_reference_file_is_one_line_naming_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    make_app(db).engine.dispose()
    (tmp_path / "ref.csv").write_text("month,count\n2015-01,21\n2015-02,tjugo\n", encoding="utf-8")
    code, _, err = cocoon(capsys, "--db", db, "followup", "--period", "2026-Q1",
                          "--reference-file", "ref.csv")  # fmt: skip
    assert code == 1
    assert err == (
        "cocoon: fel: ref.csv, rad 3, fält count: 'tjugo' är inget antal inbrott "
        "(ett heltal, 0 eller fler)\n"
    )


def test_an_output_that_is_neither_pdf_nor_csv_is_refused_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cocoon(capsys, "followup", "--period", "2026", "-o", "uppfoljning.docx")
    assert code == 2
    assert "okänd filändelse '.docx'; använd .pdf, .csv" in err
    assert not (tmp_path / "var").exists()  # no database was opened
