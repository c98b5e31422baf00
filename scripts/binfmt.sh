#!/bin/bash
# binfmt.sh - let the kernel run AArch64 programs through dbt-run
# (binfmt_misc): afterwards `./prog` of an AArch64 ELF executable is
# `dbt-run ./prog` - translated on first use, from the cache after that.
#
#   scripts/binfmt.sh register [DBT_RUN]   (default: dbt-run in PATH, else build/dbt-run)
#   scripts/binfmt.sh unregister
#   scripts/binfmt.sh status
#
# The entry is named dbt-aarch64.  It matches the first 20 bytes of an ELF
# header: 64-bit, little-endian, any OS ABI, e_type ET_EXEC or ET_DYN (the
# mask's 0xfe), e_machine EM_AARCH64 (0xb7):
#
#   magic 7f 45 4c 46 02 01 01 00 | 00 00 00 00 00 00 00 00 | 02 00 b7 00
#   mask  ff ff ff ff ff ff ff 00 | ff ff ff ff ff ff ff ff | fe ff ff ff
#
# with the flag P (preserve argv[0]): the kernel runs
# `dbt-run FILE ARGV0 ARGS...` and dbt-run gives the program the argv[0] it
# was started with (dbt-run recognizes this form by its AT_EXECFN, which
# names the AArch64 file).  Without F the interpreter is looked up by path
# at every exec, so a rebuilt dbt-run is used at once; DBT_SYSROOT,
# DBT_RUN_FLAGS and DBT_AOT_CACHE come from the environment of whoever runs
# the program.
#
# qemu-user-binfmt (or qemu-user-static) registers qemu-aarch64 for the
# same magic.  When both entries are enabled the kernel takes the one
# registered last (binfmt_misc tries its entries newest first); disable the
# other with `echo 0 > /proc/sys/fs/binfmt_misc/qemu-aarch64` (1 enables it
# again).  `status` lists every enabled entry that matches AArch64.
#
# Needs root; register mounts binfmt_misc on /proc/sys/fs/binfmt_misc if
# it is not mounted (it stays mounted).  Exit status: 0 done (status:
# registered and enabled), 1 not (status) or failed, 2 usage.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
fs=/proc/sys/fs/binfmt_misc
name=dbt-aarch64
magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
# How /proc/sys/fs/binfmt_misc/NAME shows that magic.
magic_hex=7f454c460201010000000000000000000200b700

die() { echo "binfmt.sh: error: $*" >&2; exit 1; }

mounted() { [[ -e $fs/register ]]; }

status() {
  if ! mounted; then
    echo "binfmt_misc is not mounted on $fs: nothing is registered"
    return 1
  fi
  local rc=1 e
  for e in "$fs"/*; do
    [[ $(basename "$e") == register || $(basename "$e") == status ]] && continue
    grep -q "^magic $magic_hex" "$e" 2> /dev/null || continue
    echo "$(basename "$e"): $(head -1 "$e"), $(grep '^interpreter' "$e"), $(grep '^flags' "$e")"
    if [[ $(basename "$e") == "$name" && $(head -1 "$e") == enabled ]]; then
      rc=0
    fi
  done
  ((rc == 0)) || echo "$name is not registered (or disabled)"
  return $rc
}

case ${1:-} in
  register)
    run=${2:-$(command -v dbt-run || echo "$root/build/dbt-run")}
    [[ -x $run ]] || die "$run: no dbt-run there (give its path: binfmt.sh register PATH)"
    run=$(realpath "$run")
    [[ -x $(dirname "$run")/dbt-aot ]] || die "$(dirname "$run")/dbt-aot missing: dbt-run runs the dbt-aot next to it"
    if ! mounted; then
      mount -t binfmt_misc binfmt_misc "$fs" || die "cannot mount binfmt_misc on $fs (root needed)"
    fi
    if [[ -e $fs/$name ]]; then
      echo -1 > "$fs/$name" || die "cannot remove the old $name entry"
    fi
    printf '%s' ":$name:M::$magic:$mask:$run:P" > "$fs/register" || die "cannot register $name (root needed)"
    status
    ;;
  unregister)
    if mounted && [[ -e $fs/$name ]]; then
      echo -1 > "$fs/$name" || die "cannot remove $name"
      echo "$name removed"
    else
      echo "$name was not registered"
    fi
    ;;
  status)
    status
    ;;
  *)
    echo "usage: binfmt.sh register [DBT_RUN] | unregister | status" >&2
    exit 2
    ;;
esac
