# Shared helpers for the project scripts: progress lines and a pinned pnpm that needs no root.
# Sourced, not run.

PIPECTL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PNPM_VERSION="10.34.8"
PNPM_DIR="$PIPECTL_ROOT/.tools/pnpm"
# The project's own pnpm, called by this path: a new user's machine has no pnpm on its PATH.
PNPM="$PNPM_DIR/node_modules/.bin/pnpm"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
note() { printf '    %s\n' "$*"; }

# Node 20.6+ is the one prerequisite pipectl cannot install for you.
require_node() {
  if ! command -v node >/dev/null 2>&1; then
    echo "pipectl needs Node.js 20.6 or newer: install it from your package manager, then re-run." >&2
    exit 2
  fi
  local major minor
  major=$(node -p 'process.versions.node.split(".")[0]')
  minor=$(node -p 'process.versions.node.split(".")[1]')
  if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 6 ]; }; then
    echo "pipectl needs Node.js 20.6 or newer (found $(node --version))." >&2
    exit 2
  fi
}

# pnpm, pinned, installed into .tools/pnpm with npm (no global install, no root needed), and put
# first on this shell's PATH, because nx runs package scripts through `pnpm run`. Scripts call it
# as "$PNPM"; a script that runs pnpm must source this file and call ensure_pnpm itself (what a
# child process puts on its PATH does not reach its parent).
ensure_pnpm() {
  if [ ! -x "$PNPM" ] || [ "$("$PNPM" --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
    step "Installing pnpm $PNPM_VERSION into .tools/pnpm"
    mkdir -p "$PNPM_DIR"
    npm install --no-audit --no-fund --loglevel=error --prefix "$PNPM_DIR" "pnpm@$PNPM_VERSION" >/dev/null
  fi
  export PATH="$PNPM_DIR/node_modules/.bin:$PATH"
}

# Workspace dependencies, exactly as the lockfile pins them.
install_dependencies() {
  step "Installing dependencies (pnpm install --frozen-lockfile)"
  (cd "$PIPECTL_ROOT" && "$PNPM" install --frozen-lockfile --reporter=append-only 2>&1 | grep -vE '^(Progress|\.\.\./)' | tail -n 5)
}

# The packages compiled to JavaScript (tsc -b into each package's dist/), which the pipectl
# executable runs. nx builds in dependency order and skips packages whose sources did not change.
build_packages() {
  step "Building the packages (tsc -b through nx; unchanged ones come from its cache)"
  local log status=0
  log="$(mktemp)"
  (cd "$PIPECTL_ROOT" && "$PNPM" exec nx run-many -t build --outputStyle=static) >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then cat "$log" >&2; else grep -E 'Successfully ran|Nx read the output' "$log" | sed 's/^ *//;s/^/    /' || true; fi
  rm -f "$log"
  return "$status"
}

ensure_temporal() {
  step "Temporal dev server (built from its Go module into .tools/bin)"
  bash "$PIPECTL_ROOT/scripts/install-temporal.sh"
}

# DuckDB's signed ducklake/postgres_scanner/httpfs builds (PyPI wheels) into .tools/duckdb/extensions:
# the only folder the engine's DuckDB loads extensions from; it never downloads any itself.
ensure_duckdb_extensions() {
  step "DuckDB extensions (signed PyPI builds into .tools/duckdb/extensions)"
  bash "$PIPECTL_ROOT/scripts/install-duckdb-extensions.sh"
}

# PostgreSQL from Debian's packages: the realistic source system for extraction tests and examples.
# Tests start their own throwaway servers on loopback; this only makes sure the binaries exist.
ensure_postgres() {
  step "PostgreSQL server binaries (Debian's postgresql package)"
  bash "$PIPECTL_ROOT/scripts/install-postgres.sh"
}

# Debian's Chromium, driven by playwright-core in the browser end-to-end test (apps/e2e).
ensure_chromium() {
  step "Chromium for the browser test (Debian's chromium package)"
  bash "$PIPECTL_ROOT/scripts/install-chromium.sh"
}

# The Python peers that judge pipectl's interop in the tests (datacontract-cli, the ODCS pydantic
# model, dbt-duckdb), pinned, into .tools/python. Without Python 3.11+ (or PyPI) the judged tests
# skip, saying why; with PIPECTL_REQUIRE_PYTHON_TOOLS set (CI) that is an error instead.
ensure_python_tools() {
  step "Python tools that judge ODCS and dbt interop (.tools/python, from PyPI)"
  if bash "$PIPECTL_ROOT/scripts/install-python-tools.sh"; then return 0; fi
  if [ -n "${PIPECTL_REQUIRE_PYTHON_TOOLS:-}" ]; then
    echo "PIPECTL_REQUIRE_PYTHON_TOOLS is set: the tests judged by datacontract-cli and dbt must run" >&2
    exit 1
  fi
  note "not installed: the tests judged by datacontract-cli and dbt will skip (see above)"
}

# A local Temporal dev server with its web UI and a worker (`pipectl dev`), started in the
# background unless something already answers on 127.0.0.1:7233. Logs to .pipectl/dev.log.
ensure_dev_server() {
  step "Local Temporal dev server and worker (pipectl dev)"
  cd "$PIPECTL_ROOT"
  mkdir -p .pipectl
  if (exec 3<>/dev/tcp/127.0.0.1/7233) 2>/dev/null; then
    note "a Temporal server already answers on 127.0.0.1:7233: using it"
  else
    nohup node "$PIPECTL_ROOT/apps/pipectl/bin/pipectl.mjs" dev >.pipectl/dev.log 2>&1 &
    echo $! >.pipectl/dev.pid
    note "started in the background (pid $(cat .pipectl/dev.pid), log .pipectl/dev.log); waiting for it..."
    # Up to 5 minutes: the server and worker start in seconds, but a busy machine can be slow.
    for _ in $(seq 1 300); do
      grep -q '^ready' .pipectl/dev.log 2>/dev/null && break
      if ! kill -0 "$(cat .pipectl/dev.pid)" 2>/dev/null; then
        echo "pipectl dev stopped; its log:" >&2
        cat .pipectl/dev.log >&2
        exit 1
      fi
      sleep 1
    done
    grep -q '^ready' .pipectl/dev.log || { echo "pipectl dev did not get ready in 300 s; see .pipectl/dev.log" >&2; exit 1; }
  fi
}
