#!/usr/bin/env bash
# pam_mfactl.so in a real sshd, on loopback (issue 11: "test it in a real sshd"). Root
# only; changes the machine for the length of the run and puts it back on exit:
# installs openssh-server and sshpass when missing, creates the user `mfauser`, writes
# /etc/pam.d/sshd (the original is restored) and runs a second sshd on 127.0.0.1:2222
# with keyboard-interactive only. Then: the right code logs in, the same code again and
# a wrong one are refused, and the audit log shows them by `pam:sshd` from 127.0.0.1.
#
#   sudo scripts/try-sshd.sh                     # dist/mfactl, dist/pam_mfactl.so, a vault file
#   sudo VAULT='postgresql:///db?host=...' scripts/try-sshd.sh   # the vault in PostgreSQL
# Not part of make test: it edits /etc/pam.d/sshd and starts a daemon.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "try-sshd: run as root" >&2; exit 77; }
MFACTL=${MFACTL:-$PWD/dist/mfactl}
PAM_MODULE=${PAM_MODULE:-$PWD/dist/pam_mfactl.so}
command -v sshd >/dev/null && command -v sshpass >/dev/null ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssh-server sshpass >/dev/null
d=$(mktemp -d /tmp/mfactl-sshd.XXXXXX)
chmod 755 "$d"
cp /etc/pam.d/sshd "$d/pam.d.sshd.orig"
cleanup() {
  [ -f "$d/sshd.pid" ] && kill "$(cat "$d/sshd.pid")" 2>/dev/null || true
  cp "$d/pam.d.sshd.orig" /etc/pam.d/sshd
  rm -rf "$d"
}
trap cleanup EXIT
id mfauser >/dev/null 2>&1 || useradd -m -s /bin/sh mfauser
usermod -p '*' mfauser
cp "$PAM_MODULE" "$d/pam_mfactl.so"
ssh-keygen -q -t ed25519 -N '' -f "$d/host_key"
vault=${VAULT:-$d/vault.mfa}
export MFACTL_VAULT=$vault MFACTL_KEY_FILE=$d/key
"$MFACTL" init --generate-key-file "$d/key" --no-passphrase --quiet
"$MFACTL" enrol mfauser --activate --qr none --quiet >/dev/null
printf 'auth required %s mfactl=%s vault=%s key_file=%s\naccount required pam_permit.so\nsession required pam_permit.so\n' \
  "$d/pam_mfactl.so" "$MFACTL" "$vault" "$d/key" >/etc/pam.d/sshd
mkdir -p /run/sshd
cat >"$d/sshd_config" <<CONF
Port 2222
ListenAddress 127.0.0.1
HostKey $d/host_key
UsePAM yes
KbdInteractiveAuthentication yes
PasswordAuthentication no
PubkeyAuthentication no
AuthenticationMethods keyboard-interactive
PermitRootLogin no
PidFile $d/sshd.pid
CONF
/usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log"
sleep 0.5
login() {
  sshpass -P "Verification code" -p "$1" ssh -p 2222 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o PreferredAuthentications=keyboard-interactive -o NumberOfPasswordPrompts=1 -o LogLevel=ERROR \
    mfauser@127.0.0.1 'id -un' 2>/dev/null
}
code=$("$MFACTL" code mfauser)
[ "$(login "$code")" = mfauser ] || { echo "try-sshd: the right code did not log in" >&2; exit 1; }
! login "$code" >/dev/null || { echo "try-sshd: the same code logged in twice" >&2; exit 1; }
! login 000000 >/dev/null || { echo "try-sshd: a wrong code logged in" >&2; exit 1; }
"$MFACTL" audit list --limit 3
echo "try-sshd: ok (right code in; replay and wrong code refused)"
