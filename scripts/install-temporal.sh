#!/usr/bin/env bash
# Builds the Temporal dev server (CLI + server + web UI) from its Go module into .tools/bin.
# No prebuilt binary is downloaded: the Go toolchain compiles it from the module proxy.
# Skipped when the binary is already there. v1.5.1 is pinned: later tags carry a `replace`
# directive that `go install` refuses.
set -euo pipefail

version="v1.5.1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="$root/.tools/bin"
bin="$bin_dir/temporal"

if [ -x "$bin" ]; then
  echo "temporal: already built at ${bin#"$root"/} ($("$bin" --version 2>/dev/null | head -n 1))"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "temporal: the Go toolchain is needed to build the Temporal dev server (install Go 1.23+, then re-run)." >&2
  exit 2
fi

mkdir -p "$bin_dir"
echo "temporal: building github.com/temporalio/cli/cmd/temporal@$version with $(go version | cut -d' ' -f3)"
echo "temporal: the first build fetches modules and compiles the server and web UI; it takes a few minutes on 2 cores..."
start=$(date +%s)
GOBIN="$bin_dir" GOFLAGS="-mod=mod" CGO_ENABLED=0 go install "github.com/temporalio/cli/cmd/temporal@$version"
echo "temporal: built ${bin#"$root"/} in $(( $(date +%s) - start ))s"
