#!/bin/bash
# warm_cache.sh - translate ld.so, libc.so and libm.so of the Debian arm64
# root (tests/e2e/sysroot.sh) at the default level into the translation
# cache DBT_AOT_CACHE, by translating one small program that needs them,
# so that the test suites run with E2E_SYSROOT=debian (ctest: e2e_programs,
# e2e_threads, e2e_fenv) each translate only their own programs.  A ctest
# fixture: the suites start after it, never two libc translations at once.
#
#   DBT_AOT_CACHE=DIR tests/e2e/warm_cache.sh [WORKDIR]
#
# Environment: DBT_AOT, AARCH64_CC as in the other e2e scripts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${1:-$root/build/e2e-warm-cache}
DBT_AOT=${DBT_AOT:-$root/build/dbt-aot}
AARCH64_CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
: "${DBT_AOT_CACHE:?warm_cache.sh: set DBT_AOT_CACHE}"
export DBT_AOT_CACHE
sysroot=$("$here/sysroot.sh")
mkdir -p "$work"
# cos of a run-time value: libm.so is needed (not folded by the compiler).
printf '#include <math.h>\n#include <stdio.h>\nint main(int c, char **v) { printf("%%.3f\\n", cos(c)); return 0; }\n' \
  > "$work/warm.c"
"$AARCH64_CC" -O2 -o "$work/warm" "$work/warm.c" -Wl,--no-as-needed -lm
"$DBT_AOT" -v --sysroot "$sysroot" "$work/warm" -o "$work/warm.x86" 2>&1 | grep -E 'from the cache|units compiled|wrote'
out=$("$work/warm.x86")
[[ $out == 0.540 ]] || { echo "warm_cache.sh: the translated program printed '$out', not 0.540" >&2; exit 1; }
"$DBT_AOT" --cache-info
