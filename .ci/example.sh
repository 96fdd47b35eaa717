#!/usr/bin/env bash
# Quick start 1: install what is missing, build, and rank the findings of the bundled example
# project (real outputs of flawfinder, ESLint, bandit, cppcheck, shellcheck and gcc -fanalyzer).
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache hits across clones in different folders: hash paths relative to the checkout.
export CCACHE_BASEDIR="$(pwd)" CCACHE_NOHASHDIR=1
bash .ci/deps.sh build
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DASPM_BUILD_TESTS=OFF -DASPM_BUILD_BENCH=OFF >/dev/null
cmake --build build -j"$(nproc)" --target aspm aspm-ls
echo
./build/bin/aspm findings --repo tests/example
