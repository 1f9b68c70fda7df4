#!/usr/bin/env bash
# Makes the npm package `leakhound` (packaging/npm/ + the runnable jar + the examples `demo` runs) as a
# tarball, offline. Build the jar first (mvn -B package, or ./leakhound --help).
#   scripts/npm-pack.sh [OUT_DIR]     (default: leakhound-cli/target/npm); prints the tarball's path last.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/leakhound-cli/target/leakhound.jar"
OUT="${1:-$ROOT/leakhound-cli/target/npm}"
command -v npm >/dev/null || { echo "npm-pack: npm is required (it comes with Node.js)" >&2; exit 2; }
[ -f "$JAR" ] || { echo "npm-pack: $JAR is missing; build it first: mvn -B -DskipTests package" >&2; exit 2; }

STAGE="$OUT/package"
rm -rf "$STAGE"
mkdir -p "$STAGE/lib" "$STAGE/examples"
cp -R "$ROOT/packaging/npm/." "$STAGE/"
cp "$JAR" "$STAGE/lib/leakhound.jar"
# the examples demo runs (the apps and their lib/), without the test harness
cp "$ROOT"/examples/*.js "$ROOT/examples/manifest.json" "$ROOT/examples/README.md" "$STAGE/examples/"
cp -R "$ROOT/examples/lib" "$STAGE/examples/lib"
chmod 755 "$STAGE/bin/leakhound.js"

# the package's version is the build's (0.1.0-SNAPSHOT stays a valid semver prerelease)
VERSION="$(sed -n 's/^version=//p' "$ROOT/leakhound-cli/target/maven-archiver/pom.properties" 2>/dev/null || true)"
if [ -n "$VERSION" ]; then
  node -e 'const fs = require("fs"); const f = process.argv[1]; const p = JSON.parse(fs.readFileSync(f, "utf8"));
    p.version = process.argv[2]; fs.writeFileSync(f, JSON.stringify(p, null, 2) + "\n");' "$STAGE/package.json" "$VERSION"
fi

# npm pack needs no network: the package has no dependencies
TGZ="$(cd "$STAGE" && npm pack --offline --silent --pack-destination "$OUT" 2>/dev/null | tail -n 1)"
[ -f "$OUT/$TGZ" ] || { echo "npm-pack: npm pack did not produce a tarball in $OUT" >&2; exit 2; }
echo "$OUT/$TGZ"
