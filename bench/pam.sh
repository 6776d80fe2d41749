#!/usr/bin/env bash
# The login path side by side, in one run, as root: pamtester authenticates one HOTP user
# through each PAM stack, with a fresh code every run (every stack stores its counter
# durably, so each run is a real stateful login):
#   permit   pam_permit.so alone: pamtester and libpam themselves, the floor
#   ga       pam_google_authenticator.so (secret file with HOTP_COUNTER, rewritten per login)
#   oath     pam_oath.so (usersfile, rewritten per login; skipped when libpam-oath is not
#            installed: this script installs nothing)
#   exec     pam_exec.so + scripts/pam/mfactl-pam -> mfactl verify (docs/pam.md, fallback)
#   module   pam_mfactl.so -> mfactl verify
#   static   pam_mfactl.so -> a fully static mfactl (make release STATIC=1), when
#            MFACTL_STATIC names one (`make bench` builds it as dist/mfactl-static)
# Prints the median ms per stack (the first WARMUP runs left out) and the ratios of the
# mfactl stacks to ga and oath. `make bench` runs it after bench/run.sh when root.
#
#   bench/pam.sh                                  # uses $MFACTL, $PAM_MFACTL or dist/
#   RUNS=40 WARMUP=5 bench/pam.sh
#   MFACTL_STATIC=/path/to/static/mfactl bench/pam.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MFACTL=${MFACTL:-$PWD/dist/mfactl}
PAM_MFACTL=${PAM_MFACTL:-$PWD/dist/pam_mfactl.so}
MFACTL_STATIC=${MFACTL_STATIC:-}
RUNS=${RUNS:-40}
WARMUP=${WARMUP:-5}
secdir=/lib/x86_64-linux-gnu/security

if [ "$(id -u)" != 0 ]; then
  echo "bench/pam.sh: skipped: the PAM benchmark writes /etc/pam.d/ files and needs root" >&2
  exit 0
fi
[ -x "$MFACTL" ] || { echo "bench/pam.sh: $MFACTL not found; run 'make release' first" >&2; exit 66; }
[ -f "$PAM_MFACTL" ] || { echo "bench/pam.sh: $PAM_MFACTL not found; run 'make pam' first" >&2; exit 66; }
for t in pamtester oathtool python3; do
  command -v "$t" >/dev/null || { echo "bench/pam.sh: $t missing; run 'make deps'" >&2; exit 69; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-pam-bench.XXXXXX")
chmod 755 "$work"
tag=mfactl-bench-$$
services=()
cleanup() {
  for s in "${services[@]}"; do rm -f "/etc/pam.d/$s"; done
  rm -rf "$work"
}
trap cleanup EXIT
# stack NAME LINE...: writes the PAM service $tag-NAME with those auth lines.
stack() {
  local name=$1
  shift
  printf '%s\n' "$@" > "/etc/pam.d/$tag-$name"
  services+=("$tag-$name")
  names+=("$name")
}
names=()

hex=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
b32=$(python3 -c "import base64; print(base64.b32encode(bytes.fromhex('$hex')).decode().rstrip('='))")
user=mfabench

stack permit "auth required pam_permit.so"

if [ -e $secdir/pam_google_authenticator.so ]; then
  # HOTP, next counter 1; user=root reads the file as root, so no system user is needed.
  mkdir -m 700 "$work/ga"
  printf '%s\n" HOTP_COUNTER 1\n' "$b32" > "$work/ga/$user"
  chmod 600 "$work/ga/$user"
  stack ga "auth required pam_google_authenticator.so secret=$work/ga/\${USER} user=root"
else
  echo "bench/pam.sh: pam_google_authenticator.so not installed (make deps installs it); skipped" >&2
fi

if [ -e $secdir/pam_oath.so ]; then
  printf 'HOTP %s - %s 0\n' "$user" "$hex" > "$work/users.oath"
  chmod 600 "$work/users.oath"
  stack oath "auth required pam_oath.so usersfile=$work/users.oath window=3 digits=6"
else
  echo "bench/pam.sh: pam_oath.so not installed (Debian: libpam-oath); skipped" >&2
fi

# mfactl: one vault per stack (a code accepted through one is a replay for the other).
mfactl_stacks="exec module"
if [ -n "$MFACTL_STATIC" ]; then
  [ -x "$MFACTL_STATIC" ] || { echo "bench/pam.sh: MFACTL_STATIC=$MFACTL_STATIC not found" >&2; exit 66; }
  mfactl_stacks="$mfactl_stacks static"
fi
for n in $mfactl_stacks; do
  "$MFACTL" init --vault "$work/$n.mfa" --generate-key-file "$work/$n.key" --no-passphrase --quiet
  "$MFACTL" enrol "$user" --vault "$work/$n.mfa" --key-file "$work/$n.key" --type hotp --secret "$b32" \
    --activate --qr none --quiet >/dev/null
done
sed -e "s|^MFACTL=.*|MFACTL=$MFACTL|" -e "s|^MFACTL_VAULT=.*|MFACTL_VAULT=$work/exec.mfa|" \
  -e "s|^MFACTL_KEY_FILE=.*|MFACTL_KEY_FILE=$work/exec.key|" scripts/pam/mfactl-pam > "$work/mfactl-pam"
chmod 755 "$work/mfactl-pam"
stack exec "auth [success=1 default=ignore] pam_exec.so expose_authtok quiet seteuid $work/mfactl-pam" \
  "auth [cred_err=ignore default=die] pam_deny.so" "auth required pam_permit.so"
stack module "auth required $PAM_MFACTL mfactl=$MFACTL vault=$work/module.mfa key_file=$work/module.key"
if [ -n "$MFACTL_STATIC" ]; then
  stack static "auth required $PAM_MFACTL mfactl=$MFACTL_STATIC vault=$work/static.mfa key_file=$work/static.key"
fi

python3 - "$RUNS" "$WARMUP" "$hex" "$user" "$tag" "${names[@]}" <<'PY'
import statistics, subprocess, sys, time
runs, warmup, hx, user, tag, names = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
times = {n: [] for n in names}
refused = {n: 0 for n in names}
for i in range(1, warmup + runs + 1):
    code = subprocess.run(["oathtool", "-c", str(i), hx], capture_output=True, text=True, check=True).stdout.strip()
    for n in names:
        start = time.perf_counter()
        r = subprocess.run(["pamtester", f"{tag}-{n}", user, "authenticate"], input=code + "\n", capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if i > warmup:
            times[n].append(elapsed)
        if r.returncode != 0:
            refused[n] += 1
            if refused[n] == 1:
                print(f"bench/pam.sh: {n}: counter {i} refused: {(r.stderr or r.stdout).strip()[:160]}", file=sys.stderr)
med = {n: statistics.median(v) * 1000 for n, v in times.items()}
print(f"pamtester, HOTP, a fresh code each run, median of {runs} runs ({warmup} warm-up runs left out)")
print(f"{'stack':<8} {'median ms':>10} {'refused':>8}  {'vs ga':>6} {'vs oath':>8}")
for n in names:
    vs = lambda ref: f"{med[n] / med[ref]:.2f}x" if ref in med else "-"
    print(f"{n:<8} {med[n]:>10.2f} {refused[n]:>8}  {vs('ga'):>6} {vs('oath'):>8}")
if any(refused.values()):
    sys.exit(1)
PY
