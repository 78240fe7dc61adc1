#!/usr/bin/env bash
# Set up everything the tool needs on a Debian/Ubuntu machine: system packages (when missing),
# the Python virtual environment, the web map's npm packages. Safe to run again: it only does
# what is missing. Usage: scripts/setup.sh [--test]   (--test adds Chromium for browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
[ "${1:-}" = "--test" ] && want_browser=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# -- system packages -----------------------------------------------------------------------
missing=()
pg_ok=0
for bindir in /usr/lib/postgresql/*/bin; do
  [ -x "$bindir/initdb" ] || continue
  ver=$(basename "$(dirname "$bindir")")
  [ -f "/usr/share/postgresql/$ver/extension/postgis.control" ] && pg_ok=1
done
if [ -z "${SIA_DATABASE_URL:-}" ] && [ "$pg_ok" = 0 ]; then
  missing+=(postgresql-15 postgresql-15-postgis-3)
fi
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
# Chromium prints the DIA dossier's PDF (make demo) and drives the browser tests (make test)
if [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi

if [ ${#missing[@]} -gt 0 ]; then
  say "Installing system packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Please install these Debian packages first (as root): apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# -- Python environment ----------------------------------------------------------------------
if [ ! -x .venv/bin/python ]; then
  say "Creating the Python virtual environment (.venv)"
  python3 -m venv .venv
fi
stamp=.venv/.sia-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  say "Installing Python packages (a few minutes the first time)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  touch "$stamp"
fi

# -- web map packages (npm registry; never a CDN at run time) ---------------------------------
if [ ! -d webmap/node_modules/leaflet ] || [ webmap/package-lock.json -nt webmap/node_modules/.package-lock.json ]; then
  say "Installing the web map's npm packages"
  (cd webmap && npm ci --no-audit --no-fund --loglevel=error)
fi
say "Set-up complete"
