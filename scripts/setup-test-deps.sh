#!/usr/bin/env bash
# Installs what the test suite needs beyond Java and Maven, when the machine lacks it.
# Safe to run again; does nothing when everything is present.
set -euo pipefail
command -v node >/dev/null || { echo "setup: node is required (apt-get install nodejs)" >&2; exit 1; }
# npm: the HTML tests' harness below, and the npm package's test (NpmPackageIT packs and installs it offline)
command -v npm >/dev/null || { echo "setup: npm is required (apt-get install npm)" >&2; exit 1; }

# Headless Chromium for the HTML report tests (Debian's package at /usr/bin/chromium; the tests drive
# it with playwright-core, which downloads no browser of its own).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing chromium for the HTML report tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: /usr/bin/chromium is missing and we are not root: the HTML browser tests will be skipped (and fail under CI)" >&2
  fi
fi
# playwright-core, pinned by leakhound-report/src/test/js/package-lock.json (into its gitignored node_modules)
harness="$(cd "$(dirname "$0")/.." && pwd)/leakhound-report/src/test/js"
if [ ! -d "$harness/node_modules/playwright-core" ]; then
  (cd "$harness" && npm ci --no-audit --no-fund --loglevel=error)
fi
