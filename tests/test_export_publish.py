"""What a map export shows per profile (cocoon.core.maps, cocoon.core.public_map): the internal
one everything as it is, the public one zones generalised to a grid so that no burgled home
can be told from them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
import shapely
from pydantic import ValidationError

from cocoon.app import rules as from_settings
from cocoon.config import Settings
from cocoon.core.maps import SignOnMap, SignStatus, map_content, sign_status
from cocoon.core.model import Level, Report
from cocoon.core.profile import Profile
from cocoon.core.public_map import PublicRules, _cell_zones, _stencil, corners_near, grid_offsets
from cocoon.core.risk import Zone, ZoneShape, zones_at
from cocoon.core.signs.rules import Sign
from tests.support import KALMAR, STOCKHOLM, SWEREF, public_rules, report, risk_rules

AT = datetime(2026, 11, 24, 6, tzinfo=UTC)
RULES = risk_rules()
PUBLIC = public_rules()
ORIGIN = SWEREF.point_to_metric(*KALMAR)


def _at(dx: float, dy: float) -> tuple[float, float]:
    """Metres from central Kalmar, as `report(offset_m=…)` places a burglary."""
    return ORIGIN[0] + dx, ORIGIN[1] + dy


def _cell_corner() -> tuple[float, float]:
    """Offset from central Kalmar of the south-west corner of its 250 m grid cell."""
    g = PUBLIC.grid_m
    return (np.floor(ORIGIN[0] / g) * g - ORIGIN[0], np.floor(ORIGIN[1] / g) * g - ORIGIN[1])


def _public(
    reports: list[Report], homes: list[tuple[float, float]] | None = None
) -> tuple[tuple[ZoneShape, ...], list[Zone]]:
    """The public zones of some reports; the burgled homes are theirs unless given."""
    zones = zones_at(reports, AT, RULES, SWEREF)
    points = homes if homes is not None else [(lv.x, lv.y) for z in zones for lv in z.reports]
    return map_content(Profile.PUBLIC, zones, points, RULES, PUBLIC).zones, zones


def test_the_internal_profile_keeps_exact_zones_with_their_report_points() -> None:
    zones = zones_at([report("R1", AT - timedelta(days=1))], AT, RULES, SWEREF)
    pub = map_content(Profile.INTERNAL, zones, [], RULES, PUBLIC)
    [shape] = pub.zones
    assert shape.area.equals(zones[0].high) and shape.report_ids == ("R1",)
    assert [p.live.report.report_id for p in pub.reports] == ["R1"]
    assert pub.shows_addresses


def test_the_public_profile_has_zones_only_without_report_ids() -> None:
    zones = zones_at([report("R1", AT - timedelta(days=1))], AT, RULES, SWEREF)
    sign = Sign(
        "S1", "Z-R1", *_at(300, 0), date(2026, 11, 24), date(2027, 1, 18), "x", True, ("R1",)
    )
    pub = map_content(Profile.PUBLIC, zones, [], RULES, PUBLIC, [SignOnMap(sign, SignStatus.UP)])
    assert pub.zones and all(z.report_ids == () for z in pub.zones)
    assert pub.reports == () and pub.signs == () and pub.stops == ()
    assert not pub.shows_addresses


def test_a_public_zone_is_the_same_wherever_the_home_lies_in_its_grid_cell() -> None:
    cx, cy = _cell_corner()
    shapes = []
    for dx, dy in ((90, 95), (160, 150), (110, 170)):  # three homes inside one cell
        found, _ = _public([report("R1", AT - timedelta(days=1), offset_m=(cx + dx, cy + dy))])
        shapes.append(found)
    first = shapes[0]
    for other in shapes[1:]:
        assert [(s.level, s.until) for s in other] == [(s.level, s.until) for s in first]
        assert all(a.area.equals(b.area) for a, b in zip(first, other, strict=True))


def test_public_corners_lie_on_the_grid_and_away_from_every_burgled_home() -> None:
    reports = [
        report("R1", AT - timedelta(days=1)),
        report("R2", AT - timedelta(days=20), offset_m=(380.0, 210.0)),
    ]
    elsewhere = _at(-420.0, 380.0)  # a burglary of the period that makes no zone of its own
    homes = [_at(0, 0), _at(380, 210), elsewhere]
    found, _ = _public(reports, homes)
    corners = np.vstack([shapely.get_coordinates(s.area) for s in found])
    ox, oy = corners[0] % PUBLIC.grid_m
    assert (ox, oy) in {(a % PUBLIC.grid_m, b % PUBLIC.grid_m) for a, b in grid_offsets(250)}
    assert np.allclose((corners - (ox, oy)) % PUBLIC.grid_m, 0)
    distances = np.hypot(
        corners[:, None, 0] - np.array(homes)[None, :, 0],
        corners[:, None, 1] - np.array(homes)[None, :, 1],
    )
    assert distances.min() > PUBLIC.clearance_m


def test_a_burgled_home_at_a_grid_corner_shifts_the_grid() -> None:
    r1 = report("R1", AT - timedelta(days=1))
    plain, _ = _public([r1])
    corner = tuple(shapely.get_coordinates(plain[0].area)[0])
    shifted, _ = _public([r1], [_at(0, 0), corner])
    coords = np.vstack([shapely.get_coordinates(s.area) for s in shifted])
    assert np.hypot(coords[:, 0] - corner[0], coords[:, 1] - corner[1]).min() > 75
    assert not shifted[0].area.equals(plain[0].area)


def test_where_no_grid_clears_every_home_the_fewest_corners_near_one_are_drawn() -> None:
    zones = zones_at([report("R1", AT - timedelta(days=1))], AT, RULES, SWEREF)
    rng = np.random.default_rng(7)
    dense = [_at(x, y) for x, y in rng.uniform(-800, 800, (100, 2))]  # 100 homes on 2.6 km²
    pub = map_content(Profile.PUBLIC, zones, dense, RULES, PUBLIC)
    assert pub.zones and pub.near_corners > 0
    lives = [(z.zone_id, live) for z in zones for live in z.reports]
    stencil = _stencil(RULES.radius_m, PUBLIC.grid_m)
    every = [
        corners_near(_cell_zones(lives, stencil, 250, o, STOCKHOLM), dense, 75)
        for o in grid_offsets(250)
    ]
    assert pub.near_corners == min(every) < max(every)


def test_a_public_zone_covers_nearly_all_of_its_exact_zone() -> None:
    cx, cy = _cell_corner()
    for dx, dy in ((5, 5), (125, 125), (240, 10)):
        found, zones = _public([report("R1", AT - timedelta(days=1), offset_m=(cx + dx, cy + dy))])
        exact = zones[0].high
        cover = shapely.union_all([s.area for s in found]).intersection(exact).area / exact.area
        assert cover > 0.97


def test_each_place_has_one_public_level_and_high_wins() -> None:
    reports = [
        report("R1", AT - timedelta(days=1)),
        report("R2", AT - timedelta(days=20), offset_m=(300.0, 0.0)),
    ]
    found, _ = _public(reports)
    high = [s for s in found if s.level is Level.HIGH]
    elevated = [s for s in found if s.level is Level.ELEVATED]
    assert high and elevated
    assert high[0].area.intersection(elevated[0].area).area == pytest.approx(0.0)


def test_zones_whose_public_squares_touch_merge_and_keep_the_oldest_id() -> None:
    reports = [
        report("R1", AT - timedelta(days=2)),
        report("R2", AT - timedelta(days=1), offset_m=(1100.0, 0.0)),  # exact circles apart
    ]
    found, zones = _public(reports)
    assert len(zones) == 2
    assert {s.zone_id for s in found} == {"Z-R1"} and len(found) == 1


def test_public_until_is_the_end_of_the_local_day() -> None:
    found, zones = _public([report("R1", datetime(2026, 11, 20, 13, 32, tzinfo=UTC))])
    exact = zones[0].high_until
    assert exact is not None
    [shape] = found
    assert shape.until == datetime(2026, 12, 4, 23, 0, tzinfo=UTC)  # midnight in Stockholm
    assert shape.last_day(STOCKHOLM) == exact.astimezone(STOCKHOLM).date() == date(2026, 12, 4)


def test_a_public_frame_is_grid_corners_and_a_fixed_margin() -> None:
    zones = zones_at([report("R1", AT - timedelta(days=1))], AT, RULES, SWEREF)
    pub = map_content(Profile.PUBLIC, zones, [], RULES, PUBLIC)
    frame = pub.frame(margin_m=150)
    assert frame is not None
    assert np.allclose((np.array(frame) - 150 * np.array([-1, -1, 1, 1])) % 62.5, 0)


def test_a_sign_is_planned_then_up_then_coming_down() -> None:
    sign = Sign("S1", "Z", 0, 0, date(2026, 11, 25), date(2027, 1, 18), "x", True, ())
    assert sign_status(sign, date(2026, 11, 24)) is SignStatus.PLANNED
    assert sign_status(sign, date(2026, 11, 25)) is SignStatus.UP
    assert sign_status(sign, date(2027, 1, 18)) is SignStatus.COMING_DOWN
    assert sign_status(sign, date(2026, 12, 1), down_on=date(2026, 12, 1)) is SignStatus.COMING_DOWN


def test_a_clearance_of_half_a_cell_or_more_is_refused() -> None:
    assert from_settings.public_rules(Settings()) == PublicRules(250.0, 75.0)
    with pytest.raises(ValidationError, match="less than half of public_grid_m"):
        Settings.model_validate({"export": {"public_grid_m": 100, "public_clearance_m": 50}})
