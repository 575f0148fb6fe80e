#!/usr/bin/env bash
# The approval path, guided: publish the shop pipelines, apply the breaking contract change shipped
# in examples/breaking-change/ (mart.fct_order_items.quantity narrowed from integer to smallint,
# which mart.daily_revenue reads), run again, and leave the run waiting for your decision in the
# web UI. Usage: npm run demo   (undo the change afterwards with the command it prints)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

patch="examples/breaking-change/narrow-quantity.patch"
bash "$PIPECTL_ROOT/scripts/setup.sh"
cd "$PIPECTL_ROOT"
pipectl() { node "$PIPECTL_ROOT/apps/pipectl/bin/pipectl.mjs" "$@"; }

ensure_dev_server

step "Publishing version 1 of every dataset (the runs of today, if not done yet)"
pipectl run shop_staging --wait >/dev/null
pipectl run shop_marts --wait >/dev/null
note "shop_staging and shop_marts are published"

step "Applying the breaking change shipped in $patch"
if git apply --reverse --check "$patch" 2>/dev/null; then
  note "already applied"
else
  git apply "$patch"
  note "applied to contracts/mart/fct_order_items.contract.yaml and pipelines/shop_marts.pipeline.yaml"
fi
pipectl diff <(git show HEAD:contracts/mart/fct_order_items.contract.yaml) contracts/mart/fct_order_items.contract.yaml || true

step "Running shop_marts again: it stops before publishing the breaking change"
started=$(pipectl run shop_marts --rerun)
echo "$started"
run_id=$(printf '%s\n' "$started" | grep -oE 'pipectl-shop-shop_marts-[0-9]{4}-[0-9]{2}-[0-9]{2}(-r[0-9]+)?' | head -n 1)
note "waiting for $run_id to stop at the approval gate..."
for _ in $(seq 1 300); do
  pipectl runs --awaiting-approval | grep -q "$run_id" && break
  sleep 1
done
pipectl runs --awaiting-approval | grep -q "$run_id" ||
  note "$run_id is not waiting for approval after 5 minutes: see pipectl status below and .pipectl/dev.log"
pipectl status "$run_id"

step "Your turn: decide"
note "In the web UI: http://localhost:8233/namespaces/default/workflows/$run_id"
note "  (list every waiting run with the query: AwaitingApproval = true)"
note "  Send a Signal -> approve -> {\"by\": \"alice\", \"comment\": \"daily_revenue checked\"}"
note "Or here:  npx pipectl approve $run_id --as alice --comment \"daily_revenue checked\""
note "     or:  npx pipectl reject  $run_id --as alice --comment \"keep integer\""
note "Undo the change afterwards:  git apply -R $patch"
