#!/bin/bash
# fetch-debian.sh - a Debian bookworm arm64 sysroot for the benchmarks,
# fetched reproducibly without changing the system's configuration (no apt
# sources, no foreign architecture added to dpkg, no installed packages).
#
#   tests/bench/fetch-debian.sh
#
# Fetches arm64 package lists into the cache (apt-get update with its own
# Dir::State::Lists and Dir::Cache and APT::Architecture=arm64), downloads
# the packages below with `apt-get download` (whatever version bookworm
# has) and extracts each with `dpkg-deb -x` into $DBT_CACHE_DIR/sysroot-arm64:
#     libc6 libc6-dev          the arm64 C library, headers and static libc
#     libsqlite3-dev           usr/lib/aarch64-linux-gnu/libsqlite3.a
#     libpython3.11-dev        usr/lib/aarch64-linux-gnu/libpython3.11.a
#     libexpat1-dev zlib1g-dev libexpat.a and libz.a, which libpython needs
#                              (libz.a also for the zlib workload)
#     liblzma-dev libbz2-dev   liblzma.a, libbz2.a, libzstd.a, liblua5.4.a
#     libzstd-dev              and their headers, for the workloads of
#     liblua5.4-dev            workloads.sh
#     libssl-dev               usr/lib/aarch64-linux-gnu/libcrypto.a and the
#                              OpenSSL 3 headers, for the hash workload
#     libpython3.11-minimal    usr/lib/python3.11: the pure-Python start-up
#                              modules (encodings, os, re, ...) of the same
#                              version, so that PYTHONHOME=SYSROOT/usr makes a
#                              guest Python independent of the host's
#     busybox-static           bin/busybox, a static binary, used as shipped
# A run that finds the sysroot complete (its .complete stamp holds the
# package list) does nothing.  Prints the sysroot's path on stdout.
#
# Environment:
#   DBT_CACHE_DIR   cache directory (default: build/bench-cache)
#   EXTRA_PACKAGES  more packages (names separated by spaces); the sysroot
#                   is then sysroot-arm64-<checksum of the package list>, so
#                   that runs with different lists never share one tree
# Exit status: 0 done, 1 the package lists, a download or an extraction failed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${DBT_CACHE_DIR:-$root/build/bench-cache}
packages=(libc6 libc6-dev libsqlite3-dev libpython3.11-dev libexpat1-dev
          zlib1g-dev liblzma-dev libbz2-dev libzstd-dev liblua5.4-dev
          libpython3.11-minimal busybox-static libssl-dev)
# shellcheck disable=SC2206 # a list of package names
packages+=(${EXTRA_PACKAGES:-})
contents="packages: ${packages[*]}"

# Another package list gets a sysroot of its own: one run never re-extracts
# the tree another run is using.
suffix=${EXTRA_PACKAGES:+-$(printf '%s' "${packages[*]}" | cksum | cut -d' ' -f1)}
sysroot=$cache/sysroot-arm64$suffix
if [[ -f $sysroot/.complete && $(<"$sysroot/.complete") == "$contents" ]]; then
  echo "$sysroot"
  exit 0
fi

die() { echo "fetch-debian.sh: error: $*" >&2; exit 1; }

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
sysroot=$cache/sysroot-arm64$suffix
debs=$cache/debs-arm64
lists=$cache/apt-arm64/lists
archives=$cache/apt-arm64/cache
mkdir -p "$debs" "$lists/partial" "$archives/archives/partial"

# Two runs at once (ctest -j, a benchmark beside the tests) would extract
# over each other: the second waits for the first and then finds its stamp.
exec 9>"$cache/.fetch.lock"
flock 9
if [[ -f $sysroot/.complete && $(<"$sysroot/.complete") == "$contents" ]]; then
  echo "$sysroot"
  exit 0
fi

# The system's package lists are for its own architecture: arm64 needs lists
# of its own, kept in the cache.  The sandbox user _apt may not enter the
# cache: fetch and download as root.
apt=(apt-get -q -o APT::Sandbox::User=root
     -o APT::Architecture=arm64 -o APT::Architectures=arm64
     -o Dir::State::Lists="$lists" -o Dir::Cache="$archives")
echo "fetch-debian.sh: fetching arm64 package lists into $lists" >&2
"${apt[@]}" update >&2 || die "apt-get update (arm64 package lists) failed"

echo "fetch-debian.sh: downloading ${packages[*]} into $debs" >&2
# apt-get download writes into the current directory; a .deb from an earlier,
# interrupted run is downloaded again (apt-get skips only complete files).
(cd "$debs" && "${apt[@]}" download "${packages[@]}" >&2) ||
  die "apt-get download ${packages[*]} failed"

echo "fetch-debian.sh: extracting into $sysroot" >&2
rm -rf "$sysroot"
mkdir -p "$sysroot"
shopt -s nullglob
for p in "${packages[@]}"; do
  found=("$debs/${p}"_*_arm64.deb "$debs/${p}"_*_all.deb)
  ((${#found[@]} > 0)) || die "no ${p}_*.deb in $debs"
  # Several versions may have piled up over time: the newest wins.
  deb=$(printf '%s\n' "${found[@]}" | sort -V | tail -n 1)
  dpkg-deb -x "$deb" "$sysroot" || die "dpkg-deb -x $deb failed"
done
for f in usr/lib/aarch64-linux-gnu/libsqlite3.a usr/lib/aarch64-linux-gnu/libpython3.11.a \
         usr/lib/aarch64-linux-gnu/libexpat.a usr/lib/aarch64-linux-gnu/libz.a \
         usr/lib/aarch64-linux-gnu/liblzma.a usr/lib/aarch64-linux-gnu/libbz2.a \
         usr/lib/aarch64-linux-gnu/libzstd.a usr/lib/aarch64-linux-gnu/liblua5.4.a \
         usr/lib/aarch64-linux-gnu/libcrypto.a usr/include/aarch64-linux-gnu/openssl/configuration.h \
         usr/lib/python3.11/encodings/__init__.py bin/busybox; do
  [[ -e $sysroot/$f ]] || die "$sysroot/$f missing after extraction"
done
echo "$contents" >"$sysroot/.complete"
echo "$sysroot"
