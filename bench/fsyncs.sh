#!/usr/bin/env bash
# How many times each writing command asks the disk to make data durable: the calls to
# fsync, fdatasync, sync_file_range and msync (directory fsyncs included) of one whole
# process, counted with `strace -f`. One verify on a warm vault is the figure issue 11
# is about (docs/FORMAT.md, "Writing in place"); "verify, mean of N" is a steady stream
# of `code` + `verify` pairs (`code` logs an event: a write in place too), where a
# design that syncs some writes lazily shows its average per command (66 pairs by
# default: format 3 checkpoints its journal every 33rd write in place, so the stream
# crosses four checkpoints).
# With MFACTL_BEFORE set, that binary is counted too, in a column of its own (each
# binary on a vault of its own, the same script for both).
#
#   bench/fsyncs.sh                                   # uses $MFACTL or dist/mfactl
#   MFACTL_BEFORE=/tmp/old/mfactl MFACTL=.build/debug/mfactl bench/fsyncs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MFACTL=${MFACTL:-$PWD/dist/mfactl}
MFACTL_BEFORE=${MFACTL_BEFORE:-}
STREAM=${STREAM:-66}
[ -x "$MFACTL" ] || { echo "bench: $MFACTL not found; run 'make release' first" >&2; exit 66; }
if [ -n "$MFACTL_BEFORE" ] && [ ! -x "$MFACTL_BEFORE" ]; then
  echo "bench: MFACTL_BEFORE=$MFACTL_BEFORE is not an executable" >&2; exit 66
fi
command -v strace >/dev/null || { echo "bench: strace missing (apt-get install strace)" >&2; exit 69; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-fsyncs.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The sync calls of one run of "$@" (stdin from $input, stdout to $output); "failed"
# when the command did not exit 0 (the table shows it and the script fails at the end).
output=/dev/null
syncs() {
  local out="$work/trace"
  if ! strace -f -qq -e trace=fsync,fdatasync,sync_file_range,msync,syncfs,sync -o "$out" "$@" <"$input" >"$output"; then
    echo failed; return
  fi
  grep -cE '(fsync|fdatasync|sync_file_range|msync|syncfs|sync)\(' "$out" || true
}

# Counts for one binary, one line per command, into $work/<label>.
count() {
  local label=$1 bin=$2 d="$work/$1.d"
  mkdir -p "$d"
  export MFACTL_VAULT="$d/vault.mfa" MFACTL_KEY_FILE="$d/key" MFACTL_NOW=1796115600
  unset MFACTL_PASSPHRASE MFACTL_PASSPHRASE_FILE
  input=/dev/null
  "$bin" init --no-passphrase --generate-key-file "$d/key" --quiet
  {
    echo "enrol	$(syncs "$bin" enrol alice --issuer bench --quiet)"
    "$bin" code alice | "$bin" enrol alice --confirm --quiet
    "$bin" users import uris --quiet <<<"bob	otpauth://totp/bench:bob?secret=JBSWY3DPEHPK3PXP&issuer=bench"
    MFACTL_NOW=$((MFACTL_NOW + 30)); "$bin" code alice >"$d/code"; input="$d/code"
    echo "verify	$(syncs "$bin" verify alice)"
    local total=0 i n c
    for i in $(seq 1 "$STREAM"); do
      MFACTL_NOW=$((MFACTL_NOW + 30))
      input=/dev/null output="$d/code" c=$(syncs "$bin" code alice)
      input="$d/code" output=/dev/null n=$(syncs "$bin" verify alice)
      [ "$n" = failed ] || [ "$c" = failed ] && total=failed && break
      total=$((total + c + n))
    done
    echo "code + verify, $STREAM pairs: mean per command	$(awk -v t="$total" -v n="$STREAM" 'BEGIN { if (t == "failed") print t; else printf "%.2f", t / (2 * n) }')"
    input=/dev/null
    "$bin" sessions create alice --idle 10m --quiet >"$d/token"
    input="$d/token"
    echo "sessions check	$(syncs "$bin" sessions check --quiet)"
    MFACTL_NOW=$((MFACTL_NOW + 120))
    echo "sessions check (idle refresh)	$(syncs "$bin" sessions check --quiet)"
    input=/dev/null
    "$bin" recovery-codes generate alice >"$d/codes"
    sed -n 2p "$d/codes" >"$d/rc"; input="$d/rc"
    echo "recovery-codes use	$(syncs "$bin" recovery-codes use alice)"
    input=/dev/null
    echo "users set	$(syncs "$bin" users set alice --role admin)"
    echo "backup create	$(syncs "$bin" backup create --dir "$d/backups" --quiet)"
  } >"$work/$label"
}

count after "$MFACTL"
labels=(after)
if [ -n "$MFACTL_BEFORE" ]; then count before "$MFACTL_BEFORE"; labels=(before after); fi

if [ ${#labels[@]} = 2 ]; then
  printf '%-44s %8s %8s\n' "fsyncs per command" before after
  paste "$work/before" "$work/after" | awk -F'\t' '{ printf "%-44s %8s %8s\n", $1, $2, $4 }'
else
  printf '%-44s %8s\n' "fsyncs per command" fsyncs
  awk -F'\t' '{ printf "%-44s %8s\n", $1, $2 }' "$work/after"
fi

if grep -q failed "$work"/before "$work"/after 2>/dev/null; then
  echo "bench: a command failed (see the table)" >&2; exit 1
fi
