#!/usr/bin/env bash
# Placeholder: the demo (new vault in a temp dir, enrol a user, show the QR, verify a
# code) is written later. `make demo` passes the debug binary's path in $MFACTL.
echo "demo: not yet available" >&2
exit 1
