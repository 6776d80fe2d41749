#!/usr/bin/env bash
# Process start-up time of the release binary against a C hello world (gcc -O2).
#
#   scripts/startup-bench.sh [BINARY [HYPERFINE-ARGS...]]     (default BINARY: dist/mfactl)
#
# e.g. scripts/startup-bench.sh dist/mfactl --export-markdown startup.md
# Needs hyperfine (make bench-deps) and gcc.
set -euo pipefail

bin=${1:-dist/mfactl}
shift || true
[[ -x $bin ]] || {
  echo "startup-bench: $bin not found; run 'make release' first" >&2
  exit 1
}
command -v hyperfine >/dev/null || {
  echo "startup-bench: hyperfine not found; run 'make bench-deps'" >&2
  exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-startup.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/hello.c" <<'EOF'
#include <stdio.h>
int main(void) { puts("hello, world"); return 0; }
EOF
gcc -O2 -o "$tmp/hello" "$tmp/hello.c"

case $bin in */*) ;; *) bin=./$bin ;; esac
hyperfine -N --warmup 10 -n "$bin" "$bin" -n ./hello "$tmp/hello" "$@"
