#!/usr/bin/env bash
# The whole test suite, as CI runs it: set-up (idempotent), then lint, typecheck and tests of
# every package through nx. Usage: npm test
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "$PIPECTL_ROOT/scripts/setup.sh"
cd "$PIPECTL_ROOT"
step "Lint, typecheck and test every package (nx run-many)"
pnpm exec nx run-many -t lint typecheck test --parallel=2 --outputStyle=stream --skipNxCache="${CI:-false}"
