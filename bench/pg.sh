#!/usr/bin/env bash
# The PostgreSQL backend next to the file vault and oathtool, in one run (issue 12):
#
#   1. whole-process `mfactl verify` (a fresh, valid TOTP code each run, as bench/run.sh)
#      on a file vault, and on a database reached over its unix socket (trust), over TCP
#      with SCRAM, and through a local pgbouncer (transaction pooling, unix socket);
#      oathtool's validate for scale. Runs alternate between them in slices.
#   2. verifies per second from CONCURRENCY processes at once (32 by default), each
#      verifying its own user's fresh codes, through pgbouncer and over the socket; then
#      the check for lost updates: every accepted code has its verify.success event, the
#      audit chain verifies, and each user's last code is refused as a replay.
#
# It starts a throwaway server with scripts/pg-server.sh (fsync=off: a test server; the
# figures show mfactl's own cost, not the disk's) and stops it on exit.
#
#   bench/pg.sh                         # uses $MFACTL or dist/mfactl
#   RUNS=100 CONCURRENCY=32 PER_WORKER=40 bench/pg.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
MFACTL=${MFACTL:-$PWD/dist/mfactl}
RUNS=${RUNS:-100}
WARMUP=${WARMUP:-5}
SLICES=${SLICES:-5}
CONCURRENCY=${CONCURRENCY:-32}
PER_WORKER=${PER_WORKER:-30}
[ -x "$MFACTL" ] || { echo "bench: $MFACTL not found; run 'make release' first" >&2; exit 66; }
command -v oathtool >/dev/null || { echo "bench: oathtool missing; run 'make deps'" >&2; exit 69; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-bench-pg.XXXXXX")
pgdir=""
cleanup() {
  [ -z "$pgdir" ] || bash scripts/pg-server.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
gcc -O2 -o "$work/driver" bench/driver.c
gcc -O2 -o "$work/pq_floor" bench/pq_floor.c

eval "$(bash scripts/pg-server.sh start --pgbouncer 2>/dev/null)"
pgdir=$MFACTL_TEST_PG_DIR
export PGPASSWORD=$MFACTL_TEST_PG_SCRAM_PASSWORD
scram=$MFACTL_TEST_PG_SCRAM_USER
export MFACTL_INSECURE_TEST_KDF=1

python3 bench/make_fixture.py 1 "$((RUNS + WARMUP))" "$work"
secret=$(cat "$work/secret.hex")
"$MFACTL" init --vault "$work/file.mfa" --no-passphrase --generate-key-file "$work/key" --quiet
export MFACTL_KEY_FILE=$work/key

# One database per way in (each gets the same fresh codes, so each needs its own replay
# state), owned by the SCRAM role so every way can reach it.
declare -A vault
vault[file]=$work/file.mfa
vault[socket]="postgresql:///b_socket?host=$PGHOST&port=$PGPORT&user=$PGUSER"
vault[scram]="postgresql://$scram@127.0.0.1:$PGPORT/b_scram"
vault[pgbouncer]="postgresql:///b_pgbouncer?host=$PGHOST&port=$MFACTL_TEST_PGBOUNCER_PORT&user=$PGUSER"
for name in socket scram pgbouncer; do
  psql -X -q -d postgres -c "CREATE DATABASE b_$name OWNER $scram"
  "$MFACTL" init --vault "${vault[$name]}" --no-passphrase --key-file "$work/key" --quiet
done
for name in file socket scram pgbouncer; do
  "$MFACTL" users import uris "$work/uris.txt" --vault "${vault[$name]}" --quiet
done

run_slice() {
  local plan=$1 name=$2 out
  if [ "$name" = oathtool ]; then
    out=$(DRIVER_TIMES="$work/$name.times" "$work/driver" "$plan" 0 0 \
      oathtool --totp -w 1 --now "@{now}" "$secret" "{code}") || true
  elif [ "$name" = libpq-floor ]; then
    out=$(DRIVER_TIMES="$work/$name.times" "$work/driver" "$plan" 0 0 "$work/pq_floor" "${vault[pgbouncer]}") || true
  else
    out=$(DRIVER_TIMES="$work/$name.times" MFACTL_VAULT="${vault[$name]}" "$work/driver" "$plan" 0 0 \
      "$MFACTL" verify user0 "{code}") || true
  fi
  read -r _ _ _ _ _ fail _ <<<"$out"
  [ "${fail:-1}" = 0 ] || { echo "bench: $name: ${fail:-all} runs did not exit 0" >&2; exit 1; }
}
summary() { times_summary "$work/$1.times"; }

# libpq-floor: bench/pq_floor.c, a C client doing only what a verify asks of libpq
# (load it, connect through pgbouncer, four statements): the floor under any libpq client.
names=(file socket scram pgbouncer libpq-floor oathtool)
head -n "$WARMUP" "$work/plan.txt" >"$work/warmup.txt"
tail -n +"$((WARMUP + 1))" "$work/plan.txt" >"$work/counted.txt"
split -n "l/$SLICES" -d "$work/counted.txt" "$work/slice."
for name in "${names[@]}"; do
  DRIVER_TIMES=/dev/null run_slice "$work/warmup.txt" "$name" || true
  : >"$work/$name.times"
done
for slice in "$work"/slice.*; do
  [ -s "$slice" ] || continue
  for name in "${names[@]}"; do run_slice "$slice" "$name"; done
done

echo "== whole-process verify, 1 user, $RUNS runs each (ms; x file = median / file vault's median)"
read -r f_med _ _ < <(summary file)
read -r o_med _ _ < <(summary oathtool)
printf '%-11s %8s %8s %8s %8s %8s\n' vault median p90 "cpu ms" "x file" "x oath"
for name in "${names[@]}"; do
  read -r med p90 cpu < <(summary "$name")
  awk -v n="$name" -v m="$med" -v p="$p90" -v c="$cpu" -v f="$f_med" -v o="$o_med" \
    'BEGIN { printf "%-11s %8s %8s %8s %7.2fx %7.2fx\n", n, m, p, c, m / f, m / o }'
done

# 2. Throughput from CONCURRENCY processes, each on its own user (same known secret).
echo "== $CONCURRENCY processes at once, $PER_WORKER verifies each, each on its own user"
python3 - "$CONCURRENCY" "$PER_WORKER" "$work" <<'EOF'
import base64, hmac, hashlib, struct, sys, os
n, per, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
known = b"12345678901234567890"
def totp(t):
    mac = hmac.new(known, struct.pack(">Q", t // 30), hashlib.sha1).digest()
    off = mac[-1] & 15
    return str((struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 10**6).zfill(6)
b32 = base64.b32encode(known).decode().rstrip("=")
with open(os.path.join(out, "workers.txt"), "w") as f:
    for i in range(n):
        f.write(f"w{i}\totpauth://totp/bench:w{i}?secret={b32}&issuer=bench\n")
with open(os.path.join(out, "wplan.txt"), "w") as f:
    for k in range(per):
        t = 1_900_000_000 + 30 * k
        f.write(f"{t} {totp(t)}\n")
EOF
printf '%-10s %8s %10s %8s %s\n' vault verifies seconds "per s" "lost updates"
for name in pgbouncer socket file; do
  "$MFACTL" users import uris "$work/workers.txt" --vault "${vault[$name]}" --quiet
  start=$(date +%s.%N)
  for ((i = 0; i < CONCURRENCY; i++)); do
    MFACTL_VAULT="${vault[$name]}" MFACTL_LOCK_TIMEOUT=60 "$work/driver" "$work/wplan.txt" 0 0 \
      "$MFACTL" verify "w$i" "{code}" >"$work/w$i.out" &
  done
  wait
  end=$(date +%s.%N)
  failed=0
  for ((i = 0; i < CONCURRENCY; i++)); do
    read -r _ _ _ _ _ fail _ <"$work/w$i.out"
    failed=$((failed + ${fail:-$PER_WORKER}))
  done
  total=$((CONCURRENCY * PER_WORKER))
  events=$(MFACTL_VAULT="${vault[$name]}" "$MFACTL" audit list --event verify.success --format json |
    grep -c '"user":"w' || true)
  MFACTL_VAULT="${vault[$name]}" "$MFACTL" audit verify --quiet
  last=$(tail -n 1 "$work/wplan.txt")
  replays=0
  for ((i = 0; i < CONCURRENCY; i += 8)); do
    MFACTL_NOW=${last% *} MFACTL_VAULT="${vault[$name]}" "$MFACTL" verify "w$i" "${last#* }" --quiet 2>/dev/null &&
      replays=$((replays + 1))
  done
  lost=$((total - failed - events + replays))
  awk -v n="$name" -v t="$total" -v s="$start" -v e="$end" -v f="$failed" -v l="$lost" \
    'BEGIN { printf "%-10s %8d %10.2f %8.0f %s\n", n, t - f, e - s, (t - f) / (e - s), (l == 0 && f == 0 ? "0" : "FAILED: " f " rejected, " l " lost") }'
done
