#!/usr/bin/env bash
# Writes scripts/symbol-order.txt, the functions the login path runs and a symbol of each
# data section it touches, which the release link (Makefile, RELEASE_LINK_FLAGS) passes
# to lld's --symbol-ordering-file so that they sit together at the start of .text, .bss,
# .data: a whole-process verify then faults in a few 64 KB windows of our code instead
# of ~60 scattered over 11 MB (docs/startup.md, bench/README.md "Page faults of the
# binary's own pages").
#
#   make release && bash scripts/symbol-order.sh && make release
#   (with `make release STATIC=1` first, the static build's glibc names are added too)
#
# Profile, on the unstripped release build and a 1-user key-file vault: callgrind (every
# function executed, not a sample) for a verify with the right code, one with a wrong
# code, and `--version`; lackey (every instruction fetch, load and store) for one more
# verify, which gives the order in which functions first run and data sections are
# first touched (scripts/symbol-order.py does the sums). Symbols of large input
# sections (the standard library's Swift.o keeps 1.6 MB of its code in a single .text,
# which lld can only move whole) go last, so that the small sections stay dense; the
# link map (.build-release/mfactl.map, written by every release link) says which
# section holds which address. The list comes out the same from one run to the next.
#
# A stale list never breaks the build: lld ignores names it does not find (the release
# link passes --no-warn-symbol-ordering), they just stop being ordered. Rerun this after
# changes to the verify path; `bench/faults.sh` shows whether the list still helps.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build-release/release/mfactl}
MAP=${MAP:-.build-release/mfactl.map}
OUT=${OUT:-scripts/symbol-order.txt}
# Input sections larger than this are ordered after the rest (32 KB: the runtime's 64 KB
# metadata pool, of which a verify uses a page, would otherwise split the small .bss).
LARGE=${LARGE:-32768}
command -v valgrind >/dev/null || { echo "symbol-order: valgrind not installed (make bench-deps)" >&2; exit 69; }
[ -x "$BIN" ] && [ -f "$MAP" ] || { echo "symbol-order: $BIN or $MAP missing; run 'make release' first" >&2; exit 66; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-order.XXXXXX")
trap 'rm -rf "$work"' EXIT

# valgrind 3.19 cannot read the DWARF 5 of the unstripped binary; the symbols stay.
strip --strip-debug -o "$work/mfactl" "$BIN"
python3 bench/make_fixture.py 1 3 "$work"
export MFACTL_VAULT="$work/vault.mfa" MFACTL_KEY_FILE="$work/key"
"$work/mfactl" init --no-passphrase --generate-key-file "$work/key" --quiet
"$work/mfactl" users import uris "$work/uris.txt" --quiet

# profile NAME EXPECTED_EXIT ARGS...: one callgrind run of the binary.
profile() {
  local name=$1 expected=$2 status=0
  shift 2
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/cg.$name" \
    "$work/mfactl" "$@" >/dev/null 2>"$work/cg.$name.log" || status=$?
  [ "$status" = "$expected" ] || { echo "symbol-order: $* exited $status" >&2; cat "$work/cg.$name.log" >&2; exit 1; }
}
read -r now code <"$work/plan.txt"
MFACTL_NOW=$now profile verify 0 verify user0 "$code"
read -r now code < <(sed -n 2p "$work/plan.txt")
MFACTL_NOW=$now profile wrong 1 verify user0 "$(printf '%06d' $(((10#$code + 1) % 1000000)))"
profile version 0 --version
# Data: every load and store of one more verify (lackey), in the order they happen.
read -r now code < <(sed -n 3p "$work/plan.txt")
MFACTL_NOW=$now valgrind --tool=lackey --trace-mem=yes --log-file="$work/lackey" \
  "$work/mfactl" verify user0 "$code" >/dev/null 2>&1 || { echo "symbol-order: lackey run failed" >&2; exit 1; }

nm --defined-only --print-size "$BIN" >"$work/nm"
python3 scripts/symbol-order.py "$MAP" "$work/nm" "$LARGE" "$work/lackey" \
  "$work"/cg.verify "$work"/cg.wrong "$work"/cg.version >"$OUT.tmp"

# The fully static build (make release STATIC=1) shares the list: when it has been
# built, its profile's extra names (glibc's functions and data, which it links in) follow
# the dynamic build's list in their own order. The dynamic link skips them, so its
# layout stays as it was; the static one faults 6 times less per verify (82 -> 76 in its
# own pages, bench/faults.sh, session 6).
STATIC_BIN=${STATIC_BIN:-.build-release-static/release/mfactl}
if [ -z "${SYMBOL_ORDER_NESTED:-}" ] && [ -x "$STATIC_BIN" ] && [ -f "${STATIC_BIN%/release/mfactl}/mfactl.map" ]; then
  SYMBOL_ORDER_NESTED=1 BIN=$STATIC_BIN MAP=${STATIC_BIN%/release/mfactl}/mfactl.map OUT="$work/static-order" \
    bash "$0" >/dev/null
  awk 'NR == FNR { seen[$0] = 1; next } !($0 in seen)' "$OUT.tmp" "$work/static-order" >>"$OUT.tmp"
fi
mv "$OUT.tmp" "$OUT"
echo "symbol-order: $(wc -l <"$OUT") symbols in $OUT"
