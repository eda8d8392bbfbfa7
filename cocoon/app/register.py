"""Register use cases: load the address register and the road network from files.

GDAL (pyogrio) is imported by these two jobs only, not when any command starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cocoon.app.context import Context
from cocoon.store import addresses as address_store
from cocoon.store import roads as road_store


@dataclass
class AddressResult:
    file: str
    created: int
    updated: int
    unchanged: int
    skipped: dict[str, int]
    rejections: list[str]


@dataclass
class RoadResult:
    file: str
    stored: int
    replaced: int
    skipped: dict[str, int]
    rejections: list[str]


class RegisterCases:
    """The register use cases of one installation."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def load_addresses(
        self, path: str | Path, now: datetime, layer: str | None = None
    ) -> AddressResult:
        """Import residential address points; a reload updates in place."""
        from cocoon.sources.addresses import read_addresses

        loaded = read_addresses(path, self.ctx.area, self.ctx.projection, layer=layer)
        with self.ctx.engine.begin() as conn:
            counts = address_store.upsert_addresses(conn, loaded.addresses, Path(path).name, now)
        return AddressResult(
            str(path), counts.created, counts.updated, counts.unchanged,
            loaded.skipped, loaded.rejections,
        )  # fmt: skip

    def load_roads(self, path: str | Path, now: datetime, layer: str | None = None) -> RoadResult:
        """Import the road network; a reload of the same file replaces what it loaded before."""
        from cocoon.sources.roads import read_roads

        loaded = read_roads(path, self.ctx.area, layer=layer)
        with self.ctx.engine.begin() as conn:
            counts = road_store.replace_roads(conn, loaded.roads, Path(path).name, now)
        return RoadResult(
            str(path), counts.stored, counts.removed, loaded.skipped, loaded.rejections
        )
