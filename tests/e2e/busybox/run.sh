#!/bin/bash
# run.sh - Debian's arm64 busybox-static, translated, against qemu-aarch64:
# every command line of commands.txt runs as `busybox sh -c LINE` under
# both, and stdout, stderr and the exit status must be equal.
#
#   run.sh [WORKDIR]            (default: build/e2e-busybox)
#
# The lines use the shell (pipes, redirections, subshells, command
# substitution, traps, background jobs) and applets that the shell runs
# by fork and exec: busybox execs /proc/self/exe (its applets preferred).
# Under qemu that exec fails (qemu-user cannot exec an AArch64 file without
# binfmt_misc) and busybox falls back to PATH, so PATH holds, for the
# oracle, one host script per applet running `qemu-aarch64 busybox APPLET`,
# and for the translation, one symlink per applet to the translated
# busybox: both sides run busybox's own applets in every process.
#
# Where busybox itself execs an applet (xargs, timeout, env running their
# command), it execs /proc/self/exe and, under qemu, that fails with ENOEXEC
# and glibc's execvp hands the AArch64 file to /bin/sh as a script.  Lines
# ending in " #native" are therefore compared with Debian's amd64
# busybox-static of the same version (NATIVE_BUSYBOX, the host's
# /bin/busybox, from install-deps.sh) instead of qemu.
#
# Environment:
#   DBT_AOT      the translator (default: build/dbt-aot)
#   NATIVE_BUSYBOX  the x86-64 busybox (default: /bin/busybox)
#   BUSYBOX      the AArch64 busybox (default: bin/busybox of the sysroot
#                that tests/bench/fetch-debian.sh fetches)
#   QEMU         the oracle (default: qemu-aarch64)
#   TIMEOUT      seconds per command line (default 30)
# Prints one line per failing command line and "N passed, N failed"; exit
# status 1 if anything failed, 2 if busybox cannot be had or translated.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=${1:-$root/build/e2e-busybox}
DBT_AOT=${DBT_AOT:-$root/build/dbt-aot}
QEMU=${QEMU:-$(command -v qemu-aarch64)}
TIMEOUT=${TIMEOUT:-30}
NATIVE_BUSYBOX=${NATIVE_BUSYBOX:-/bin/busybox}

if [[ -z ${BUSYBOX:-} ]]; then
  sysroot=$("$root/tests/bench/fetch-debian.sh") || { echo "run.sh: cannot fetch busybox-static" >&2; exit 2; }
  BUSYBOX=$sysroot/bin/busybox
fi
mkdir -p "$work" || exit 2
work=$(cd "$work" && pwd)
rm -rf "$work/guest" "$work/x86" "$work/native" "$work/runs"
mkdir -p "$work/guest/bin" "$work/x86/bin" "$work/native/bin" "$work/runs"
if [[ -x $NATIVE_BUSYBOX ]]; then
  ln -s "$NATIVE_BUSYBOX" "$work/native/busybox"
fi
cp "$BUSYBOX" "$work/guest/busybox"
if ! "$DBT_AOT" "$work/guest/busybox" -o "$work/x86/busybox" 2> "$work/aot.err"; then
  echo "run.sh: translating busybox failed:" >&2
  head -5 "$work/aot.err" >&2
  exit 2
fi

# The applets, and a PATH directory for each side.
mapfile -t applets < <("$QEMU" "$work/guest/busybox" --list)
((${#applets[@]} > 100)) || { echo "run.sh: busybox --list gave ${#applets[@]} applets" >&2; exit 2; }
for a in "${applets[@]}"; do
  printf '#!/bin/sh\nexec %q %q %q "$@"\n' "$QEMU" "$work/guest/busybox" "$a" > "$work/guest/bin/$a"
  chmod +x "$work/guest/bin/$a"
  ln -s ../busybox "$work/x86/bin/$a"
  ln -s ../busybox "$work/native/bin/$a"
done

# The fixture every command line starts from.
fixture=$work/fixture
rm -rf "$fixture"
mkdir -p "$fixture/dir/sub"
printf 'the quick brown fox\njumps over\nthe lazy dog\nfox again\n' > "$fixture/a.txt"
printf 'root:x:0:root\nbin:x:1:bin\nroot:x:0:root\ndaemon:x:2:daemon\n' > "$fixture/b.txt"
printf '42\n7\n-3\n100\n15\n8\n' > "$fixture/nums.txt"
printf 'one\n' > "$fixture/dir/f1"
printf 'two\n' > "$fixture/dir/sub/f2"

# run SIDE N LINE: in a fresh copy of the fixture (the same directory name
# for both sides: `pwd` prints it); out/err/rc files.
run() {
  local side=$1 n=$2 line=$3 dir=$work/runs/$1/$2
  local cmd=("$work/$side/busybox")
  [[ $side == guest ]] && cmd=("$QEMU" "${cmd[@]}")
  mkdir -p "$work/runs/$side"
  cp -r "$fixture" "$dir"
  (cd "$dir" && env -i PATH="$work/$side/bin" LC_ALL=C HOME=/ TZ=UTC \
     timeout -s KILL "$TIMEOUT" "${cmd[@]}" sh -c "$line" \
     > "$work/runs/$n.$side.out" 2> "$work/runs/$n.$side.err" < /dev/null)
  echo $? > "$work/runs/$n.$side.rc"
}

pass=0
failed=0
n=0
while IFS= read -r line; do
  [[ -z $line || $line == \#* ]] && continue
  n=$((n + 1))
  oracle=guest
  if [[ $line == *' #native' ]]; then
    oracle=native
    if [[ ! -e $work/native/busybox ]]; then
      echo "FAIL $n: $line: no native busybox ($NATIVE_BUSYBOX)"
      failed=$((failed + 1))
      continue
    fi
  fi
  run "$oracle" "$n" "$line"
  run x86 "$n" "$line"
  r=$work/runs/$n
  if cmp -s "$r.$oracle.out" "$r.x86.out" && cmp -s "$r.$oracle.err" "$r.x86.err" &&
     cmp -s "$r.$oracle.rc" "$r.x86.rc"; then
    pass=$((pass + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $n: $line"
    echo "    exit: $oracle $(cat "$r.$oracle.rc"), translated $(cat "$r.x86.rc")"
    diff "$r.$oracle.out" "$r.x86.out" | head -4 | sed 's/^/    stdout /'
    diff "$r.$oracle.err" "$r.x86.err" | head -4 | sed 's/^/    stderr /'
  fi
done < "$here/commands.txt"
echo "$pass passed, $failed failed (of $n command lines)"
((failed == 0))
