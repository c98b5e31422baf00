#!/bin/bash
# fetch.sh - get GCC 12's C torture tests reproducibly, without changing the
# system's configuration (no apt sources, no installed packages).
#
#   fetch.sh
#
# Downloads Debian's gcc-12-source package (`apt-get download`, whatever
# version bookworm has) into the cache, and extracts from the
# gcc-12.2.0-dfsg.tar.xz inside it only
#     gcc/testsuite/gcc.c-torture/execute/   (with its ieee/ subdirectory)
#     gcc/testsuite/gcc.dg/vect/
#     gcc/testsuite/gcc.dg/torture/ and the .h files under gcc.dg/
#                                            (included by some vect tests)
# into $DBT_CACHE_DIR/gcc-testsuite/.  Runs started together wait for one
# another (flock on $DBT_CACHE_DIR/.fetch.lock).  A run that finds them there does
# nothing; one that finds the files of an older fetch.sh (the .complete
# stamp holds the layout) extracts the missing ones over them.  Prints the
# path of the execute/ directory on stdout.
#
# Environment:
#   DBT_CACHE_DIR   cache directory (default: build/torture-cache)
# Exit status: 0 done, 1 the download or an extraction failed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${DBT_CACHE_DIR:-$root/build/torture-cache}
suite=$cache/gcc-testsuite
execute=$suite/gcc/testsuite/gcc.c-torture/execute
stamp=$suite/.complete
layout="layout 2: execute, vect, gcc.dg/*.h, gcc.dg/torture"

if [[ -f $stamp && -d $execute && $(<"$stamp") == "$layout" ]]; then
  echo "$execute"
  exit 0
fi

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
suite=$cache/gcc-testsuite
execute=$suite/gcc/testsuite/gcc.c-torture/execute
stamp=$suite/.complete

# ctest runs the torture tests in parallel and each calls fetch.sh: one
# fetches and extracts, the others wait for it here and then find its stamp.
exec 9>"$cache/.fetch.lock"
flock 9
if [[ -f $stamp && -d $execute && $(<"$stamp") == "$layout" ]]; then
  echo "$execute"
  exit 0
fi

shopt -s nullglob
debs=("$cache"/gcc-12-source_*.deb)
if ((${#debs[@]} == 0)); then
  echo "fetch.sh: downloading gcc-12-source into $cache" >&2
  # apt-get download writes into the current directory and changes nothing
  # in the system.  It needs package lists: the system's if they are there,
  # else ones fetched into the cache (a fresh machine may never have run
  # apt-get update).  The sandbox user _apt may not enter the cache: download
  # as root.
  apt=(apt-get -q -o APT::Sandbox::User=root)
  if ! (cd "$cache" && "${apt[@]}" download gcc-12-source >&2); then
    echo "fetch.sh: no usable system package lists; fetching them into $cache/apt" >&2
    mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial"
    apt+=(-o Dir::State::Lists="$cache/apt/lists" -o Dir::Cache="$cache/apt/cache")
    if ! "${apt[@]}" update >&2 ||
       ! (cd "$cache" && "${apt[@]}" download gcc-12-source >&2); then
      echo "fetch.sh: error: apt-get download gcc-12-source failed" >&2
      exit 1
    fi
  fi
  debs=("$cache"/gcc-12-source_*.deb)
  ((${#debs[@]} > 0)) || { echo "fetch.sh: error: no gcc-12-source_*.deb in $cache" >&2; exit 1; }
fi
deb=${debs[-1]}

unpacked=$cache/deb
tarball=$(find "$unpacked" -name 'gcc-12*.tar.xz' 2>/dev/null | head -n 1 || true)
if [[ -z $tarball ]]; then
  echo "fetch.sh: unpacking $(basename "$deb")" >&2
  rm -rf "$unpacked"
  dpkg-deb -x "$deb" "$unpacked"
  tarball=$(find "$unpacked" -name 'gcc-12*.tar.xz' | head -n 1)
  [[ -n $tarball ]] || { echo "fetch.sh: error: no gcc-12*.tar.xz inside $deb" >&2; exit 1; }
fi

echo "fetch.sh: extracting the test suite from $(basename "$tarball")" >&2
# A complete extraction of an older layout stays (a run may be using it):
# the files are extracted over it.
[[ -f $stamp ]] || rm -rf "$suite"
mkdir -p "$suite"
# The tarball's top directory (gcc-12.2.0/) is stripped.  execute/* also
# matches execute/ieee/*.
tar -xJf "$tarball" -C "$suite" --strip-components=1 --wildcards \
  '*/gcc/testsuite/gcc.c-torture/execute/*' \
  '*/gcc/testsuite/gcc.dg/vect/*' \
  '*/gcc/testsuite/gcc.dg/*.h' \
  '*/gcc/testsuite/gcc.dg/torture/*'
[[ -d $execute ]] || { echo "fetch.sh: error: $execute missing after extraction" >&2; exit 1; }
# The .deb's unpacked tree (the whole GCC source, ~90 MB) is not needed again.
rm -rf "$unpacked"
echo "$layout" >"$stamp"
echo "$execute"
