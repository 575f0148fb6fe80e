#!/usr/bin/env bash
# Installs Debian's Chromium for the browser end-to-end test (apps/e2e), which drives it with
# playwright-core. No browser is downloaded by a test tool: only Debian's package is used.
# Skipped when a Chromium is already there: PIPECTL_CHROMIUM, or Debian's package at /usr/bin/chromium
# (where the test looks; a chromium elsewhere on the PATH is not what the project installed).
set -euo pipefail

if [ -n "${PIPECTL_CHROMIUM:-}" ] && [ -x "${PIPECTL_CHROMIUM}" ]; then
  echo "chromium: using PIPECTL_CHROMIUM=${PIPECTL_CHROMIUM}"
  exit 0
fi
debian_chromium=/usr/bin/chromium
if [ -x "$debian_chromium" ]; then
  echo "chromium: already installed ($("$debian_chromium" --version 2>/dev/null | head -n 1))"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: not found, and this is not a Debian-like system; install Chromium and set PIPECTL_CHROMIUM to it." >&2
  exit 2
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then as_root=(sudo); else
    echo "chromium: installing needs root: run this script as root, or install sudo." >&2
    exit 2
  fi
fi
echo "chromium: installing Debian's chromium package (apt-get), for the browser test; about a minute"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
if [ ! -x "$debian_chromium" ]; then
  echo "chromium: the package installed, but $debian_chromium is still missing" >&2
  exit 1
fi
echo "chromium: installed ($("$debian_chromium" --version 2>/dev/null | head -n 1))"
