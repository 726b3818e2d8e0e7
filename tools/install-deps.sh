#!/usr/bin/env bash
# Install everything sync-lint needs to build and test on Debian 12.
# Run as root (or through sudo).  Safe to run again.
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
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (sudo $0)" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# nodejs/npm may already come from another source (nodesource): keep it.
want=()
for p in "${packages[@]}"; do
  case "$p" in
    nodejs|npm) command -v "$p" >/dev/null 2>&1 && continue ;;
  esac
  want+=("$p")
done
apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
echo "install-deps: installed ${#want[@]} packages"
