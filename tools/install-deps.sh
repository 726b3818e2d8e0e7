#!/usr/bin/env bash
# Install everything sync-lint needs to build and test on Debian 12.
# Run it directly: as root it installs; as another user it re-runs itself
# through sudo.  Safe to run again.
#
# SL_INSTALL_DRY_RUN=1: decide and print what would run (the privilege
# step and the apt-get commands), run nothing; the tests use it.
set -euo pipefail

packages=(
  # build
  cmake make gcc clang-19 pkg-config git python3
  # the analyser: libclang (LLVM >= 17) and cJSON
  libclang-19-dev libcjson-dev
  # sanitizer runtimes for the TSan/ASan runtime tests
  libclang-rt-19-dev
  # bench-only comparisons in sl-bench: liburcu and Concurrency Kit
  liburcu-dev libck-dev
  # end-to-end tests: the official SARIF validator comes from npm
  nodejs npm libicu72
  # real-code benchmark: compile databases
  bear
  # the language server's end-to-end tests: real clients (Neovim's built-in
  # LSP client; Emacs with eglot) and clangd behind the proxy
  neovim emacs-nox elpa-eglot clangd-19
)

dry=${SL_INSTALL_DRY_RUN:-}
# run CMD...: run it, or with SL_INSTALL_DRY_RUN print it.
run() {
  if [ -n "$dry" ]; then echo "install-deps: would run: $*"; else "$@"; fi
}

if [ "$(id -u)" -ne 0 ]; then
  self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: error: installing packages needs root, and sudo is not installed." >&2
    echo "install-deps: run it as root instead, e.g.: su -c '$self'" >&2
    exit 2
  fi
  echo "install-deps: not root: re-running through sudo" >&2
  # -E is not used: sudo's default env_reset keeps a sane PATH; the dry-run
  # switch is passed on explicitly.
  if [ -n "$dry" ]; then
    exec sudo SL_INSTALL_DRY_RUN="$dry" "$self" "$@"
  fi
  exec sudo "$self" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
run apt-get update -qq
# nodejs/npm may already come from another source (nodesource): keep it.
want=()
for p in "${packages[@]}"; do
  case "$p" in
    nodejs|npm) command -v "$p" >/dev/null 2>&1 && continue ;;
  esac
  want+=("$p")
done
if [ -n "$dry" ]; then
  run apt-get install -y -qq --no-install-recommends "${want[@]}"
  echo "install-deps: dry run as root: would install ${#want[@]} packages"
  exit 0
fi
apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
echo "install-deps: installed ${#want[@]} packages"
