#!/usr/bin/env bash
# Regenerates the format fixtures in Tests/Fixtures (see Tests/Fixtures/README.md):
# a format 4 vault with two users and a few audit events, its audit log and its
# journal of writes in place, and what it must decode to. Run it only when the format
# changes on purpose (docs/FORMAT.md, "Version history"), and commit the result: the
# fixtures are the record of what this build writes, and FormatFixtureTests reads them.
# The format 3 vault (with its log and journal) was made by the format 3 build (commit
# 86bf18c), the format 2 vault, its backup and the version 1 vault by the format 2
# build (commit 4fd62d0); they are kept as they are: this build reads them, it no
# longer writes them (their expectations are rewritten, unchanged).
#
#   scripts/make-fixtures.sh            # uses .build/debug/mfactl (swift build first)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
MFACTL=${MFACTL:-$PWD/.build/debug/mfactl}
[ -x "$MFACTL" ] || { echo "make-fixtures: $MFACTL not found; run 'swift build' first" >&2; exit 66; }
command -v oathtool >/dev/null || { echo "make-fixtures: oathtool missing; run 'make deps'" >&2; exit 69; }
out=$PWD/Tests/Fixtures
work=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-fixtures.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Known inputs (also in Tests/Fixtures/inputs.json, which the test reads).
now=1767225600                      # 2026-01-01T00:00:00Z
alice=JBSWY3DPEHPK3PXP              # TOTP, SHA1, 6 digits, 30 s
bob=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ # HOTP, SHA1, 6 digits
export MFACTL_VAULT=$work/vault.mfa MFACTL_NOW=$now MFACTL_INSECURE_TEST_KDF=1 \
  MFACTL_PASSPHRASE=fixture-passphrase
unset MFACTL_KEY_FILE MFACTL_PASSPHRASE_FILE MFACTL_SYSLOG
# The key file: bytes 0x00 to 0x1f.
printf "$(printf '\\x%02x' $(seq 0 31))" >"$work/key"
m() { "$MFACTL" "$@" --actor fixture; }

m init --key-file "$work/key" --kdf interactive --quiet
m enrol alice --secret "$alice" --activate --issuer fixtures >/dev/null
m enrol bob --type hotp --secret "$bob" --activate --issuer fixtures >/dev/null
m verify alice "$(oathtool --totp -b --now "@$now" "$alice")" >/dev/null
m verify bob 000000 >/dev/null || true # a failure event
m verify bob "$(oathtool --hotp -b -c 0 "$bob")" >/dev/null
# The three verifies were written in place: three entries in the journal, applied.

cat >"$out/inputs.json" <<JSON
{
  "now": $now,
  "keyFileHex": "$(od -An -tx1 "$work/key" | tr -d ' \n')",
  "passphrase": "$MFACTL_PASSPHRASE",
  "users": [
    { "name": "alice", "secretHex": "48656c6c6f21deadbeef" },
    { "name": "bob", "secretHex": "3132333435363738393031323334353637383930" }
  ],
  "events": ["user.created", "verify.success", "verify.failure"]
}
JSON

cp "$work/vault.mfa" "$out/vault-v4.mfa"
cp "$work/vault.mfa.audit" "$out/vault-v4.mfa.audit"
cp "$work/vault.mfa.journal" "$out/vault-v4.mfa.journal"
cmp -s "$work/key" "$out/key" || { echo "make-fixtures: the key file changed" >&2; exit 70; }

# The version 1 vault and the decoded expectations need the library's internals.
MFACTL_WRITE_FIXTURES=1 swift test --disable-swift-testing --filter 'FormatFixtureTests/testWriteFixtures' >/dev/null
ls -l "$out"
