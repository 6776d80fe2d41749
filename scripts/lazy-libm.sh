#!/usr/bin/env bash
# Writes Sources/CLazyLibm/lazy_libm_symbols.h: the names it lists already, plus every
# libm function a release binary still imports from libm.so.6 (a toolchain that calls
# one more). Then add a call of each new name to scripts/check-lazy-libm.c.
#
#   scripts/lazy-libm.sh dist/mfactl && make check-release
#   scripts/lazy-libm.sh --imports dist/mfactl    # only list what it imports from libm
#                                                 # (scripts/check-startup.sh uses this)
set -euo pipefail
cd "$(dirname "$0")/.."
header=Sources/CLazyLibm/lazy_libm_symbols.h

# imports BINARY: the names BINARY imports that libm.so.6 defines, one a line.
imports() {
  local libm
  libm=$(ldconfig -p | awk '$1 == "libm.so.6" && /x86-64/ {print $NF; exit}')
  nm -D --undefined-only "$1" | awk '{print $2}' | sed 's/@.*//' |
    grep -Fxf <(nm -D --defined-only "${libm:-/lib/x86_64-linux-gnu/libm.so.6}" | awk '{print $3}' | sed 's/@.*//') || true
}

if [ "${1:-}" = --imports ]; then
  imports "${2:?usage: lazy-libm.sh --imports BINARY}"
  exit 0
fi
bin=${1:?usage: lazy-libm.sh RELEASE_BINARY}
{
  sed -n 's/^ *X(\([a-z0-9_]*\)).*/\1/p' "$header"
  imports "$bin"
} | sort -u | grep -vxF -e ceil >"$header.names" # ceil is defined in lazy_libm.c itself
{
  cat <<'HEAD'
// The libm functions the release binary imports, as X(name) entries for lazy_libm.c.
// Written by scripts/lazy-libm.sh from the binary's imports; do not edit by hand.
// scripts/check-startup.sh fails when a release binary needs libm.so.6 at start again,
// which is what a name missing here does (a toolchain that calls one more libm function).
// ceil is not here: lazy_libm.c defines it (Dictionary calls it on every command).
#define MFACTL_LAZY_LIBM_SYMBOLS \
HEAD
  sed 's/.*/  X(&) \\/' "$header.names" | sed '$ s/ \\$//'
} >"$header"
rm -f "$header.names"
echo "lazy-libm: $(grep -c '^  X(' "$header") names in $header"
