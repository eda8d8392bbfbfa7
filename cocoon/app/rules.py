"""Settings turned into the core's rules objects: the one place the two meet.

The core knows no settings model; its rules have no defaults of their own. Every number of the
method (500 m, 14 + 42 days, the revisit days, the time zone) has its default in
`cocoon.config` alone, and reaches the core through these functions.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from cocoon.config import Settings
from cocoon.core.leaflets import LeafletRules
from cocoon.core.public_map import PublicRules
from cocoon.core.risk import RiskRules
from cocoon.core.signs.rules import SignRules
from cocoon.core.visits import VisitKind, VisitRules


def risk_rules(settings: Settings) -> RiskRules:
    """The `[risk]` section, in the `[area]`'s time zone."""
    r = settings.risk
    return RiskRules(
        radius_m=r.radius_m,
        high_risk_days=r.high_risk_days,
        elevated_risk_days=r.elevated_risk_days,
        counted_premises=frozenset(r.counted_premises),
        count_attempts=r.count_attempts,
        timezone=ZoneInfo(settings.area.timezone),
    )


def visit_rules(settings: Settings) -> VisitRules:
    """The `[visits]` section; a visit radius of 0 is the zone radius."""
    v = settings.visits
    return VisitRules(
        radius_m=v.radius_m or settings.risk.radius_m,
        cap=v.cap,
        sheet_size=v.sheet_size,
        revisit_days=v.revisit_days,
        victim_match_m=v.victim_match_m,
        same_side_bonus_m=v.same_side_bonus_m,
        unknown_dwelling=VisitKind(v.unknown_dwelling),
    )


def sign_rules(settings: Settings) -> SignRules:
    """The `[signs]` section."""
    s = settings.signs
    return SignRules(
        first_signs=s.first_signs,
        max_signs=s.max_signs,
        spacing_m=s.spacing_m,
        clearance_m=s.clearance_m,
        on_road_m=s.on_road_m,
        entry_inset_m=s.entry_inset_m,
        take_down=s.take_down,
    )


def public_rules(settings: Settings) -> PublicRules:
    """The `[export]` section's public-map generalisation."""
    e = settings.export
    return PublicRules(grid_m=e.public_grid_m, clearance_m=e.public_clearance_m)


def leaflet_rules(settings: Settings) -> LeafletRules:
    """The `[leaflets]` section: the area's languages and those by postcode."""
    s = settings.leaflets
    return LeafletRules(languages=s.languages, by_postcode=dict(s.by_postcode))
