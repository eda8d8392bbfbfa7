"""The messages of failures: each in Swedish and English, English in `str()` and logs, the user's
language on the command line; rejected rows and file-system errors said in either."""

from __future__ import annotations

import errno

import pytest

from cocoon import messages
from cocoon.errors import CocoonError, NotFoundError
from cocoon.messages import (
    CATALOGUE,
    ERROR,
    LANGUAGES,
    Text,
    language_from_env,
    os_problem,
    render_rejection,
)


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_fills_the_same_values_in_swedish_and_english(key: str) -> None:
    text = CATALOGUE[key]
    assert text.placeholders("sv") == text.placeholders("en"), key
    assert text.sv.strip() and text.en.strip()


def test_the_command_lines_own_messages_are_in_the_catalogue() -> None:
    assert {"error", "usage", "aborted", "internal", "rejection", "config_missing"} <= set(
        CATALOGUE
    )


def test_a_message_key_cannot_be_defined_twice() -> None:
    with pytest.raises(ValueError, match="'error' is defined twice"):
        Text("error", "fel", "error")


def test_an_error_made_from_a_message_is_english_in_str_and_swedish_when_rendered() -> None:
    exc = CocoonError(messages.CONFIG_MISSING(path="c.toml"))
    assert str(exc) == "c.toml: no such configuration file"
    assert exc.render("sv") == "c.toml: ingen sådan inställningsfil"
    assert exc.render("en") == str(exc)
    assert exc.message is not None and exc.message.key == "config_missing"


def test_an_error_made_from_text_says_that_text_in_every_language() -> None:
    exc = NotFoundError("no report with id 'R404'")
    assert exc.message is None
    assert [exc.render(language) for language in LANGUAGES] == ["no report with id 'R404'"] * 2


def test_a_message_inside_a_message_is_said_in_the_same_language() -> None:
    line = ERROR(reason=messages.CONFIG_MISSING(path="c.toml"))
    assert line.render("sv") == "cocoon: fel: c.toml: ingen sådan inställningsfil"
    assert str(line) == "cocoon: error: c.toml: no such configuration file"


@pytest.mark.parametrize(
    ("where", "swedish", "english"),
    [
        (7, "rad 7", "line 7"),
        ("line 7", "rad 7", "line 7"),
        ("feature 3", "objekt 3", "feature 3"),
        ("event 4 (id 91)", "händelse 4 (id 91)", "event 4 (id 91)"),
        ("way 52", "OSM-väg 52", "way 52"),
        ("whole file", "hela filen", "whole file"),
        ("sheet 2", "sheet 2", "sheet 2"),  # a place no reader names yet: as it was written
    ],
)
def test_a_rejected_row_is_said_with_file_line_and_field_in_each_language(
    where: int | str, swedish: str, english: str
) -> None:
    said = render_rejection("a.csv", where, "reported_at", "missing", "sv")
    assert said == f"a.csv, {swedish}, fält reported_at: missing"
    said = render_rejection("a.csv", where, "reported_at", "missing", "en")
    assert said == f"a.csv, {english}, field reported_at: missing"


def test_a_rejection_without_a_place_names_the_file_and_the_field() -> None:
    """The outcome given by options (`visits record --address-id`) has no line."""
    said = render_rejection("command line", "", "address_id", "no planned visit", "sv")
    assert said == "command line, fält address_id: no planned visit"


def test_a_rejection_keeps_the_words_of_the_reader_as_it_wrote_them_in_english() -> None:
    """Rejection.__str__ in cocoon/sources/report_rows.py writes the same line today."""
    assert (
        render_rejection("anmalningar.csv", "line 7", "reported_at", "cannot read '32/13'", "en")
        == "anmalningar.csv, line 7, field reported_at: cannot read '32/13'"
    )


@pytest.mark.parametrize(
    ("exc", "swedish", "english"),
    [
        (
            FileNotFoundError(errno.ENOENT, "No such file or directory", "x/a.csv"),
            "x/a.csv: finns inte",
            "x/a.csv: no such file or folder",
        ),
        (
            PermissionError(errno.EACCES, "Permission denied", "ro/z.geojson"),
            "ro/z.geojson: åtkomst nekad",
            "ro/z.geojson: permission denied",
        ),
        (
            OSError(errno.ENOSPC, "No space left on device", "z.png"),
            "z.png: disken är full",
            "z.png: no space left on the disk",
        ),
        (
            OSError(errno.EXDEV, "Invalid cross-device link", "a", None, "b"),
            "a → b: Invalid cross-device link",
            "a → b: Invalid cross-device link",
        ),
        (OSError("disk full"), "disk full", "disk full"),
    ],
)
def test_a_file_system_error_names_the_path_and_the_reason_in_each_language(
    exc: OSError, swedish: str, english: str
) -> None:
    said = os_problem(exc)
    assert messages.say(said, "sv") == swedish
    assert messages.say(said, "en") == english


@pytest.mark.parametrize(
    ("value", "language"),
    [("sv", "sv"), ("en", "en"), ('"en"', "en"), (" EN ", "en"), ("de", None), ("", None)],
)
def test_the_language_of_the_environment_counts_only_when_it_names_one(
    value: str, language: str | None
) -> None:
    assert language_from_env({"COCOON_OUTPUT__LANGUAGE": value}) == language
    assert language_from_env({}) is None
