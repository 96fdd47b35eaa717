#!/usr/bin/env bash
# Runs dashboard.test.mjs: installs the pinned playwright-core (npm ci, no install scripts) when
# it is missing, then drives Debian's Chromium against the given aspm-store.
# Usage: run.sh <aspm-store binary> <output directory for the screenshot>
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ ! -x /usr/bin/chromium && -z ${CHROMIUM:-} ]]; then
  echo "run.sh: Chromium not found: apt-get install chromium (or set CHROMIUM)" >&2
  exit 1
fi
command -v node >/dev/null || { echo "run.sh: node not found: apt-get install nodejs npm" >&2; exit 1; }
if [[ ! -f $here/node_modules/playwright-core/package.json ]]; then
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
exec node "$here/dashboard.test.mjs" "$@"
