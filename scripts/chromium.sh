#!/usr/bin/env bash
# Makes sure a Chromium is installed for the report's browser test
# (test/reports/report-html.e2e.test.ts opens report.html in it through playwright-core).
# Installs Debian's chromium package when it is missing (needs root and the Debian archive;
# playwright's own browser download needs the internet, which CI here does not have). A chromium
# already installed, or one named by CHROMIUM_PATH, is kept. Prints CHROMIUM_PATH=… as its last line.
set -euo pipefail
find_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then echo "$CHROMIUM_PATH"; return 0; fi
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null || return 1
}
if path="$(find_chromium)"; then
  echo "scripts/chromium.sh: chromium already installed ($path)"
  echo "CHROMIUM_PATH=$path"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/chromium.sh: chromium is missing and installing it needs root: apt-get install -y chromium" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
path="$(find_chromium)" || { echo "scripts/chromium.sh: apt-get installed chromium but no executable was found" >&2; exit 1; }
echo "scripts/chromium.sh: installed $("$path" --version 2>/dev/null | head -n 1)"
echo "CHROMIUM_PATH=$path"
