#!/bin/bash
# Regenerates every scanner report under tests/example/.aspm/ by running the real scanners over
# this example project. The committed reports were produced by exactly this script on Debian 12
# with: flawfinder 2.0.19, bandit 1.6.2 (Python 3.11), cppcheck 2.10, ShellCheck 0.9.0,
# gcc 12.2.0, clang/scan-build 14.0.6, Node.js 20 with the npm packages pinned in
# .scanners/eslint/package-lock.json (ESLint 8.57.1, eslint-plugin-security 3.0.1,
# @microsoft/eslint-formatter-sarif 3.1.0).
#
# Usage: tests/example/regenerate.sh   (installs nothing itself; see the check below)
#
# The scanners run from a copy of the sources at the fixed neutral path /tmp/aspm-example, with
# relative paths, so reports name files as "src/c/archive.c". ESLint's SARIF formatter and
# scan-build insist on absolute file:// URIs: theirs point into /tmp/aspm-example, which the
# path resolver maps back onto the workspace by path suffix. Nothing is edited afterwards.
# Differences from run to run: bandit's "generated_at" timestamp only.
set -euo pipefail

EXAMPLE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK=/tmp/aspm-example
OUT="$EXAMPLE/.aspm"
ESLINT_DIR="$EXAMPLE/.scanners/eslint"

missing=()
for tool in flawfinder bandit cppcheck shellcheck gcc clang scan-build node npm; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "regenerate.sh: missing ${missing[*]}" >&2
  echo "install with: apt-get install flawfinder bandit cppcheck shellcheck gcc clang clang-tools nodejs npm" >&2
  exit 1
fi

# The copy is removed afterwards: while /tmp/aspm-example exists, its absolute paths name real
# files outside the workspace, and the resolver rightly stops mapping them onto it.
rm -rf "$WORK"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK" "$OUT"
cp -r "$EXAMPLE/src" "$EXAMPLE/scripts" "$WORK/"
cd "$WORK"

# Scanners exit 1 when they report findings; only a higher status is a failure.
findings_ok() {
  local status=$?
  ((status <= 1)) || exit "$status"
}

flawfinder --sarif src/c >"$OUT/flawfinder.sarif"

bandit -q -f json -r src/py -o "$OUT/bandit.json" || findings_ok

cppcheck --xml --xml-version=2 --enable=all -q src/c 2>"$OUT/cppcheck.xml"

shellcheck -f json1 scripts/deploy.sh >"$OUT/shellcheck.json" || findings_ok

# Both translation units in one gcc run: gcc prints one JSON array per unit, one after the
# other, exactly as a build log would contain them. -O2 enables the loop-bounds warning.
gcc -O2 -fanalyzer -Wall -Wextra -Wformat-security -fdiagnostics-format=json \
  src/c/archive.c src/c/token.c -o "$WORK/archive" 2>"$OUT/gcc-analyzer.json"

(cd "$ESLINT_DIR" && npm ci --ignore-scripts --no-audit --no-fund --silent)
ESLINT_USE_FLAT_CONFIG=true node "$ESLINT_DIR/node_modules/eslint/bin/eslint.js" \
  -c "$ESLINT_DIR/eslint.config.js" \
  -f "$ESLINT_DIR/node_modules/@microsoft/eslint-formatter-sarif/sarif.js" \
  -o "$OUT/eslint.sarif" src/js || findings_ok

# scan-build writes one report per translation unit under a dated directory with a random
# name; each run gets its own output directory so the report can be copied to a stable name.
mkdir -p obj
for unit in archive token; do
  rm -rf "$WORK/scan-build"
  scan-build -sarif -o "$WORK/scan-build" clang -c "src/c/$unit.c" -o "obj/$unit.o" >/dev/null 2>&1
  cp "$WORK"/scan-build/*/report-*.sarif "$OUT/scan-build-$unit.sarif"
done

echo "reports written to $OUT:"
ls -l "$OUT"
