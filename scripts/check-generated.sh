#!/usr/bin/env bash
# Check the generated files against the binary (run by `make test`):
#
#   scripts/check-generated.sh [BINARY]     (default: $(swift build --show-bin-path)/mfactl)
#
# 1. completions/ and man/*.1 are what scripts/gen-docs.sh makes from BINARY now
#    (regenerated into a temp dir and compared; a missing or extra page counts);
# 2. `mandoc -T lint -W warning` is clean on man/*.1 and the hand-written man/*.8
#    (skipped when mandoc is missing);
# 3. the bash completion works: `mfactl us<TAB>` offers `users`.
# Exits 1 naming what failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=${1:-}
if [[ -z $bin ]]; then
  bin="$(swift build --show-bin-path)/mfactl"
fi
[[ -x $bin ]] || {
  echo "check-generated: $bin: no such executable; build it first (swift build)" >&2
  exit 66
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-check-generated.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() {
  echo "check-generated: $*" >&2
  failed=1
}

# --- 1. up to date ------------------------------------------------------------------
bash scripts/gen-docs.sh "$bin" "$tmp/new" 2>"$tmp/gen.log" || {
  cat "$tmp/gen.log" >&2
  echo "check-generated: scripts/gen-docs.sh failed" >&2
  exit 1
}
mkdir -p "$tmp/committed/completions" "$tmp/committed/man"
shopt -s nullglob
for f in completions/mfactl.bash completions/_mfactl completions/mfactl.fish; do
  [[ -f $f ]] && cp "$f" "$tmp/committed/completions/"
done
pages=(man/*.1)
((${#pages[@]} == 0)) || cp "${pages[@]}" "$tmp/committed/man/"
shopt -u nullglob
if ! diff -ru "$tmp/committed" "$tmp/new" >"$tmp/diff"; then
  sed -e "s|Only in $tmp/committed/|Only in the committed |" -e "s|Only in $tmp/new/|Only in the generated |" -e "s|$tmp/committed/||g" -e "s|$tmp/new/||g" "$tmp/diff" | head -n 80 >&2
  fail "completions/man are stale: run scripts/gen-docs.sh (and commit completions/ and man/)"
else
  echo "check-generated: completions and man pages are up to date"
fi

# --- 2. mandoc lint -----------------------------------------------------------------
if command -v mandoc >/dev/null 2>&1; then
  shopt -s nullglob
  pages=(man/*.1 man/*.8)
  shopt -u nullglob
  if ((${#pages[@]} == 0)); then
    fail "no man pages in man/"
  else
    # -W warning exits 2 on warnings; "outdated mandoc.db" notes about other pages are not
    # about ours, so only lines naming one of our files count.
    mandoc -T lint -W warning "${pages[@]}" >"$tmp/lint" 2>&1 || true
    if grep -q '^mandoc: man/' "$tmp/lint"; then
      grep '^mandoc: man/' "$tmp/lint" >&2
      fail "mandoc -T lint -W warning is not clean on man/*.1 man/*.8"
    else
      echo "check-generated: mandoc -T lint -W warning: clean (${#pages[@]} pages)"
    fi
  fi
else
  echo "check-generated: mandoc not installed; skipping the man page lint (make deps installs it)" >&2
fi

# --- 3. bash completion -------------------------------------------------------------
comp=completions/mfactl.bash
func=$(sed -n 's/^complete .*-F \([A-Za-z0-9_]*\) mfactl$/\1/p' "$comp" | head -n1)
if [[ -z $func ]]; then
  fail "$comp has no 'complete -F FUNCTION mfactl' line"
else
  # complete_words EXPECTED WORD...: completes the last WORD, checks EXPECTED is offered.
  complete_words() {
    local expected=$1
    shift
    bash --norc --noprofile -c '
      comp=$1 func=$2
      shift 2
      source "$comp"
      COMP_WORDS=("$@")
      COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
      COMP_LINE="${COMP_WORDS[*]}"
      COMP_POINT=${#COMP_LINE}
      COMPREPLY=()
      "$func" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
      printf "%s\n" "${COMPREPLY[@]}"
    ' _ "$comp" "$func" "$@" 2>&1 || true
  }
  ok=1
  check_completion() {
    local expected=$1 got
    shift
    got=$(complete_words "$expected" "$@")
    if ! grep -qx -- "$expected" <<<"$got"; then
      fail "bash completion of '$*' does not offer '$expected' (got: $(tr '\n' ' ' <<<"$got"))"
      ok=0
    fi
  }
  check_completion users mfactl us
  check_completion list mfactl users li
  check_completion --format mfactl verify --for
  ((ok)) && echo "check-generated: bash completion ($func) offers users, list, --format"
fi

# zsh and fish: a syntax check when the shell is there.
if command -v zsh >/dev/null 2>&1; then
  zsh -n completions/_mfactl || fail "completions/_mfactl: zsh syntax error"
fi
if command -v fish >/dev/null 2>&1; then
  fish --no-execute completions/mfactl.fish || fail "completions/mfactl.fish: fish syntax error"
fi

if ((failed)); then
  exit 1
fi
