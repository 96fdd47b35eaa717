#!/usr/bin/env bash
# Quick start 2 (and CI): install what is missing, build with warnings as errors, and run every
# test: unit, LSP transcripts, fixture sweeps, end-to-end editors (Neovim, Emacs, VS Code); then
# the unit tests again under ASan+UBSan, and each fuzz target for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache hits across clones in different folders: hash paths relative to the checkout.
export CCACHE_BASEDIR="$(pwd)" CCACHE_NOHASHDIR=1
root=$(pwd)
jobs=$(nproc)
fuzz_seconds="${ASPM_FUZZ_SECONDS:-60}"

step() { printf '\n=== %s (%s)\n' "$*" "$(date +%H:%M:%S)"; }

step "dependencies"
bash .ci/deps.sh test

step "build (Release, -Werror)"
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$jobs"

step "tests"
ctest --preset ci -j"$jobs"

step "VS Code extension: type-check, lint, unit tests, package"
(cd vscode-client && npm ci --ignore-scripts --no-audit --no-fund && npm run ci)

step "VS Code end-to-end: the .vsix in code-server, driven by Chromium"
# On a fresh machine most of this step is code-server's install compiling its native modules
# (kept in ~/.cache/aspm-vscode-e2e for later runs). Screenshots: build/e2e/vscode/.
ASPM_LS="$root/build/bin/aspm-ls" ASPM_STORE="$root/build/bin/aspm-store" \
  ASPM_VSIX="$root/vscode-client/dist/aspm.vsix" ASPM_E2E_OUT="$root/build/e2e/vscode" \
  bash tests/e2e/vscode/run.sh

step "build (ASan+UBSan)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j"$jobs"

step "unit tests under ASan+UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --preset asan -j"$jobs" -L unit

step "fuzzing (${fuzz_seconds}s per target)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$jobs"
shopt -s nullglob
for f in build-fuzz/bin/fuzz_*; do
  name=${f##*/fuzz_}
  corpus="$root/tests/fuzz/corpus/$name"
  work=$(mktemp -d)
  [ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
  echo "fuzz_$name:"
  "$f" -max_total_time="$fuzz_seconds" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/" "$work" 2>&1 | grep -E '^(stat::number_of_executed_units|==|SUMMARY|Done)' || true
  failing=("$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*)
  if ((${#failing[@]} > 0)); then
    echo "fuzz_$name found failing inputs:"; printf '  %s\n' "${failing[@]}"
    exit 1
  fi
  rm -rf "$work"
done

step "all tests passed"
