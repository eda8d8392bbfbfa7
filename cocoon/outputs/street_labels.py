"""Street names on every drawn map, placed once by one rule for paper and screen.

Each named street offers candidates along its lines: the name centred on the line, turned to
the line's direction and kept upright, as wide as the renderer's own font metrics say (DejaVu
Sans in points, or pixels). A greedy pass by priority (streets the map is about, then busier
classes, then longer streets) keeps a candidate only when its rotated box lies inside the frame
and clear of every label and obstacle kept before; a name comes again only far from itself.
Plain arithmetic on the inputs: the same map gives the same labels, byte for byte.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from numpy.typing import NDArray

#: The text's width in the map's units (points or pixels) at a font size.
Measure = Callable[[str, float], float]

#: DejaVu Sans, in ems from the baseline: the top of 'Å' and the bottom of 'g'.
TEXT_TOP, TEXT_BOTTOM = 0.93, -0.24
#: No character of DejaVu Sans is narrower than this (in ems): a bound before measuring.
NARROWEST = 0.25
#: The baseline lies this far (in ems) below the line the name follows: the text sits centred.
BASELINE_DROP = (TEXT_TOP + TEXT_BOTTOM) / 2
#: Priority of the OSM classes: through roads first, then streets, service roads, paths.
_RANK = {
    "motorway": 0,
    "trunk": 1,
    "primary": 2,
    "secondary": 3,
    "tertiary": 4,
    "residential": 5,
    "unclassified": 5,
    "living_street": 5,
    "pedestrian": 6,
}
_MAJOR = {"motorway", "trunk", "primary", "secondary", "tertiary"}
_PATHS = {"footway", "path", "cycleway", "steps", "track", "bridleway"}
_SAMPLES = np.linspace(-0.5, 0.5, 9)  # where along a candidate the line's bend is measured


def font_size(road_class: str, base: float) -> float:
    """Busier roads get a larger name, paths a smaller one."""
    if road_class in _MAJOR:
        return round(base * 1.12, 2)
    return round(base * 0.9, 2) if road_class in _PATHS else base


def class_rank(road_class: str) -> int:
    """Place of a road class in the labelling order (0 first)."""
    return _RANK.get(road_class, 8 if road_class in _PATHS else 7)


@dataclass(frozen=True)
class Box:
    """A rectangle turned by its unit direction (ux, uy): centre, half length and half height;
    or, `round`, the disc of radius `hw` (a marker)."""

    cx: float
    cy: float
    ux: float
    uy: float
    hw: float
    hh: float
    round: bool = False

    @classmethod
    def rect(cls, x0: float, y0: float, x1: float, y1: float) -> Box:
        """An upright rectangle between two corners."""
        return cls((x0 + x1) / 2, (y0 + y1) / 2, 1.0, 0.0, abs(x1 - x0) / 2, abs(y1 - y0) / 2)

    @classmethod
    def around(cls, x: float, y: float, radius: float) -> Box:
        """A round marker's disc."""
        return cls(x, y, 1.0, 0.0, radius, radius, round=True)

    def corners(self) -> list[tuple[float, float]]:
        """The four corners, anticlockwise from the back bottom one."""
        ax, ay = self.ux * self.hw, self.uy * self.hw
        bx, by = -self.uy * self.hh, self.ux * self.hh
        c = (self.cx, self.cy)
        return [(c[0] + sx * ax + sy * bx, c[1] + sx * ay + sy * by) for sx, sy in _SIGNS]

    def extent(self) -> tuple[float, float, float, float]:
        """The upright box around it: x0, y0, x1, y1."""
        rx = abs(self.ux) * self.hw + abs(self.uy) * self.hh
        ry = abs(self.uy) * self.hw + abs(self.ux) * self.hh
        return self.cx - rx, self.cy - ry, self.cx + rx, self.cy + ry

    def overlaps(self, other: Box) -> bool:
        """Whether the two share any area (separating axis test, or a disc's distance)."""
        dx, dy = other.cx - self.cx, other.cy - self.cy
        if self.round and other.round:
            return math.hypot(dx, dy) < self.hw + other.hw
        if self.round or other.round:
            disc, box = (self, other) if self.round else (other, self)
            return _disc_hits(disc, box)
        for ax, ay in ((self.ux, self.uy), (-self.uy, self.ux), (other.ux, other.uy)):
            if _separated(self, other, ax, ay, dx, dy):
                return False
        return not _separated(self, other, -other.uy, other.ux, dx, dy)


_SIGNS = ((-1, -1), (1, -1), (1, 1), (-1, 1))


def _disc_hits(disc: Box, box: Box) -> bool:
    dx, dy = disc.cx - box.cx, disc.cy - box.cy
    along = max(abs(dx * box.ux + dy * box.uy) - box.hw, 0.0)
    across = max(abs(dy * box.ux - dx * box.uy) - box.hh, 0.0)
    return along * along + across * across < disc.hw * disc.hw


def _separated(a: Box, b: Box, ax: float, ay: float, dx: float, dy: float) -> bool:
    reach = (
        a.hw * abs(a.ux * ax + a.uy * ay)
        + a.hh * abs(a.ux * ay - a.uy * ax)
        + b.hw * abs(b.ux * ax + b.uy * ay)
        + b.hh * abs(b.ux * ay - b.uy * ax)
    )
    return abs(dx * ax + dy * ay) >= reach


@dataclass(frozen=True)
class Street:
    """A name and its lines in map units; its name goes near the middle of its `focus` points
    (the stops on it) if it has any."""

    name: str
    road_class: str
    lines: tuple[NDArray[np.float64], ...]
    length: float
    focus: tuple[tuple[float, float], ...] = ()
    preferred: bool = False


def scaled(street: Street, k: float) -> Street:
    """The street on a map `k` times larger."""
    lines = tuple(line * k for line in street.lines)
    focus = tuple((x * k, y * k) for x, y in street.focus)
    return Street(street.name, street.road_class, lines, street.length * k, focus, street.preferred)


@dataclass(frozen=True)
class Label:
    """A placed name: centred on its line at (x, y), turned `angle` degrees anticlockwise."""

    text: str
    x: float
    y: float
    angle: float
    size: float
    width: float
    box: Box = field(repr=False)

    def baseline(self) -> tuple[float, float]:
        """Where the text's baseline centre lies (y up): under the line by BASELINE_DROP."""
        drop = BASELINE_DROP * self.size
        return self.x + self.box.uy * drop, self.y - self.box.ux * drop


def streets(
    pieces: Iterable[tuple[str | None, str, NDArray[np.float64]]],
    preferred: Callable[[str], bool] = lambda name: False,
    focus: Sequence[tuple[str, float, float]] = (),
) -> list[Street]:
    """The named pieces (name, class, coordinates in map units) as streets, one per name.

    The pieces of one name are joined where they meet (OSM cuts a street into many ways, and
    forks it round islands and junctions); its class is the busiest among them. `focus` gives
    points by street name.
    """
    by_name: dict[str, list[tuple[str, NDArray[np.float64]]]] = defaultdict(list)
    for name, road_class, coords in pieces:
        text = " ".join(unicodedata.normalize("NFC", name or "").split())
        if text and len(coords) >= 2:
            by_name[text].append((road_class, coords))
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for name, x, y in focus:
        points[" ".join(name.split())].append((x, y))
    out = []
    for name in sorted(by_name):
        parts = by_name[name]
        lines = _chains([c for _, c in parts])
        road_class = min((c for c, _ in parts), key=lambda c: (class_rank(c), c))
        total = sum(_length(ln) for ln in lines)
        out.append(Street(name, road_class, lines, total, tuple(points[name]), preferred(name)))
    return out


_STRAIGHT_ON = math.cos(math.radians(35))  # a fork continues the line within 35°


def _chains(parts: list[NDArray[np.float64]]) -> tuple[NDArray[np.float64], ...]:
    """The pieces joined into the longest lines that run on straight through their meetings.

    First where exactly two meet; then, longest first, each line takes at either end the piece
    that continues it most straight (within 35°), so a street forking round an island or at a
    junction stays one line.
    """
    merged = shapely.line_merge(shapely.MultiLineString(parts))
    lines = [
        shapely.get_coordinates(g)
        for g in sorted(shapely.get_parts(merged), key=lambda g: (-g.length, g.wkb))
    ]
    if len(lines) == 1:
        return (lines[0],)
    ends: dict[tuple[float, float], list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        for point in (line[0], line[-1]):
            ends[_key(point)].append(i)
    used = [False] * len(lines)
    out = []
    for i, line in enumerate(lines):
        if used[i]:
            continue
        used[i] = True
        for _ in range(2):  # extend the end, then turn round and extend the start
            while (found := _straight_on(line, lines, ends, used)) is not None:
                used[found[0]] = True
                line = np.vstack([line, found[1][1:]])
            line = line[::-1]
        out.append(line)
    out.sort(key=lambda ln: -_length(ln))
    return tuple(out)


def _length(line: NDArray[np.float64]) -> float:
    return float(np.hypot(*np.diff(line, axis=0).T).sum())


def _key(point: NDArray[np.float64]) -> tuple[float, float]:
    return round(float(point[0]), 2), round(float(point[1]), 2)


def _straight_on(
    line: NDArray[np.float64],
    lines: list[NDArray[np.float64]],
    ends: dict[tuple[float, float], list[int]],
    used: list[bool],
) -> tuple[int, NDArray[np.float64]] | None:
    """The unused line that leaves `line`'s end most straight on, turned to start there."""
    end = line[-1]
    heading = end - line[-2]
    heading = heading / (np.hypot(*heading) or 1.0)
    best: tuple[float, int, NDArray[np.float64]] | None = None
    for j in ends.get(_key(end), []):
        if used[j]:
            continue
        other = lines[j] if _key(lines[j][0]) == _key(end) else lines[j][::-1]
        step = other[1] - other[0]
        cos = float(heading @ step) / (float(np.hypot(*step)) or 1.0)
        if cos >= _STRAIGHT_ON and (best is None or cos > best[0]):
            best = (cos, j, other)
    return None if best is None else (best[1], best[2])


@dataclass(frozen=True)
class Layout:
    """How names are set on one map: sizes, spacing and the frame, in the map's units."""

    width: float
    height: float
    base_size: float
    margin: float = 2.0
    halo: float = 1.2
    repeat_gap: float = 300.0


def place_labels(
    layout: Layout,
    named: Sequence[Street],
    measure: Measure,
    obstacles: Sequence[Box] = (),
) -> list[Label]:
    """Names that fit, inside the frame and clear of each other and of the obstacles.

    First one name per street by priority, then the same again where a street runs on far
    from its name (at least `repeat_gap`).
    """
    grid = _Grid(max(32.0, 4 * layout.base_size))
    for box in obstacles:
        grid.add(box)
    order = sorted(named, key=lambda s: (not s.preferred, class_rank(s.road_class), -s.length))
    candidates = [_Candidates.along(s, layout, measure) for s in order]
    placed: list[Label] = []
    mine: dict[str, list[Label]] = defaultdict(list)
    for repeat in (False, True):
        for cand in candidates:
            kept = mine[cand.name]
            for i in range(len(cand.x)) if repeat else cand.rank:
                x, y = cand.x[i], cand.y[i]
                gap = layout.repeat_gap
                if any(math.hypot(x - o.x, y - o.y) < gap for o in kept):
                    continue
                label = cand.label(i, layout)
                if _inside(label.box, layout) and not grid.hits(label.box):
                    grid.add(label.box)
                    placed.append(label)
                    kept.append(label)
                    if not repeat:
                        break
    return placed


@dataclass(frozen=True)
class _Candidates:
    """Where a street's name may go: centres in order along its lines, and the ranking."""

    name: str
    size: float
    width: float
    x: list[float]
    y: list[float]
    ux: list[float]
    uy: list[float]
    rank: list[int]  # best first, for the street's one name

    def label(self, i: int, layout: Layout) -> Label:
        ux, uy = self.ux[i], self.uy[i]
        half_height = (TEXT_TOP - TEXT_BOTTOM) / 2 * self.size + layout.halo
        box = Box(self.x[i], self.y[i], ux, uy, self.width / 2 + layout.halo, half_height)
        angle = round(math.degrees(math.atan2(uy, ux)), 3)
        return Label(self.name, self.x[i], self.y[i], angle, self.size, self.width, box)

    @classmethod
    def along(cls, street: Street, layout: Layout, measure: Measure) -> _Candidates:
        """Every place on the street's lines where its name lies straight enough on the line.

        Ranked from the middle of the street's stops outwards if it has any, else from the
        middle of its longest line; the more level of two equal places first.
        """
        size = font_size(street.road_class, layout.base_size)
        longest = max((_length(line) for line in street.lines), default=0.0)
        if longest < NARROWEST * size * len(street.name):  # too short for any such name
            return cls(street.name, size, 0.0, [], [], [], [], [])
        width = measure(street.name, size)
        span = width + size  # the stretch of line the name covers, with a little air
        tolerance = 0.35 * size  # how far the line may bend away under the straight name
        step = max(span / 8, size / 2)
        parts: list[tuple[NDArray[np.float64], ...]] = []
        for chain, line in enumerate(street.lines):
            seg = np.hypot(*np.diff(line, axis=0).T)
            cum = np.concatenate([[0.0], np.cumsum(seg)])
            total = float(cum[-1])
            if total < span:
                continue
            count = int((total - span) // step) + 1
            offset = (total - span - (count - 1) * step) / 2
            centres = span / 2 + offset + step * np.arange(count)
            t = centres[:, None] + span * _SAMPLES[None, :]
            xs, ys = np.interp(t, cum, line[:, 0]), np.interp(t, cum, line[:, 1])
            dx, dy = xs[:, -1] - xs[:, 0], ys[:, -1] - ys[:, 0]
            chord = np.hypot(dx, dy)
            ok = chord > 0.9 * span
            ux, uy = dx / np.where(ok, chord, 1.0), dy / np.where(ok, chord, 1.0)
            bend = np.abs((xs - xs[:, :1]) * uy[:, None] - (ys - ys[:, :1]) * ux[:, None])
            ok &= bend.max(axis=1) <= tolerance
            cx, cy = np.interp(centres, cum, line[:, 0]), np.interp(centres, cum, line[:, 1])
            middle = np.abs(centres - total / 2)
            parts.append(
                tuple(a[ok] for a in (cx, cy, ux, uy, middle, np.full(len(ok), float(chain))))
            )
        if not parts:
            return cls(street.name, size, width, [], [], [], [], [])
        cx, cy, ux, uy, middle, chain_no = (np.concatenate(a) for a in zip(*parts, strict=True))
        # upright: read from the left, and steep names from below
        angle = np.degrees(np.arctan2(uy, ux))
        flip = (angle <= -80.0) | (angle > 100.0)
        ux, uy = np.where(flip, -ux, ux), np.where(flip, -uy, uy)
        level = np.abs(np.sin(np.arctan2(uy, ux)))
        if street.focus:
            fx, fy = np.array(street.focus, dtype=float).mean(axis=0)
            rank = np.lexsort((level, np.hypot(cx - fx, cy - fy)))
        else:
            rank = np.lexsort((level, middle, chain_no))
        xy = (cx.tolist(), cy.tolist(), ux.tolist(), uy.tolist())
        return cls(street.name, size, width, *xy, [int(i) for i in rank])


def _inside(box: Box, layout: Layout) -> bool:
    """Every corner within the frame, `margin` from its edge."""
    m, w, h = layout.margin, layout.width, layout.height
    return all(m <= x <= w - m and m <= y <= h - m for x, y in box.corners())


class _Grid:
    """The kept boxes by square cells of their upright extent: only neighbours are tested."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.boxes: list[Box] = []
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)

    def _keys(self, box: Box) -> Iterable[tuple[int, int]]:
        x0, y0, x1, y1 = box.extent()
        c = self.cell
        for i in range(math.floor(x0 / c), math.floor(x1 / c) + 1):
            for j in range(math.floor(y0 / c), math.floor(y1 / c) + 1):
                yield i, j

    def add(self, box: Box) -> None:
        index = len(self.boxes)
        self.boxes.append(box)
        for key in self._keys(box):
            self.cells[key].append(index)

    def hits(self, box: Box) -> bool:
        seen: set[int] = set()
        for key in self._keys(box):
            for index in self.cells.get(key, ()):
                if index not in seen:
                    seen.add(index)
                    if box.overlaps(self.boxes[index]):
                        return True
        return False
