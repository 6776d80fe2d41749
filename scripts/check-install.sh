#!/usr/bin/env bash
# `make test` step: the release binary installs into a staged prefix with its man pages
# and completions, runs from there, and uninstalls without leaving files behind.
#
#   scripts/check-install.sh [BINARY]   (default dist/mfactl)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-dist/mfactl}
stage=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-install.XXXXXX")
trap 'rm -rf "$stage"' EXIT
fail() { echo "check-install: $*" >&2; exit 1; }

DESTDIR=$stage PREFIX=/usr/local bash scripts/install.sh install "$bin" >/dev/null
root=$stage/usr/local
[[ -x $root/bin/mfactl ]] || fail "no $root/bin/mfactl"
[[ -f $root/share/man/man1/mfactl.1 ]] || fail "no mfactl.1"
pages=$(find "$root/share/man/man1" -name 'mfactl*.1' | wc -l)
[[ $pages -eq $(ls man/*.1 | wc -l) ]] || fail "$pages man pages installed, $(ls man/*.1 | wc -l) in man/"
[[ -f $root/share/bash-completion/completions/mfactl ]] || fail "no bash completion"
[[ -f $root/share/zsh/site-functions/_mfactl ]] || fail "no zsh completion"
[[ -f $root/share/fish/vendor_completions.d/mfactl.fish ]] || fail "no fish completion"
"$root/bin/mfactl" --version | grep -q "vault format" || fail "the installed binary does not run"
DESTDIR=$stage PREFIX=/usr/local bash scripts/install.sh uninstall >/dev/null
left=$(find "$stage" -type f | wc -l)
[[ $left -eq 0 ]] || fail "uninstall left $left files"
echo "check-install: installed and uninstalled $((pages + 4)) files cleanly"
