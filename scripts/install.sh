#!/usr/bin/env bash
# Install or remove mfactl, its man pages and shell completions.
#
#   scripts/install.sh install [BINARY [PAM_MODULE]]  (defaults: dist/mfactl dist/pam_mfactl.so)
#   scripts/install.sh uninstall
#
# Honours PREFIX (default /usr/local), PAMDIR (the PAM module directory, default Debian's
# /lib/x86_64-linux-gnu/security) and DESTDIR (staged installs). Only files that exist
# in the source tree are installed:
#   BINARY                               -> $PREFIX/bin/mfactl
#   PAM_MODULE                           -> $PAMDIR/pam_mfactl.so
#   man/*.N                              -> $PREFIX/share/man/manN/
#   completions/mfactl.bash (or mfactl)  -> $PREFIX/share/bash-completion/completions/mfactl
#   completions/_mfactl (or mfactl.zsh)  -> $PREFIX/share/zsh/site-functions/_mfactl
#   completions/mfactl.fish              -> $PREFIX/share/fish/vendor_completions.d/mfactl.fish
set -euo pipefail

cd "$(dirname "$0")/.."
action=${1:?usage: install.sh install [BINARY] | uninstall}
bin=${2:-dist/mfactl}
pam_module=${3:-dist/pam_mfactl.so}
prefix=${PREFIX:-/usr/local}
root=${DESTDIR:-}${prefix}
pamdir=${DESTDIR:-}${PAMDIR:-/lib/x86_64-linux-gnu/security}

bindir=$root/bin
mandir=$root/share/man
bashdir=$root/share/bash-completion/completions
zshdir=$root/share/zsh/site-functions
fishdir=$root/share/fish/vendor_completions.d

first_existing() {
  for f in "$@"; do
    if [[ -f $f ]]; then
      echo "$f"
      return 0
    fi
  done
  return 0
}

man_pages() {
  shopt -s nullglob
  local f
  for f in man/*.[1-8]; do echo "$f"; done
}

bash_src=$(first_existing completions/mfactl.bash completions/mfactl)
zsh_src=$(first_existing completions/_mfactl completions/mfactl.zsh)
fish_src=$(first_existing completions/mfactl.fish)

run() {
  echo "$*"
  "$@"
}

case $action in
  install)
    if [[ ! -f $bin ]]; then
      echo "install: $bin not found; run 'make release' first (as your own user, not root)" >&2
      exit 1
    fi
    run install -d "$bindir"
    run install -m 0755 "$bin" "$bindir/mfactl"
    # A PAM module is loaded into sshd and sudo as root: root-owned, not writable by others.
    if [[ -f $pam_module ]]; then
      run install -d "$pamdir"
      run install -m 0644 "$pam_module" "$pamdir/pam_mfactl.so"
    fi
    while IFS= read -r page; do
      [[ -n $page ]] || continue
      section=${page##*.}
      run install -d "$mandir/man$section"
      run install -m 0644 "$page" "$mandir/man$section/"
    done < <(man_pages)
    if [[ -n $bash_src ]]; then
      run install -d "$bashdir"
      run install -m 0644 "$bash_src" "$bashdir/mfactl"
    fi
    if [[ -n $zsh_src ]]; then
      run install -d "$zshdir"
      run install -m 0644 "$zsh_src" "$zshdir/_mfactl"
    fi
    if [[ -n $fish_src ]]; then
      run install -d "$fishdir"
      run install -m 0644 "$fish_src" "$fishdir/mfactl.fish"
    fi
    ;;
  uninstall)
    files=("$bindir/mfactl" "$pamdir/pam_mfactl.so" "$bashdir/mfactl" "$zshdir/_mfactl" "$fishdir/mfactl.fish")
    while IFS= read -r page; do
      [[ -n $page ]] || continue
      files+=("$mandir/man${page##*.}/${page##*/}")
    done < <(man_pages)
    # The main page, even when man/ is gone from this tree.
    files+=("$mandir/man1/mfactl.1")
    for f in "${files[@]}"; do
      if [[ -e $f || -L $f ]]; then run rm -f "$f"; fi
    done
    ;;
  *)
    echo "install.sh: unknown action: $action (install | uninstall)" >&2
    exit 64
    ;;
esac
