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

ensure_dev_server

step "Running shop_staging, then shop_marts, as durable Temporal workflows"
pipectl run shop_staging --wait
pipectl run shop_marts --wait

step "Done"
note "Web UI:      http://localhost:8233/namespaces/default/workflows"
note "Warehouse:   .pipectl/warehouse.duckdb (published datasets and _pipectl.published_versions)"
note "Runs:        pipectl runs   |   pipectl status <run id>"
note "Try a breaking change and approve it: docs/running.md"
note "Stop the dev server: kill \$(cat .pipectl/dev.pid)"
