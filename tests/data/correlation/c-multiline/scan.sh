#!/bin/bash
# Runs four C analyzers over src/ and writes their reports to reports/. The committed reports
# were produced by this script on Debian 12 (flawfinder 2.0.19, cppcheck 2.10, gcc 12.2.0,
# clang/scan-build 14.0.6) from a copy of src/ at /tmp/aspm-c-multiline, so reports name files
# as "src/shell.c" (scan-build writes absolute file:// URIs into that copy).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK=/tmp/aspm-c-multiline
rm -rf "$WORK" && mkdir -p "$WORK" "$HERE/reports"
cp -r "$HERE/src" "$WORK/"
cd "$WORK"
flawfinder --sarif src >"$HERE/reports/flawfinder.sarif"
cppcheck --xml --xml-version=2 --enable=all -q src 2>"$HERE/reports/cppcheck.xml"
gcc -O2 -fanalyzer -Wall -Wextra -Wformat-security -fdiagnostics-format=json -c src/shell.c -o shell.o \
  2>"$HERE/reports/gcc-analyzer.json" || true
scan-build -sarif -enable-checker security.insecureAPI.strcpy -o "$WORK/sb" clang -c src/shell.c -o shell-clang.o >/dev/null 2>&1
cp "$WORK"/sb/*/report-*.sarif "$HERE/reports/scan-build.sarif"
rm -rf "$WORK"  # a leftover copy would make its absolute paths "outside the workspace" to aspm
