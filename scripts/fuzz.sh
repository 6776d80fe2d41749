#!/usr/bin/env bash
# Coverage-guided fuzzing of mfactl's parsers with libFuzzer (docs/fuzzing.md).
#
#   scripts/fuzz.sh build               compile every target into .build-fuzz/ (cached)
#   scripts/fuzz.sh run SECONDS [T...]  run each target (default: all) for SECONDS,
#                                       one after the other; fails on any finding
#   scripts/fuzz.sh smoke               build, then run each target briefly (FUZZ_SMOKE_SECONDS,
#                                       default 5) over its seed corpus; fails on any finding
#   scripts/fuzz.sh corpus              regenerate the generated seeds under fuzz/corpus/
#                                       with the debug binary (swift build)
#   scripts/fuzz.sh list                the target names
#
# Targets are built with `swiftc -sanitize=fuzzer,address`, compiling the library
# sources they test straight into the fuzz executable (so internal decoders are
# reachable without @testable) over separately compiled, equally instrumented modules
# for what those sources import. Three executables serve the eight targets; each is
# linked under its targets' names and picks the harness by the name it runs under.
set -euo pipefail
# Library targets have sub-folders (Accounts/UseCases, Accounts/Storage): ** recurses.
shopt -s globstar

cd "$(dirname "$0")/.."
if ! command -v swiftc >/dev/null && [[ -x /opt/swift/usr/bin/swiftc ]]; then
  export PATH=/opt/swift/usr/bin:$PATH
fi

B=.build-fuzz
TARGETS=(otpauth_uri base32 google_authenticator records vault_header vault audit_log backup)

executable_of() {
  case $1 in
    otpauth_uri | base32) echo otp-fuzz ;;
    google_authenticator | records) echo accounts-fuzz ;;
    vault_header | vault | audit_log | backup) echo vault-fuzz ;;
    *)
      echo "fuzz: unknown target $1 (targets: ${TARGETS[*]})" >&2
      exit 64
      ;;
  esac
}

# -O: libFuzzer needs throughput; -g: symbolised stack traces in crash reports.
FLAGS=(-O -g -parse-as-library -sanitize=fuzzer,address -swift-version 5 -suppress-warnings
  -I "$B/modules" -I Sources/CSodium -I Sources/CLibPQ/include -I Sources/CLoadGuard/include -use-ld=lld)

# True when $1 is missing or older than any of the remaining files.
stale() {
  local out=$1
  shift
  [[ -e $out ]] || return 0
  local f
  for f in "$@"; do [[ $f -nt $out ]] && return 0; done
  return 1
}

# An instrumented static library and module for Sources/$1.
module() {
  local name=$1
  shift
  local sources=(Sources/"$name"/**/*.swift)
  if stale "$B/lib/lib$name.a" "${sources[@]}" "$@" "$B/flags"; then
    echo "fuzz: compiling module $name"
    swiftc "${FLAGS[@]}" -emit-library -static -emit-module -module-name "$name" \
      -emit-module-path "$B/modules/$name.swiftmodule" "${sources[@]}" -o "$B/lib/lib$name.a"
  fi
}

# A fuzz executable: library sources of $2 plus fuzz/$3/*.swift, over the given modules.
executable() {
  local exe=$1 lib=$2 dir=$3
  shift 3
  local sources=(Sources/"$lib"/**/*.swift fuzz/"$dir"/*.swift)
  local libs=()
  local m
  for m in "$@"; do libs+=("$B/lib/lib$m.a"); done
  # The Vault module loads libpq at run time through a small C shim (Sources/CLibPQ),
  # after asking Sources/CLoadGuard whether it may.
  if [[ $lib == Vault || " $* " == *" Vault "* ]]; then libs+=("$B/lib/libpq_shim.o" "$B/lib/load_guard.o"); fi
  if stale "$B/$exe" "${sources[@]}" "${libs[@]}" "$B/flags"; then
    echo "fuzz: compiling $exe"
    swiftc "${FLAGS[@]}" -module-name "${exe//-/_}" "${sources[@]}" "${libs[@]}" -lsodium -o "$B/$exe"
  fi
}

# Waits (up to 10 minutes) until the other build chain has made $1 afresh.
wait_for() {
  local i
  for ((i = 0; i < 1200; i++)); do
    [[ -e $1 && ! $B/flags -nt $1 ]] && ! stale "$1" Sources/"$(basename "$1" .a | sed 's/^lib//')"/**/*.swift && return 0
    sleep 0.5
  done
  echo "fuzz: gave up waiting for $1" >&2
  return 1
}

build() {
  mkdir -p "$B/modules" "$B/lib"
  local start=$SECONDS
  # Everything is rebuilt when the compiler or its flags change.
  local flags
  flags="$(swiftc --version 2>&1 | head -1) ${FLAGS[*]}"
  [[ -f $B/flags && $(<"$B/flags") == "$flags" ]] || printf '%s' "$flags" >"$B/flags"
  module Sodium
  if stale "$B/lib/libpq_shim.o" Sources/CLibPQ/libpq_shim.c Sources/CLibPQ/include/libpq_shim.h \
    Sources/CLoadGuard/include/load_guard.h "$B/flags"; then
    clang -c -O1 -g -fsanitize=fuzzer-no-link,address -I Sources/CLibPQ/include -I Sources/CLoadGuard/include \
      Sources/CLibPQ/libpq_shim.c -o "$B/lib/libpq_shim.o"
  fi
  if stale "$B/lib/load_guard.o" Sources/CLoadGuard/load_guard.c Sources/CLoadGuard/include/load_guard.h "$B/flags"; then
    clang -c -O1 -g -fsanitize=fuzzer-no-link,address -I Sources/CLoadGuard/include Sources/CLoadGuard/load_guard.c \
      -o "$B/lib/load_guard.o"
  fi
  # Two chains in parallel (the machines have two cores): Vault then the Accounts
  # executable, which needs it (and OTP, made early by the other chain).
  (module Vault "$B/lib/libSodium.a" && wait_for "$B/lib/libOTP.a" &&
    executable accounts-fuzz Accounts accounts Vault OTP Sodium) &
  local chain=$!
  local status=0
  module OTP "$B/lib/libSodium.a" && executable otp-fuzz OTP otp Sodium &&
    executable vault-fuzz Vault vault Sodium || status=1
  wait "$chain" || status=1
  if ((status)); then
    echo "fuzz: build failed" >&2
    exit 1
  fi
  local t
  for t in "${TARGETS[@]}"; do ln -sfn "$(executable_of "$t")" "$B/$t"; done
  echo "fuzz: targets ready in $B ($((SECONDS - start)) s)"
}

# Runs one target for $2 seconds. New inputs go to $B/corpus/T (the committed seeds in
# fuzz/corpus/T are read, never written); findings to $B/findings/T/; the log to
# $B/logs/T.log. Prints one summary line.
run_one() {
  local t=$1 seconds=$2
  mkdir -p "$B/corpus/$t" "$B/findings/$t" "$B/logs"
  local log=$B/logs/$t.log status=0
  # -timeout: one input taking 20 s is a hang; -rss_limit_mb: the default 2 GB, said
  # aloud (a single allocation above it is a finding too).
  # A dictionary (fuzz/dict/T.dict) gives the mutator a target's keywords and edge numbers.
  local dict=()
  [[ -f fuzz/dict/$t.dict ]] && dict=(-dict="fuzz/dict/$t.dict")
  # SWIFT_BACKTRACE=enable=no: the Swift backtracer and ASan fight over a crashing
  # process (false ASan reports, sometimes a hang); libFuzzer's own report suffices,
  # after the runtime's one-line reason ("Fatal error: ...", "Swift runtime failure").
  # The vault targets' scratch files: in memory when /dev/shm is there; removed here,
  # since a crashing run cannot clean up after itself.
  local scratch
  scratch=$(mktemp -d "$([[ -w /dev/shm ]] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/mfactl-fuzz-XXXXXX")
  MFACTL_FUZZ_DIR=$scratch SWIFT_BACKTRACE=enable=no "$B/$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
    -print_final_stats=1 "${dict[@]}" -artifact_prefix="$B/findings/$t/" "$B/corpus/$t" "fuzz/corpus/$t" \
    >"$log" 2>&1 || status=$?
  rm -rf "$scratch"
  local done_line cov units rate
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  cov=$(sed -nE 's/.* cov: ([0-9]+) ft: ([0-9]+) .*/\1 edges, \2 features/p' <<<"$done_line")
  units=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)
  rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log" | tail -1)
  if ((status != 0)); then
    echo "fuzz: $t: FINDING (exit $status) after ${units:-?} executions; see $log and $B/findings/$t/" >&2
    grep -E 'Swift runtime failure|Fatal error|ERROR: libFuzzer|ERROR: AddressSanitizer|ERROR: LeakSanitizer|#[0-9] .* in .*(Sources|fuzz)/|Test unit written' "$log" | head -6 >&2 || true
    return 1
  fi
  printf 'fuzz: %-21s %10s executions %7s exec/s  %s\n' "$t" "${units:-?}" "${rate:-?}" "${cov:-?}"
}

run() {
  local seconds=${1:?usage: fuzz.sh run SECONDS [TARGET...]}
  shift
  local targets=("$@")
  ((${#targets[@]})) || targets=("${TARGETS[@]}")
  local t failed=0
  for t in "${targets[@]}"; do executable_of "$t" >/dev/null; done
  build
  for t in "${targets[@]}"; do run_one "$t" "$seconds" || failed=1; done
  return $failed
}

# Seeds made with the real binary from the fixed key file fuzz/corpus/fuzz.key (bytes
# 0..31, the key the vault harnesses unlock with). Hand-written seeds (URIs, base32,
# google_authenticator files) are committed as they are.
corpus() {
  swift build --product mfactl >/dev/null
  local bin
  bin="$(swift build --show-bin-path)/mfactl"
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  local key=fuzz/corpus/fuzz.key
  local m=("$bin")
  export MFACTL_VAULT=$work/vault.mfa MFACTL_KEY_FILE=$PWD/$key
  export MFACTL_NOW=2026-01-01T00:00:00Z
  "${m[@]}" init --no-passphrase --key-file "$key" >/dev/null
  "${m[@]}" enrol alice --secret JBSWY3DPEHPK3PXP --activate --qr none >/dev/null
  "${m[@]}" users import uris - >/dev/null <<'EOF'
otpauth://hotp/Example:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example&counter=5
otpauth://totp/carol?secret=JBSWY3DPEHPK3PXPJBSWY3DP&algorithm=SHA256&digits=8&period=60
EOF
  "${m[@]}" recovery-codes generate alice >/dev/null
  "${m[@]}" sessions create alice --ip 192.0.2.1 --user-agent fuzz >/dev/null 2>&1
  "${m[@]}" devices trust alice --name laptop >/dev/null
  "${m[@]}" challenge send alice >/dev/null
  "${m[@]}" users set alice --require-mfa --role admin >/dev/null
  "${m[@]}" verify alice 000000 >/dev/null 2>&1 || true
  "${m[@]}" verify bob "$(oathtool --hotp -c 5 3132333435363738393031323334353637383930)" >/dev/null
  "${m[@]}" backup create "$work/backup.mfab" >/dev/null
  python3 - "$work" fuzz/corpus <<'EOF'
import os, struct, sys
work, out = sys.argv[1], sys.argv[2]
vault = open(os.path.join(work, "vault.mfa"), "rb").read()
audit = open(os.path.join(work, "vault.mfa.audit"), "rb").read()
backup = open(os.path.join(work, "backup.mfab"), "rb").read()
hlen = struct.unpack_from("<I", vault, 10)[0]
def put(target, name, data):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    open(os.path.join(out, target, name), "wb").write(data)
put("vault_header", "header-raw", b"\x00" + vault[:hlen + 32])
put("vault_header", "header-fixed", b"\x01" + vault[:hlen + 32])
put("vault", "vault-raw", b"\x00" + vault)
put("vault", "vault-fixed", b"\x03" + vault)
journal_path = os.path.join(work, "vault.mfa.journal")
if os.path.exists(journal_path) and os.path.getsize(journal_path) > 0:
    journal = open(journal_path, "rb").read()  # format 3: the entries of writes in place
    put("vault", "vault-journal", b"\x04" + struct.pack("<I", len(journal)) + journal + vault)
put("audit_log", "audit-raw", b"\x00" + struct.pack("<I", len(vault)) + vault + audit)
put("audit_log", "audit-fixed", b"\x03" + struct.pack("<I", len(vault)) + vault + audit)
put("audit_log", "audit-next", b"\x0b" + struct.pack("<I", len(vault)) + vault + audit)
put("backup", "backup-raw", b"\x00" + backup)
payload = struct.pack("<Q", len(vault)) + vault + struct.pack("<Q", len(audit)) + audit
put("backup", "backup-payload", b"\x01" + payload)
put("backup", "backup-payload-fixed", b"\x03" + payload)
EOF
  # Decrypted user records and audit events for the records target.
  "$B/dump-records" "$work/vault.mfa" "$key" fuzz/corpus/records
  echo "fuzz: seeds written under fuzz/corpus/"
}

case ${1:-} in
  build) build ;;
  run)
    shift
    run "$@"
    ;;
  smoke)
    start=$SECONDS
    run "${FUZZ_SMOKE_SECONDS:-3}"
    echo "fuzz: smoke passed in $((SECONDS - start)) s"
    ;;
  corpus)
    build
    swiftc "${FLAGS[@]/-sanitize=fuzzer,address/-sanitize=address}" -module-name dump_records fuzz/tools/dump-records.swift \
      "$B/lib/libVault.a" "$B/lib/libSodium.a" -lsodium -o "$B/dump-records"
    corpus
    ;;
  list) printf '%s\n' "${TARGETS[@]}" ;;
  *)
    sed -n '2,12p' "$0" >&2
    exit 64
    ;;
esac
