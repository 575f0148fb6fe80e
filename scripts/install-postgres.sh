#!/usr/bin/env bash
# Installs the PostgreSQL server from Debian's packages (apt-get install postgresql), for the
# engine's extraction tests and the examples: they start throwaway servers with initdb and
# pg_ctl. Skipped when those are already there: in PIPECTL_PG_BIN, or where Debian's package puts
# them (/usr/lib/postgresql/<n>/bin), which is where the tests look; the PATH is not consulted.
# Runs apt-get as root (CI), or through sudo for a developer.
set -euo pipefail

find_bin_dir() {
  if [ -n "${PIPECTL_PG_BIN:-}" ] && [ -x "$PIPECTL_PG_BIN/initdb" ] && [ -x "$PIPECTL_PG_BIN/pg_ctl" ]; then
    echo "$PIPECTL_PG_BIN"
    return 0
  fi
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if dir=$(find_bin_dir); then
  echo "postgresql: already installed ($("$dir/pg_ctl" --version), in $dir)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "postgresql: initdb and pg_ctl not found in /usr/lib/postgresql/<n>/bin, and this is not a Debian-like system (no apt-get)." >&2
  echo "postgresql: install the PostgreSQL server with your package manager, or set PIPECTL_PG_BIN to its bin folder." >&2
  exit 2
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "postgresql: installing needs root: run this script as root, or install sudo." >&2
    exit 2
  fi
fi

echo "postgresql: initdb and pg_ctl not found; installing Debian's postgresql package"
echo "postgresql: ${as_root[*]:+${as_root[*]} }apt-get update"
"${as_root[@]}" apt-get update -qq
echo "postgresql: ${as_root[*]:+${as_root[*]} }apt-get install -y --no-install-recommends postgresql"
# The package's own cluster is not needed (tests start their own servers), but is harmless.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null

if dir=$(find_bin_dir); then
  echo "postgresql: installed $("$dir/pg_ctl" --version) in $dir"
else
  echo "postgresql: the package installed, but initdb and pg_ctl are still not found" >&2
  exit 1
fi
