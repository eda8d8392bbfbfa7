"""A synthetic town near Kalmar (EPSG:3006): villa streets, blocks of flats, a burgled home."""

from __future__ import annotations

from collections.abc import Iterable

from cocoon.core.geo import Projection
from cocoon.core.model import Address, Dwelling
from cocoon.core.visits import Neighbour

SWEREF = Projection("EPSG:3006")
#: SWEREF 99 TM of a point in Kalmar: the town's origin.
ORIGIN = SWEREF.point_to_metric(16.3568, 56.6634)


def address(
    street: str,
    number: str,
    dx: float,
    dy: float,
    dwelling: Dwelling | None = Dwelling.SMAHUS,
    address_id: str | None = None,
) -> Address:
    """A register address `dx`, `dy` metres from the town's origin."""
    lon, lat = SWEREF.point_to_wgs84(ORIGIN[0] + dx, ORIGIN[1] + dy)
    return Address(
        address_id=address_id or f"{street}-{number}".replace(" ", "_"),
        street=street,
        number=number,
        lon=lon,
        lat=lat,
        town="Kalmar",
        dwelling=dwelling,
    )


def villa_street(
    street: str, y: float, x_from: float, count: int, spacing: float = 25.0, setback: float = 12.0
) -> list[Address]:
    """Houses along an east-west street at `y`: odd numbers on the north side, even on the south."""
    out = []
    for i in range(count):
        x = x_from + (i // 2) * spacing
        north = i % 2 == 0
        out.append(address(street, str(i + 1), x, y + (setback if north else -setback)))
    return out


def neighbours(addresses: Iterable[Address]) -> list[Neighbour]:
    """Register addresses as the core gets them: with their metric position."""
    out = []
    for a in addresses:
        x, y = SWEREF.point_to_metric(a.lon, a.lat)
        out.append(Neighbour(a, x - ORIGIN[0], y - ORIGIN[1]))
    return out


def register_csv(register: Iterable[Address]) -> str:
    """The register as an address CSV of the input contract, for `cocoon load-addresses`."""
    lines = ["address_id,street,number,town,lat,lon,dwelling"]
    lines += [
        f"{a.address_id},{a.street},{a.number},{a.town},{a.lat:.7f},{a.lon:.7f},"
        f"{a.dwelling.value if a.dwelling else ''}"
        for a in register
    ]
    return "\n".join(lines) + "\n"
