#!/bin/bash
# run.sh - Debian bookworm's own arm64 programs (lua5.4, xz, bzip2,
# sqlite3, coreutils, grep, sed), dynamically linked, translated with
# --sysroot and compared with qemu-aarch64 -L SYSROOT on the command lines
# of commands.txt (stdout, stderr, exit status).
#
#   run.sh [--sample] [WORKDIR]     (default WORKDIR: build/e2e-debian)
#
# The packages (packages.txt) come from tests/bench/fetch-debian.sh
# (apt-get download of arm64 .debs into DBT_CACHE_DIR, default
# build/debian-cache; the system's apt configuration is not changed).  Each program a selected line names
# is translated once (LEVEL, default -O2); its libraries come from the
# translation cache WORKDIR/aot-cache, kept between runs, so that only the
# first program translates libc.  Every line runs under bash in a fresh
# copy of a fixture directory, with PATH starting with either the
# translated programs or one qemu wrapper script per program.
#
# --sample: only the lines marked " #ci" (what ctest e2e_debian runs).
# Environment: DBT_AOT, QEMU, LEVEL, TIMEOUT (per line, default 60).
# Prints a line per failure and "N passed, N failed"; exit 1 if any
# failed, 2 if the packages or a translation cannot be had.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
sample=0
if [[ ${1:-} == --sample ]]; then
  sample=1
  shift
fi
work=${1:-$root/build/e2e-debian}
DBT_AOT=${DBT_AOT:-$root/build/dbt-aot}
QEMU=${QEMU:-$(command -v qemu-aarch64)}
LEVEL=${LEVEL:--O2}
TIMEOUT=${TIMEOUT:-60}

sysroot=$("$root/tests/e2e/sysroot.sh") || exit 2

mkdir -p "$work" || exit 2
work=$(cd "$work" && pwd)
rm -rf "$work/x86" "$work/qemu" "$work/runs" "$work/fixture"
mkdir -p "$work/x86" "$work/qemu" "$work/runs" "$work/fixture" "$work/home"
export DBT_AOT_CACHE=$work/aot-cache

# The fixture every line starts from (made with bash alone).
fx=$work/fixture
for i in $(seq 1 200); do printf 'line %03d: %s\n' $(((i * 37) % 200)) "the quick brown fox $((i * i))"; done > "$fx/data.txt"
printf '%s\n' pear apple fig banana cherry apple fig apple needle kiwi brown > "$fx/words.txt"
printf '%s\n' 10 3 250 42 7 -5 1000 0 > "$fx/nums.txt"
printf 'root:x:0:0:root:/root:/bin/bash\nbob:x:1000:1000:Bob:/home/bob:/bin/sh\n' > "$fx/passwd.txt"
mkdir -p "$fx/tree/sub/deeper"
printf 'a needle here\n' > "$fx/tree/sub/file1"
printf 'no\n' > "$fx/tree/sub/deeper/file2"
printf 'x%.0s' $(seq 1 5000) > "$fx/tree/big"
cat > "$fx/script.lua" <<'LUA'
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib(22) =", fib(22))
local t = {}
for i = 1, 200 do t[i] = (i * 7919) % 211 end
table.sort(t, function(a, b) return a > b end)
print(t[1], t[100], t[200])
print(string.format("%8.3f|%-6s|%x|%q", math.sqrt(2), "ab", 48879, "q\n"))
local ok, err = pcall(function() error({code = 7}) end)
print(ok, type(err), err.code)
local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * i) end end)
print(co(), co(), co())
print(os.time{year = 2024, month = 1, day = 1, hour = 0} ~= nil, #arg)
LUA
cat > "$fx/script.sql" <<'SQL'
create table p(id integer primary key, name text, qty int);
insert into p(name, qty) values ('nut', 5), ('bolt', 12), ('gear', 3), ('nut', 7);
create index p_name on p(name);
select name, sum(qty), count(*) from p group by name order by name;
select p1.name, p2.qty from p p1 join p p2 on p1.id = p2.id - 1 order by p1.id;
select printf('%.3f', avg(qty)), max(qty), group_concat(name, '/') from p;
with recursive c(x) as (select 1 union all select x * 2 from c where x < 1000) select count(*), max(x) from c;
SQL
touch -d '2024-01-02 03:04:05 UTC' "$fx"/* "$fx"/tree/sub/* "$fx"/tree/sub/deeper/* "$fx"/tree/sub/deeper "$fx"/tree/sub "$fx"/tree

mapfile -t all < <(grep -v '^#' "$here/commands.txt" | grep -v '^[[:space:]]*$')
lines=()
for l in "${all[@]}"; do
  if ((sample == 0)) || [[ $l == *' #ci' ]]; then
    lines+=("${l% #ci}")
  fi
done

# The programs: every word of a selected line that is a program of the
# sysroot's /usr/bin or /bin.
declare -A prog=()
for l in "${lines[@]}"; do
  for w in $l; do
    for d in usr/bin bin; do
      if [[ -z ${prog[$w]:-} && $w =~ ^[a-z0-9.]+$ && -f $sysroot/$d/$w && -x $sysroot/$d/$w ]]; then
        prog[$w]=$sysroot/$d/$w
      fi
    done
  done
done
declare -A lib_seen
twice=()
for p in $(printf '%s\n' "${!prog[@]}" | sort); do
  printf '#!/bin/sh\nexec %s -L %s -0 %s %s "$@"\n' "$QEMU" "$sysroot" "$p" "${prog[$p]}" > "$work/qemu/$p"
  chmod +x "$work/qemu/$p"
  if ! "$DBT_AOT" $LEVEL -v --sysroot "$sysroot" "${prog[$p]}" -o "$work/x86/$p" 2> "$work/runs/aot-$p.err"; then
    echo "run.sh: translating $p failed:" >&2
    grep 'error' "$work/runs/aot-$p.err" | head -3 >&2
    exit 2
  fi
  echo "translated $p: $(grep -o '[0-9]* units compiled.*from the cache' "$work/runs/aot-$p.err")"
  # Every library an earlier program needed comes from the cache now.
  while read -r lib; do
    if [[ -n ${lib_seen[$lib]:-} ]] && ! grep -qF "dbt-aot: $lib: " "$work/runs/aot-$p.err"; then
      twice+=("$lib for $p (translated for ${lib_seen[$lib]} before)")
    fi
    lib_seen[$lib]=${lib_seen[$lib]:-$p}
  done < <(sed -n 's/^dbt-aot: .* needs \([^ ]*\) (.*/\1/p' "$work/runs/aot-$p.err")
done

pass=0
failed=0
# side DIR N LINE: run LINE with DIR first in PATH, in a fresh copy of the fixture.
side() {
  local dir=$1 n=$2 line=$3 tag
  tag=$(basename "$dir")
  rm -rf "$work/runs/$n.$tag"
  cp -a "$fx" "$work/runs/$n.$tag"
  (cd "$work/runs/$n.$tag" && env -i PATH="$dir:/usr/bin:/bin" LC_ALL=C TZ=UTC HOME="$work/home" \
     timeout "$TIMEOUT" bash -c "$line" > "../$n.$tag.out" 2> "../$n.$tag.err")
  echo $? > "$work/runs/$n.$tag.rc"
}
n=0
for l in "${lines[@]}"; do
  n=$((n + 1))
  side "$work/qemu" $n "$l"
  side "$work/x86" $n "$l"
  r=$work/runs/$n
  if cmp -s "$r.qemu.out" "$r.x86.out" && cmp -s "$r.qemu.err" "$r.x86.err" && cmp -s "$r.qemu.rc" "$r.x86.rc"; then
    pass=$((pass + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $l"
    diff "$r.qemu.out" "$r.x86.out" | head -5 | sed 's/^/    out /'
    diff "$r.qemu.err" "$r.x86.err" | head -5 | sed 's/^/    err /'
    echo "    status qemu $(<"$r.qemu.rc"), translated $(<"$r.x86.rc")"
  fi
done
# same WANT GOT WHAT: one more counted check, the two files equal.
same() {
  if cmp -s "$1" "$2"; then
    pass=$((pass + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $3"
    diff "$1" "$2" | head -5 | sed 's/^/    /'
  fi
}
# Self-contained: the translated lua5.4 runs the script with the
# translation cache moved away and the sysroot hidden (a tmpfs mounted
# over it in a mount namespace of its own - root only; skipped otherwise).
if [[ -n ${prog[lua5.4]:-} ]] && unshare -m bash -c 'mount -t tmpfs none "$0"' "$work/home" 2>/dev/null; then
  (cd "$fx" && "$work/qemu/lua5.4" script.lua > "$work/runs/alone.want" 2>&1)
  mv "$DBT_AOT_CACHE" "$DBT_AOT_CACHE.away"
  (cd "$fx" && unshare -m bash -c 'mount -t tmpfs none "$0" && "$1" script.lua' "$sysroot" "$work/x86/lua5.4" \
     > "$work/runs/alone.got" 2>&1)
  mv "$DBT_AOT_CACHE.away" "$DBT_AOT_CACHE"
  same "$work/runs/alone.want" "$work/runs/alone.got" \
    "lua5.4 with the sysroot hidden and no translation cache (self-contained)"
fi
# Start-up without the JIT: ls's getopt switch (its table base in a
# callee-saved register that main reuses later) and the libraries' lazy-
# binding stubs (PLT0) are translated ahead of time, so `ls -la` runs with
# the JIT library absent.
if [[ -n ${prog[ls]:-} ]]; then
  (cd "$fx" && "$work/qemu/ls" -la > "$work/runs/nojit.want" 2>&1)
  (cd "$fx" && DBT_JIT_LIB=/nonexistent "$work/x86/ls" -la > "$work/runs/nojit.got" 2>&1)
  same "$work/runs/nojit.want" "$work/runs/nojit.got" "ls -la with the JIT absent"
fi
# Translate once: a library is compiled for the first program that needs
# it and taken from the cache by every later one (-v: "LIB: N units from
# the cache"), e.g. sqlite3 after lua5.4 compiles only libsqlite3 and libz.
if ((${#prog[@]} > 1)); then
  if ((${#twice[@]} == 0)); then
    pass=$((pass + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL: translated again: %s\n' "${twice[@]}"
  fi
fi
echo "$pass passed, $failed failed (${#prog[@]} programs, $LEVEL)"
((failed == 0))
