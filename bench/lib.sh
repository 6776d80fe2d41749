# Shared by the bench/ scripts that time runs through bench/driver.c (sourced, not run).

# times_summary FILE: median wall ms, p90 wall ms and median CPU ms of the runs in a
# DRIVER_TIMES file (one "wall_ms cpu_ms ..." line per run).
times_summary() {
  local f=$1 count
  count=$(wc -l <"$f")
  echo "$(sort -n -k1,1 "$f" | awk -v i=$((count / 2 + 1)) 'NR == i { print $1 }')" \
    "$(sort -n -k1,1 "$f" | awk -v i=$((count * 9 / 10 + 1)) 'NR == i { print $1 }')" \
    "$(sort -n -k2,2 "$f" | awk -v i=$((count / 2 + 1)) 'NR == i { print $2 }')"
}
