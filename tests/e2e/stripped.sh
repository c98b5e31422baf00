#!/bin/bash
# stripped.sh - a stripped program is recovered like its unstripped twin.
#
#   stripped.sh [WORKDIR]        (default: build/e2e-stripped)
#
# Without a symbol table, control-flow recovery once took every direct
# branch to a not-yet-known address as internal to the current function:
# code reached by tail calls, the code after noreturn calls and data in
# the text were translated again inside each caller (a static hello:
# 201,674 guest instructions instead of 78,379, 1,156 untranslated words).
# For each program below this script builds it -O2 -static, strips a copy
# (same base name, so argv[0] agrees), translates both with --time-report
# and checks that the stripped translation
#   - recovers within 5% of the unstripped instruction count, and has no
#     more than 5% (+2) more untranslated words;
#   - prints, exits and dies exactly as qemu-aarch64 does (compare.sh).
# Environment:
#   DBT_AOT        the translator (default: build/dbt-aot)
#   DBT_AOT_FLAGS  extra translator options for the stripped translation
#   AARCH64_CC     the guest compiler (default: aarch64-linux-gnu-gcc)
#   AARCH64_STRIP  the strip tool (default: AARCH64_CC with gcc -> strip)
#   QEMU           the oracle (default: qemu-aarch64)
# Prints one PASS/FAIL line per check and "N passed, N failed" at the end;
# exits 1 if anything failed, 2 on a usage error.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${1:-$root/build/e2e-stripped}
export DBT_AOT=${DBT_AOT:-$root/build/dbt-aot}
export QEMU=${QEMU:-qemu-aarch64}
AARCH64_CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
AARCH64_STRIP=${AARCH64_STRIP:-${AARCH64_CC%gcc}strip}
if ! command -v "$AARCH64_STRIP" >/dev/null; then
  AARCH64_STRIP=aarch64-linux-gnu-strip
fi
compare=$here/compare.sh

# The programs: hello (all of static glibc's start-up and stdio), and the
# regression programs whose control flow depends most on function extents.
sources=(
  "$root/examples/hello.c"
  "$here/programs/switch_jump_tables.c"
  "$here/programs/stripped_tail_calls.c"
  "$here/programs/setjmp_loop.c"
)

mkdir -p "$work/full" "$work/stripped" "$work/x86" "$work/report" || exit 2
work=$(cd "$work" && pwd)

# json_number FILE KEY: the top-level number KEY of a --time-report file
# (one "key": value pair per line at the top level).
json_number() {
  sed -n "s/^  \"$2\": \([0-9][0-9]*\),\{0,1\}\$/\1/p" "$1" | head -n 1
}

pass=0
failed=0
failures=()
fail() {
  echo "FAIL: $1"
  failed=$((failed + 1))
  failures+=("$1")
}

for src in "${sources[@]}"; do
  name=$(basename "$src" .c)
  full=$work/full/$name
  stripped=$work/stripped/$name
  out=$work/x86/$name
  read -ra cflags < <(sed -n 's/^ \* cflags: //p' "$src")
  if ! "$AARCH64_CC" -O2 "${cflags[@]}" -static -o "$full" "$src"; then
    fail "$name: cannot build $src with $AARCH64_CC"
    continue
  fi
  if ! "$AARCH64_STRIP" -o "$stripped" "$full"; then
    fail "$name: $AARCH64_STRIP failed"
    continue
  fi

  # The unstripped twin only for its counts: -O0 is enough (the counts
  # come from control-flow recovery, before any optimization).
  full_json=$work/report/$name.full.json
  strip_json=$work/report/$name.stripped.json
  if ! "$DBT_AOT" -O0 --time-report="$full_json" "$full" -o "$work/report/$name.full.x86" \
    >"$work/report/$name.full.log" 2>&1; then
    fail "$name: translating the unstripped build failed (see $work/report/$name.full.log)"
    continue
  fi
  rm -f "$work/report/$name.full.x86"
  # shellcheck disable=SC2086 # DBT_AOT_FLAGS is a list of options
  if ! "$DBT_AOT" ${DBT_AOT_FLAGS:-} --time-report="$strip_json" "$stripped" -o "$out" \
    >"$work/report/$name.stripped.log" 2>&1; then
    fail "$name: translating the stripped build failed:"
    sed 's/^/  | /' "$work/report/$name.stripped.log" | head -n 20
    continue
  fi

  fi_n=$(json_number "$full_json" guest_instructions)
  si_n=$(json_number "$strip_json" guest_instructions)
  ff_n=$(json_number "$full_json" functions)
  sf_n=$(json_number "$strip_json" functions)
  fu_n=$(json_number "$full_json" untranslated)
  su_n=$(json_number "$strip_json" untranslated)
  if [[ -z $fi_n || -z $si_n || -z $fu_n || -z $su_n ]]; then
    fail "$name: no guest_instructions/untranslated in $full_json or $strip_json"
    continue
  fi
  counts="unstripped $ff_n functions, $fi_n instructions, $fu_n untranslated;"
  counts+=" stripped $sf_n, $si_n, $su_n"
  if ((si_n * 100 > fi_n * 105 || si_n * 100 < fi_n * 95)); then
    fail "$name: stripped instruction count not within 5% of the unstripped one ($counts)"
  elif ((su_n * 100 > fu_n * 105 + 200)); then
    fail "$name: stripped build has more untranslated words (data decoded as code?) ($counts)"
  else
    echo "PASS: $name: recovery ($counts)"
    pass=$((pass + 1))
  fi

  if "$compare" --no-translate -o "$out" "$stripped" first second; then
    pass=$((pass + 1))
  else
    fail "$name: stripped translation differs from qemu-aarch64"
  fi
done

# A stripped setjmp has no name: its code (glibc's __sigsetjmp) makes the
# return sites of its calls landings, so the longjmps land in main's frame
# with the JIT absent.
sj=$work/stripped/setjmp_loop
if [[ -x $work/x86/setjmp_loop ]] && "$QEMU" "$sj" >"$work/setjmp.want" 2>&1 &&
  DBT_JIT_LIB=/nonexistent "$work/x86/setjmp_loop" >"$work/setjmp.got" 2>&1 &&
  cmp -s "$work/setjmp.want" "$work/setjmp.got"; then
  echo "PASS: setjmp_loop: stripped, longjmp lands without the JIT"
  pass=$((pass + 1))
else
  fail "setjmp_loop: stripped, with the JIT absent: not what qemu-aarch64 prints"
fi

echo
if ((failed > 0)); then
  echo "failed:"
  printf '  %s\n' "${failures[@]}"
fi
echo "$pass passed, $failed failed"
((failed == 0))
