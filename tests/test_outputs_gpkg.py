"""The GeoPackage exports pass GDAL's own validator (validate_gpkg.py, from Debian's
python3-gdal), internal and public, with or without zones: they are GeoPackage 1.2, which every
GDAL since 2.2 reads as valid (GDAL 3.12's default 1.4 fails Debian 12's GDAL 3.6 on Req 75)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from cocoon.core.profile import Profile
from cocoon.outputs import render
from tests import exporttown
from tests.exporttown import AT, Town

MODULE = "osgeo_utils.samples.validate_gpkg"


def validator() -> list[str]:
    """The command that runs GDAL's GeoPackage validator; a failure where
    COCOON_REQUIRE_GDAL_VALIDATOR is set and it is missing, else a skip."""
    candidates = ["/usr/bin/python3", shutil.which("python3") or ""]
    for python in dict.fromkeys(c for c in candidates if c and Path(c).exists()):
        found = subprocess.run([python, "-c", f"import {MODULE}"], capture_output=True)
        if found.returncode == 0:
            return [python, "-m", MODULE]
    if os.environ.get("COCOON_REQUIRE_GDAL_VALIDATOR"):
        pytest.fail("COCOON_REQUIRE_GDAL_VALIDATOR is set but validate_gpkg.py is missing")
    pytest.skip("GDAL's validate_gpkg.py not found: install Debian's python3-gdal")


def problems(path: Path) -> str:
    """What the validator says of a file, every requirement and extra check, warnings as errors;
    empty when it is valid."""
    done = subprocess.run(
        [*validator(), "-k", "--extra", "--warning-as-error", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    said = (done.stdout + done.stderr).strip()
    if done.returncode != 0 and not said:
        said = f"exit status {done.returncode}"
    return said


@pytest.fixture(scope="module")
def town(export_town: Town) -> Town:
    return export_town


@pytest.mark.parametrize("profile", list(Profile))
def test_geopackage_export_passes_gdals_validator(town: Town, profile: Profile) -> None:
    assert problems(town.file(profile, "gpkg")) == ""


def test_geopackage_export_without_zones_passes_gdals_validator(tmp_path: Path) -> None:
    app = exporttown.make_app(f"sqlite:///{tmp_path / 'c.sqlite'}")
    try:
        for profile in Profile:
            path = tmp_path / f"{profile.value}.gpkg"
            path.write_bytes(render("gpkg", app.exports.map(AT, profile)))
            assert problems(path) == "", profile
    finally:
        app.engine.dispose()


def test_geopackage_export_is_version_1_2(town: Town) -> None:
    for profile in Profile:
        with sqlite3.connect(town.file(profile, "gpkg")) as db:
            application_id = db.execute("PRAGMA application_id").fetchone()[0]
            user_version = db.execute("PRAGMA user_version").fetchone()[0]
        assert application_id.to_bytes(4, "big") == b"GPKG"
        assert user_version == 10200
