"""The address register in the database: reloads update in place, never duplicate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import shapely
from sqlalchemy import Connection, bindparam, insert, select, update

from cocoon.model import Address, Dwelling
from cocoon.store.engine import chunks
from cocoon.store.schema import addresses


@dataclass
class AddressCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


#: What an Address is made of: the WKB geometry is for PostGIS and QGIS, lon/lat serve reading.
_COLUMNS = [c for c in addresses.c if c.name != "geom"]


def _values(a: Address) -> dict[str, Any]:
    return {
        "address_id": a.address_id,
        "street": a.street,
        "number": a.number,
        "postcode": a.postcode,
        "town": a.town,
        "dwelling": a.dwelling.value if a.dwelling else None,
        "geom": bytes(shapely.to_wkb(shapely.Point(a.lon, a.lat))),
        "lon": a.lon,
        "lat": a.lat,
    }


def _address(row: Any) -> Address:
    return Address(
        address_id=row.address_id,
        street=row.street,
        number=row.number,
        lon=row.lon,
        lat=row.lat,
        postcode=row.postcode,
        town=row.town,
        dwelling=Dwelling(row.dwelling) if row.dwelling else None,
    )


def upsert_addresses(
    conn: Connection, batch: Sequence[Address], source: str, now: datetime
) -> AddressCounts:
    """Insert new addresses and update changed ones, keyed by address_id."""
    counts = AddressCounts()
    for chunk in chunks(batch):
        ids = [a.address_id for a in chunk]
        old = {
            row.address_id: _address(row)
            for row in conn.execute(select(*_COLUMNS).where(addresses.c.address_id.in_(ids)))
        }
        new_rows, changed_rows = [], []
        for a in chunk:
            values = _values(a) | {"source": source, "updated_at": now}
            if a.address_id not in old:
                new_rows.append(values)
            elif old[a.address_id] != a:
                changed_rows.append(values | {"key": a.address_id})
            else:
                counts.unchanged += 1
        if new_rows:
            conn.execute(insert(addresses), new_rows)
            counts.created += len(new_rows)
        if changed_rows:
            stmt = (
                update(addresses)
                .where(addresses.c.address_id == bindparam("key"))
                .values(
                    {k: bindparam(k) for k in changed_rows[0] if k not in ("key", "address_id")}
                )
            )
            conn.execute(stmt, changed_rows)
            counts.updated += len(changed_rows)
    return counts


def all_addresses(conn: Connection) -> list[Address]:
    return [_address(row) for row in conn.execute(select(*_COLUMNS))]


def addresses_in_box(
    conn: Connection, min_lon: float, min_lat: float, max_lon: float, max_lat: float
) -> list[Address]:
    """The addresses whose point lies in a lon/lat box (served by the lat/lon index)."""
    stmt = select(*_COLUMNS).where(
        addresses.c.lat.between(min_lat, max_lat), addresses.c.lon.between(min_lon, max_lon)
    )
    return [_address(row) for row in conn.execute(stmt)]


def get_address(conn: Connection, address_id: str) -> Address | None:
    row = conn.execute(select(*_COLUMNS).where(addresses.c.address_id == address_id)).first()
    return _address(row) if row else None
