#!/usr/bin/env bash
# Installs memlab (the comparison tool) into bench/memlab/ (gitignored scratch), from the npm registry.
#   bench/memlab-install.sh [VERSION]      default 2.0.5, the version the benchmarks in RESULTS.md used
# PUPPETEER_SKIP_DOWNLOAD=1: memlab's browser-driving part is not used here (only its snapshot
# analysis), and no browser can be downloaded on these machines. npm may report that it skipped the
# packages' install scripts (memlab/@memlab/cli preinstall, puppeteer postinstall, sleep's node-gyp
# build); none of them is needed to analyze snapshot files.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSION="${1:-2.0.5}"
DIR="$BENCH/memlab"
mkdir -p "$DIR"
cd "$DIR"
[ -f package.json ] || echo '{"name":"leakhound-bench-memlab","private":true}' > package.json
PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error "memlab@$VERSION"
node -e 'for (const p of ["memlab","@memlab/core","@memlab/heap-analysis"]) console.log(p, require(p + "/package.json").version)'
