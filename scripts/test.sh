#!/usr/bin/env bash
# The whole test suite, as CI runs it: set-up (idempotent), then lint, typecheck and tests of
# every package through nx, then one closing line with the totals. Usage: npm test
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "$PIPECTL_ROOT/scripts/setup.sh"
ensure_pnpm # in this shell too: nx runs each package's scripts with `pnpm run`
ensure_chromium
ensure_python_tools
cd "$PIPECTL_ROOT"
step "Lint, typecheck and test every package (nx run-many)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
"$PNPM" exec nx run-many -t lint typecheck test --parallel=2 --outputStyle=stream --skipNxCache="${CI:-false}" 2>&1 | tee "$log" || status=$?

# Totals across the packages' vitest summaries ("Tests  12 passed | 1 failed (13)").
summary=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^\S*\s*Tests\s+[0-9]' || true)
count() { printf '%s\n' "$summary" | { grep -oE "[0-9]+ $1" || true; } | awk '{s+=$1} END {print s+0}'; }
passed=$(count passed)
failed=$(count failed)
skipped=$(count skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  note "a lint or typecheck task failed (see above)"
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
