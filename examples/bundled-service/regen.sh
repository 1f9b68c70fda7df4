#!/bin/sh
# Rebuilds dist/service.min.js and its source map (both committed) from src/ with esbuild: one minified
# bundle for node. Needs node and npm; esbuild is installed into a temporary directory.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
npm install --prefix "$tools" --no-audit --no-fund --silent esbuild@0.28.2 >/dev/null
mkdir -p "$here/dist"
cd "$here"
"$tools/node_modules/.bin/esbuild" src/main.js --bundle --minify --platform=node --target=node18 \
  --sourcemap --sources-content=true --outfile=dist/service.min.js --log-level=warning
echo "regenerated $here/dist"
