#!/usr/bin/env bash
# A throwaway PostgreSQL server (Debian's postgresql-15) for the PostgreSQL backend's tests
# and benchmarks; docs/postgresql.md describes the production side.
#
#   scripts/pg-server.sh start [DIR] [--pgbouncer]  start a server in DIR (default: a new
#                                 mktemp -d /tmp/mfapg.XXXXXX) and print its `export` lines
#   scripts/pg-server.sh env DIR  print the `export` lines again
#   scripts/pg-server.sh status DIR   exit 0 when the server in DIR is running
#   scripts/pg-server.sh stop DIR     kill it (pg_ctl stop -m immediate) and remove DIR
#   scripts/pg-server.sh halt DIR     stop the server only (pgbouncer stays), keep DIR: a
#                                 database gone mid-run; `start DIR` brings it back as it was
#   scripts/pg-server.sh with [--pgbouncer] [--check] [--] COMMAND [ARG...]
#                                 start one in a new DIR, export its lines, run
#                                 scripts/test-pg-server.sh (--check), run COMMAND, and stop
#                                 and remove it on every exit; exits with COMMAND's status
#
# Everything lives in DIR, which must be empty or absent, or a DIR this script made: a
# start there does nothing when its server runs, restarts it (same data, port, password)
# when it was halted or died, and starts afresh when the first start did not finish:
#   data/            the cluster (initdb --no-sync; fsync=off, full_page_writes=off)
#   .s.PGSQL.PORT    the unix socket; sun_path holds 107 bytes, so keep DIR short
#   ca.crt           a self-signed test CA; server.crt is for CN and SAN localhost
#                    (and IP 127.0.0.1), so sslmode=verify-full sslrootcert=DIR/ca.crt
#                    host=localhost verifies
#   server.log, pgbouncer.log, pgbouncer.ini, env (the export lines)
# The server listens on the socket and on 127.0.0.1, on the first free port from 54320
# (PGPORT); pgbouncer (--pgbouncer: transaction pooling, on the socket and 127.0.0.1) on the
# next free one. Roles, and pg_hba.conf (first match wins):
#   mfactl_test   superuser, trust over the unix socket only (DIR is 0700, so only its
#                 owner and root reach the socket); PGUSER. Tests create databases as it.
#   mfactl_scram  LOGIN CREATEDB, SCRAM-SHA-256 password $MFACTL_TEST_PG_SCRAM_PASSWORD,
#                 over TCP on 127.0.0.1 (TLS or not) and over the socket
#   mfactl_tls    the same password, over TLS on 127.0.0.1 only (`hostssl`): a connection
#                 that works proves TLS was used
# Neither is a superuser, and PostgreSQL 15 lets no one else create in a database's public
# schema, so give them a database of their own: createdb -O mfactl_scram NAME.
#
# As root the server (and pgbouncer, which refuses root) runs as the system user
# mfactl-pgtest (created when missing; `nobody` when it cannot be), which owns DIR;
# clients run as the caller. The binaries come from $PG_BIN, default
# /usr/lib/postgresql/15/bin (else the newest /usr/lib/postgresql/*/bin).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
say() { echo "pg-server: $*" >&2; }
die() {
  say "$*"
  exit 1
}

# A small fixed set, so a PGSERVICE, PGSSLMODE or PGHOSTADDR from the caller's environment
# does not silently change what the tests connect to.
caller_pg_vars=(PGHOSTADDR PGSERVICE PGSERVICEFILE PGPASSWORD PGPASSFILE PGSSLMODE
  PGSSLROOTCERT PGSSLCERT PGSSLKEY PGREQUIRESSL PGTARGETSESSIONATTRS PGOPTIONS PGCONNECT_TIMEOUT)
admin_role=mfactl_test
scram_role=mfactl_scram
tls_role=mfactl_tls
first_port=54320
marker=.mfactl-pg-server

find_pg_bin() {
  if [[ -n ${PG_BIN:-} ]]; then
    [[ -x $PG_BIN/initdb ]] || die "PG_BIN=$PG_BIN has no initdb"
    return
  fi
  PG_BIN=/usr/lib/postgresql/15/bin
  if [[ ! -x $PG_BIN/initdb ]]; then
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n $PG_BIN && -x $PG_BIN/initdb ]] ||
      die "initdb not found in /usr/lib/postgresql/*/bin: install postgresql-15 (make deps)"
  fi
}

# The unprivileged user the server runs as when we are root, and how to run a command as it.
server_user=
as_server() {
  if [[ -n $server_user ]]; then
    runuser -u "$server_user" -- "$@"
  else
    "$@"
  fi
}
pick_server_user() {
  [[ $(id -u) == 0 ]] || return 0
  server_user=mfactl-pgtest
  if ! getent passwd "$server_user" >/dev/null; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
      --comment "mfactl test PostgreSQL (scripts/pg-server.sh)" "$server_user" 2>/dev/null ||
      getent passwd "$server_user" >/dev/null || server_user=nobody
  fi
}

# DIR as an absolute path, checked to be ours before anything in it is touched or removed.
resolve_dir() {
  local d=$1
  [[ -n $d ]] || die "no DIR given"
  [[ $d == /* ]] || d=$PWD/$d
  d=${d%/}
  [[ -n $d && $d != / ]] || die "refusing DIR /"
  printf '%s\n' "$d"
}
is_ours() { [[ -f $1/$marker ]]; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
next_free_port() {
  local p=$1
  while port_in_use "$p"; do
    ((p++))
    ((p < first_port + 200)) || die "no free port in $first_port..$((first_port + 199))"
  done
  printf '%s\n' "$p"
}

# alive PID NAME: PID is a live process (not a zombie) called NAME, so a recycled pid or
# an exited child that nobody has reaped yet does not count.
alive() {
  local stat
  [[ -n $1 && $(cat "/proc/$1/comm" 2>/dev/null) == "$2" ]] || return 1
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != [ZX] ]]
}
postmaster_pid() { [[ -f $1/data/postmaster.pid ]] && head -n 1 "$1/data/postmaster.pid"; }
server_running() {
  local pid
  pid=$(postmaster_pid "$1" 2>/dev/null) || return 1
  alive "$pid" postgres
}
pgbouncer_running() {
  local pid
  [[ -f $1/pgbouncer.pid ]] || return 1
  pid=$(cat "$1/pgbouncer.pid" 2>/dev/null)
  alive "$pid" pgbouncer
}

make_certificates() {
  local d=$1 ext
  ext=$(mktemp "$d/ext.XXXXXX")
  printf '%s\n' 'subjectAltName=DNS:localhost,IP:127.0.0.1' 'basicConstraints=critical,CA:FALSE' \
    'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth' >"$ext"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj '/CN=mfactl test CA' -keyout "$d/ca.key" -out "$d/ca.crt" \
    -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
    2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj '/CN=localhost' \
    -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 30 -extfile "$ext" -out "$d/server.crt" 2>/dev/null
  rm -f "$ext" "$d/server.csr" "$d/ca.srl"
  chmod 0600 "$d/ca.key" "$d/server.key"
  chmod 0644 "$d/ca.crt" "$d/server.crt"
}

write_server_config() {
  local d=$1 port=$2
  cat >>"$d/data/postgresql.conf" <<EOF

# scripts/pg-server.sh: a throwaway test server
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$d'
unix_socket_permissions = 0700
max_connections = 200
fsync = off
full_page_writes = off
password_encryption = 'scram-sha-256'
ssl = on
ssl_cert_file = '$d/server.crt'
ssl_key_file = '$d/server.key'
ssl_ca_file = '$d/ca.crt'
log_line_prefix = '%m [%p] %q%u@%d '
EOF
  cat >"$d/data/pg_hba.conf" <<EOF
# scripts/pg-server.sh: first match wins
# TYPE  DATABASE USER           ADDRESS       METHOD
local   all      $scram_role                  scram-sha-256
local   all      $tls_role                    reject
local   all      all                          trust
host    all      $scram_role   127.0.0.1/32  scram-sha-256
hostssl all      $tls_role     127.0.0.1/32  scram-sha-256
EOF
}

# pgbouncer's socket lands beside the server's (.s.PGSQL.<its port>); it reaches the server
# over the unix socket as the connecting role, with passwords from userlist.txt, and any
# other role through auth_query as the superuser.
write_pgbouncer_config() {
  local d=$1 port=$2 bport=$3 password=$4
  cat >"$d/pgbouncer.ini" <<EOF
; scripts/pg-server.sh: transaction pooling, as docs/postgresql.md recommends per host
[databases]
* = host=$d port=$port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bport
unix_socket_dir = $d
unix_socket_mode = 0700
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 40
max_db_connections = 100
auth_type = hba
auth_hba_file = $d/pgbouncer_hba.conf
auth_file = $d/userlist.txt
auth_user = $admin_role
admin_users = $admin_role
stats_users = $admin_role
logfile = $d/pgbouncer.log
pidfile = $d/pgbouncer.pid
EOF
  cat >"$d/pgbouncer_hba.conf" <<EOF
local all all trust
host all $scram_role 127.0.0.1/32 scram-sha-256
host all $tls_role 127.0.0.1/32 scram-sha-256
EOF
  printf '"%s" ""\n"%s" "%s"\n"%s" "%s"\n' "$admin_role" "$scram_role" "$password" \
    "$tls_role" "$password" >"$d/userlist.txt"
  chmod 0600 "$d/pgbouncer.ini" "$d/pgbouncer_hba.conf" "$d/userlist.txt"
  [[ -z $server_user ]] || chown "$server_user:" "$d/pgbouncer.ini" "$d/pgbouncer_hba.conf" "$d/userlist.txt"
}

start_pgbouncer() {
  local d=$1 port=$2 password=$3 bport tries=0
  command -v pgbouncer >/dev/null || [[ -x /usr/sbin/pgbouncer ]] ||
    die "pgbouncer not found: install pgbouncer (make deps)"
  local bin
  bin=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
  bport=$((port + 1))
  # pgbouncer opens its log as the server user; pre-create it so both can append.
  touch "$d/pgbouncer.log"
  [[ -z $server_user ]] || chown "$server_user:" "$d/pgbouncer.log"
  while :; do
    bport=$(next_free_port "$bport")
    write_pgbouncer_config "$d" "$port" "$bport" "$password"
    if (cd "$d" && as_server "$bin" -d -q "$d/pgbouncer.ini" </dev/null >/dev/null 2>>"$d/pgbouncer.log"); then
      local i
      for i in $(seq 50); do
        [[ -S $d/.s.PGSQL.$bport ]] && pgbouncer_running "$d" && break
        sleep 0.02
      done
      if [[ -S $d/.s.PGSQL.$bport ]] && pgbouncer_running "$d"; then
        printf '%s\n' "$bport" >"$d/pgbouncer.port"
        return 0
      fi
    fi
    ((++tries < 5)) || die "pgbouncer did not start; see $d/pgbouncer.log: $(tail -n 3 "$d/pgbouncer.log" 2>/dev/null)"
    grep -qiE 'in use|bind' "$d/pgbouncer.log" 2>/dev/null ||
      die "pgbouncer did not start; see $d/pgbouncer.log: $(tail -n 3 "$d/pgbouncer.log" 2>/dev/null)"
    ((bport++))
  done
}

write_env() {
  local d=$1 q
  {
    printf 'unset %s\n' "${caller_pg_vars[*]}"
    for kv in "PGHOST=$d" "PGPORT=$(cat "$d/port")" "PGUSER=$admin_role" "PGDATABASE=postgres" \
      "MFACTL_TEST_PG_DIR=$d" "MFACTL_TEST_PG_SCRAM_USER=$scram_role" \
      "MFACTL_TEST_PG_TLS_USER=$tls_role" \
      "MFACTL_TEST_PG_SCRAM_PASSWORD=$(cat "$d/scram-password")" "MFACTL_TEST_PG_CA=$d/ca.crt"; do
      printf -v q '%q' "${kv#*=}"
      printf 'export %s=%s\n' "${kv%%=*}" "$q"
    done
    if [[ -f $d/pgbouncer.port ]]; then
      printf 'export MFACTL_TEST_PGBOUNCER_PORT=%s\n' "$(cat "$d/pgbouncer.port")"
    fi
  } >"$d/env.tmp"
  mv -f "$d/env.tmp" "$d/env"
}

# A server that was started completely and is down now (`halt`, a crash): bring it back
# with the same data, port, password and pgbouncer, so the environment the tests hold
# stays right.
restart_server() {
  local d=$1 pgbouncer=$2 port
  port=$(cat "$d/port")
  stop_server "$d"
  ! port_in_use "$port" ||
    die "port $port of $d is taken by another process now; stop DIR and start afresh"
  (cd "$d" && as_server "$PG_BIN/pg_ctl" -D "$d/data" -l "$d/server.log" -w -t 30 -s start \
    </dev/null >/dev/null 2>&1) ||
    die "the server did not start again; see $d/server.log: $(tail -n 3 "$d/server.log")"
  if [[ -f $d/pgbouncer.port ]] && ! pgbouncer_running "$d"; then
    (cd "$d" && as_server "$(command -v pgbouncer || echo /usr/sbin/pgbouncer)" -d -q "$d/pgbouncer.ini" \
      </dev/null >/dev/null 2>&1) || die "pgbouncer did not start again; see $d/pgbouncer.log"
  elif ((pgbouncer)) && [[ ! -f $d/pgbouncer.port ]]; then
    start_pgbouncer "$d" "$port" "$(cat "$d/scram-password")"
    write_env "$d"
  fi
  say "started the server in $d again on port $port"
  cat "$d/env"
}

cmd_start() {
  local dir= pgbouncer=0
  while (($#)); do
    case $1 in
      --pgbouncer) pgbouncer=1 ;;
      -*) die "start: unknown option: $1" ;;
      *)
        [[ -z $dir ]] || die "start: one DIR only"
        dir=$1
        ;;
    esac
    shift
  done
  find_pg_bin
  command -v openssl >/dev/null || die "openssl not found: install openssl (make deps)"
  pick_server_user
  if [[ -z $dir ]]; then
    dir=$(mktemp -d /tmp/mfapg.XXXXXX)
    touch "$dir/$marker"
  fi
  dir=$(resolve_dir "$dir")
  # sun_path is 108 bytes with the terminating NUL: DIR + "/.s.PGSQL.NNNNN".
  ((${#dir} + 16 <= 107)) || die "DIR is too long for a unix socket path (${#dir} bytes; at most 91): $dir"

  if [[ -d $dir ]] && is_ours "$dir"; then
    if [[ -f $dir/env ]] && server_running "$dir"; then
      if ((pgbouncer)) && ! pgbouncer_running "$dir"; then
        start_pgbouncer "$dir" "$(cat "$dir/port")" "$(cat "$dir/scram-password")"
        write_env "$dir"
      fi
      say "already running in $dir"
      cat "$dir/env"
      return 0
    fi
    if [[ -f $dir/env ]]; then
      restart_server "$dir" "$pgbouncer"
      return 0
    fi
    # Ours but half made: kill what is left and start afresh.
    stop_processes "$dir"
    find "$dir" -mindepth 1 -maxdepth 1 ! -name "$marker" -exec rm -rf {} +
  elif [[ -d $dir ]]; then
    [[ -z $(ls -A "$dir") ]] || die "$dir is not empty and was not made by pg-server.sh"
    touch "$dir/$marker"
  else
    mkdir -p "$dir"
    touch "$dir/$marker"
  fi
  chmod 0700 "$dir"
  [[ -z $server_user ]] || chown "$server_user:" "$dir"

  as_server test -w "$dir" -a -x "$dir" ||
    die "${server_user:-$(id -un)} cannot write to $dir (is a parent directory closed to it?); use mktemp -d /tmp/mfapg.XXXXXX"
  local t0=$EPOCHREALTIME
  make_certificates "$dir"
  openssl rand -hex 16 >"$dir/scram-password"
  chmod 0600 "$dir/scram-password"
  [[ -z $server_user ]] || chown "$server_user:" "$dir"/*

  (cd "$dir" && as_server "$PG_BIN/initdb" -D "$dir/data" -U "$admin_role" --auth=trust \
    --no-sync --no-instructions -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1) ||
    die "initdb failed; see $dir/initdb.log: $(tail -n 3 "$dir/initdb.log")"

  local port=$first_port tries=0
  while :; do
    port=$(next_free_port "$port")
    printf '%s\n' "$port" >"$dir/port"
    write_server_config "$dir" "$port"
    if (cd "$dir" && as_server "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -s \
      start </dev/null >/dev/null 2>&1); then
      break
    fi
    # Another server took the port between the check and the bind: take the next one.
    ((++tries < 10)) && grep -qE 'could not bind|could not create any TCP/IP sockets' "$dir/server.log" ||
      die "the server did not start; see $dir/server.log: $(tail -n 3 "$dir/server.log")"
    ((port++))
  done

  local password
  password=$(cat "$dir/scram-password")
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U "$admin_role" -d postgres \
    -v pw="$password" >/dev/null <<EOF || die "creating the test roles failed"
CREATE ROLE $scram_role LOGIN CREATEDB PASSWORD :'pw';
CREATE ROLE $tls_role LOGIN CREATEDB PASSWORD :'pw';
EOF
  if ((pgbouncer)); then
    start_pgbouncer "$dir" "$port" "$password"
  fi
  write_env "$dir"
  say "started PostgreSQL $("$PG_BIN/postgres" -V | awk '{print $3}') in $dir on port $port$(
    [[ -f $dir/pgbouncer.port ]] && echo ", pgbouncer on port $(cat "$dir/pgbouncer.port")"
  )$([[ -n $server_user ]] && echo " as $server_user") in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f", b-a}') s"
  cat "$dir/env"
}

# Kill pgbouncer and the server in DIR for sure: pg_ctl stop -m immediate, then SIGKILL
# to whatever is left of them (checked by name, so a recycled pid is left alone).
stop_processes() {
  stop_pgbouncer "$1"
  stop_server "$1"
}
stop_pgbouncer() {
  local d=$1 pid i
  if pgbouncer_running "$d"; then
    pid=$(cat "$d/pgbouncer.pid")
    kill -INT "$pid" 2>/dev/null || true
    for i in $(seq 50); do
      pgbouncer_running "$d" || break
      sleep 0.02
    done
    ! pgbouncer_running "$d" || kill -KILL "$pid" 2>/dev/null || true
  fi
}
stop_server() {
  local d=$1 pid i
  if server_running "$d"; then
    pid=$(postmaster_pid "$d")
    find_pg_bin
    (cd "$d" && as_server "$PG_BIN/pg_ctl" -D "$d/data" -m immediate -w -t 5 -s stop \
      </dev/null >/dev/null 2>&1) || true
    if server_running "$d"; then
      kill -KILL "$pid" 2>/dev/null || true
      for i in $(seq 100); do
        alive "$pid" postgres || break
        sleep 0.02
      done
    fi
    ! server_running "$d" || die "could not stop the server in $d (pid $pid)"
  fi
  # Backends outlive a SIGKILLed postmaster only until they notice; make sure none is left
  # holding DIR: they are the processes whose working directory is the cluster.
  for pid in $(pgrep -x postgres 2>/dev/null || true); do
    [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$d/data" ]] && kill -KILL "$pid" 2>/dev/null || true
  done
  # A SIGKILLed postmaster leaves its lock files, and until its parent reaps it the pid
  # in them still answers kill -0, so a new postmaster would refuse to start.
  if [[ -f $d/data/postmaster.pid ]] && ! server_running "$d"; then
    rm -f "$d/data/postmaster.pid"
    [[ ! -f $d/port ]] || rm -f "$d/.s.PGSQL.$(cat "$d/port").lock" "$d/.s.PGSQL.$(cat "$d/port")"
  fi
}

cmd_stop() {
  (($# == 1)) || die "usage: pg-server.sh stop DIR"
  local dir
  dir=$(resolve_dir "$1")
  [[ -e $dir ]] || return 0
  is_ours "$dir" || die "$dir was not made by pg-server.sh; not removing it"
  pick_server_user
  stop_processes "$dir"
  rm -rf "$dir"
}

# Stop the server in DIR (pg_ctl stop -m immediate) and keep everything: for tests of a
# database that goes away mid-run. pgbouncer stays up, as a host's would. `start DIR`
# brings the server back.
cmd_halt() {
  (($# == 1)) || die "usage: pg-server.sh halt DIR"
  local dir
  dir=$(resolve_dir "$1")
  is_ours "$dir" && [[ -f $dir/env ]] || die "no server was started in $dir"
  pick_server_user
  stop_server "$dir"
}

cmd_env() {
  (($# == 1)) || die "usage: pg-server.sh env DIR"
  local dir
  dir=$(resolve_dir "$1")
  [[ -f $dir/env ]] && is_ours "$dir" || die "no server was started in $dir"
  cat "$dir/env"
}

cmd_status() {
  (($# == 1)) || die "usage: pg-server.sh status DIR"
  local dir
  dir=$(resolve_dir "$1")
  is_ours "$dir" && server_running "$dir" || {
    say "not running in $dir"
    return 1
  }
  echo "running in $dir on port $(cat "$dir/port")$(pgbouncer_running "$dir" &&
    echo ", pgbouncer on port $(cat "$dir/pgbouncer.port")")"
}

cmd_with() {
  local start_args=() check=0
  while (($#)); do
    case $1 in
      --pgbouncer) start_args+=(--pgbouncer) ;;
      --check) check=1 ;;
      --)
        shift
        break
        ;;
      -*) die "with: unknown option: $1" ;;
      *) break ;;
    esac
    shift
  done
  (($#)) || die "usage: pg-server.sh with [--pgbouncer] [--check] [--] COMMAND [ARG...]"
  local dir env rc
  dir=$(mktemp -d /tmp/mfapg.XXXXXX)
  touch "$dir/$marker"
  # Stop and remove the server on every way out: success, failure, Ctrl-C, kill.
  trap 'cmd_stop "$dir"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  env=$(cmd_start "$dir" "${start_args[@]}") ||
    die "FAIL: the PostgreSQL server for $* did not start (above); not running without it"
  eval "$env"
  if ((check)); then
    bash "$here/test-pg-server.sh"
  fi
  set +e
  "$@"
  rc=$?
  set -e
  exit "$rc"
}

case ${1:-} in
  start | stop | halt | env | status | with)
    cmd=$1
    shift
    "cmd_$cmd" "$@"
    ;;
  -h | --help | help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    ;;
  *)
    echo "usage: pg-server.sh start [DIR] [--pgbouncer] | env DIR | status DIR | halt DIR | stop DIR | with [--pgbouncer] [--check] [--] COMMAND..." >&2
    exit 64
    ;;
esac
