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

# The roster tests read the PDFs back with pdftotext (Debian package poppler-utils).
if ! command -v pdftotext >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "test.sh: pdftotext missing and not root; install poppler-utils first" >&2; exit 1; }
  echo "installing poppler-utils (pdftotext) …" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || { echo "test.sh: apt-get update failed" >&2; exit 1; }
  apt-get install -y -qq --no-install-recommends poppler-utils >&2 ||
    { echo "test.sh: apt-get install poppler-utils failed" >&2; exit 1; }
fi
export COCOON_REQUIRE_PDFTOTEXT=1  # the PDF tests must run here, not be skipped

echo "ruff …" >&2
.venv/bin/ruff check cocoon tests scripts
.venv/bin/ruff format --check cocoon tests scripts
echo "mypy …" >&2
.venv/bin/mypy cocoon
echo "pytest …" >&2
.venv/bin/python -m pytest "$@"
