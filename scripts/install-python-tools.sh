#!/usr/bin/env bash
# Installs the Python tools the benchmarks compare pipectl with (dbt-duckdb, datacontract-cli) and
# the judges later tests use (open-data-contract-standard, openlineage-python), exactly as pinned in
# scripts/python-tools.requirements.txt, into a git-ignored virtual environment, .tools/python
# (PIPECTL_PYTHON_TOOLS puts it elsewhere). Call its programs by path, e.g. .tools/python/bin/dbt.
#
# Not part of `npm start`; `npm test` runs it (scripts/lib.sh ensure_python_tools: the interop
# tests are judged by these peers), and so does bench/peers. About a hundred packages, 1-2 minutes
# the first time.
# Skips when the environment was built from the same requirements file and Python (a hash stamp,
# written last, only once every tool answers); otherwise builds it afresh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQUIREMENTS="$ROOT/scripts/python-tools.requirements.txt"
VENV="${PIPECTL_PYTHON_TOOLS:-$ROOT/.tools/python}"
STAMP="$VENV/.requirements.sha256"
PYTHON="${PYTHON:-python3}"

fail() {
  echo "python tools: $1" >&2
  [ -n "${2:-}" ] && echo "python tools: fix: $2" >&2
  exit "${3:-1}"
}

command -v "$PYTHON" >/dev/null 2>&1 ||
  fail "no $PYTHON on PATH." "install Python 3.11 or newer (or set PYTHON=/path/to/python3), then re-run: bash scripts/install-python-tools.sh" 2
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' ||
  fail "$("$PYTHON" --version 2>&1) is too old: the pinned numpy and pandas need Python 3.11 or newer." \
    "install Python 3.11+ and re-run with PYTHON=/path/to/python3.11 bash scripts/install-python-tools.sh" 2

want="$({ sha256sum "$REQUIREMENTS" | cut -d' ' -f1; "$PYTHON" --version 2>&1; } | sha256sum | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -x "$VENV/bin/dbt" ] && [ -x "$VENV/bin/datacontract" ]; then
  echo "python tools: up to date in $VENV"
  exit 0
fi

log="$VENV.install.log"
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
echo "python tools: creating a virtual environment in $VENV"
"$PYTHON" -m venv "$VENV" >"$log" 2>&1 ||
  { cat "$log" >&2; fail "'$PYTHON -m venv' failed (see above)." "on Debian/Ubuntu install python3-venv (apt-get install python3-venv), then re-run." 2; }

started=$SECONDS
echo "python tools: installing $(grep -cE '^[A-Za-z]' "$REQUIREMENTS") pinned packages from PyPI (1-2 minutes)"
if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -r "$REQUIREMENTS" >>"$log" 2>&1; then
  tail -n 30 "$log" >&2
  fail "pip could not install $REQUIREMENTS (last lines above, whole log in $log): no route to PyPI, a proxy (set PIP_INDEX_URL / HTTPS_PROXY), or no wheel for this platform or Python." \
    "fix the cause above, then re-run: bash scripts/install-python-tools.sh"
fi

# Every tool must answer, on the shared engine version, before the environment is used.
"$VENV/bin/python" -m pip check >>"$log" 2>&1 || { tail -n 20 "$log" >&2; fail "pip check found conflicting requirements (above)." "correct the pins in $REQUIREMENTS"; }
duckdb_version="$("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)')"
[ "$duckdb_version" = "1.4.4" ] || { fail "the environment has duckdb $duckdb_version, expected 1.4.4 (the engine pipectl uses)." "pin duckdb==1.4.4 in $REQUIREMENTS"; }
"$VENV/bin/dbt" --version >>"$log" 2>&1 || { tail -n 20 "$log" >&2; fail "dbt does not start (above)."; }
"$VENV/bin/datacontract" --version >>"$log" 2>&1 || { tail -n 20 "$log" >&2; fail "datacontract does not start (above)."; }

echo "$want" >"$STAMP"
echo "python tools: installed in $VENV in $((SECONDS - started)) s (dbt-duckdb, datacontract-cli, duckdb $duckdb_version)"
