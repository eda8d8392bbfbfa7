"""The numbers of the method (500 m, 14 + 42 days, the revisit days, the time zone) have their
defaults in the settings model alone; the app layer turns settings into the core's rules."""

from __future__ import annotations

import dataclasses
from zoneinfo import ZoneInfo

import pytest

from cocoon.app import rules as from_settings
from cocoon.config import Settings
from cocoon.core.public_map import PublicRules
from cocoon.core.risk import RiskRules
from cocoon.core.signs.rules import SignRules
from cocoon.core.visits import VisitRules

RULES = {
    RiskRules: from_settings.risk_rules,
    VisitRules: from_settings.visit_rules,
    SignRules: from_settings.sign_rules,
    PublicRules: from_settings.public_rules,
}


@pytest.mark.parametrize("kind", RULES, ids=lambda k: k.__name__)
def test_rules_objects_have_no_defaults_that_differ_from_the_settings(kind: type) -> None:
    built = RULES[kind](Settings())
    for f in dataclasses.fields(kind):
        if f.default is not dataclasses.MISSING:
            assert getattr(built, f.name) == f.default, f"{kind.__name__}.{f.name}"
        if f.default_factory is not dataclasses.MISSING:
            assert getattr(built, f.name) == f.default_factory(), f"{kind.__name__}.{f.name}"


@pytest.mark.parametrize("kind", RULES, ids=lambda k: k.__name__)
def test_rules_objects_keep_no_default_numbers_of_their_own(kind: type) -> None:
    own = [f.name for f in dataclasses.fields(kind) if f.default is not dataclasses.MISSING]
    assert own == [], f"{kind.__name__} has defaults {own}: give them to cocoon.config instead"


def test_the_default_method_is_500_m_high_for_14_days_then_elevated_for_42() -> None:
    rules = from_settings.risk_rules(Settings())
    assert (rules.radius_m, rules.high_risk_days, rules.elevated_risk_days) == (500.0, 14, 42)
    assert rules.total_days == 56
    assert rules.timezone == ZoneInfo("Europe/Stockholm")
    assert from_settings.visit_rules(Settings()).revisit_days == 14


def test_every_risk_setting_reaches_the_rules() -> None:
    settings = Settings.model_validate(
        {
            "risk": {"radius_m": 300, "high_risk_days": 7, "elevated_risk_days": 21,
                     "counted_premises": ["villa"], "count_attempts": False},
            "area": {"timezone": "Europe/Helsinki"},
        }
    )  # fmt: skip
    rules = from_settings.risk_rules(settings)
    assert (rules.radius_m, rules.high_risk_days, rules.elevated_risk_days) == (300, 7, 21)
    assert rules.counted_premises == frozenset({"villa"}) and not rules.count_attempts
    assert rules.timezone == ZoneInfo("Europe/Helsinki")


def test_a_visit_radius_of_zero_is_the_zone_radius() -> None:
    settings = Settings.model_validate({"risk": {"radius_m": 400}, "visits": {"radius_m": 0}})
    assert from_settings.visit_rules(settings).radius_m == 400
    settings = Settings.model_validate({"risk": {"radius_m": 400}, "visits": {"radius_m": 250}})
    assert from_settings.visit_rules(settings).radius_m == 250


def test_every_sign_and_public_map_setting_reaches_the_rules() -> None:
    settings = Settings.model_validate(
        {
            "signs": {"first_signs": 3, "max_signs": 7, "spacing_m": 120, "clearance_m": 80,
                      "on_road_m": 4, "entry_inset_m": 10, "take_down": "high"},
            "export": {"public_grid_m": 300, "public_clearance_m": 60},
        }
    )  # fmt: skip
    assert from_settings.sign_rules(settings) == SignRules(3, 7, 120, 80, 4, 10, "high")
    assert from_settings.public_rules(settings) == PublicRules(300, 60)
