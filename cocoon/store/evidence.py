"""The stored reports as the analyses read them: located, not withdrawn, by risk start.

Columns only, no report ids or addresses: an analysis needs the place, the times and what was
burgled, and its outputs must not carry more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
import shapely
from sqlalchemy import Connection, select

from cocoon.core.model import Premises
from cocoon.store.schema import reports


@dataclass(frozen=True)
class StoredEvents:
    """Located, not withdrawn reports: WGS 84 points, risk starts and reported times (aware
    UTC), premises and attempts, in the order of their risk start."""

    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    risk_start: list[datetime]
    reported_at: list[datetime]
    premises: list[Premises]
    attempt: npt.NDArray[np.bool_]


def located_reports(
    conn: Connection, since: datetime | None = None, until: datetime | None = None
) -> StoredEvents:
    """The located, not withdrawn reports whose risk start is in [since, until) (open ends when
    None), ordered by risk start and report id so that the same data gives the same analysis."""
    c = reports.c
    query = select(c.risk_start, c.reported_at, c.premises, c.attempt, c.geom).where(
        c.retracted_at.is_(None), c.geom.is_not(None)
    )
    if since is not None:
        query = query.where(c.risk_start >= since)
    if until is not None:
        query = query.where(c.risk_start < until)
    rows = conn.execute(query.order_by(c.risk_start, c.report_id)).all()
    points = shapely.from_wkb([row.geom for row in rows]) if rows else np.empty(0, dtype=object)
    return StoredEvents(
        lon=np.asarray(shapely.get_x(points), dtype=np.float64),
        lat=np.asarray(shapely.get_y(points), dtype=np.float64),
        risk_start=[row.risk_start for row in rows],
        reported_at=[row.reported_at for row in rows],
        premises=[Premises(row.premises) for row in rows],
        attempt=np.array([bool(row.attempt) for row in rows], dtype=np.bool_),
    )
