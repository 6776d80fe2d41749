#!/usr/bin/env bash
# Whole-process `mfactl verify` on vaults of 1, 1,000, 10,000 and 100,000 users, next to
# `oathtool --totp -w 1` in the same run. Every run verifies a fresh, valid code (TOTP
# replay protection forbids repeating one), so each mfactl run does the full work:
# unlock with a key file, find the user, check the code, write the vault back, fsync.
#
#   bench/run.sh                      # uses $MFACTL or dist/mfactl
#   SIZES="1 1000" RUNS=50 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MFACTL=${MFACTL:-$PWD/dist/mfactl}
SIZES=${SIZES:-"1 1000 10000 100000"}
RUNS=${RUNS:-200}
WARMUP=${WARMUP:-10}
[ -x "$MFACTL" ] || { echo "bench: $MFACTL not found; run 'make release' first" >&2; exit 66; }
command -v oathtool >/dev/null || { echo "bench: oathtool missing; run 'make deps'" >&2; exit 69; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/driver" bench/driver.c

printf '%-8s %10s %10s %10s %10s %8s\n' users "mfactl ms" "oathtool" ratio "p90 ms" "vault"
for n in $SIZES; do
  d="$work/n$n"; mkdir -p "$d"
  python3 bench/make_fixture.py "$n" "$((RUNS + WARMUP))" "$d"
  export MFACTL_VAULT="$d/vault.mfa" MFACTL_KEY_FILE="$d/key"
  "$MFACTL" init --no-passphrase --generate-key-file "$d/key" --quiet
  "$MFACTL" users import uris "$d/uris.txt" --quiet
  size=$(stat -c %s "$d/vault.mfa")
  read -r _ m_med _ _ m_p90 m_fail < <("$work/driver" "$d/plan.txt" "$WARMUP" 0 "$MFACTL" verify user0 "{code}" || true)
  secret=$(cat "$d/secret.hex")
  read -r _ o_med _ _ _ o_fail < <("$work/driver" "$d/plan.txt" "$WARMUP" 0 oathtool --totp -w 1 --now "@{now}" "$secret" "{code}" || true)
  if [ "$m_fail" != 0 ] || [ "$o_fail" != 0 ]; then
    echo "bench: $m_fail mfactl and $o_fail oathtool runs did not exit 0" >&2; exit 1
  fi
  ratio=$(awk -v a="$m_med" -v b="$o_med" 'BEGIN { printf "%.1fx", a / b }')
  printf '%-8s %10s %10s %10s %10s %8s\n' "$n" "$m_med" "$o_med" "$ratio" "$m_p90" "$((size / 1024))K"
done
