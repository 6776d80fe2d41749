#!/usr/bin/env bash
# `make test` step: the release binary installs into a staged prefix with its man pages,
# completions and the PAM module, runs from there, and uninstalls without leaving files
# behind.
#
#   scripts/check-install.sh [BINARY [PAM_MODULE]]   (default dist/mfactl dist/pam_mfactl.so)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-dist/mfactl}
pam_module=${2:-dist/pam_mfactl.so}
pamdir=${PAMDIR:-/lib/x86_64-linux-gnu/security}
fail() { echo "check-install: $*" >&2; exit 1; }
[[ -f $pam_module ]] || fail "no $pam_module (make pam)"
stage=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-install.XXXXXX")
trap 'rm -rf "$stage"' EXIT

DESTDIR=$stage PREFIX=/usr/local PAMDIR=$pamdir bash scripts/install.sh install "$bin" "$pam_module" >/dev/null
root=$stage/usr/local
[[ -x $root/bin/mfactl ]] || fail "no $root/bin/mfactl"
[[ -f $root/share/man/man1/mfactl.1 ]] || fail "no mfactl.1"
pages=$(find "$root/share/man/man1" -name 'mfactl*.1' | wc -l)
[[ $pages -eq $(ls man/*.1 | wc -l) ]] || fail "$pages man pages installed, $(ls man/*.1 | wc -l) in man/"
[[ -f $root/share/man/man8/pam_mfactl.8 ]] || fail "no pam_mfactl.8"
pages=$((pages + 1))
installed_module=$stage$pamdir/pam_mfactl.so
[[ -f $installed_module ]] || fail "no $installed_module"
[[ $(stat -c %a "$installed_module") == 644 ]] || fail "$installed_module is not mode 0644"
# The entry points PAM looks up, and nothing else exported.
exported=$(nm -D --defined-only "$installed_module" | awk '$2 == "T" { print $3 }' | sort | tr '\n' ' ')
[[ $exported == "pam_sm_authenticate pam_sm_setcred " ]] || fail "$installed_module exports: $exported"
[[ -f $root/share/bash-completion/completions/mfactl ]] || fail "no bash completion"
[[ -f $root/share/zsh/site-functions/_mfactl ]] || fail "no zsh completion"
[[ -f $root/share/fish/vendor_completions.d/mfactl.fish ]] || fail "no fish completion"
"$root/bin/mfactl" --version | grep -q "vault format" || fail "the installed binary does not run"
DESTDIR=$stage PREFIX=/usr/local PAMDIR=$pamdir bash scripts/install.sh uninstall >/dev/null
left=$(find "$stage" -type f | wc -l)
[[ $left -eq 0 ]] || fail "uninstall left $left files"
echo "check-install: installed and uninstalled $((pages + 5)) files cleanly"
