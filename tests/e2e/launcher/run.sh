#!/bin/bash
# run.sh - dbt-run, the launcher (docs/launcher.md), against qemu-aarch64:
#
#   1. Debian's arm64 `ls` (dynamically linked) by name, found in PATH,
#      with --sysroot: the same stdout, stderr and exit status as
#      qemu-aarch64 -L SYSROOT; the second run (DBT_SYSROOT instead of
#      --sysroot: the same key) takes the translation from the cache
#      (DBT_RUN_LOG) and is at least 10 times faster than the first;
#   2. examples/hello.c, static, by relative path, then by a name found in
#      PATH (the same bytes and name: from the cache);
#   3. launcher_args.c: argv[0] as given, the other arguments, the
#      environment and the exit status (3) or signal (SIGABRT) pass
#      through; it restarts itself through /proc/self/exe and through
#      argv[0] in PATH (against qemu running it with the new arguments);
#   4. errors: a missing program (127), a non-AArch64 file (126), a failed
#      translation (a dynamically linked program without a sysroot: 127,
#      no output left in the cache);
#   5. DBT_AOT_CACHE=off: translated into TMPDIR and run, nothing left;
#   6. with --binfmt, if a private binfmt_misc can be had (a user and
#      mount namespace of its own: Linux 6.7 or later), scripts/binfmt.sh
#      registers dbt-run there and ./hello and launcher_args run directly;
#      the machine's own binfmt_misc is never touched.
#
#   run.sh [--binfmt] [WORKDIR]     (default WORKDIR: build/e2e-launcher)
#
# The cache is WORKDIR/cache, emptied first: the first runs translate.
# Environment: DBT_RUN (default build/dbt-run), QEMU, AARCH64_CC, SYSROOT
# (default: what tests/e2e/sysroot.sh prints), DBT_RUN_FLAGS (default -O0:
# the translation's cost, not its code, is what this test is about).
# Exit status: 0 all passed, 1 a check failed, 2 setup failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
binfmt=0
if [[ ${1:-} == --binfmt ]]; then
  binfmt=1
  shift
fi
work=${1:-$root/build/e2e-launcher}
DBT_RUN=${DBT_RUN:-$root/build/dbt-run}
QEMU=${QEMU:-$(command -v qemu-aarch64)}
AARCH64_CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
export DBT_RUN_FLAGS=${DBT_RUN_FLAGS:--O0}

sysroot=${SYSROOT:-}
if [[ -z $sysroot ]]; then
  sysroot=$("$root/tests/e2e/sysroot.sh") || exit 2
fi
mkdir -p "$work" || exit 2
work=$(cd "$work" && pwd)
DBT_RUN=$(realpath "$DBT_RUN")
rm -rf "$work/cache" "$work/bin" "$work/fixture" "$work/tmp" "$work/out"
mkdir -p "$work/bin" "$work/fixture/sub" "$work/tmp" "$work/out" || exit 2
cd "$work" || exit 2
"$AARCH64_CC" -O2 -static -o hello "$root/examples/hello.c" || exit 2
cp hello bin/hello
"$AARCH64_CC" -O2 -o bin/launcher_args "$here/launcher_args.c" || exit 2
printf 'one\n' > fixture/a.txt
printf 'two words\n' > fixture/sub/b.txt
touch -d '2024-01-02 03:04:05 UTC' fixture/a.txt fixture/sub/b.txt fixture/sub fixture

pass=0
failed=0
ok() {
  echo "PASS: $1"
  pass=$((pass + 1))
}
fail() {
  echo "FAIL: $*"
  failed=$((failed + 1))
}

# The environment both sides run in: PATH (WORKDIR/bin first, the
# sysroot's programs last: dbt-run passes over the host's own ls), the
# cache, LC_ALL and TZ.
base_env=(env -i PATH="$work/bin:/usr/bin:/bin:$sysroot/bin:$sysroot/usr/bin" LC_ALL=C TZ=UTC
          DBT_AOT_CACHE="$work/cache" DBT_RUN_FLAGS="$DBT_RUN_FLAGS" TMPDIR="$work/tmp")

# side NAME DIR CMD...: run CMD in DIR, stdout/stderr/status into out/NAME.*
side() {
  local name=$1 dir=$2
  shift 2
  (cd "$dir" && exec "${base_env[@]}" /usr/bin/timeout 600 "$@" > "$work/out/$name.out" 2> "$work/out/$name.err")
  echo $? > "$work/out/$name.rc"
}

# same NAME [LABEL]: the dbt-run side NAME.run equals qemu's NAME.qemu
# (stdout, exit status; stderr without dbt-run's log lines and qemu's
# "uncaught target signal" line).
same() {
  local name=${2:-$1} o=$work/out/$1
  grep -v '^dbt-run: ' "$o.run.err" > "$o.run.err2"
  grep -v '^qemu: uncaught target signal' "$o.qemu.err" > "$o.qemu.err2"
  if cmp -s "$o.qemu.out" "$o.run.out" && cmp -s "$o.qemu.err2" "$o.run.err2" &&
    cmp -s "$o.qemu.rc" "$o.run.rc"; then
    ok "$name (exit $(< "$o.run.rc"))"
  else
    fail "$name: exit $(< "$o.run.rc") (qemu: $(< "$o.qemu.rc"))"
    diff "$o.qemu.out" "$o.run.out" | head -5 | sed 's/^/    stdout: /'
    diff "$o.qemu.err2" "$o.run.err2" | head -5 | sed 's/^/    stderr: /'
  fi
}

# logged NAME WORD: dbt-run's log line of NAME.run says WORD ("translated
# now" or "from the cache").
logged() {
  if grep -q "^dbt-run: .*$2" "$work/out/$1.run.err"; then
    ok "$1: $2"
  else
    fail "$1: dbt-run did not log '$2':"
    sed 's/^/    /' "$work/out/$1.run.err" | head -5
  fi
}

now() { date +%s.%N; }

# 1. A dynamically linked Debian program by name, twice.
ls_args=(ls -lR --time-style=+%Y-%m-%d.%H:%M:%S)
side ls.qemu "$work/fixture" "$QEMU" -L "$sysroot" -0 ls "$sysroot/bin/ls" "${ls_args[@]:1}"
t0=$(now)
side ls.run "$work/fixture" env DBT_RUN_LOG=1 "$DBT_RUN" --sysroot "$sysroot" "${ls_args[@]}"
t1=$(now)
same ls
logged ls "translated now"
cp out/ls.run.err out/ls.first.err
side ls.run "$work/fixture" env DBT_RUN_LOG=1 DBT_SYSROOT="$sysroot" "$DBT_RUN" "${ls_args[@]}"
t2=$(now)
same ls ls-again
logged ls "from the cache"
first=$(echo "$t1 - $t0" | bc)
second=$(echo "$t2 - $t1" | bc)
echo "ls: first run $first s (translation), second run $second s (cached)"
if [[ $(echo "$second * 10 < $first" | bc) == 1 ]]; then
  ok "ls: the cached run is more than 10 times faster"
else
  fail "ls: the cached run ($second s) is not 10 times faster than the first ($first s)"
fi
n=$(find cache/programs -name 'ls-*' ! -name '.*' | wc -l)
((n == 1)) && ok "ls: one translation in the cache" || fail "ls: $n translations in the cache"

# 2. A static program by relative path, then by name in PATH.
side hello.qemu "$work" "$QEMU" ./hello
side hello.run "$work" env DBT_RUN_LOG=1 "$DBT_RUN" ./hello
same hello
logged hello "translated now"
side hello.run "$work/tmp" env DBT_RUN_LOG=1 "$DBT_RUN" hello
same hello hello-in-path
logged hello "from the cache"

# 3. argv[0], arguments, environment, exit status and signal pass through;
# restarting itself.
args=(one "two words" "")
side args.qemu "$work" env LAUNCHER_VAR=x "$QEMU" -L "$sysroot" -0 launcher_args bin/launcher_args "${args[@]}"
side args.run "$work" env LAUNCHER_VAR=x DBT_SYSROOT="$sysroot" "$DBT_RUN" launcher_args "${args[@]}"
same args
side args.run "$work" env LAUNCHER_VAR=x DBT_SYSROOT="$sysroot" "$DBT_RUN" ./bin/launcher_args "${args[@]}"
side args.qemu "$work" env LAUNCHER_VAR=x "$QEMU" -L "$sysroot" -0 ./bin/launcher_args bin/launcher_args "${args[@]}"
same args args-by-path
side args.qemu "$work" "$QEMU" -L "$sysroot" -0 launcher_args bin/launcher_args abort
side args.run "$work" env DBT_SYSROOT="$sysroot" "$DBT_RUN" launcher_args abort
same args args-abort
side args.qemu "$work" "$QEMU" -L "$sysroot" -0 launcher_args bin/launcher_args again x
for how in reexec reexec-argv0; do
  side args.run "$work" env DBT_SYSROOT="$sysroot" "$DBT_RUN" launcher_args "$how" x
  same args "args-$how"
done

# 4. Errors.
# err NAME STATUS WORDS CMD...: dbt-run exits STATUS with an error naming WORDS.
err() {
  local name=$1 want=$2 words=$3
  shift 3
  side "$name" "$work" "$@"
  local rc
  rc=$(< "out/$name.rc")
  if ((rc == want)) && grep -q "^dbt-run: error: .*$words" "out/$name.err"; then
    ok "$name (exit $rc: $(head -1 "out/$name.err"))"
  else
    fail "$name: exit $rc (want $want), stderr:"
    sed 's/^/    /' "out/$name.err" | head -5
  fi
}
err missing 127 "No such file" "$DBT_RUN" ./no-such-program
err missing-in-path 127 "not found in PATH" "$DBT_RUN" no-such-program
err not-aarch64 126 "not an AArch64" "$DBT_RUN" /bin/true
before=$(find cache/programs -name 'launcher_args-*' | wc -l)
err failed-translation 127 "translation failed" "$DBT_RUN" ./bin/launcher_args
left=$(($(find cache/programs -name 'launcher_args-*' | wc -l) - before))
tmps=$(find cache/programs -name '*.tmp.*' | wc -l)
((left == 0 && tmps == 0)) && ok "failed-translation: nothing left in the cache" ||
  fail "failed-translation: $left outputs, $tmps temporary files left in the cache"

# 5. No cache: translated into TMPDIR, run, nothing left.
side hello.run "$work" env DBT_AOT_CACHE=off "$DBT_RUN" ./hello
same hello hello-no-cache
n=$(find tmp -mindepth 1 | wc -l)
((n == 0)) && ok "hello-no-cache: TMPDIR empty" || fail "hello-no-cache: $n files left in TMPDIR"

# 6. binfmt_misc, in a namespace of its own: the kernel runs ./hello and
# launcher_args (by name, from the shell) through dbt-run.
if ((binfmt)); then
  args_q=$(printf '%q ' "${args[@]}")
  cat > binfmt-test.sh << EOF
mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2> /dev/null || exit 77
trap '"$root/scripts/binfmt.sh" unregister > /dev/null' EXIT
"$root/scripts/binfmt.sh" register "$DBT_RUN" > /dev/null || exit 1
cd "$work" || exit 1
DBT_RUN_LOG=1 ./hello > out/binfmt-hello.run.out 2> out/binfmt-hello.run.err
echo \$? > out/binfmt-hello.run.rc
DBT_SYSROOT="$sysroot" LAUNCHER_VAR=x launcher_args $args_q > out/binfmt-args.run.out 2> out/binfmt-args.run.err
echo \$? > out/binfmt-args.run.rc
EOF
  "${base_env[@]}" unshare --user --map-root-user --mount /bin/bash binfmt-test.sh
  rc=$?
  if ((rc == 77)); then
    echo "SKIP: binfmt: no binfmt_misc of our own here (needs Linux 6.7+ and user namespaces)"
  elif ((rc != 0)); then
    fail "binfmt: registering failed (exit $rc)"
  else
    side args.qemu "$work" env LAUNCHER_VAR=x "$QEMU" -L "$sysroot" -0 launcher_args bin/launcher_args "${args[@]}"
    for f in out err rc; do
      cp "out/hello.qemu.$f" "out/binfmt-hello.qemu.$f"
      cp "out/args.qemu.$f" "out/binfmt-args.qemu.$f"
    done
    same binfmt-hello
    logged binfmt-hello "from the cache"
    same binfmt-args
  fi
fi

echo "$pass passed, $failed failed"
((failed == 0))
