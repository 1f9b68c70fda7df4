#!/bin/sh
# Rebuilds dist/ (the compiled JavaScript and its source maps, both committed) from src/ with tsc.
# Needs node and npm; TypeScript is installed into a temporary directory, not into the repository.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
npm install --prefix "$tools" --no-audit --no-fund --silent typescript@5.9.3 @types/node@20 >/dev/null
rm -rf "$here/dist"
"$tools/node_modules/.bin/tsc" -p "$here/tsconfig.json" --typeRoots "$tools/node_modules/@types" --types node
echo "regenerated $here/dist"
