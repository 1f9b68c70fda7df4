#!/usr/bin/env bash
# Installs what the test suite needs beyond Java and Maven, when the machine lacks it.
# Safe to run again; does nothing when everything is present.
set -euo pipefail
command -v node >/dev/null || { echo "setup: node is required (apt-get install nodejs)" >&2; exit 1; }
