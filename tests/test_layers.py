"""The architecture holds: the import contracts in pyproject.toml (README, "Architecture"),
a pure core that reads no clock, and a command line that starts without the heavy layers."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cocoon"

#: Calls that read the clock; the core and the analysis take `now` as a parameter instead.
CLOCK_CALLS = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
               ("date", "today"), ("time", "time"), ("time", "monotonic"),
               ("time", "perf_counter"), ("time", "localtime")}  # fmt: skip


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """import-linter's verdict on the package under `root`, with the contracts of `root`."""
    command = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run(
        [sys.executable, "-c", command, "--no-cache"],
        cwd=root, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_the_layer_contracts_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "4 kept, 0 broken" in result.stdout


def test_a_core_module_importing_the_store_breaks_the_layers_naming_the_import(
    tmp_path: Path,
) -> None:
    shutil.copytree(PACKAGE, tmp_path / "cocoon", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    planted = tmp_path / "cocoon" / "core" / "planted.py"
    planted.write_text('"""Planted."""\n\nfrom cocoon.store import engine  # noqa: F401\n')
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "cocoon.core is not allowed to import cocoon.store" in result.stdout
    assert "cocoon.core.planted -> cocoon.store.engine (l.3)" in result.stdout


def test_an_adapter_importing_the_store_breaks_a_contract(tmp_path: Path) -> None:
    shutil.copytree(PACKAGE, tmp_path / "cocoon", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "cocoon" / "cli" / "planted.py").write_text(
        '"""Planted."""\n\nfrom cocoon.store import reports  # noqa: F401\n'
    )
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "cocoon.cli.planted -> cocoon.store.reports" in result.stdout


def clock_reads(path: Path) -> list[str]:
    """`datetime.now()`-like calls in a module, as 'file:line call'."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and (node.func.value.id, node.func.attr) in CLOCK_CALLS
        ):
            found.append(
                f"{path.relative_to(ROOT)}:{node.lineno} {node.func.value.id}.{node.func.attr}"
            )
    return found


def test_the_core_and_the_analysis_read_no_clock() -> None:
    modules = [*(PACKAGE / "core").rglob("*.py"), *(PACKAGE / "analysis").rglob("*.py")]
    assert modules
    assert [hit for path in modules for hit in clock_reads(path)] == []


def test_the_clock_check_finds_a_clock_read(tmp_path: Path) -> None:
    module = ROOT / "planted_clock.py"
    try:
        module.write_text("from datetime import datetime\nNOW = datetime.now()\n")
        assert clock_reads(module) == ["planted_clock.py:2 datetime.now"]
    finally:
        module.unlink()


def test_help_and_version_load_no_layer_below_the_command_line() -> None:
    probe = (
        "import sys\n"
        "from cocoon.cli.main import cli\n"
        "for args in (['--help'], ['--version']):\n"
        "    try:\n"
        "        cli.main(args, standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = ('sqlalchemy', 'alembic', 'pydantic', 'numpy', 'shapely', 'pyproj',\n"
        "         'reportlab', 'matplotlib', 'pyogrio', 'apscheduler', 'cocoon.app',\n"
        "         'cocoon.store', 'cocoon.config', 'cocoon.outputs.')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_map_command_loads_no_pdf_library_or_scheduler() -> None:
    probe = (
        "import sys\n"
        "from cocoon.outputs import render\n"
        "import cocoon.app.installation, cocoon.app.exports, cocoon.outputs.export_geojson\n"
        "print(sorted(m for m in sys.modules if m.startswith(('reportlab', 'matplotlib',\n"
        "      'apscheduler', 'pyogrio', 'scipy'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
