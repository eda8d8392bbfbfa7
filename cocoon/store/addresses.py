"""The address register in the database: reloads update in place, never duplicate."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Connection, bindparam, insert, select, update

from cocoon.core.model import Address, Dwelling
from cocoon.store.engine import chunks
from cocoon.store.schema import addresses


@dataclass
class AddressCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


#: What an Address is made of, in the order of `_address`: the WKB geometry is for PostGIS and
#: QGIS, lon/lat serve reading; source and time are bookkeeping (and cost time to read).
_COLUMNS = [
    addresses.c[n]
    for n in ("address_id", "street", "number", "lon", "lat", "postcode", "town", "dwelling")
]
_DWELLINGS = {d.value: d for d in Dwelling}
#: The stored columns a reload compares, in the order of `_content`.
_COMPARED = [
    addresses.c[n] for n in ("street", "number", "postcode", "town", "dwelling", "lon", "lat")
]


def _content(a: Address) -> tuple[Any, ...]:
    """What a reload compares, as the database holds it (a StrEnum equals its value)."""
    return (a.street, a.number, a.postcode, a.town, a.dwelling, a.lon, a.lat)


def _rows(batch: Sequence[Address], source: str, now: datetime) -> list[dict[str, Any]]:
    """Column values of the addresses; the WKB points are made in one vectorised call."""
    points = shapely.points(np.array([(a.lon, a.lat) for a in batch], dtype=float).reshape(-1, 2))
    return [
        {
            "address_id": a.address_id,
            "street": a.street,
            "number": a.number,
            "postcode": a.postcode,
            "town": a.town,
            "dwelling": a.dwelling.value if a.dwelling else None,
            "geom": wkb,
            "lon": a.lon,
            "lat": a.lat,
            "source": source,
            "updated_at": now,
        }
        for a, wkb in zip(batch, shapely.to_wkb(points), strict=True)
    ]


def _address(row: Any) -> Address:
    """An Address from a row of `_COLUMNS` (positional: a box query makes thousands)."""
    address_id, street, number, lon, lat, postcode, town, dwelling = row
    kind = _DWELLINGS.get(dwelling) if dwelling else None
    return Address(address_id, street, number, lon, lat, postcode, town, kind)


class RegisterWriter:
    """Stores a register chunk by chunk on one connection (one transaction): reloads update in
    place, the last of an id repeated across chunks wins.

    While the table held nothing when the load began, rows are inserted without being looked
    up, except ids the reader says an earlier chunk may have had. Such a repeat is counted in
    `repeats`, not as an update; on a reload, an earlier row of a repeated id may count as an
    update that the later row undoes.
    """

    def __init__(self, conn: Connection, source: str, now: datetime) -> None:
        self.conn, self.source, self.now = conn, source, now
        self.counts = AddressCounts()
        self.repeats = 0  # ids an earlier chunk of this load had: the later row won
        self._fresh = conn.execute(select(addresses.c.address_id).limit(1)).first() is None

    def write(self, batch: Sequence[Address], maybe_seen: Collection[str] = ()) -> None:
        """Store one chunk (ids unique within it); `maybe_seen`: ids earlier chunks may have had."""
        for chunk in chunks(batch):
            ids = [a.address_id for a in chunk]
            looked_up = ids if not self._fresh else [i for i in ids if i in maybe_seen]
            old: dict[str, tuple[Any, ...]] = {}
            if looked_up:
                query = select(addresses.c.address_id, *_COMPARED).where(
                    addresses.c.address_id.in_(looked_up)
                )
                old = {row[0]: tuple(row[1:]) for row in self.conn.execute(query)}
            new, changed = [], []
            for a in chunk:
                before = old.get(a.address_id)
                if before is None:
                    new.append(a)
                    continue
                repeat = self._fresh or a.address_id in maybe_seen
                if repeat:
                    self.repeats += 1
                if before != _content(a):
                    changed.append(a)
                    self.counts.updated += not repeat
                elif not repeat:
                    self.counts.unchanged += 1
            if new:
                self.conn.execute(insert(addresses), _rows(new, self.source, self.now))
                self.counts.created += len(new)
            if changed:
                rows = [r | {"key": r["address_id"]} for r in _rows(changed, self.source, self.now)]
                stmt = (
                    update(addresses)
                    .where(addresses.c.address_id == bindparam("key"))
                    .values({k: bindparam(k) for k in rows[0] if k not in ("key", "address_id")})
                )
                self.conn.execute(stmt, rows)


def upsert_addresses(
    conn: Connection, batch: Sequence[Address], source: str, now: datetime
) -> AddressCounts:
    """Insert new addresses and update changed ones, keyed by address_id; an id repeated in
    the batch counts once, and its last row wins."""
    writer = RegisterWriter(conn, source, now)
    seen: set[str] = set()
    for part in chunks(batch):
        ids = [a.address_id for a in part]
        writer.write(part, seen.intersection(ids))
        seen.update(ids)
    return writer.counts


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


def postcodes_of(conn: Connection, address_ids: Sequence[str]) -> list[str | None]:
    """The postcodes of some addresses, in the order of their ids (None: unknown, or no postcode):
    the roster chooses its leaflets' languages by them."""
    found: dict[str, str | None] = {}
    for part in chunks(list(dict.fromkeys(address_ids))):
        stmt = select(addresses.c.address_id, addresses.c.postcode).where(
            addresses.c.address_id.in_(part)
        )
        found.update({row.address_id: row.postcode for row in conn.execute(stmt)})
    return [found.get(a) for a in address_ids]
