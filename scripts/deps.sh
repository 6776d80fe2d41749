#!/usr/bin/env bash
# Make sure the Debian packages mfactl needs are installed (and that swift is on PATH).
#
#   scripts/deps.sh           build/test dependencies + swift on PATH
#   scripts/deps.sh --bench   benchmark tools (hyperfine, strace, valgrind, libpam-oath)
#
# Missing packages are installed with apt-get when running as root (one `apt-get update`
# first); otherwise the exact `sudo apt-get install ...` command is printed and the script
# fails. Safe to run repeatedly: it does nothing when everything is present.
set -euo pipefail

mode=build
case "${1:-}" in
  "") ;;
  --bench) mode=bench ;;
  -h | --help)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "deps.sh: unknown option: $1" >&2
    exit 64
    ;;
esac

if [[ $mode == bench ]]; then
  # strace: bench/fsyncs.sh counts the sync calls; valgrind: bench/instructions.sh counts
  # instructions per verify; libpam-oath: bench/pam.sh compares pam_oath
  packages=(hyperfine strace valgrind libpam-oath)
else
  # C libraries (headers + static archives), pkg-config for the system-library targets,
  # and the tools the tests compare against: oathtool (RFC 4226/6238 codes) and
  # zbarimg from zbar-tools (decodes the QR PNGs); mandoc lints the man pages
  # (scripts/check-generated.sh); libpam0g-dev (the PAM headers) builds pam/pam_mfactl.c.
  # python3-prometheus-client parses `status --format prometheus` in the tests;
  # pamtester and libpam-modules run the PAM integration test; google-authenticator
  # (libpam-google-authenticator) makes the secret files the migration test imports;
  # python3-jsonschema checks every command's JSON against docs/json/ (scripts/validate-json.py).
  # The PostgreSQL backend's tests (scripts/pg-server.sh, docs/postgresql.md): postgresql-15
  # (initdb, pg_ctl, postgres, psql) for a throwaway server, libpq5 which mfactl loads at
  # run time, pgbouncer for the pooled path, openssl for the test CA and server certificate.
  packages=(libsodium-dev libqrencode-dev libpng-dev zlib1g-dev libpam0g-dev pkg-config oathtool zbar-tools mandoc
    python3-prometheus-client pamtester libpam-modules libpam-google-authenticator python3-jsonschema
    postgresql-15 postgresql-client-15 libpq5 pgbouncer openssl)
fi

say() { echo "deps: $*" >&2; }

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [[ $status == installed ]] || missing+=("$p")
  done
else
  say "dpkg-query not found (not a Debian-like system); make sure these are installed:"
  say "  ${packages[*]}"
fi

if ((${#missing[@]} > 0)); then
  say "missing packages: ${missing[*]}"
  if [[ $(id -u) == 0 ]]; then
    export DEBIAN_FRONTEND=noninteractive
    apt_opts=(-o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
    say "running apt-get update"
    apt-get "${apt_opts[@]}" update </dev/null
    say "installing ${missing[*]}"
    apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" </dev/null
  else
    say "not running as root; install them with:"
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

if [[ $mode == build ]]; then
  if ! command -v swift >/dev/null 2>&1; then
    say "swift not found on PATH."
    if [[ -x /opt/swift/usr/bin/swift ]]; then
      say "the toolchain is at /opt/swift: add it with  export PATH=/opt/swift/usr/bin:\$PATH"
    else
      say "install the Swift toolchain (6.x) and put its usr/bin on PATH (/opt/swift/usr/bin may need adding)."
    fi
    exit 1
  fi
fi
exit 0
