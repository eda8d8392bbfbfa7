# Sourced by demo.sh and test.sh: make ./.venv, install cocoon into it with the given extras, and
# install Sweden's outline, the default service area (scripts/sweden_outline.py: npm fetches its
# source package once; nothing is fetched when cocoon runs).
# Usage: cocoon_venv EXTRAS   (e.g. "demo" or "dev,demo")
cocoon_venv() {
  local extras=$1
  local py=${PYTHON:-python3}
  if [ ! -x .venv/bin/python ]; then
    echo "creating .venv with $($py --version)" >&2
    "$py" -m venv .venv
  fi
  echo "installing cocoon[$extras] and its dependencies into .venv …" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip 2>/dev/null || true
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[$extras]"
  .venv/bin/python scripts/sweden_outline.py
}
