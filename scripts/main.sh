#!/usr/bin/env bash
# The main job on the embedded defaults: set up, validate the default project, show its lineage
# and run its pipelines on DuckDB. Usage: npm start
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "$PIPECTL_ROOT/scripts/setup.sh"
cd "$PIPECTL_ROOT"
pipectl() { node "$PIPECTL_ROOT/apps/pipectl/bin/pipectl.mjs" "$@"; }

step "Validating the default project (contracts/, pipelines/)"
pipectl validate

step "Column-level lineage of mart.daily_revenue"
pipectl lineage mart.daily_revenue --upstream

step "Running the shop pipelines on a scratch DuckDB file (extract, build, quality gates)"
pipectl test shop_marts

step "Done"
note "Next: pipectl --help, docs/authoring.md, and examples/ (pipectl validate examples/task-analytics)."
