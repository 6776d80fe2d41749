#!/usr/bin/env bash
# Page faults per whole-process `mfactl verify` (1-user key-file vault, a fresh valid code
# each run), and how many of them fall in the binary's own pages (its text, data and
# .bss: what the release link's layout decides, docs/startup.md), next to an older binary.
#
#   bench/faults.sh                                   # $MFACTL or dist/mfactl
#   MFACTL_BEFORE=/tmp/old/mfactl bench/faults.sh     # adds the older binary's row
#   RUNS=100 bench/faults.sh
#
# Fault counts depend on how a file sits in the page cache (copies of the same binary
# differ by up to 40), so each binary is copied fresh into the work directory and run
# the same way. Totals are the median of wait4's minor + major faults of each run; the
# binary's own are counted with `perf record -e page-faults -d` (skipped without perf)
# over PERF_RUNS more runs, by the faulting address.
set -euo pipefail
cd "$(dirname "$0")/.."
MFACTL=${MFACTL:-$PWD/dist/mfactl}
MFACTL_BEFORE=${MFACTL_BEFORE:-}
RUNS=${RUNS:-60}
SLICES=${SLICES:-3}
WARMUP=${WARMUP:-5}
PERF_RUNS=${PERF_RUNS:-10}
[ -x "$MFACTL" ] || { echo "faults: $MFACTL not found; run 'make release' first" >&2; exit 66; }
[ -z "$MFACTL_BEFORE" ] || [ -x "$MFACTL_BEFORE" ] || { echo "faults: $MFACTL_BEFORE not found" >&2; exit 66; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-faults.XXXXXX")
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/driver" bench/driver.c
python3 bench/make_fixture.py 1 "$((WARMUP + RUNS + PERF_RUNS))" "$work"
head -n "$WARMUP" "$work/plan.txt" >"$work/warmup.txt"
sed -n "$((WARMUP + 1)),$((WARMUP + RUNS))p" "$work/plan.txt" >"$work/counted.txt"
tail -n "$PERF_RUNS" "$work/plan.txt" >"$work/perf.txt"
split -n "l/$SLICES" -d "$work/counted.txt" "$work/slice."

names=(mfactl)
[ -z "$MFACTL_BEFORE" ] || names=(before mfactl)
for name in "${names[@]}"; do
  src=$MFACTL
  [ "$name" = mfactl ] || src=$MFACTL_BEFORE
  mkdir -p "$work/$name"
  cp "$src" "$work/$name/mfactl"
  export MFACTL_VAULT="$work/$name/vault.mfa" MFACTL_KEY_FILE="$work/$name/key"
  "$work/$name/mfactl" init --no-passphrase --generate-key-file "$work/$name/key" --quiet
  "$work/$name/mfactl" users import uris "$work/uris.txt" --quiet
  "$work/driver" "$work/warmup.txt" 0 0 "$work/$name/mfactl" verify user0 "{code}" >/dev/null
done

# run NAME SLICE TIMES [perf record ...]: one slice of verifies of NAME's copy.
run() {
  local name=$1 slice=$2 times=$3 out
  shift 3
  out=$(DRIVER_TIMES="$times" MFACTL_VAULT="$work/$name/vault.mfa" MFACTL_KEY_FILE="$work/$name/key" \
    "$@" "$work/driver" "$slice" 0 0 "$work/$name/mfactl" verify user0 "{code}") || true
  read -r _ _ _ _ _ fail _ <<<"$out"
  [ "${fail:-1}" = 0 ] || { echo "faults: $name: runs did not exit 0" >&2; exit 1; }
}
have_perf=no
perf stat -e page-faults true >/dev/null 2>&1 && have_perf=yes
for slice in "$work"/slice.*; do
  for name in "${names[@]}"; do
    run "$name" "$slice" "$work/$name.times"
  done
done
if [ "$have_perf" = yes ]; then
  for name in "${names[@]}"; do
    run "$name" "$work/perf.txt" /dev/null perf record -q -o "$work/$name.perf" -e page-faults -c 1 -d --
  done
fi

# own NAME: the faults per run whose address is in one of the binary's LOAD segments.
own() {
  local name=$1
  [ "$have_perf" = yes ] || { echo "-"; return; }
  perf script -i "$work/$name.perf" -F comm,pid,addr 2>/dev/null | python3 -c '
import sys
segs = [(int(f[2], 16), int(f[2], 16) + int(f[5], 16)) for f in (l.split() for l in open(sys.argv[1])) if f and f[0] == "LOAD"]
pids, own = set(), 0
for line in sys.stdin:
    f = line.split()
    if len(f) == 3 and f[0] == "mfactl":
        pids.add(f[1])
        own += any(lo <= int(f[2], 16) < hi for lo, hi in segs)
print(round(own / len(pids)) if pids else "-")' <(readelf -lW "$work/$name/mfactl")
}

printf '%-8s %8s %12s %8s %8s\n' binary faults "binary's own" "ms" "cpu ms"
for name in "${names[@]}"; do
  f="$work/$name.times"
  count=$(wc -l <"$f")
  median() { sort -n -k"$1,$1" "$f" | awk -v i=$((count / 2 + 1)) -v k="$1" 'NR == i { print $k }'; }
  printf '%-8s %8s %12s %8s %8s\n' "$name" "$(median 3)" "$(own "$name")" "$(median 1)" "$(median 2)"
done
