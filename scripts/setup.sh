#!/usr/bin/env bash
# Installs everything pipectl needs from the project's own files: pnpm, the workspace
# dependencies (then builds the packages), the Temporal dev server, DuckDB's signed extensions and PostgreSQL's server binaries. Safe to run again: it skips what exists.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_node
ensure_pnpm
install_dependencies
build_packages
ensure_temporal
ensure_duckdb_extensions
ensure_postgres
