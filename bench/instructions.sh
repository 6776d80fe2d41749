#!/usr/bin/env bash
# Instructions per whole-process `mfactl verify` and `mfactl --version`, counted with
# valgrind --tool=callgrind (every instruction of the process: loader, initialisers before
# main, the command). Unlike times, counts barely move with the machine's load, so they
# show what a start-up or work change did (bench/README.md, "Start-up and the verify path").
#
#   bench/instructions.sh                          # $MFACTL or dist/mfactl
#   MFACTL_BEFORE=/tmp/old/dist/mfactl bench/instructions.sh
#   SIZES="1 100000" bench/instructions.sh        # vault sizes (users), default "1 100000"
#
# Each verify is a fresh valid code at its own MFACTL_NOW on a key-file vault; the median
# of 3 is printed. valgrind 3.19 cannot read DWARF 5, so give it a stripped binary
# (dist/mfactl is), or `strip --strip-debug` a copy.
set -euo pipefail
cd "$(dirname "$0")/.."
MFACTL=${MFACTL:-$PWD/dist/mfactl}
MFACTL_BEFORE=${MFACTL_BEFORE:-}
SIZES=${SIZES:-"1 100000"}
command -v valgrind >/dev/null || { echo "instructions: valgrind not installed (make bench-deps); skipped" >&2; exit 0; }
[ -x "$MFACTL" ] || { echo "instructions: $MFACTL not found; run 'make release' first" >&2; exit 66; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-instr.XXXXXX")
trap 'rm -rf "$work"' EXIT

# count OUT ARGS...: the instructions callgrind collected for one run (exit 0 required).
count() {
  local out=$1
  shift
  valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>"$out.log" || {
    echo "instructions: failed: $*" >&2
    cat "$out.log" >&2
    exit 1
  }
  awk '/Collected/ { print $NF }' "$out.log"
}

printf '%-8s %-8s %14s %14s\n' users binary "verify instr" "--version"
for n in $SIZES; do
  mkdir -p "$work/n$n"
  python3 bench/make_fixture.py "$n" 3 "$work/n$n"
  names=(mfactl)
  [ -z "$MFACTL_BEFORE" ] || names=(before mfactl)
  for name in "${names[@]}"; do
    bin=$MFACTL
    [ "$name" = mfactl ] || bin=$MFACTL_BEFORE
    d="$work/n$n/$name"
    mkdir -p "$d"
    export MFACTL_VAULT="$d/vault.mfa" MFACTL_KEY_FILE="$d/key"
    "$bin" init --no-passphrase --generate-key-file "$d/key" --quiet
    "$bin" users import uris "$work/n$n/uris.txt" --quiet
    counts=()
    while read -r now code; do
      counts+=("$(MFACTL_NOW=$now count "$d/cg.$now" "$bin" verify user0 "$code")")
    done <"$work/n$n/plan.txt"
    median=$(printf '%s\n' "${counts[@]}" | sort -n | sed -n 2p)
    version=$(count "$d/cg.version" "$bin" --version)
    printf '%-8s %-8s %14s %14s\n' "$n" "$name" "$median" "$version"
  done
done
