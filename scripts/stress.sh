#!/usr/bin/env bash
# make stress: the three runs that back the contract's crash and concurrency promises,
# against one binary, with figures at the end.
#
#   scripts/stress.sh [MFACTL]       (default dist/mfactl; KILLS=1000 RACES=20 READERS=32)
#
# 1. Kill loop: one writing command at a time (verify, enrol, recovery codes,
#    sessions, devices, users disable/enable, challenge, backup, audit prune, vault
#    rekey) is SIGKILLed after a random delay of 0-8 ms, until KILLS of them were
#    killed mid-run. After every kill the vault must open, `audit verify` must pass, and an HOTP counter must never fall
#    below what an acknowledged (exit 0) verify moved it to. At the end every
#    acknowledged HOTP code is replayed and must be refused.
# 2. Race: RACES rounds of 32 processes verifying the same HOTP code at once: exactly
#    one may exit 0 per round.
# 3. Fairness: READERS loops of `users list` while 10 writes run: no write may time out
#    (75) with MFACTL_LOCK_TIMEOUT=10; the slowest write is reported.
set -euo pipefail

mfa=$(realpath "${1:-dist/mfactl}")
kills=${KILLS:-1000}
races=${RACES:-20}
readers=${READERS:-32}
command -v oathtool >/dev/null || { echo "stress: oathtool is missing (make deps)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-stress.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export MFACTL_VAULT=$work/vault.mfa MFACTL_KEY_FILE=$work/vault.key MFACTL_INSECURE_TEST_KDF=1
unset MFACTL_PASSPHRASE MFACTL_PASSPHRASE_FILE MFACTL_NOW
fail() { echo "stress: FAIL: $*" >&2; exit 1; }

"$mfa" init --generate-key-file "$MFACTL_KEY_FILE" --no-passphrase >/dev/null
"$mfa" enrol alice --activate >/dev/null
secret=$("$mfa" enrol hotpuser --type hotp --activate --format json | sed -n 's/.*"secret":"\([A-Z2-7]*\)".*/\1/p')
[[ -n $secret ]] || fail "no HOTP secret"
counter() { "$mfa" users show hotpuser --format json | sed -n 's/.*"counter":\([0-9]*\).*/\1/p'; }
hotp() { oathtool --hotp -c "$1" -b "$secret"; }

# 1. Kill loop ------------------------------------------------------------------------
echo "stress: kill loop, until $kills SIGKILLs land mid-run"
floor=0      # the counter an acknowledged verify moved to
next=0       # the next code to try
accepted=()  # acknowledged codes, replayed at the end
killed=0 finished=0 start=$SECONDS
commands=(verify verify verify enrol recovery sessions devices disable enable challenge backup prune rekey)
# Until KILLS processes were killed mid-run (at most 6x as many tries): the delay is
# 0-8 ms, about as long as one command takes, so kills land all over the write path.
for ((i = 0; killed < kills && i < 6 * kills; i++)); do
  what=${commands[RANDOM % ${#commands[@]}]}
  code=""
  case $what in
    verify) code=$(hotp "$next"); args=(verify hotpuser "$code") ;;
    enrol) args=(enrol "u$((RANDOM % 20))" --activate) ;;
    recovery) args=(recovery-codes generate alice) ;;
    sessions) args=(sessions create alice) ;;
    devices) args=(devices trust alice --name "d$i") ;;
    disable) args=(users disable alice) ;;
    enable) args=(users enable alice) ;;
    challenge) args=(challenge send alice) ;;
    backup) args=(backup create --dir "$work/backups" --keep 3) ;;
    prune) args=(audit prune --before "$(($(date +%s) - 3600))") ;;
    rekey) args=(vault rekey) ;;
  esac
  "$mfa" "${args[@]}" >/dev/null 2>&1 &
  pid=$!
  sleep "0.00$(printf '%04d' $((RANDOM % 8000)))"
  if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
  set +e
  { wait "$pid"; } 2>/dev/null
  rc=$?
  set -e
  if ((rc == 0)); then
    finished=$((finished + 1))
    if [[ $what == verify ]]; then
      accepted+=("$code")
      floor=$((next + 1))
    fi
  fi
  [[ $what == verify ]] && next=$((next + 1))
  "$mfa" audit verify >/dev/null 2>"$work/err" || fail "after kill $i ($what): audit verify: $(cat "$work/err")"
  c=$(counter) || fail "after kill $i ($what): the vault does not open"
  ((c >= floor)) || fail "after kill $i ($what): HOTP counter $c is below the acknowledged $floor"
  # Keep the window ahead of the counter (a code more than 10 past it is refused).
  ((next < c)) && next=$c
  "$mfa" users unlock hotpuser >/dev/null 2>&1 || true
done
for code in "${accepted[@]}"; do
  if "$mfa" verify hotpuser "$code" >/dev/null 2>&1; then fail "an acknowledged code was accepted again: $code"; fi
  "$mfa" users unlock hotpuser >/dev/null 2>&1 || true
done
kill_seconds=$((SECONDS - start))
((killed >= kills)) || fail "only $killed of $kills kills landed mid-run in $i tries"
echo "stress: kill loop: $killed killed mid-run in $i runs, $finished finished first, ${#accepted[@]} acknowledged HOTP codes all refused on replay; vault and log verified after each ($kill_seconds s)"

# 2. Race -------------------------------------------------------------------------------
echo "stress: race, $races rounds of 32 verifies of one code"
base=$(counter)
for ((r = 0; r < races; r++)); do
  code=$(hotp $((base + r)))
  for ((j = 0; j < 32; j++)); do ("$mfa" verify hotpuser "$code" >/dev/null 2>&1 && echo ok >>"$work/race.$r" || true) & done
  wait
  n=$(wc -l <"$work/race.$r" 2>/dev/null || echo 0)
  ((n == 1)) || fail "race round $r: $n processes accepted the same code"
  "$mfa" users unlock hotpuser >/dev/null 2>&1 || true
done
echo "stress: race: $races rounds, exactly one of 32 accepted each code"

# 3. Fairness ---------------------------------------------------------------------------
echo "stress: fairness, $readers reader loops and 10 writes"
stop=$work/stop
for ((j = 0; j < readers; j++)); do
  (while [[ ! -e $stop ]]; do "$mfa" users list >/dev/null 2>&1 || true; done) &
  pids+=($!)
done
sleep 1
timeouts=0 slowest=0
for ((w = 0; w < 10; w++)); do
  t0=$(date +%s%N)
  set +e
  MFACTL_LOCK_TIMEOUT=10 "$mfa" users disable alice >/dev/null 2>&1
  rc=$?
  set -e
  ms=$((($(date +%s%N) - t0) / 1000000))
  ((ms > slowest)) && slowest=$ms
  ((rc == 75)) && timeouts=$((timeouts + 1))
  "$mfa" users enable alice >/dev/null 2>&1 || true
done
touch "$stop"
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
pids=()
((timeouts == 0)) || fail "fairness: $timeouts of 10 writes timed out behind $readers readers"
echo "stress: fairness: 10 of 10 writes got in behind $readers reader loops; slowest $slowest ms"
echo "stress: all passed"
