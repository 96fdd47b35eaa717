#!/usr/bin/env bash
# Installs the Debian packages aspm needs, only those missing. Usage: deps.sh [build|test]
#   build: what building and running aspm needs
#   test:  plus what the test suite needs (editors, scanners, clang for fuzzing, PostgreSQL)
# Idempotent; safe to run on a machine that already has everything.
set -euo pipefail
profile="${1:-build}"

build_pkgs=(build-essential cmake ninja-build pkg-config ccache git
  libboost1.81-dev libboost-json1.81-dev libgit2-dev libsqlite3-dev libtinyxml2-dev libssl-dev libpq-dev
  libgtest-dev libgmock-dev libbenchmark-dev zlib1g-dev libyaml-cpp-dev nodejs npm)
test_pkgs=(clang libclang-rt-14-dev neovim postgresql sqlite3 python3 flawfinder python3-bandit chromium openssl)

want=("${build_pkgs[@]}")
if [ "$profile" = test ]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# nodejs may come from another source with npm bundled; accept any working node/npm.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs/}"); missing=("${missing[@]/npm/}")
fi
pkgs=()
for p in "${missing[@]}"; do [ -n "$p" ] && pkgs+=("$p"); done

if [ ${#pkgs[@]} -gt 0 ]; then
  echo "deps: installing ${pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi

# The tree-sitter runtime and grammars are compiled from the npm packages pinned in grammars/;
# --ignore-scripts: npm only unpacks sources, CMake builds them.
grammars="$(dirname "$0")/../grammars"
if [ ! -d "$grammars/node_modules" ] || [ "$grammars/package-lock.json" -nt "$grammars/node_modules/.package-lock.json" ]; then
  (cd "$grammars" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

# The store dashboard test drives Chromium with the playwright-core pinned in its package-lock.
dashboard="$(dirname "$0")/../tests/store/dashboard"
if [ "$profile" = test ] && [ -f "$dashboard/package-lock.json" ] && \
   { [ ! -d "$dashboard/node_modules" ] || [ "$dashboard/package-lock.json" -nt "$dashboard/node_modules/.package-lock.json" ]; }; then
  (cd "$dashboard" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

if [ "$profile" = test ] && [ -x "$(dirname "$0")/../tests/e2e/install-editors.sh" ]; then
  bash "$(dirname "$0")/../tests/e2e/install-editors.sh"
fi
echo "deps: ok ($profile)"
