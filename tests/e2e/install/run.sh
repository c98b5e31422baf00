#!/bin/bash
# install/run.sh - dbt-aot as a user installs it, not as it was built.
#
#   BUILD_DIR=build tests/e2e/install/run.sh          # ctest e2e_install
#   BUILD_DIR=build tests/e2e/install/run.sh --deb    # the Debian package, installed for real
#
# The default run installs with `cmake --install BUILD --prefix TMP/prefix`,
# checks that the installed dbt-aot and libdbt_jit.so carry no RPATH or
# RUNPATH and that the Debian package cpack makes holds the same files
# (under /usr) and names the packages translating needs.  Then, in a mount
# namespace of its own with an empty tmpfs over the build tree and over the
# source tree, the installed dbt-aot translates two static AArch64
# programs: examples/hello.c, and tests/e2e/programs/jit_rewritten_code.c,
# which writes code at run time, so only the JIT fallback can run it.  Each
# output's stdout and exit status must equal qemu-aarch64's, and the JIT
# must have been loaded from PREFIX/lib/dbt-aot.  Translations are at -O0:
# what is checked is where the installed tool finds its files, the same at
# every level.
#
# --deb does the same with the package: `dpkg -i`, the hidden-tree run with
# /usr/bin/dbt-aot, then `dpkg -r dbt-aot` and `dpkg --purge dbt-aot` (only
# the purge when a step fails), which leaves dpkg as it found it.  It
# changes the machine while it runs, so it is not part of ctest, and it
# refuses to run when a dbt-aot is already installed.
#
# Hiding the trees needs root (unshare -m, mount): without it the default
# run exits 77 (ctest: skipped) and says why; --deb fails.  The work
# happens in a directory under TMPDIR, which must lie outside both trees;
# it is removed after a pass and kept, with its logs, after a failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
cc=${AARCH64_CC:-aarch64-linux-gnu-gcc}
qemu=${QEMU:-qemu-aarch64}
programs=(hello jit_rewritten_code)

# Inside the private mount namespace (the script runs itself there):
# hide the trees, translate and run each program with the tool of PREFIX.
if [[ ${1:-} == --hidden ]]; then
  build=$2 prefix=$3 work=$4
  for d in "$build" "$src"; do
    mount -t tmpfs -o size=64k,mode=0555 dbt-hidden "$d" || exit 3
  done
  if [[ -e $build/CMakeCache.txt || -e $src/CMakeLists.txt ]]; then
    echo "the trees are still visible" >&2
    exit 3
  fi
  cd "$work" || exit 3
  for p in "${programs[@]}"; do
    env -u DBT_JIT_LIB -u DBT_RUNTIME_DIR -u DBT_LOG TMPDIR="$work" \
      "$prefix/bin/dbt-aot" -O0 "$p" -o "$p.x86" 2>"$p.translate.err"
    echo $? >"$p.translate.status"
    env -u DBT_JIT_LIB -u DBT_RUNTIME_DIR DBT_LOG=jit "./$p.x86" >"$p.out" 2>"$p.err"
    echo $? >"$p.status"
  done
  exit 0
fi

deb=0
if [[ ${1:-} == --deb ]]; then
  deb=1
  shift
fi
(($# == 0)) || { echo "usage: BUILD_DIR=build $0 [--deb]" >&2; exit 2; }
build=$(realpath "${BUILD_DIR:-$src/build}")
[[ -f $build/CMakeCache.txt ]] || { echo "install: no build in $build (BUILD_DIR)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/dbt-install.XXXXXX") && work=$(realpath "$work") || exit 2
pass=0 fail=0
start=$SECONDS

finish() {
  echo "install: $pass passed, $fail failed ($((SECONDS - start)) s)"
  if ((fail == 0)); then
    rm -rf "$work"
    exit 0
  fi
  echo "install: the files are in $work"
  exit 1
}
# A precondition that does not hold: the test cannot say anything.
cannot() {
  rm -rf "$work"
  if ((deb)); then
    echo "install: FAIL: $*"
    exit 1
  fi
  echo "install: SKIP: $*"
  exit 77
}
ok_or_fail() { # NAME COMMAND...: PASS if the command succeeds, else FAIL and its output
  local name=$1 out
  shift
  out=$("$@" 2>&1) && { echo "PASS: $name"; pass=$((pass + 1)); return; }
  echo "FAIL: $name"
  sed 's/^/    /' <<<"$out"
  fail=$((fail + 1))
}

case "$work/" in
  "$build/"* | "$src/"*) echo "install: FAIL: TMPDIR ($work) is inside a tree the test hides"; exit 1 ;;
esac
[[ $(id -u) == 0 ]] || cannot "hiding the build and source trees needs root (unshare -m, mount)"
probe=$(unshare -m --propagation private mount -t tmpfs dbt-probe "$work" 2>&1) ||
  cannot "cannot mount in a private mount namespace: $probe"

# The guest programs and the oracle's verdict on each.
"$cc" -O2 -static "$src/examples/hello.c" -o "$work/hello" &&
  "$cc" -O2 -static "$src/tests/e2e/programs/jit_rewritten_code.c" -o "$work/jit_rewritten_code" ||
  { echo "install: FAIL: cannot build the guest programs"; exit 1; }
for p in "${programs[@]}"; do
  (cd "$work" || exit; "$qemu" "./$p" >"$p.qemu.out" 2>/dev/null; echo $? >"$p.qemu.status")
done

# The package, from the build's own CPack configuration.
"${CPACK:-cpack}" -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1 ||
  { echo "install: FAIL: cpack:"; tail -n 20 "$work/cpack.log"; exit 1; }
package=$(echo "$work"/pkg/dbt-aot_*.deb)
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
field() { dpkg-deb -f "$package" "$1"; }
named() { [[ $(field Package) == dbt-aot && $(field Version) == "$version" ]]; }
# Translating runs lld and links the host's start files, libc and libgcc;
# dbt-aot and libdbt_jit.so need libLLVM-16 and libc.
depends_on_tools() {
  local deps re
  deps=$(field Depends | tr ',' '\n' | sed 's/^ *//')
  for re in '^lld-16$' '^libc6-dev$' '^libgcc-[0-9]+-dev$' '^libllvm16( |$)' '^libc6 '; do
    grep -Eq "$re" <<<"$deps" || { echo "no $re in Depends: $(field Depends)"; return 1; }
  done
}
ok_or_fail package-name-version named
ok_or_fail package-maintainer test -n "$(field Maintainer)"
ok_or_fail package-depends depends_on_tools

if ((deb)); then
  prefix=/usr
  status=$(dpkg-query -W -f='${Status}' dbt-aot 2>/dev/null)
  [[ $status != *" installed" && ! -e /usr/bin/dbt-aot ]] ||
    cannot "a dbt-aot is already installed (/usr/bin/dbt-aot, or the package: '$status'); this test would remove it"
  dpkg -i "$package" >"$work/dpkg-install.log" 2>&1 ||
    { echo "install: FAIL: dpkg -i:"; cat "$work/dpkg-install.log"; dpkg --purge dbt-aot >/dev/null 2>&1; exit 1; }
  echo "install: dpkg -i $(basename "$package"): installed"
  trap 'dpkg --purge dbt-aot >/dev/null 2>&1 || echo "install: dpkg --purge dbt-aot failed"' EXIT
else
  prefix=$work/prefix
  "${CMAKE:-cmake}" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
    { echo "install: FAIL: cmake --install:"; cat "$work/install.log"; exit 1; }
  # What the package holds is what cmake --install installs, under /usr.
  ok_or_fail package-files-are-the-install diff <(cd "$prefix" && find . ! -type d | sed 's|^\.|/usr|' | sort) \
    <(dpkg-deb -c "$package" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' | sort)
fi

# libLLVM-16, capstone and libelf come from the system's library directories.
no_rpath() { ! readelf -d "$1" | grep -E 'RPATH|RUNPATH'; }
for f in "$prefix/bin/dbt-aot" "$prefix/lib/dbt-aot/libdbt_jit.so"; do
  ok_or_fail "no-rpath-$(basename "$f")" no_rpath "$f"
done

unshare -m --propagation private "$here/run.sh" --hidden "$build" "$prefix" "$work" >"$work/hidden.log" 2>&1 ||
  { echo "install: FAIL: the run with the trees hidden:"; cat "$work/hidden.log"; fail=$((fail + 1)); finish; }
echo "install: $prefix/bin/dbt-aot with $build and $src hidden:"
cd "$work" || exit 1
translated_silently() { cat "$1.translate.err"; [[ $(<"$1.translate.status") == 0 && ! -s $1.translate.err ]]; }
same_as_qemu() {
  diff "$1.qemu.out" "$1.out" && [[ $(<"$1.status") == $(<"$1.qemu.status") ]] ||
    { echo "status $(<"$1.status"), qemu $(<"$1.qemu.status"); stderr:"; cat "$1.err"; return 1; }
}
for p in "${programs[@]}"; do
  ok_or_fail "$p-translated-silently" translated_silently "$p"
  ok_or_fail "$p-same-as-qemu" same_as_qemu "$p"
done
ok_or_fail jit-loaded-from-prefix grep -F "jit: loaded $prefix/lib/dbt-aot/libdbt_jit.so " jit_rewritten_code.err

if ((deb)); then
  trap - EXIT
  ok_or_fail dpkg-remove dpkg -r dbt-aot
  removed() {
    [[ $(dpkg-query -W -f='${Status}' dbt-aot 2>/dev/null) != *" installed" ]] &&
      [[ ! -e /usr/bin/dbt-aot && ! -e /usr/lib/dbt-aot && ! -e /usr/share/dbt-aot ]]
  }
  ok_or_fail removed-completely removed
  # dpkg still lists it as removed: forget it, as before the test.
  ok_or_fail dpkg-purge dpkg --purge dbt-aot
fi
finish
