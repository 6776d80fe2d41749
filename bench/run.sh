#!/usr/bin/env bash
# Whole-process `mfactl verify` on vaults of 1, 1,000, 10,000 and 100,000 users, next to
# `oathtool --totp -w 1` in the same run. Every run verifies a fresh, valid code (TOTP
# replay protection forbids repeating one), so each mfactl run does the full work:
# unlock with a key file, find the user, check the code, write the vault back, fsync.
#
# Issue 11's target is mfactl at most TARGET (2.5) times oathtool's median at 1 user and
# at 100,000; the "target" column says whether this run met it. The runs of each program
# are taken in SLICES alternating slices (mfactl, the older binary if given, oathtool,
# then again), so that a change of load on a shared machine falls on all of them alike.
# Wall times still move with the load; the CPU columns (user + system time of each
# process, from wait4) move much less and show what start-up and work changes did.
#
#   bench/run.sh                      # uses $MFACTL or dist/mfactl
#   SIZES="1 1000" RUNS=50 bench/run.sh
#   MFACTL_BEFORE=/tmp/old/dist/mfactl bench/run.sh   # adds an older binary's rows
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
MFACTL=${MFACTL:-$PWD/dist/mfactl}
MFACTL_BEFORE=${MFACTL_BEFORE:-}
SIZES=${SIZES:-"1 1000 10000 100000"}
RUNS=${RUNS:-200}
WARMUP=${WARMUP:-10}
SLICES=${SLICES:-5}
TARGET=${TARGET:-2.5}
[ -x "$MFACTL" ] || { echo "bench: $MFACTL not found; run 'make release' first" >&2; exit 66; }
[ -z "$MFACTL_BEFORE" ] || [ -x "$MFACTL_BEFORE" ] || { echo "bench: $MFACTL_BEFORE not found" >&2; exit 66; }
command -v oathtool >/dev/null || { echo "bench: oathtool missing; run 'make deps'" >&2; exit 69; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/driver" bench/driver.c

# make_vault DIR BINARY: a vault of the size's users in DIR, made by BINARY.
make_vault() {
  mkdir -p "$1"
  MFACTL_VAULT="$1/vault.mfa" MFACTL_KEY_FILE="$1/key" "$2" init --no-passphrase --generate-key-file "$1/key" --quiet
  MFACTL_VAULT="$1/vault.mfa" MFACTL_KEY_FILE="$1/key" "$2" users import uris "$work/n$n/uris.txt" --quiet
}

# run_slice PLAN NAME: the plan's runs of program NAME (its command in cmd_NAME), times
# appended to $work/n$n/NAME.times; a run that does not exit 0 fails the benchmark.
run_slice() {
  local plan=$1 name=$2 out
  local -n cmd=cmd_$name
  out=$(DRIVER_TIMES="$work/n$n/$name.times" MFACTL_VAULT="$work/n$n/$name/vault.mfa" \
    MFACTL_KEY_FILE="$work/n$n/$name/key" "$work/driver" "$plan" 0 0 "${cmd[@]}") || true
  read -r _ _ _ _ _ fail _ <<<"$out"
  [ "${fail:-1}" = 0 ] || { echo "bench: $name: ${fail:-all} runs did not exit 0 (${cmd[*]})" >&2; exit 1; }
}

# summary NAME: median wall ms, p90 wall ms, median cpu ms of NAME's runs.
summary() { times_summary "$work/n$n/$1.times"; }

printf '%-8s %-8s %9s %9s %7s %7s %8s %8s %8s %7s %8s\n' users binary "ms" oathtool ratio target "p90 ms" "cpu ms" "oath cpu" "cpu x" vault
for n in $SIZES; do
  d="$work/n$n"
  mkdir -p "$d"
  python3 bench/make_fixture.py "$n" "$((RUNS + WARMUP))" "$d"
  secret=$(cat "$d/secret.hex")
  cmd_mfactl=("$MFACTL" verify user0 "{code}")
  cmd_before=("$MFACTL_BEFORE" verify user0 "{code}")
  cmd_oathtool=(oathtool --totp -w 1 --now "@{now}" "$secret" "{code}")
  names=(mfactl)
  [ -z "$MFACTL_BEFORE" ] || names=(before mfactl)
  for name in "${names[@]}"; do
    bin=cmd_$name[0]
    make_vault "$d/$name" "${!bin}"
  done
  # Warm-up runs (not counted), then the slices in turn.
  head -n "$WARMUP" "$d/plan.txt" >"$d/warmup.txt"
  tail -n +"$((WARMUP + 1))" "$d/plan.txt" >"$d/counted.txt"
  split -n "l/$SLICES" -d "$d/counted.txt" "$d/slice."
  for name in "${names[@]}" oathtool; do
    [ "$WARMUP" = 0 ] || DRIVER_TIMES=/dev/null run_slice "$d/warmup.txt" "$name"
    : >"$d/$name.times"
  done
  for slice in "$d"/slice.*; do
    [ -s "$slice" ] || continue # fewer runs than slices
    for name in "${names[@]}" oathtool; do run_slice "$slice" "$name"; done
  done
  read -r o_med _ o_cpu < <(summary oathtool)
  for name in "${names[@]}"; do
    read -r med p90 cpu < <(summary "$name")
    size=$(stat -c %s "$d/$name/vault.mfa")
    read -r ratio met cratio < <(awk -v a="$med" -v b="$o_med" -v t="$TARGET" -v c="$cpu" -v oc="$o_cpu" \
      'BEGIN { r = a / b; printf "%.1fx %s %.1fx\n", r, (r <= t ? "met" : "missed"), (oc > 0 ? c / oc : 0) }')
    printf '%-8s %-8s %9s %9s %7s %7s %8s %8s %8s %7s %8s\n' "$n" "$name" "$med" "$o_med" "$ratio" "$met" "$p90" "$cpu" "$o_cpu" "$cratio" "$((size / 1024))K"
  done
done
