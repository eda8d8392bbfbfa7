"""Settings: defaults documented in config/default.toml, clear errors, environment overrides."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest

from cocoon.config import MAX_CONFIG_BYTES, Settings, load_settings
from cocoon.core.model import Premises
from cocoon.errors import ConfigError

CONFIG = Path(__file__).resolve().parents[1] / "config"


def test_default_toml_equals_the_built_in_defaults() -> None:
    assert load_settings(CONFIG / "default.toml", env={}) == Settings()


def test_every_setting_is_documented_with_a_comment_in_default_toml() -> None:
    text = (CONFIG / "default.toml").read_text(encoding="utf-8")
    for section, model in Settings.model_fields.items():
        assert f"[{section}]" in text, f"section [{section}] missing from default.toml"
        assert model.annotation is not None
        for key in model.annotation.model_fields:  # type: ignore[union-attr]
            m = re.search(rf"((?:#.*\n)+)(?:\[{section}\.{key}\]|{key} = )", text)
            assert m, f"{section}.{key} is not documented with a comment in default.toml"


@pytest.mark.parametrize("path", sorted(CONFIG.glob("*.toml")), ids=lambda p: p.name)
def test_shipped_config_files_are_valid(path: Path) -> None:
    load_settings(path, env={})


def test_defaults_are_the_method_numbers() -> None:
    s = Settings()
    assert (s.risk.radius_m, s.risk.high_risk_days, s.risk.elevated_risk_days) == (500, 14, 42)
    assert s.area.crs == "EPSG:3006" and s.area.timezone == "Europe/Stockholm"
    assert Premises.FRITIDSHUS not in s.risk.counted_premises


def test_unknown_key_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[risk]\nradius = 400\n")
    with pytest.raises(ConfigError, match=r"c\.toml: risk\.radius: Extra inputs"):
        load_settings(path, env={})


def test_wrong_value_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[risk]\nradius_m = -5\n")
    with pytest.raises(ConfigError, match=r"risk\.radius_m: Input should be greater than 0"):
        load_settings(path, env={})


def test_geographic_crs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[area]\ncrs = "EPSG:4326"\n')
    with pytest.raises(ConfigError, match="not a projected CRS in metres"):
        load_settings(path, env={})


def test_unknown_time_zone_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[area]\ntimezone = "Europe/Kalmar"\n')
    with pytest.raises(ConfigError, match="unknown time zone"):
        load_settings(path, env={})


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[risk\n")
    with pytest.raises(ConfigError, match=r"c\.toml: not valid TOML"):
        load_settings(path, env={})


def test_column_mapping_may_only_name_contract_columns(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[ingest.columns]\ndiarienummer = "report_id"\n')
    with pytest.raises(ConfigError, match="unknown report column"):
        load_settings(path, env={})


def test_environment_overrides_a_setting() -> None:
    s = load_settings(None, env={"COCOON_RISK__RADIUS_M": "400"})
    assert s.risk.radius_m == 400


def test_environment_override_of_a_list_is_read_as_toml() -> None:
    s = load_settings(None, env={"COCOON_RISK__COUNTED_PREMISES": '["villa"]'})
    assert s.risk.counted_premises == (Premises.VILLA,)


def test_cocoon_db_sets_the_database_url() -> None:
    s = load_settings(None, env={"COCOON_DB": "sqlite:///x.sqlite"})
    assert s.database.url == "sqlite:///x.sqlite"


def test_environment_override_of_unknown_setting_is_an_error() -> None:
    with pytest.raises(ConfigError, match=r"COCOON_RISK__RADIUS: unknown setting risk\.radius"):
        load_settings(None, env={"COCOON_RISK__RADIUS": "400"})


def test_environment_override_with_a_bad_value_is_an_error() -> None:
    with pytest.raises(ConfigError, match=r"risk\.high_risk_days"):
        load_settings(None, env={"COCOON_RISK__HIGH_RISK_DAYS": "many"})


def test_cocoon_config_names_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[risk]\nradius_m = 300\n")
    assert load_settings(None, env={"COCOON_CONFIG": str(path)}).risk.radius_m == 300


def test_a_folder_given_as_the_settings_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, env={})
    assert str(caught.value) == f"{tmp_path}: is a folder, not a configuration file"


def test_a_latin_1_settings_file_is_named_with_the_byte_that_is_not_utf_8(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes('[area]\nname = "Växjö"\n'.encode("latin-1"))
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    assert str(caught.value) == f"{path}: not UTF-8 text (byte 16); save the file as UTF-8"


def test_a_settings_file_the_user_may_not_read_is_named_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[risk]\n")

    def denied(file: object, mode: str = "r") -> object:
        raise PermissionError(errno.EACCES, "Permission denied", str(file))

    monkeypatch.setattr("cocoon.config.open", denied, raising=False)  # root reads anything
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    assert str(caught.value) == f"{path}: cannot be read: permission denied"
    assert caught.value.render("sv") == f"{path}: kan inte läsas: åtkomst nekad"


def test_a_missing_settings_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nowhere\.toml: no such configuration file"):
        load_settings(tmp_path / "nowhere.toml", env={})


def test_a_file_far_too_large_for_settings_is_refused_without_reading_it_all(
    tmp_path: Path,
) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * (MAX_CONFIG_BYTES + 1))
    with pytest.raises(ConfigError, match=r"big\.toml: larger than 1 MB"):
        load_settings(path, env={})


def test_a_byte_order_mark_from_notepad_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(b"\xef\xbb\xbf[risk]\nradius_m = 300\n")
    assert load_settings(path, env={}).risk.radius_m == 300


def test_a_section_given_as_a_plain_value_is_named(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("risk = 5\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    assert str(caught.value) == (
        f"{path}: risk must be a section ([risk]) of settings, not a plain value"
    )


def test_a_section_given_as_a_plain_value_beside_an_override_of_it_is_named(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.toml"
    path.write_text("risk = 5\n")
    with pytest.raises(ConfigError, match=r"c\.toml: risk must be a section \(\[risk\]\)"):
        load_settings(path, env={"COCOON_RISK__RADIUS_M": "300"})


def test_a_bad_override_names_its_environment_variable() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(None, env={"COCOON_OUTPUT__LANGUAGE": "de"})
    assert str(caught.value).startswith("COCOON_OUTPUT__LANGUAGE: output.language: Input should")


def test_a_rule_across_settings_is_said_without_pydantics_prefix(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[mail]\nsmtp_host = "relay"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    assert str(caught.value) == f"{path}: mail: mail.smtp_host is set but mail.recipients is empty"


def test_settings_errors_are_said_in_swedish_too(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[risk\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    assert caught.value.render("sv").startswith(f"{path}: inte giltig TOML: ")
    with pytest.raises(ConfigError) as unknown:
        load_settings(None, env={"COCOON_RISK__RADIUS": "400"})
    assert unknown.value.render("sv") == "COCOON_RISK__RADIUS: okänd inställning risk.radius"


def test_the_settings_own_rules_are_said_in_swedish_too(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[area]\ncrs = "EPSG:4326"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    assert str(caught.value) == f"{path}: area.crs: EPSG:4326 is not a projected CRS in metres"
    assert caught.value.render("sv") == (
        f"{path}: area.crs: EPSG:4326 är inte ett projicerat koordinatsystem i meter"
    )


def test_an_override_that_breaks_a_rule_across_settings_names_the_environment() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(None, env={"COCOON_AREA__BOUNDARY": "nowhere.geojson"})
    assert str(caught.value) == (
        "the COCOON_* environment variables: area.boundary: no such file 'nowhere.geojson'"
    )
