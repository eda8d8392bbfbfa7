"""Install Sweden's outline, land and territorial waters: the default service area.

Source: the npm package @geo-maps/countries-maritime-10m 0.6.0, every country's political borders
including its territorial sea, drawn from OpenStreetMap with 10 m accuracy (data © OpenStreetMap
contributors, ODbL 1.0). `npm pack` fetches its tarball (12 MB; npm's cache keeps it), whose
SHA-512 must be the one pinned here; Sweden's feature (2 polygons, mainland and Gotland, 4,284
points: about 90 kB) is written as it is to cocoon/areas/sverige.geojson, with the source, version
and licence in its properties. It is not simplified: a border that cuts Haparanda from Tornio a few
hundred metres away needs every point, and membership of 1.5 million points takes 0.3 s.

Run by scripts/_venv.sh, so by demo.sh and test.sh; cocoon never fetches it at run time. Does
nothing when the outline installed is already from this package version. Standard library only.

    python3 scripts/sweden_outline.py                       # install unless already there
    python3 scripts/sweden_outline.py --force               # install again
    python3 scripts/sweden_outline.py --tarball FILE.tgz    # from the package's tarball, no npm
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

PACKAGE = "@geo-maps/countries-maritime-10m"
VERSION = "0.6.0"
#: The registry's dist.integrity of that version: a tarball with other bytes is refused.
INTEGRITY = (
    "sha512-3Auc7lXpsOL+Z+axKGTaS2dvmDr/odfxa1Wk5UT/4naT+"
    "xYK3Rf+ImSLkO1zyO3vi7WSaVhjjQfBdrldjPDIbA=="
)
MEMBER = "package/map.geo.json"
COUNTRY = "SWE"
LICENCE = "ODbL-1.0"
ATTRIBUTION = "© OpenStreetMap contributors"
#: Sweden's land and waters lie in this lon/lat box; a feature outside it is the wrong one.
EXPECTED_BOX = (10.0, 55.0, 24.5, 69.5)

OUTLINE = Path(__file__).resolve().parent.parent / "cocoon" / "areas" / "sverige.geojson"


class OutlineError(Exception):
    """The outline cannot be installed; the message is the one line printed."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="install even when up to date")
    parser.add_argument("--tarball", type=Path, help="the package's .tgz, instead of npm pack")
    parser.add_argument("-o", "--output", type=Path, default=OUTLINE, help="where to write it")
    args = parser.parse_args(argv)
    try:
        if not args.force and installed_integrity(args.output) == INTEGRITY:
            return 0
        with tempfile.TemporaryDirectory(prefix="cocoon-outline-") as tmp:
            tarball = args.tarball or npm_pack(Path(tmp))
            outline = sweden_feature(tarball)
        write_atomically(args.output, outline)
    except OutlineError as exc:
        print(f"sweden_outline.py: {exc}", file=sys.stderr)
        return 1
    size = args.output.stat().st_size // 1024
    print(f"Sweden's outline installed: {args.output} ({size} kB, {PACKAGE} {VERSION})")
    return 0


def installed_integrity(path: Path) -> str | None:
    """The source integrity recorded in an installed outline; None when absent or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return str(data["features"][0]["properties"]["source_integrity"])
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None


def npm_pack(folder: Path) -> Path:
    """The package's tarball, fetched by npm into `folder` (from npm's cache when it has it)."""
    npm = shutil.which("npm")
    if npm is None:
        raise OutlineError(
            "npm not found: install Node.js and npm (Debian: apt-get install npm), "
            "or pass --tarball with the package's .tgz"
        )
    done = subprocess.run(
        [npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(folder), "--silent"],
        capture_output=True,
        text=True,
        check=False,
    )
    tarballs = sorted(folder.glob("*.tgz"))
    if done.returncode != 0 or not tarballs:
        said = (done.stderr.strip().splitlines() or ["no tarball"])[-1]
        raise OutlineError(f"npm pack {PACKAGE}@{VERSION} failed: {said}")
    return tarballs[0]


def sweden_feature(tarball: Path) -> dict[str, Any]:
    """Sweden's feature from the checked tarball, with its source recorded in its properties."""
    try:
        raw = tarball.read_bytes()
    except OSError as exc:
        raise OutlineError(f"{tarball}: {exc.strerror}") from exc
    digest = "sha512-" + base64.b64encode(hashlib.sha512(raw).digest()).decode("ascii")
    if digest != INTEGRITY:
        raise OutlineError(f"{tarball}: not {PACKAGE} {VERSION} (its SHA-512 differs)")
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            member = tar.extractfile(MEMBER)
            world = json.loads(member.read() if member else b"{}")
    except (tarfile.TarError, KeyError, ValueError) as exc:
        raise OutlineError(f"{tarball}: cannot read {MEMBER}: {exc}") from exc
    found = [f for f in world.get("features", []) if f.get("properties", {}).get("A3") == COUNTRY]
    if len(found) != 1:
        raise OutlineError(f"{tarball}: {len(found)} features with A3 = {COUNTRY}, not one")
    geometry = found[0]["geometry"]
    check(geometry)
    properties = {
        "name": "Sverige",
        "iso_a3": COUNTRY,
        "what": "land and territorial waters",
        "source": f"npm {PACKAGE} {VERSION} (OpenStreetMap, 10 m accuracy)",
        "source_integrity": INTEGRITY,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "made_by": "scripts/sweden_outline.py",
    }
    feature = {"type": "Feature", "properties": properties, "geometry": geometry}
    return {"type": "FeatureCollection", "features": [feature]}


def check(geometry: dict[str, Any]) -> None:
    """A (multi)polygon inside Sweden's box, or OutlineError."""
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise OutlineError(f"Sweden's feature is a {kind}, not a polygon")
    polygons = [geometry["coordinates"]] if kind == "Polygon" else geometry["coordinates"]
    points = [p for polygon in polygons for ring in polygon for p in ring]
    min_lon, min_lat, max_lon, max_lat = EXPECTED_BOX
    outside = [p for p in points if not (min_lon <= p[0] <= max_lon and min_lat <= p[1] <= max_lat)]
    if not points or outside:
        raise OutlineError(f"Sweden's feature reaches {outside[:1]}, outside {EXPECTED_BOX}")


def write_atomically(path: Path, outline: dict[str, Any]) -> None:
    """The outline at `path`, or the file that was there before: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    text = json.dumps(outline, ensure_ascii=False, separators=(",", ":"))
    try:
        part.write_text(text + "\n", encoding="utf-8")
        os.replace(part, path)
    except OSError as exc:
        raise OutlineError(f"{path}: cannot write: {exc.strerror}") from exc


if __name__ == "__main__":
    sys.exit(main())
