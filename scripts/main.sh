#!/usr/bin/env bash
# The main job on the embedded defaults: set up, validate the default project, then run its
# pipelines durably on a local Temporal dev server with a DuckDB warehouse file, and say where to
# look. Safe to run again: it reuses a running dev server and reports runs that already ran.
# Usage: npm start
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "$PIPECTL_ROOT/scripts/setup.sh"
cd "$PIPECTL_ROOT"
pipectl() { node "$PIPECTL_ROOT/apps/pipectl/bin/pipectl.mjs" "$@"; }

step "Validating the default project (contracts/, pipelines/)"
pipectl validate

step "Column-level lineage of mart.daily_revenue"
pipectl lineage mart.daily_revenue --upstream

step "Local Temporal dev server and worker (pipectl dev)"
mkdir -p .pipectl
if (exec 3<>/dev/tcp/127.0.0.1/7233) 2>/dev/null; then
  note "a Temporal server already answers on 127.0.0.1:7233: using it"
else
  nohup node "$PIPECTL_ROOT/apps/pipectl/bin/pipectl.mjs" dev >.pipectl/dev.log 2>&1 &
  echo $! >.pipectl/dev.pid
  note "started in the background (pid $(cat .pipectl/dev.pid), log .pipectl/dev.log); waiting for it..."
  for _ in $(seq 1 60); do
    grep -q '^ready' .pipectl/dev.log 2>/dev/null && break
    if ! kill -0 "$(cat .pipectl/dev.pid)" 2>/dev/null; then
      echo "pipectl dev stopped; its log:" >&2
      cat .pipectl/dev.log >&2
      exit 1
    fi
    sleep 1
  done
  grep -q '^ready' .pipectl/dev.log || { echo "pipectl dev did not get ready in 60 s; see .pipectl/dev.log" >&2; exit 1; }
fi

step "Running shop_staging, then shop_marts, as durable Temporal workflows"
pipectl run shop_staging --wait
pipectl run shop_marts --wait

step "Done"
note "Web UI:      http://localhost:8233/namespaces/default/workflows"
note "Warehouse:   .pipectl/warehouse.duckdb (published datasets and _pipectl.published_versions)"
note "Runs:        pipectl runs   |   pipectl status <run id>"
note "Try a breaking change and approve it: docs/running.md"
note "Stop the dev server: kill \$(cat .pipectl/dev.pid)"
