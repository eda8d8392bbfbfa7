#!/usr/bin/env bash
# Install everything and run the checks: ruff, mypy, and pytest on SQLite and on a real
# PostgreSQL + PostGIS server that this script installs (Debian packages) and starts on loopback.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
cocoon_venv "dev,demo"

pgdir=""
cleanup() { [ -n "$pgdir" ] && { scripts/postgres.sh stop "$pgdir" || true; rm -rf "$pgdir"; }; }
trap cleanup EXIT
if [ -z "${COCOON_TEST_PG_URL:-}" ]; then
  pgdir=$(mktemp -d /tmp/cocoon-pg.XXXXXX)
  chmod 755 "$pgdir"
  echo "starting PostgreSQL + PostGIS for the database tests …" >&2
  COCOON_TEST_PG_URL=$(scripts/postgres.sh start "$pgdir")
  export COCOON_TEST_PG_URL
fi
export COCOON_REQUIRE_PG=1  # the PostgreSQL tests must run here, not be skipped

# Debian packages the tests need: install the missing ones (as root), updating the index once.
apt_updated=""
need_deb() {  # need_deb COMMAND|/FILE PACKAGE WHY: install PACKAGE unless COMMAND (or FILE) is there
  case "$1" in
    /*) [ -e "$1" ] && return 0 ;;
    *) command -v "$1" >/dev/null 2>&1 && return 0 ;;
  esac
  [ "$(id -u)" = 0 ] || { echo "test.sh: $1 missing and not root; install $2 first ($3)" >&2; exit 1; }
  echo "installing $2 ($3) …" >&2
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$apt_updated" ]; then
    apt-get update -qq >&2 || { echo "test.sh: apt-get update failed" >&2; exit 1; }
    apt_updated=1
  fi
  apt-get install -y -qq --no-install-recommends "$2" >&2 ||
    { echo "test.sh: apt-get install $2 failed" >&2; exit 1; }
}
need_deb pdftotext poppler-utils "the roster tests read the PDFs back with it"
need_deb chromium chromium "the offline HTML map is tested in a real headless browser"
need_deb /usr/share/fonts/truetype/noto/NotoSansEthiopic-Regular.ttf fonts-noto-core \
  "leaflets in Arabic, Persian and Tigrinya are set in Noto Sans"
need_deb ssconvert gnumeric "a CSV cell is opened in a real spreadsheet to show it stays text"
need_deb /usr/share/doc/python3-gdal/examples/validate_gpkg.py python3-gdal \
  "the GeoPackage exports are checked with GDAL's own validator"
export COCOON_REQUIRE_PDFTOTEXT=1  # the PDF tests must run here, not be skipped
export COCOON_REQUIRE_CHROMIUM=1  # and so must the browser test of the HTML map
export COCOON_REQUIRE_SPREADSHEET=1 COCOON_REQUIRE_GDAL_VALIDATOR=1  # and the CSV and GPKG checks

echo "ruff …" >&2
.venv/bin/ruff check cocoon tests scripts
.venv/bin/ruff format --check cocoon tests scripts
echo "mypy …" >&2
.venv/bin/mypy cocoon
echo "lint-imports (the layers, README \"Architecture\") …" >&2
.venv/bin/lint-imports --no-cache
echo "pytest …" >&2
.venv/bin/python -m pytest "$@"
