"""Register use cases: load the address register and the road network from files.

GDAL (pyogrio) is imported by these two jobs only, not when any command starts.
"""

from __future__ import annotations

from collections.abc import Callable
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
    encoding: str = "UTF-8"  # what the file was read as: UTF-8, Windows-1252, UTF-16
    rows: int = 0  # rows or features read


#: Told after each chunk: rows read so far, and how many of them were stored so far.
Progress = Callable[[int, int], None]


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
        self,
        path: str | Path,
        now: datetime,
        layer: str | None = None,
        progress: Progress | None = None,
    ) -> AddressResult:
        """Import residential address points; a reload updates in place.

        Read and stored in chunks in one transaction, so memory stays bounded and a file that
        fails half-way (or turns out to lie outside the service area) leaves nothing behind.
        """
        from cocoon.sources.addresses import DUPLICATE_ID, RegisterReader

        reader = RegisterReader(path, self.ctx.area, self.ctx.projection, layer=layer)
        with self.ctx.engine.begin() as conn:
            writer = address_store.RegisterWriter(conn, Path(path).name, now)
            for chunk in reader.chunks():
                writer.write(chunk.addresses, chunk.maybe_seen)
                if progress is not None:
                    c = writer.counts
                    progress(reader.rows, c.created + c.updated + c.unchanged)
        if writer.repeats:
            reader.skipped[DUPLICATE_ID] += writer.repeats
        counts = writer.counts
        return AddressResult(
            str(path), counts.created, counts.updated, counts.unchanged,
            reader.skipped_by_count(), reader.rejections, reader.encoding, reader.rows,
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
