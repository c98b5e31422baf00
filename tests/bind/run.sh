#!/bin/bash
# run.sh - the host-library bindings (issue 15, docs/bindings.md).
#
#   DBT_AOT=build/dbt-aot AARCH64_CC=aarch64-linux-gnu-gcc tests/bind/run.sh WORKDIR
#
# 1. Equivalence: equiv.c calls every bound function CASES times per seed
#    on random inputs and prints a hash of the results per function; the
#    lines of qemu-aarch64 (the guest's glibc, the oracle), of the
#    translation with its bindings and of the same translation with
#    DBT_BIND=none must be identical.
#    kinds.c does the same for every kind of argument and result (the
#    functions of runtime/bind_selftest.c, built into it for the guest):
#    integers of each width and signedness, float and double, mixed, more
#    arguments than registers, void; the FP flags the host code raises and
#    the guest's rounding mode; a bad pointer (SIGSEGV, as under qemu);
#    callbacks: a guest function passed to a bound one (qsort, bsearch,
#    dbt_bindtest_apply), one that calls bound functions again with a
#    callback of its own, qsort in two threads at once, longjmp out of a
#    comparator.
#    libm.c does it for 106 libm functions (the bound ones and the rest),
#    in round-to-nearest and, shorter, rounding up and toward zero.
# 2. Coverage: every binding the runtime knows (DBT_LOG=bind) is bound in
#    equiv or kinds (--report's bound_functions): a table row whose guest
#    names glibc does not use would be found here.
# 3. The host's function really runs: gdb stops in the host's strspn with
#    the bindings on, and not with DBT_BIND=none or a --bind=none translation.
# 3b. Content: a static program with its own strcmp (not glibc's aarch64
#    code, whose magnitudes runtime/bind_a64.c imitates) keeps it unbound;
#    equiv stripped binds glibc's functions by their bytes, with the same
#    results.
# 4. The switches: --bind=none binds nothing; a bad --bind is refused; a bad
#    DBT_BIND is named in a warning.
# 5. With E2E_SYSROOT (a Debian arm64 root, or "debian": tests/e2e/sysroot.sh)
#    the same equivalence for equiv built dynamically linked: the bindings
#    of the translated libc.so.6.
#
# 6. With E2E_SYSROOT also zlib.c: zlib streams of every kind against
#    Debian's arm64 libz.a, and which streams the gate gives the host.
#
# 7. With E2E_SYSROOT also crypto.c: OpenSSL's digests against Debian's
#    arm64 libcrypto.a, and contexts passed between the two sides.
#
# Environment: CASES (default 20000), SEEDS (default "1 2"), KIND_CASES
# (default 2000), ZLIB_CASES (default 100), CRYPTO_CASES (default 2000),
# LIBM_CASES (default 20000).
set -uo pipefail
tool=$(realpath "${DBT_AOT:?set DBT_AOT}")
here=$(cd "$(dirname "$0")" && pwd)
cc=${AARCH64_CC:-aarch64-linux-gnu-gcc}
qemu=${QEMU:-qemu-aarch64}
cases=${CASES:-20000}
seeds=${SEEDS:-1 2}
work=${1:?usage: run.sh WORKDIR}
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
pass=0 fail=0
ok() { echo "PASS: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }

# equivalence NAME PROG.arm PROG.x86 [QEMU OPTIONS...]
equivalence() {
  local name=$1 arm=$2 x86=$3
  shift 3
  for seed in $seeds; do
    "$qemu" "$@" "./$arm" "$cases" "$seed" >"$name.$seed.qemu" || { bad "$name: qemu run failed"; continue; }
    "./$x86" "$cases" "$seed" >"$name.$seed.bound" 2>"$name.$seed.bound.err" || { bad "$name: translated run failed"; continue; }
    DBT_BIND=none "./$x86" "$cases" "$seed" >"$name.$seed.none" || { bad "$name: DBT_BIND=none run failed"; continue; }
    local n
    n=$(wc -l <"$name.$seed.qemu")
    if cmp -s "$name.$seed.qemu" "$name.$seed.bound" && cmp -s "$name.$seed.qemu" "$name.$seed.none"; then
      ok "$name: seed $seed: $n result lines of $cases cases each: bound, unbound and qemu agree"
    else
      bad "$name: seed $seed: results differ (qemu | bound | DBT_BIND=none)"
      paste "$name.$seed.qemu" "$name.$seed.bound" "$name.$seed.none" | awk '$3 != $6 || $3 != $9'
    fi
  done
}

"$cc" -O2 -static -fno-builtin "$here/equiv.c" -o equiv.arm || exit 2
"$tool" --report=equiv.json equiv.arm -o equiv.x86 || exit 2
reports=(equiv.json)
equivalence static equiv.arm equiv.x86

# --- a stripped static program: its functions known by their bytes ------------
aarch64-linux-gnu-strip -o equiv-stripped.arm equiv.arm || exit 2
"$tool" --report=stripped.json equiv-stripped.arm -o equiv-stripped.x86 || exit 2
stripped=$(python3 -c 'import json,sys; print(" ".join(sorted({b["binding"] for b in json.load(open(sys.argv[1]))["bound_functions"]})))' stripped.json)
missing=$(comm -23 <(tr ' ' '\n' <<<"memchr memcmp memcpy memmove memset strchr strcmp strlen strrchr" | sort) <(tr ' ' '\n' <<<"$stripped" | sort))
[[ -z $missing ]] && ok "stripped: bound by their bytes: $stripped" || bad "stripped: not bound: $missing (bound: $stripped)"
equivalence stripped equiv-stripped.arm equiv-stripped.x86

# --- libm: the bound functions against the guest's, in three rounding modes ---
"$cc" -O2 -static -fno-builtin -ffp-contract=off "$here/libm.c" -o libm.arm -lm || exit 2
"$tool" --report=libm.json libm.arm -o libm.x86 || exit 2
reports+=(libm.json)
cases=${LIBM_CASES:-20000} equivalence libm libm.arm libm.x86
for mode in up zero; do
  "$qemu" ./libm.arm 5000 3 round $mode >"libm.$mode.qemu"
  if [[ -s libm.$mode.qemu ]] && cmp -s "libm.$mode.qemu" <(./libm.x86 5000 3 round $mode); then
    ok "libm: rounding $mode: as qemu's (the gates keep the host's code out)"
  else
    bad "libm: rounding $mode: results differ from qemu's"
  fi
done

# --- every kind of argument and result ---------------------------------------
"$cc" -O2 -static -pthread -ffp-contract=off -I"$here/../../runtime" "$here/kinds.c" "$here/../../runtime/bind_selftest.c" -lm \
  -o kinds.arm || exit 2
# --bind=all: qsort and bsearch too (the translator leaves them out by default)
"$tool" --bind=all --report=kinds.json kinds.arm -o kinds.x86 || exit 2
reports+=(kinds.json)
cases=${KIND_CASES:-2000} equivalence kinds kinds.arm kinds.x86
# three_way MODE WHAT: kinds MODE under qemu, bound and DBT_BIND=none
three_way() {
  "$qemu" ./kinds.arm "$1" >"$1.qemu"
  ./kinds.x86 "$1" >"$1.bound"
  DBT_BIND=none ./kinds.x86 "$1" >"$1.none"
  if [[ -s $1.qemu ]] && cmp -s "$1.qemu" "$1.bound" && cmp -s "$1.qemu" "$1.none"; then
    ok "$1: $2: as qemu's"
  else
    bad "$1: $2: results differ (qemu | bound | none)"; paste "$1.qemu" "$1.bound" "$1.none" | head -5
  fi
}
three_way fenv "FP flags and the 4 rounding modes"
three_way callbacks "apply, nested bound calls, callbacks from the library's own threads, qsort/bsearch, two threads, 100 longjmps out of qsort"
three_way segv "bad pointers to strlen, memchr, strcmp, dbt_bindtest_store: the guest's SIGSEGV handler"
# The status through sh -c: bash would print "Segmentation fault" itself.
status() { sh -c '"$0" "$@" >/dev/null 2>&1; echo $?' "$@"; }
q=$(status "$qemu" ./kinds.arm null)
b=$(status ./kinds.x86 null)
[[ $q == "$b" && $b -ge 128 ]] && ok "kinds: a bad pointer to a bound function: status $b as under qemu" ||
  bad "kinds: a bad pointer: status $b, qemu $q"

# --- the host's code runs (and does not when switched off) -----------------
"$tool" --bind=none --report=none.json equiv.arm -o equiv-none.x86 || exit 2
nb=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["bound_functions"]))' none.json)
[[ $nb == 0 ]] && ok "--bind=none: no function bound" || bad "--bind=none: $nb functions bound"
"$tool" --report=default.json kinds.arm -o kinds-default.x86 || exit 2
sorts=$(python3 -c 'import json,sys; print(sum(b["binding"] in ("qsort", "bsearch") for b in json.load(open(sys.argv[1]))["bound_functions"]))' default.json)
[[ $sorts == 0 ]] && ok "default: qsort and bsearch not bound" || bad "default: $sorts of qsort/bsearch bound"
cmp -s <(./equiv-none.x86 2000 3) <("$qemu" ./equiv.arm 2000 3) && ok "--bind=none: results as qemu's" ||
  bad "--bind=none: results differ from qemu's"
if command -v gdb >/dev/null; then
  # gdb_run PROG ENV...: break at every strspn, the translated guest's (a
  # local symbol of the output at 0x2000...) and the host libc's, and stop
  # three times; prints "GUEST_STOPS HOST_STOPS".
  # gdb 13 sometimes takes such a breakpoint for a gnu-indirect-function
  # resolver's (the host's strspn is an ifunc) and dies on an internal
  # assertion when the resolver returns; then the translated strspn gets a
  # breakpoint of its own by address and the host's is not counted
  # ("- " for it).
  gdb_run() {
    local prog=$1 out
    shift
    out=$(env "$@" gdb -batch -nx -ex 'set breakpoint pending on' -ex 'break strspn' -ex 'run 2000 1 >/dev/null' \
      -ex continue -ex continue "./$prog" 2>&1)
    if grep -q 'internal-error' <<<"$out"; then
      local addr
      addr=$(nm "./$prog" | awk '$3 == "strspn" { print $1; exit }')
      env "$@" gdb -batch -nx -ex "break *0x$addr" -ex 'run 2000 1 >/dev/null' -ex continue -ex continue \
        "./$prog" 2>&1 | grep -E '^Breakpoint 1, ' >"gdb.$prog.$#" || true
      echo "$(grep -c ', 0x00002000' "gdb.$prog.$#") -"
      return
    fi
    grep -E '^Breakpoint 1\.[0-9]+, ' <<<"$out" >"gdb.$prog.$#" || true
    echo "$(grep -c ', 0x00002000' "gdb.$prog.$#") $(grep -vc ', 0x00002000' "gdb.$prog.$#")"
  }
  # With the bindings off the guest's strspn runs (gdb works) and the
  # host's never; on, the host's runs - called at the call site, so that
  # the translated strspn need not be entered at all (lifter/bind.c).
  check_gdb() { # WHAT EXPECT_HOST PROG ENV...
    local what=$1 expect=$2 g h
    shift 2
    read -r g h <<<"$(gdb_run "$@")"
    if [[ $h == - ]]; then
      if ((expect)); then echo "SKIP: gdb: $what: gdb failed on the host's ifunc breakpoint"
      elif ((g == 0)); then bad "gdb: $what: never stopped in the translated strspn"
      else ok "gdb: $what: $g stops in the translated strspn (the host's not checked: gdb failed on its ifunc)"
      fi
      return
    fi
    if ((!expect && g == 0)); then bad "gdb: $what: never stopped in the translated strspn"
    elif ((expect && h == 0)); then bad "gdb: $what: no stop in the host's strspn"
    elif ((!expect && h > 0)); then bad "gdb: $what: stopped in the host's strspn"
    else ok "gdb: $what: $g stops in the translated strspn, $h in the host's"
    fi
  }
  check_gdb "bound" 1 equiv.x86
  check_gdb "DBT_BIND=none" 0 equiv.x86 DBT_BIND=none
  check_gdb "DBT_BIND=-strspn" 0 equiv.x86 DBT_BIND=-strspn
  check_gdb "DBT_BIND=none,strspn" 1 equiv.x86 DBT_BIND=none,strspn
  check_gdb "--bind=none" 0 equiv-none.x86
else
  echo "SKIP: gdb is missing (scripts/install-deps.sh installs it)"
fi

# --- a strcmp that is not glibc's aarch64 code stays the guest's ---------------
# (its magnitudes are its own: bind_needs_known_code: only glibc's exact bytes)
cat >own.c <<'EOF'
#include <stdio.h>
#include <string.h>
int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (*a > *b) - (*a < *b) + 1000 * (*a != *b);
}
int main(int argc, char **argv) { printf("%d %zu\n", strcmp(argv[argc - 1], "x"), strlen(argv[0])); return 0; }
EOF
"$cc" -O2 -static -fno-builtin own.c -o own.arm || exit 2
"$tool" --report=own.json own.arm -o own.x86 || exit 2
own=$(python3 -c 'import json,sys; print(" ".join(sorted({b["binding"] for b in json.load(open(sys.argv[1]))["bound_functions"]} & {"strcmp", "strlen"})))' own.json)
[[ $own == strlen ]] && [[ $(./own.x86 a) == "$("$qemu" ./own.arm a)" ]] &&
  ok "a program's own strcmp is not bound (glibc's strlen is): prints $(./own.x86 a) as under qemu" ||
  bad "own strcmp: bound: '$own' (want strlen only); output $(./own.x86 a) against qemu's $("$qemu" ./own.arm a)"

# --- the switches ------------------------------------------------------------
"$tool" --bind=memcpy,bogus equiv.arm -o bogus.x86 2>bogus.err
rc=$?
[[ $rc == 2 ]] && grep -q "unknown library or function 'bogus'" bogus.err && [[ ! -e bogus.x86 ]] &&
  ok "--bind=bogus refused" || bad "--bind=bogus: status $rc, $(cat bogus.err)"
DBT_BIND=-strlen,nonsense ./equiv.x86 10 1 >/dev/null 2>warn.err
grep -q "DBT_BIND: unknown library or function 'nonsense'" warn.err && ok "DBT_BIND=nonsense warned" ||
  bad "DBT_BIND=nonsense: no warning ($(cat warn.err))"

# --- dynamically linked: the bindings of the translated libc.so.6 ------------
sysroot=${E2E_SYSROOT:-}
[[ $sysroot == debian ]] && { sysroot=$("$here/../e2e/sysroot.sh") || exit 2; }
if [[ -n $sysroot ]]; then
  "$cc" -O2 -fno-builtin "$here/equiv.c" -o equivd.arm || exit 2
  "$tool" --sysroot "$sysroot" --report=equivd.json equivd.arm -o equivd.x86 || exit 2
  # The same bindings as the static program: the IFUNCs of the stripped
  # libc.so.6 (memcpy, strlen, ...) through the implementations their
  # resolvers return.
  names() { python3 -c 'import json,sys; print(" ".join(sorted({b["binding"] for b in json.load(open(sys.argv[1]))["bound_functions"]})))' "$1"; }
  nd=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["bound_functions"]))' equivd.json)
  [[ $(names equivd.json) == "$(names equiv.json)" ]] &&
    ok "dynamic: $nd functions of libc.so.6 bound, as the static program's $(wc -w <<<"$(names equiv.json)") bindings" ||
    bad "dynamic: libc.so.6 binds $(names equivd.json); the static program $(names equiv.json)"
  equivalence dynamic equivd.arm equivd.x86 -L "$sysroot"

  # --- zlib: Debian's arm64 libz.a in a static program ---------------------
  "$cc" -O2 -static -idirafter "$sysroot/usr/include" "$here/zlib.c" "$sysroot/usr/lib/aarch64-linux-gnu/libz.a" \
    -o zlib.arm || exit 2
  "$tool" --report=zlib.json zlib.arm -o zlib.x86 || exit 2
  reports+=(zlib.json)
  zlib_ran=1
  cases=${ZLIB_CASES:-100} equivalence zlib zlib.arm zlib.x86
  # The same program dynamically linked: the translated libz.so.1 binds by
  # its .dynsym names.
  "$cc" -O2 -idirafter "$sysroot/usr/include" "$here/zlib.c" "$sysroot/lib/aarch64-linux-gnu/libz.so.1" \
    -Wl,-rpath-link,"$sysroot/lib/aarch64-linux-gnu" -o zlibd.arm || exit 2
  "$tool" --sysroot "$sysroot" --report=zlibd.json zlibd.arm -o zlibd.x86 || exit 2
  nz=$(python3 -c 'import json,sys; print(sum(b["binding"] in ("deflate", "inflate", "crc32") for b in json.load(open(sys.argv[1]))["bound_functions"]))' zlibd.json)
  [[ $nz == 3 ]] && ok "dynamic zlib: libz.so.1's deflate, inflate and crc32 bound" || bad "dynamic zlib: $nz of deflate, inflate, crc32 bound"
  cases=${ZLIB_CASES:-100} equivalence zlib-dynamic zlibd.arm zlibd.x86 -L "$sysroot"
  DBT_LOG=bind ./zlib.x86 5 >/dev/null 2>zlib.log
  host=$(grep -c "to the host's zlib" zlib.log) own=$(grep -c "stays with the guest's zlib: the guest's own allocators" zlib.log)
  version=$(grep -c "stays with the guest's zlib: the guest's zlib is another version" zlib.log)
  [[ $host -gt 0 && $own == 20 && $version == 1 ]] &&
    ok "zlib: $host streams went to the host's zlib; 20 with the guest's allocators and 1 of another version did not" ||
    bad "zlib: streams to the host $host, with own allocators kept $own (20), of another version kept $version (1)"

  # --- libcrypto: Debian's arm64 libcrypto.a (OpenSSL 3) in a static program --
  "$cc" -O2 -static -idirafter "$sysroot/usr/include" -idirafter "$sysroot/usr/include/aarch64-linux-gnu" \
    "$here/crypto.c" "$sysroot/usr/lib/aarch64-linux-gnu/libcrypto.a" -lpthread -ldl -o crypto.arm 2>crypto.build.log ||
    { cat crypto.build.log; exit 2; }
  "$tool" --report=crypto.json crypto.arm -o crypto.x86 || exit 2
  reports+=(crypto.json)
  crypto_ran=1
  cases=${CRYPTO_CASES:-2000} equivalence crypto crypto.arm crypto.x86
  # Contexts begun by one side and continued by the other.
  mixed=-SHA1_Init,-SHA224_Update,-SHA256_Final,-SHA384_Init,-SHA384_Final,-SHA512_Update,-MD5_Final
  cmp -s <(DBT_BIND=$mixed ./crypto.x86 500 3) <("$qemu" ./crypto.arm 500 3) &&
    ok "crypto: contexts passed between the host's and the guest's code (DBT_BIND=$mixed): as qemu's" ||
    bad "crypto: mixed host and guest digests differ from qemu's"
else
  echo "SKIP: dynamic, zlib, libcrypto (set E2E_SYSROOT)"
fi

# --- every binding is used by one of the programs ----------------------------
# (zlib's and libcrypto's rows only when their programs ran: they need the
# sysroot's libz.a and libcrypto.a)
skip="host bindings of zlib:|host bindings of libcrypto:"
[[ -n ${zlib_ran:-} && -n ${crypto_ran:-} ]] && skip="(none skipped)"
known=$(DBT_LOG=bind ./equiv.x86 1 1 2>&1 >/dev/null | grep -vE "$skip" |
  sed -n 's/^dbt: host bindings of [^:]*: on: *\([^;]*\);.*/\1/p' |
  tr ' ' '\n' | grep -vx none | grep . | sort -u)
bound=$(python3 -c 'import json,sys; print("\n".join(sorted({b["binding"] for f in sys.argv[1:] for b in json.load(open(f))["bound_functions"]})))' "${reports[@]}")
if [[ -z $known ]]; then
  bad "coverage: DBT_LOG=bind printed no binding"
elif [[ $known == "$bound" ]]; then
  ok "coverage: all $(wc -l <<<"$known") bindings bound in the test programs"
else
  bad "coverage: bindings no test program binds: $(comm -23 <(echo "$known") <(echo "$bound") | tr '\n' ' ')"
fi

echo "bind: $pass passed, $fail failed"
((fail == 0))
