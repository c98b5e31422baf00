#!/bin/bash
# install-deps.sh - install the Debian bookworm packages dbt-aot needs to build
# and test, and only those that are missing.  Idempotent: a second run installs
# nothing and does not touch the network.  Runs apt-get as root, or through
# sudo when not root and sudo exists.
set -euo pipefail

PACKAGES=(
  cmake ninja-build gcc make libc6-dev   # build (libc6-dev: gcc only recommends it)
  llvm-16-dev lld-16                  # LLVM C API, the linker the tool drives
  libcapstone-dev libelf-dev libdwarf-dev
  libcmocka-dev                       # unit tests
  dpkg-dev                            # the Debian package (cpack runs dpkg-shlibdeps)
  gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross   # guest toolchain for tests
  qemu-user                           # the oracle (qemu-aarch64)
  busybox-static                      # native busybox: the oracle where qemu cannot exec (tests/e2e/busybox)
  gdb linux-perf                      # the user's tools on translated code (tests/e2e/tools)
  clang                               # libFuzzer, ASan+UBSan (scripts/sanitize-sample.sh)
  zlib1g libssl3                      # host libraries the zlib and libcrypto bindings open (tests/bind)
  xz-utils file bc python3 perl tcl  # test scripts (torture fetch and directives, ieee .x files, benchmarks, lifter oracle)
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-deps: error: not root and no sudo; install these as root: ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}"
