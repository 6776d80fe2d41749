#!/usr/bin/env bash
# Checks the release build's lazy libm (Sources/CLazyLibm/lazy_libm.c):
# - scripts/check-lazy-libm.c, linked with lazy_libm.c and without libm, calls every
#   function the symbol list names through its trampoline and compares each result with
#   libm's own, bit for bit (the first call binds, the second goes through the slot);
# - that program does not need libm.so.6 at start (the trampolines define every name);
# - every name of lazy_libm_symbols.h is called by the check program;
# - ceil, which lazy_libm.c defines itself, equals libm's over edge cases and a million
#   random doubles.
# Run by `make test`; x86-64 Linux only (elsewhere the release build links libm).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname -m)" = x86_64 ] || { echo "check-lazy-libm: skipped (not x86-64)"; exit 0; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-lazy-libm.XXXXXX")
trap 'rm -rf "$work"' EXIT
src=Sources/CLazyLibm
names=$(sed -n 's/^ *X(\([a-z0-9_]*\)).*/\1/p' $src/lazy_libm_symbols.h)
missing=0
for f in $names; do
  grep -Eq "[(]$f[)]|[^a-z0-9_]$f[(]" scripts/check-lazy-libm.c || { echo "check-lazy-libm: $f is not called by scripts/check-lazy-libm.c" >&2; missing=1; }
done
[ $missing = 0 ] || exit 1
cc=${CC:-cc}
$cc -O2 -fno-builtin -DMFACTL_LAZY_LIBM -I$src/include -c -o "$work/lazy.o" $src/lazy_libm.c
$cc -O2 -fno-builtin -c -o "$work/check.o" scripts/check-lazy-libm.c
$cc -o "$work/check" "$work/check.o" "$work/lazy.o" -Wl,--as-needed -lm
if LC_ALL=C readelf -d "$work/check" | grep -q 'NEEDED.*libm\.so'; then
  echo "check-lazy-libm: the check program still needs libm.so.6 at start:" >&2
  nm -D --undefined-only "$work/check" >&2
  exit 1
fi
"$work/check"
