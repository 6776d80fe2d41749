#!/usr/bin/env bash
# Checks that the test PostgreSQL server of scripts/pg-server.sh answers every way the
# PostgreSQL backend's tests reach it, before they run (make test calls it right after the
# start; about a second):
#   1. the unix socket in $PGHOST as $PGUSER (trust), and createdb/dropdb work;
#   2. TCP on 127.0.0.1 as $MFACTL_TEST_PG_SCRAM_USER with SCRAM-SHA-256 (PGPASSWORD); a
#      wrong password is refused;
#   3. TLS with sslmode=verify-full, sslrootcert=$MFACTL_TEST_PG_CA, host=localhost, as
#      $MFACTL_TEST_PG_TLS_USER; the same without TLS is refused, and verify-full against
#      another CA fails;
#   4. pgbouncer on $MFACTL_TEST_PGBOUNCER_PORT (when set): its socket reaches the server,
#      pool_mode is transaction, SCRAM over its TCP port works.
#
#   scripts/test-pg-server.sh    with pg-server.sh's variables in the environment: check
#                                that server; without them: start one (--pgbouncer), check
#                                it, stop it, and check that it is gone (timings on stderr)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ -z ${MFACTL_TEST_PG_DIR:-} ]]; then
  t0=$EPOCHREALTIME
  env=$(bash "$here/pg-server.sh" start --pgbouncer)
  t1=$EPOCHREALTIME
  eval "$env"
  dir=$MFACTL_TEST_PG_DIR
  pid=$(head -n 1 "$dir/data/postmaster.pid")
  trap 'bash "$here/pg-server.sh" stop "$dir"' EXIT
  MFACTL_TEST_PG_DIR=$dir bash "$0"
  t2=$EPOCHREALTIME
  bash "$here/pg-server.sh" stop "$dir"
  t3=$EPOCHREALTIME
  trap - EXIT
  [[ ! -e $dir ]] || { echo "test-pg-server: FAIL: stop left $dir" >&2; exit 1; }
  # Gone, or a zombie that its parent has yet to reap.
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || stat='() Z'
  stat=${stat##*) }
  [[ ${stat%% *} == [ZX] ]] ||
    { echo "test-pg-server: FAIL: the postmaster ($pid) outlived stop" >&2; exit 1; }
  awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN {
    printf "test-pg-server: start %.2f s, checks %.2f s, stop %.2f s\n", b-a, c-b, d-c }' >&2
  exit 0
fi

for v in PGHOST PGPORT PGUSER MFACTL_TEST_PG_SCRAM_USER MFACTL_TEST_PG_TLS_USER \
  MFACTL_TEST_PG_SCRAM_PASSWORD MFACTL_TEST_PG_CA; do
  [[ -n ${!v:-} ]] || { echo "test-pg-server: FAIL: \$$v is not set (eval \"\$(scripts/pg-server.sh env DIR)\")" >&2; exit 1; }
done
psql=/usr/lib/postgresql/15/bin/psql
[[ -x $psql ]] || psql=psql
fail() {
  echo "test-pg-server: FAIL: $*" >&2
  exit 1
}
checks=0
# expect WHAT WANTED CONNINFO SQL: the one-line result of SQL over CONNINFO must be WANTED.
expect() {
  local what=$1 wanted=$2 conninfo=$3 sql=$4 got
  got=$("$psql" -X -A -t -q -v ON_ERROR_STOP=1 -d "$conninfo" -c "$sql" 2>&1) ||
    fail "$what: $got"
  [[ $got == "$wanted" ]] || fail "$what: wanted '$wanted', got '$got'"
  ((++checks))
}
# refused WHAT CONNINFO PATTERN: connecting over CONNINFO must fail with PATTERN in the error.
refused() {
  local what=$1 conninfo=$2 pattern=$3 got
  if got=$("$psql" -X -A -t -q -d "$conninfo" -c 'SELECT 1' 2>&1); then
    fail "$what: connected, but should have been refused"
  fi
  [[ $got == *"$pattern"* ]] || fail "$what: refused, but not with '$pattern': $got"
  ((++checks))
}
ssl_of_backend="SELECT current_user || ' ' || ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
pw=$MFACTL_TEST_PG_SCRAM_PASSWORD
scram=$MFACTL_TEST_PG_SCRAM_USER
tls=$MFACTL_TEST_PG_TLS_USER

# 1. Unix socket, trust.
expect "unix socket" "$PGUSER true" "host=$PGHOST" \
  "SELECT current_user || ' ' || (inet_server_addr() IS NULL)"
db=mfactl_check_$$
"$psql" -X -q -v ON_ERROR_STOP=1 -d "host=$PGHOST dbname=postgres" \
  -c "CREATE DATABASE $db OWNER $scram" || fail "CREATE DATABASE as $PGUSER"
trap '"$psql" -X -q -d "host=$PGHOST dbname=postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT

# 2. TCP with SCRAM; the stored password is a SCRAM verifier, and a wrong one is refused.
expect "TCP with SCRAM" "$scram false" \
  "host=127.0.0.1 user=$scram dbname=$db password=$pw sslmode=disable" "$ssl_of_backend"
expect "SCRAM verifier" "SCRAM-SHA-256" "host=$PGHOST dbname=postgres" \
  "SELECT split_part(rolpassword, '\$', 1) FROM pg_authid WHERE rolname = '$scram'"
expect "schema in its own database" "ok" \
  "host=127.0.0.1 user=$scram dbname=$db password=$pw sslmode=disable" \
  "CREATE SCHEMA mfactl_check; DROP SCHEMA mfactl_check; SELECT 'ok'"
refused "TCP with a wrong password" "host=127.0.0.1 user=$scram dbname=$db password=wrong-$pw sslmode=disable" \
  "password authentication failed"
PGPASSWORD=$pw expect "SCRAM through PGPASSWORD" "$scram false" \
  "host=127.0.0.1 user=$scram dbname=$db sslmode=disable" "$ssl_of_backend"
refused "the superuser over TCP" "host=127.0.0.1 dbname=postgres sslmode=disable" "no pg_hba.conf entry"

# 3. TLS, verify-full against the test CA, for CN/SAN localhost.
verify_full="host=localhost user=$tls dbname=$db password=$pw sslmode=verify-full sslrootcert=$MFACTL_TEST_PG_CA"
expect "TLS verify-full" "$tls true" "$verify_full" "$ssl_of_backend"
expect "TLS verify-full as $scram" "$scram true" \
  "host=localhost user=$scram dbname=$db password=$pw sslmode=verify-full sslrootcert=$MFACTL_TEST_PG_CA" \
  "$ssl_of_backend"
refused "$tls without TLS" "host=localhost user=$tls dbname=$db password=$pw sslmode=disable" \
  "no pg_hba.conf entry"
refused "verify-full against another CA" \
  "host=localhost user=$tls dbname=$db password=$pw sslmode=verify-full sslrootcert=/etc/ssl/certs/ca-certificates.crt" \
  "certificate verify failed"
refused "verify-full for a name not in the certificate" \
  "host=mfactl-wrong-name.invalid hostaddr=127.0.0.1 user=$tls dbname=$db password=$pw sslmode=verify-full sslrootcert=$MFACTL_TEST_PG_CA" \
  "does not match host name"

# 4. pgbouncer: transaction pooling on its socket and on 127.0.0.1 with SCRAM.
if [[ -n ${MFACTL_TEST_PGBOUNCER_PORT:-} ]]; then
  bport=$MFACTL_TEST_PGBOUNCER_PORT
  [[ -S $PGHOST/.s.PGSQL.$bport ]] || fail "pgbouncer's socket $PGHOST/.s.PGSQL.$bport is missing"
  expect "pgbouncer socket" "$PGUSER $PGPORT" "host=$PGHOST port=$bport dbname=postgres" \
    "SELECT current_user || ' ' || current_setting('port')"
  mode=$("$psql" -X -A -t -q -d "host=$PGHOST port=$bport dbname=pgbouncer" -c "SHOW CONFIG" 2>&1 |
    awk -F'|' '$1 == "pool_mode" { print $2 }') || true
  [[ $mode == transaction ]] || fail "pgbouncer pool_mode: wanted 'transaction', got '$mode'"
  ((++checks))
  expect "pgbouncer TCP with SCRAM" "$scram $PGPORT" \
    "host=127.0.0.1 port=$bport user=$scram dbname=$db password=$pw sslmode=disable" \
    "SELECT current_user || ' ' || current_setting('port')"
  refused "pgbouncer TCP with a wrong password" \
    "host=127.0.0.1 port=$bport user=$scram dbname=$db password=wrong-$pw sslmode=disable" \
    "authentication failed"
fi
echo "test-pg-server: $checks checks passed (server on port $PGPORT${MFACTL_TEST_PGBOUNCER_PORT:+, pgbouncer on port $MFACTL_TEST_PGBOUNCER_PORT})" >&2
