#!/usr/bin/env bash
# Installs the real editors the end-to-end tests drive: Neovim 0.7 (Debian bookworm) and Emacs 30
# with its built-in eglot (bookworm-backports). Safe to run repeatedly: it only adds the backports
# suite and installs packages when they are missing.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "install-editors.sh: run as root (it uses apt-get)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive

emacs_major() {
  command -v emacs >/dev/null 2>&1 || { echo 0; return; }
  emacs --batch --eval '(princ emacs-major-version)' 2>/dev/null || echo 0
}

need_nvim=0
command -v nvim >/dev/null 2>&1 || need_nvim=1
need_emacs=0
[[ $(emacs_major) -ge 30 ]] || need_emacs=1

if [[ $need_nvim -eq 0 && $need_emacs -eq 0 ]]; then
  exit 0
fi

backports=/etc/apt/sources.list.d/bookworm-backports.sources
if [[ $need_emacs -eq 1 && ! -e $backports ]]; then
  # Reuse the mirror the machine already uses for bookworm, so the backports suite comes from
  # the same place (and the same snapshot, when the mirror is pinned to one).
  uri=$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  if [[ -z $uri ]]; then
    uri=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  fi
  if [[ -z $uri ]]; then
    echo "install-editors.sh: cannot find the Debian mirror URI in /etc/apt/sources.list.d/debian.sources" >&2
    exit 1
  fi
  cat >"$backports" <<SRC
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

apt-get update -qq
if [[ $need_nvim -eq 1 ]]; then
  apt-get install -y -qq --no-install-recommends neovim
fi
if [[ $need_emacs -eq 1 ]]; then
  apt-get install -y -qq --no-install-recommends -t bookworm-backports emacs-nox
fi

nvim --version | head -n 1
emacs --version | head -n 1
