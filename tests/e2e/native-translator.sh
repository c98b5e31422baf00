#!/bin/bash
# native-translator.sh - a stand-in for dbt-aot used by selftest.sh to check
# the harness itself: "translates" GUEST by copying the native x86-64 build
# of the same source, $NATIVE_DIR/<basename of GUEST>.  A correct translation
# must behave exactly like it for the deterministic examples.
#
#   NATIVE_DIR=DIR native-translator.sh GUEST -o OUT
set -euo pipefail
[[ $# -eq 3 && $2 == -o ]] || { echo "usage: NATIVE_DIR=DIR $0 GUEST -o OUT" >&2; exit 2; }
src=${NATIVE_DIR:?NATIVE_DIR is not set}/$(basename "$1")
[[ -x $src ]] || { echo "native-translator: no native build $src" >&2; exit 1; }
cp "$src" "$3"
