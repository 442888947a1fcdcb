#!/usr/bin/env bash
# Makes sure the Parse sink's integration tests can start their own PostgreSQL and Parse Server:
#  - PostgreSQL server binaries under /usr/lib/postgresql/*/bin (Debian package `postgresql`);
#  - node_modules/parse-server at the repository root (`npm ci`, with router pinned to 2.2.0).
# The tests (ParseServerExtension) then start both on free loopback ports by themselves; nothing
# needs to be running beforehand. Usage: scripts/parse/prereqs.sh   (idempotent; ~1 s when done)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "prereqs: installing PostgreSQL (Debian package postgresql)" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "prereqs: PostgreSQL is missing; run as root: apt-get install -y postgresql" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  echo "prereqs: no 'postgres' user; PostgreSQL refuses to run as root (reinstall the postgresql package)" >&2
  exit 1
fi

command -v node >/dev/null || { echo "prereqs: node (Node.js 20) is not on the PATH" >&2; exit 1; }

if [ ! -f "$root/node_modules/parse-server/bin/parse-server" ] \
   || [ "$(node -p "require('$root/node_modules/router/package.json').version" 2>/dev/null)" != "2.2.0" ]; then
  echo "prereqs: npm ci in $root" >&2
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
fi

pv="$(node -p "require('$root/node_modules/parse-server/package.json').version")"
echo "prereqs: ok (PostgreSQL $(ls -d /usr/lib/postgresql/*/ | xargs -n1 basename | sort -n | tail -1), parse-server $pv)"
