#!/usr/bin/env bash
# Throughput of `mfactl sessions check` under concurrency: CHECKERS parallel checkers
# (each its own session, as a web application's requests would be), spawning checks back
# to back for DURATION seconds, on the real clock. The sessions are 55 s old when the run
# starts, so each one's once-a-minute refresh write falls inside it. Reports checks per second, p50/p99/max latency,
# failures, and how much the audit log grew. With MFACTL_BEFORE set, that binary is
# measured first in the same run (on a vault of its own), for a before/after comparison.
#
#   bench/checks.sh                                  # uses $MFACTL or dist/mfactl
#   MFACTL_BEFORE=/tmp/old/.build/release/mfactl CHECKERS=32 DURATION=20 bench/checks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MFACTL=${MFACTL:-$PWD/dist/mfactl}
MFACTL_BEFORE=${MFACTL_BEFORE:-}
CHECKERS=${CHECKERS:-32}
DURATION=${DURATION:-10}
[ -x "$MFACTL" ] || { echo "bench: $MFACTL not found; run 'make release' first" >&2; exit 66; }
if [ -n "$MFACTL_BEFORE" ] && [ ! -x "$MFACTL_BEFORE" ]; then
  echo "bench: MFACTL_BEFORE=$MFACTL_BEFORE is not an executable" >&2; exit 66
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-checks.XXXXXX")
trap 'rm -rf "$work"' EXIT
gcc -O2 -pthread -o "$work/checks" bench/checks.c

# One vault per binary: CHECKERS users with one session each.
measure() {
  local label=$1 bin=$2 d="$work/$1"
  mkdir -p "$d"
  (
    export MFACTL_VAULT="$d/vault.mfa" MFACTL_KEY_FILE="$d/key"
    unset MFACTL_NOW MFACTL_PASSPHRASE MFACTL_PASSPHRASE_FILE
    "$bin" init --no-passphrase --generate-key-file "$d/key" --quiet
    for i in $(seq 0 $((CHECKERS - 1))); do
      printf 'user%d\totpauth://totp/bench:user%d?secret=JBSWY3DPEHPK3PXP&issuer=bench\n' "$i" "$i"
    done | "$bin" users import uris --quiet
    # Sessions created 55 s ago: each one's stored last use gets a minute old early in
    # the run, so every session's once-a-minute write is inside the measurement.
    local created=$(( $(date +%s) - 55 ))
    for i in $(seq 0 $((CHECKERS - 1))); do
      MFACTL_NOW=$created "$bin" sessions create "user$i" --quiet
    done >"$d/tokens"
    local audit_before vault_before
    audit_before=$(stat -c %s "$d/vault.mfa.audit")
    read -r runs rate p50 p99 max fail < <("$work/checks" "$CHECKERS" "$DURATION" "$d/tokens" "$bin" sessions check "{token}")
    local grew=$(( $(stat -c %s "$d/vault.mfa.audit") - audit_before ))
    # Sessions whose stored last use moved during the run (the refresh writes happened).
    local moved
    moved=$("$bin" sessions list --format json |
      python3 -c 'import json, sys; print(sum(1 for l in sys.stdin if (j := json.loads(l))["last_seen"] != j["created"]))')
    printf '%-8s %8s %9s %8s %8s %8s %6s %12s %9s\n' "$label" "$runs" "$rate" "$p50" "$p99" "$max" "$fail" "$grew" "$moved/$CHECKERS"
    "$bin" audit verify --quiet || { echo "bench: audit verify failed after the $label run" >&2; exit 1; }
  )
}

echo "sessions check: $CHECKERS parallel checkers, ${DURATION} s each, $(nproc) cores"
printf '%-8s %8s %9s %8s %8s %8s %6s %12s %9s\n' binary checks "checks/s" "p50 ms" "p99 ms" "max ms" failed "audit +bytes" refreshed
[ -n "$MFACTL_BEFORE" ] && measure before "$MFACTL_BEFORE"
measure after "$MFACTL"
