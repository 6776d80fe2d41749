#!/usr/bin/env bash
# `make demo`: a new vault in a temp dir, a user enrolled with a QR code on the terminal,
# the enrolment confirmed and a code verified, the way a script would do it.
# `make demo` passes the debug binary's path in $MFACTL.
set -euo pipefail
MFACTL=${MFACTL:-mfactl}
demo=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-demo.XXXXXX")
trap 'rm -rf "$demo"' EXIT
export MFACTL_VAULT="$demo/vault.mfa" MFACTL_KEY_FILE="$demo/vault.key"
unset MFACTL_PASSPHRASE MFACTL_PASSPHRASE_FILE MFACTL_NOW

if [ -t 1 ] && [ -z "${NO_COLOR+set}" ]; then
  step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
else
  step() { printf '\n$ %s\n' "$*"; }
fi

step mfactl init --no-passphrase --generate-key-file "$demo/vault.key"
"$MFACTL" init --no-passphrase --generate-key-file "$demo/vault.key"

# --qr utf8 shows the code even when make's output is not a terminal; scan it with an
# authenticator app if you like: the codes below are computed from the same secret.
step mfactl enrol alice --issuer demo --qr utf8 --qr-png "$demo/alice.png"
"$MFACTL" enrol alice --issuer demo --qr utf8 --qr-png "$demo/alice.png" | tee "$demo/enrol.txt"
uri=$(grep '^otpauth://' "$demo/enrol.txt")
if command -v zbarimg >/dev/null; then
  step zbarimg --raw -q alice.png
  decoded=$(zbarimg --raw -q "$demo/alice.png" 2>/dev/null)
  echo "$decoded"
  [ "$decoded" = "$uri" ] && echo "(the PNG decodes to the printed URI)"
fi

# The code an authenticator app would show now (here computed by mfactl from the URI;
# `oathtool --totp -b SECRET` gives the same).
code=$("$MFACTL" code --uri - <<<"$uri")
step "mfactl enrol alice --confirm   # code $code on stdin"
echo "$code" | "$MFACTL" enrol alice --confirm

# The next step's code, verified the way a PAM module or a web app would: code on stdin,
# answer in the exit status.
next=$(MFACTL_NOW=$(( $(date +%s) + 30 )) "$MFACTL" code --uri - <<<"$uri")
step "mfactl verify alice   # code $next on stdin"
set +e
echo "$next" | MFACTL_NOW=$(( $(date +%s) + 30 )) "$MFACTL" verify alice
status=$?
set -e
case $status in
  0) echo "exit 0: accepted" ;;
  1) echo "exit 1: rejected"; exit 1 ;;
  *) echo "exit $status"; exit 1 ;;
esac

step "mfactl verify alice   # the same code again: a replay"
set +e
echo "$next" | MFACTL_NOW=$(( $(date +%s) + 30 )) "$MFACTL" verify alice
echo "exit $?: rejected, a code is never accepted twice"
set -e

step mfactl users list
"$MFACTL" users list
echo
echo "demo finished; the temporary vault in $demo is removed"
# Where the binary is, for the README's tour, which runs it as `mfactl`.
bin=$(command -v "$MFACTL")
echo
echo "the mfactl this demo ran is $bin"
echo "to follow the README's tour, put it on your PATH: export PATH=\"${bin%/*}:\$PATH\""
