#!/bin/bash
# sysroot.sh - print the path of the Debian bookworm arm64 root the
# dynamic-program tests use (the packages of debian/packages.txt on top of
# tests/bench/fetch-debian.sh's own), fetching it first if needed.
#
#   tests/e2e/sysroot.sh
#
# Environment: DBT_CACHE_DIR (default: build/debian-cache).
# Exit status: 0 and the path on stdout, 2 it cannot be fetched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
EXTRA_PACKAGES=$(grep -v '^#' "$here/debian/packages.txt" | tr '\n' ' ')
export EXTRA_PACKAGES
DBT_CACHE_DIR=${DBT_CACHE_DIR:-$root/build/debian-cache} "$root/tests/bench/fetch-debian.sh" ||
  { echo "sysroot.sh: cannot fetch the Debian arm64 packages" >&2; exit 2; }
