#!/usr/bin/env bash
# Installs the DuckDB extensions pipectl may LOAD (ducklake, postgres_scanner, httpfs) from
# DuckDB's own signed builds on PyPI (the duckdb-ext-<name> wheels) into the project's tools
# folder, .tools/duckdb/extensions/<duckdb version>/<platform>/<name>.duckdb_extension: the only
# place the engine's DuckDB loads extensions from (it never downloads any itself). Skips what is
# already there. PIPECTL_DUCKDB_EXTENSIONS puts them elsewhere (the engine reads the same variable).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DUCKDB_VERSION="v1.4.4"
WHEEL_VERSION="1.4.4.20260205"
# wheel name -> extension file name
WHEELS=(ducklake:ducklake postgres:postgres_scanner httpfs:httpfs)
TARGET="${PIPECTL_DUCKDB_EXTENSIONS:-$ROOT/.tools/duckdb/extensions}"

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) PLATFORM=linux_amd64 ;;
  Linux/aarch64) PLATFORM=linux_arm64 ;;
  Darwin/arm64) PLATFORM=osx_arm64 ;;
  Darwin/x86_64) PLATFORM=osx_amd64 ;;
  *)
    echo "duckdb extensions: no signed build is known for $(uname -s)/$(uname -m)." >&2
    exit 2
    ;;
esac
DEST="$TARGET/$DUCKDB_VERSION/$PLATFORM"

missing=()
for pair in "${WHEELS[@]}"; do
  [ -f "$DEST/${pair#*:}.duckdb_extension" ] || missing+=("$pair")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "duckdb extensions: already installed in $DEST"
  exit 0
fi

if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
  echo "duckdb extensions: python3 with pip is needed to fetch DuckDB's signed extension wheels from PyPI." >&2
  echo "duckdb extensions: install python3-pip with your package manager, then re-run: bash scripts/install-duckdb-extensions.sh" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$DEST"
for pair in "${missing[@]}"; do
  wheel="duckdb-ext-${pair%%:*}"
  file="${pair#*:}.duckdb_extension"
  echo "duckdb extensions: downloading $wheel==$WHEEL_VERSION"
  if ! python3 -m pip download --quiet --no-deps --disable-pip-version-check --dest "$work/$wheel" "$wheel==$WHEEL_VERSION" >"$work/pip.log" 2>&1; then
    cat "$work/pip.log" >&2
    echo "duckdb extensions: pip could not download $wheel==$WHEEL_VERSION (no network, a proxy, or no build for this platform; see pip's output above)." >&2
    exit 1
  fi
  python3 - "$work/$wheel" "$file" "$DEST" <<'PY'
import pathlib, shutil, sys, zipfile
folder, name, dest = pathlib.Path(sys.argv[1]), sys.argv[2], pathlib.Path(sys.argv[3])
wheels = list(folder.glob("*.whl"))
if not wheels:
    sys.exit(f"duckdb extensions: pip left no wheel in {folder}")
with zipfile.ZipFile(wheels[0]) as archive:
    found = [entry for entry in archive.namelist() if entry.endswith("/" + name)]
    if not found:
        sys.exit(f"duckdb extensions: {wheels[0].name} holds no {name}")
    with archive.open(found[0]) as source, open(dest / name, "wb") as target:
        shutil.copyfileobj(source, target)
PY
  echo "duckdb extensions: installed $DEST/$file"
done
