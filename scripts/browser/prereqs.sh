#!/usr/bin/env bash
# Makes sure a headless browser is there for DemoDashboardIT, which opens Parse Dashboard (the live
# demo's) in Debian's `chromium`. Installs the Debian package when it is missing and this runs as
# root; otherwise says so and goes on (the test is then skipped, saying why).
# Usage: scripts/browser/prereqs.sh   (idempotent; instant when chromium is there)
set -euo pipefail

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "browser: chromium is missing and this is not root: DemoDashboardIT will be skipped" \
      "(install it with: apt-get install -y chromium)" >&2
    exit 0
  fi
  echo "browser: installing chromium (Debian package chromium)" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }; then
    echo "browser: apt-get install chromium failed: DemoDashboardIT will be skipped" >&2
    exit 0
  fi
fi
echo "browser: ok ($(chromium --version 2>/dev/null | head -1))"
