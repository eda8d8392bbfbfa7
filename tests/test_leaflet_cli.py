"""`cocoon leaflet` and the choice of a roster's leaflet languages: the area's languages, then
more by the postcodes of its doors; every leaflet signed with the local contact."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pydantic import ValidationError

from cocoon.config import Settings
from cocoon.core.leaflets import LeafletRules, leaflet_languages
from tests.test_cli import cocoon

ROSENGARD = LeafletRules(("sv",), {"21367": ("ar", "so"), "213": ("ar",), "212": ("fa",)})


@pytest.fixture
def initialised(tmp_path: Path) -> Path:
    """A folder with an initialised database, where the command runs."""
    assert cocoon(tmp_path, "init").returncode == 0
    return tmp_path


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed (scripts/test.sh installs poppler-utils)")
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    return done.stdout


def test_a_roster_gets_the_area_languages_when_no_postcode_asks_for_more() -> None:
    assert leaflet_languages(["392 31", None, "39232"], ROSENGARD) == ("sv",)


def test_the_longest_postcode_prefix_decides_a_door_s_extra_languages() -> None:
    assert leaflet_languages(["213 67"], ROSENGARD) == ("sv", "ar", "so")
    assert leaflet_languages(["21345"], ROSENGARD) == ("sv", "ar")


def test_each_language_is_printed_once_in_the_order_the_doors_ask_for_it() -> None:
    postcodes = ["212 20", "213 67", "21367", "213 01", "212 21"]
    assert leaflet_languages(postcodes, ROSENGARD) == ("sv", "fa", "ar", "so")


def test_an_unknown_leaflet_language_in_the_settings_is_refused_by_name() -> None:
    with pytest.raises(ValidationError, match="no built-in leaflet in xx"):
        Settings.model_validate({"leaflets": {"languages": ["sv", "xx"]}})
    with pytest.raises(ValidationError, match="not the start of a postcode"):
        Settings.model_validate({"leaflets": {"by_postcode": {"Malmö": ["ar"]}}})


def test_leaflet_command_prints_one_language_signed_with_the_local_contact(
    initialised: Path,
) -> None:
    env = {
        "COCOON_LEAFLETS__CONTACT_NAME": "Kommunpolis Anna Berg",
        "COCOON_LEAFLETS__CONTACT_PHONE": '"010-123 45 67"',
        "COCOON_LEAFLETS__CONTACT_EMAIL": "anna.berg@polisen.se",
    }
    done = cocoon(initialised, "leaflet", "--lang", "pl", "-o", "ulotka.pdf", env=env)
    assert done.returncode == 0, done.stderr
    text = pdf_text(initialised / "ulotka.pdf")
    assert "Kommunpolis Anna Berg" in text and "anna.berg@polisen.se" in text
    assert "Maskinöversatt text" in text  # Polish is machine-made until a person signs it off
    assert "machine-made" in done.stdout


def test_the_swedish_leaflet_carries_no_unreviewed_note(initialised: Path) -> None:
    done = cocoon(initialised, "leaflet", "--lang", "sv", "-o", "blad.pdf")
    assert done.returncode == 0, done.stderr
    assert "Maskinöversatt" not in pdf_text(initialised / "blad.pdf")


def test_leaflet_list_says_which_texts_await_a_person_s_review(initialised: Path) -> None:
    done = cocoon(initialised, "leaflet", "--list")
    lines = dict(line.split("  ", 1) for line in done.stdout.splitlines())
    assert set(lines) == {"sv", "en", "ar", "so", "fa", "ti", "pl", "fi", "bs"}
    assert "reviewed by" in lines["sv"] and "to be reviewed" in lines["ar"]


def test_a_leaflet_in_an_unknown_language_is_one_line_naming_the_known_ones(
    initialised: Path,
) -> None:
    done = cocoon(initialised, "leaflet", "--lang", "xx", "-o", "x.pdf")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "cocoon: error: no leaflet in language 'xx'; known: sv, en, ar, so, fa, ti, pl, fi, bs"
    ]
    assert not (initialised / "x.pdf").exists()


def test_leaflet_without_a_language_or_file_is_a_usage_error(initialised: Path) -> None:
    done = cocoon(initialised, "leaflet", "--lang", "ar")
    assert done.returncode == 2 and "Traceback" not in done.stderr
