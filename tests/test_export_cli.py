"""`cocoon export` as a user runs it: format from the suffix or --format, public by default,
one-line errors, and a file written atomically: a failed export leaves the last good one."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from click.testing import CliRunner, Result

from cocoon.cli.common import State
from cocoon.cli.export import export
from cocoon.errors import CocoonError
from tests import exporttown
from tests.exporttown import AT

AT_TEXT = AT.isoformat()


@pytest.fixture(scope="module")
def town(export_town: exporttown.Town) -> Path:
    """The export town's folder: its database is what the commands read."""
    return export_town.folder


def run(folder: Path, *args: str) -> Result:
    """`cocoon export` on the town's database, in English: the language these tests read."""
    state = State(f"sqlite:///{folder / 'c.sqlite'}", None)
    english = {"COCOON_OUTPUT__LANGUAGE": "en"}
    return CliRunner().invoke(export, ["--at", AT_TEXT, *args], obj=state, env=english)


def test_export_takes_the_format_from_the_suffix_and_is_public_by_default(town: Path) -> None:
    result = run(town, "-o", str(town / "out" / "zones.gpkg"))
    assert result.exit_code == 0, result.output
    assert "written:" in result.output and "(public gpkg: " in result.output
    assert "generalised to a 250 m grid" in result.output
    layers = [str(name) for name, _ in pyogrio.list_layers(town / "out" / "zones.gpkg")]
    assert layers == ["zones", "layer_styles"]


def test_export_with_format_and_internal_profile(town: Path) -> None:
    result = run(town, "--format", "kml", "--profile", "internal", "-o", str(town / "map.xml"))
    assert result.exit_code == 0, result.output
    assert "(internal kml: 3 zone area(s), 3 report(s)" in result.output
    assert (town / "map.xml").read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_export_with_an_unknown_suffix_asks_for_a_format(town: Path) -> None:
    result = run(town, "-o", str(town / "zones.shp"))
    assert result.exit_code == 2
    assert "unknown suffix '.shp'" in result.output and "--format" in result.output


def test_export_with_an_unknown_format_or_profile_is_refused(town: Path) -> None:
    assert run(town, "--format", "shp", "-o", str(town / "x.shp")).exit_code == 2
    assert run(town, "--profile", "press", "-o", str(town / "x.png")).exit_code == 2


def _good_file(town: Path, name: str) -> tuple[Path, bytes]:
    path = town / name
    assert run(town, "-o", str(path)).exit_code == 0
    return path, path.read_bytes()


def test_a_render_that_fails_midway_leaves_the_last_good_file(
    town: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, good = _good_file(town, "kept.gpkg")
    from pyogrio import raw

    real_write = raw.write
    calls = []

    def write_then_fail(*args: Any, **kwargs: Any) -> None:
        calls.append(kwargs.get("layer"))
        if len(calls) > 1:
            raise OSError("disk full")
        real_write(*args, **kwargs)

    monkeypatch.setattr(raw, "write", write_then_fail)
    result = run(town, "--profile", "internal", "-o", str(path))
    assert result.exit_code != 0 and isinstance(result.exception, OSError)
    assert calls == ["zones", "visit_stops"]
    assert path.read_bytes() == good
    assert [p.name for p in town.iterdir() if p.name.startswith(".kept")] == []


def test_a_write_that_fails_leaves_the_last_good_file(
    town: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, good = _good_file(town, "kept.png")

    def no_fsync(fd: int) -> None:
        raise OSError("I/O error")

    monkeypatch.setattr(os, "fsync", no_fsync)
    result = run(town, "--profile", "internal", "-o", str(path))
    assert isinstance(result.exception, CocoonError)
    assert str(result.exception) == f"{path}: cannot be written: I/O error"
    assert isinstance(result.exception.__cause__, OSError)
    assert path.read_bytes() == good
    assert [p.name for p in town.iterdir() if p.name.startswith(".kept")] == []


def test_a_public_export_says_when_corners_could_not_keep_clear_of_homes(
    town: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cocoon.core.maps.corners_near", lambda *args: 2)
    result = run(town, "-o", str(town / "dense.geojson"))
    assert result.exit_code == 0
    assert "note: burglaries are so dense here that 2 zone corner(s) lie within 75 m" in (
        result.output
    )
