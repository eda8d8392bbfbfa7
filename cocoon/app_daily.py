"""The daily zone list use case: what patrols read each morning, made at an explicit instant."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import TYPE_CHECKING

from cocoon.daily import daily_list
from cocoon.errors import InputError
from cocoon.outputs import DailyPaper
from cocoon.sign_places import road_lines

if TYPE_CHECKING:
    from cocoon.app import Cocoon

log = logging.getLogger("cocoon.daily")


class DailyCases:
    """The daily list of one installation."""

    def __init__(self, app: Cocoon) -> None:
        self.app = app

    def paper(self, at: datetime, day: date) -> DailyPaper:
        """The list for local `day` made at `at`: the sign plan is brought up to `at` first."""
        app = self.app
        try:
            app.signs.plan(at)
        except InputError as exc:  # a later plan exists (made by hand): list from it as stored
            log.warning("sign plan kept as stored: %s", exc, extra={"event": "signs.kept"})
        zones = app.zones(at)
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
