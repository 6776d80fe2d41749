#!/usr/bin/env bash
# Whole-process `mfactl verify` on vaults of 1, 1,000, 10,000 and 100,000 users, next to
# `oathtool --totp -w 1` in the same run. Every run verifies a fresh, valid code (TOTP
# replay protection forbids repeating one), so each mfactl run does the full work:
# unlock with a key file, find the user, check the code, write the vault back, fsync.
#
# Issue 11's target is mfactl at most TARGET (2.5) times oathtool's median at 1 user and
# at 100,000; the "target" column says whether this run met it. Wall times on a shared
# machine move with the load; the CPU columns (user + system time of each process, from
# wait4) move much less and show what start-up and work changes did.
#
#   bench/run.sh                      # uses $MFACTL or dist/mfactl
#   SIZES="1 1000" RUNS=50 bench/run.sh
#   MFACTL_BEFORE=/tmp/old/dist/mfactl bench/run.sh   # adds an older binary's rows
set -euo pipefail
cd "$(dirname "$0")/.."
MFACTL=${MFACTL:-$PWD/dist/mfactl}
MFACTL_BEFORE=${MFACTL_BEFORE:-}
SIZES=${SIZES:-"1 1000 10000 100000"}
RUNS=${RUNS:-200}
WARMUP=${WARMUP:-10}
TARGET=${TARGET:-2.5}
[ -x "$MFACTL" ] || { echo "bench: $MFACTL not found; run 'make release' first" >&2; exit 66; }
[ -z "$MFACTL_BEFORE" ] || [ -x "$MFACTL_BEFORE" ] || { echo "bench: $MFACTL_BEFORE not found" >&2; exit 66; }
command -v oathtool >/dev/null || { echo "bench: oathtool missing; run 'make deps'" >&2; exit 69; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/driver" bench/driver.c

# time_verify LABEL BINARY DIR: a vault of $n users in DIR made by BINARY, then the runs.
time_verify() {
  local label=$1 bin=$2 d=$3
  mkdir -p "$d"
  cp "$work/n$n/uris.txt" "$work/n$n/plan.txt" "$d/"
  export MFACTL_VAULT="$d/vault.mfa" MFACTL_KEY_FILE="$d/key"
  "$bin" init --no-passphrase --generate-key-file "$d/key" --quiet
  "$bin" users import uris "$d/uris.txt" --quiet
  local size runs med mean min p90 fail cpu
  size=$(stat -c %s "$d/vault.mfa")
  read -r runs med mean min p90 fail cpu < <("$work/driver" "$d/plan.txt" "$WARMUP" 0 "$bin" verify user0 "{code}" || true)
  [ "${fail:-1}" = 0 ] || { echo "bench: $label: ${fail:-all} runs of $bin did not exit 0" >&2; exit 1; }
  rows+=("$label $med $p90 $cpu $((size / 1024))K")
}

printf '%-8s %-8s %9s %9s %7s %7s %8s %8s %8s %7s %8s\n' users binary "ms" oathtool ratio target "p90 ms" "cpu ms" "oath cpu" "cpu x" vault
for n in $SIZES; do
  mkdir -p "$work/n$n"
  python3 bench/make_fixture.py "$n" "$((RUNS + WARMUP))" "$work/n$n"
  rows=()
  [ -z "$MFACTL_BEFORE" ] || time_verify before "$MFACTL_BEFORE" "$work/n$n/before"
  time_verify mfactl "$MFACTL" "$work/n$n/after"
  secret=$(cat "$work/n$n/secret.hex")
  read -r _ o_med _ _ _ o_fail o_cpu < <("$work/driver" "$work/n$n/plan.txt" "$WARMUP" 0 oathtool --totp -w 1 --now "@{now}" "$secret" "{code}" || true)
  [ "${o_fail:-1}" = 0 ] || { echo "bench: ${o_fail:-all} oathtool runs did not exit 0" >&2; exit 1; }
  for r in "${rows[@]}"; do
    read -r label med p90 cpu size <<<"$r"
    read -r ratio met cratio < <(awk -v a="$med" -v b="$o_med" -v t="$TARGET" -v c="$cpu" -v oc="$o_cpu" \
      'BEGIN { r = a / b; printf "%.1fx %s %.1fx\n", r, (r <= t ? "met" : "missed"), (oc > 0 ? c / oc : 0) }')
    printf '%-8s %-8s %9s %9s %7s %7s %8s %8s %8s %7s %8s\n' "$n" "$label" "$med" "$o_med" "$ratio" "$met" "$p90" "$cpu" "$o_cpu" "$cratio" "$size"
  done
done
