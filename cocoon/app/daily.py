"""The daily zone list use case: what patrols read each morning, made at an explicit instant."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from cocoon.core.daily import daily_list
from cocoon.core.risk import Zone
from cocoon.core.signs.places import road_lines
from cocoon.outputs import DailyPaper

if TYPE_CHECKING:
    from cocoon.app.installation import Cocoon


class DailyCases:
    """The daily list of one installation."""

    def __init__(self, app: Cocoon) -> None:
        self.app = app

    def paper(self, at: datetime, day: date, zones: list[Zone] | None = None) -> DailyPaper:
        """The list for local `day` made at `at`: the sign plan is brought up to `at` first."""
        app = self.app
        if zones is None:
            zones = app.zones(at)
        app.signs.plan_forward(at, zones)
        due = app.signs.due(day)
        with app.engine.connect() as conn:
            roads = app.roads_around(conn, zones)
            addresses = app.addresses_around(conn, zones)
        daily = daily_list(
            day, at, zones, road_lines(roads, app.projection), addresses, due.put_up, due.take_down
        )
        return DailyPaper(
            daily, app.projection, app.tz, app.settings.output.language, app.settings.area.name
        )
