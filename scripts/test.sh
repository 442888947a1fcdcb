#!/usr/bin/env bash
# Runs every test: unit tests, jqwik properties and the integration tests against real services
# (Anvil from npm, Parse Server from npm on PostgreSQL). Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm packages pinned in package-lock.json: @foundry-rs/anvil, solc, parse-server, parse-dashboard
if [ ! -x node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ] || [ ! -d node_modules/parse-server ] \
    || [ ! -d node_modules/parse-dashboard ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# PostgreSQL binaries and Parse Server for the Parse integration tests (the tests start private instances)
scripts/parse/prereqs.sh

# Debian's chromium, the headless browser DemoDashboardIT opens Parse Dashboard in (installed like PostgreSQL)
scripts/browser/prereqs.sh

# the compiled contract artifacts must match their sources
node contracts/compile.mjs --check

mvn -B verify "$@"
