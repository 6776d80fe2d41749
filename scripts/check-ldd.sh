#!/usr/bin/env bash
# Check which shared libraries a release binary needs at run time.
#
#   scripts/check-ldd.sh [--static] BINARY
#
# Allowed: glibc's own libraries (libc, libm, libpthread, libdl, librt, libutil, the
# dynamic loader, the vDSO) and libqrencode.so.4. Anything else (libstdc++, libgcc_s,
# libsodium, libpng, libz, libFoundation, libswiftCore, ...) is an offender: they are
# listed and the script exits 1. With --static the binary must be fully static.
set -euo pipefail

require_static=0
if [[ ${1:-} == --static ]]; then
  require_static=1
  shift
fi
bin=${1:?usage: check-ldd.sh [--static] BINARY}
[[ -f $bin ]] || {
  echo "check-ldd: $bin: no such file" >&2
  exit 66
}

set +e
out=$(LC_ALL=C ldd "$bin" 2>&1)
rc=$?
set -e

if [[ $out == *"not a dynamic executable"* || $out == *"statically linked"* ]]; then
  echo "check-ldd: $bin: fully static ($(echo "$out" | tr -d '\t' | head -n1))"
  exit 0
fi
if ((rc != 0)); then
  echo "check-ldd: ldd $bin failed:" >&2
  echo "$out" >&2
  exit 1
fi

echo "$out"
if ((require_static)); then
  echo "check-ldd: $bin is dynamically linked, but a fully static binary was required" >&2
  exit 1
fi

allowed='^(linux-vdso\.so\.1|linux-gate\.so\.1|ld-linux[-a-z0-9_.]*\.so\.[0-9]+|libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libutil\.so\.1|libqrencode\.so\.4)$'
offenders=()
while IFS= read -r line; do
  line=${line#"${line%%[![:space:]]*}"} # trim leading whitespace
  [[ -z $line ]] && continue
  name=${line%% *}      # "libfoo.so.1 => /path (0x..)" or "/lib64/ld-linux-x86-64.so.2 (0x..)"
  base=${name##*/}
  if [[ $line == *"not found"* ]] || ! [[ $base =~ $allowed ]]; then
    offenders+=("$line")
  fi
done <<<"$out"

if ((${#offenders[@]} > 0)); then
  echo "check-ldd: $bin needs libraries outside glibc + libqrencode.so.4:" >&2
  printf '  %s\n' "${offenders[@]}" >&2
  exit 1
fi
echo "check-ldd: $bin: OK (only glibc and libqrencode.so.4)"
