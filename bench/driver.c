/* Times whole-process runs of a command, one run per line of a plan file.
 *
 * A TOTP verify cannot be repeated with the same code (replay protection), so each run
 * gets its own Unix time and code: plan lines are "UNIXTIME CODE". In the command,
 * {now} and {code} are replaced, and MFACTL_NOW is set to the line's time. Spawn to
 * exit is timed with CLOCK_MONOTONIC; the first `warmup` runs are not counted. The
 * child's CPU time (user + system, from wait4) is recorded too: on a shared machine it
 * moves far less than the wall time, which includes waiting for the CPU and the disk.
 *
 *   driver PLAN WARMUP EXPECTED_EXIT cmd args...
 * prints: runs median_ms mean_ms min_ms p90_ms failures median_cpu_ms median_page_faults
 * With DRIVER_TIMES=FILE set, each counted run also appends "wall_ms cpu_ms page_faults"
 * to FILE, so that runs of two binaries taken in alternating slices can be summarised
 * together. Page faults are the child's minor + major faults (wait4's rusage).
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static char *subst(const char *arg, const char *now, const char *code) {
  char *out = malloc(strlen(arg) + 64);
  const char *p = arg;
  char *o = out;
  while (*p) {
    if (!strncmp(p, "{now}", 5)) { o += sprintf(o, "%s", now); p += 5; }
    else if (!strncmp(p, "{code}", 6)) { o += sprintf(o, "%s", code); p += 6; }
    else *o++ = *p++;
  }
  *o = 0;
  return out;
}

int main(int argc, char **argv) {
  if (argc < 5) { fprintf(stderr, "usage: driver PLAN WARMUP EXPECTED_EXIT cmd args...\n"); return 64; }
  FILE *f = fopen(argv[1], "r");
  if (!f) { perror(argv[1]); return 66; }
  int warmup = atoi(argv[2]), expected = atoi(argv[3]);
  int nargs = argc - 4;
  double *times = malloc(sizeof(double) * 100000);
  double *cpu = malloc(sizeof(double) * 100000);
  double *faults = malloc(sizeof(double) * 100000);
  int n = 0, failures = 0, line = 0;
  char now[32], code[32];
  /* The children's stdout goes to /dev/null: only this program's summary is output. */
  posix_spawn_file_actions_t quiet;
  posix_spawn_file_actions_init(&quiet);
  posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
  const char *times_path = getenv("DRIVER_TIMES");
  FILE *times_out = times_path ? fopen(times_path, "a") : NULL;
  if (times_path && !times_out) { perror(times_path); return 73; }
  while (fscanf(f, "%31s %31s", now, code) == 2) {
    char **args = calloc(nargs + 1, sizeof(char *));
    for (int i = 0; i < nargs; i++) args[i] = subst(argv[4 + i], now, code);
    setenv("MFACTL_NOW", now, 1);
    pid_t pid;
    double t0 = now_ms();
    if (posix_spawnp(&pid, args[0], &quiet, NULL, args, environ) != 0) { perror("spawn"); return 71; }
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    double t1 = now_ms();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != expected) failures++;
    if (line++ >= warmup) {
      cpu[n] = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
      faults[n] = ru.ru_minflt + ru.ru_majflt;
      times[n++] = t1 - t0;
      if (times_out) fprintf(times_out, "%.3f %.3f %.0f\n", t1 - t0, cpu[n - 1], faults[n - 1]);
    }
    for (int i = 0; i < nargs; i++) free(args[i]);
    free(args);
  }
  if (times_out) fclose(times_out);
  if (n == 0) { fprintf(stderr, "no runs\n"); return 65; }
  double sum = 0;
  for (int i = 0; i < n; i++) sum += times[i];
  qsort(times, n, sizeof(double), cmp);
  qsort(cpu, n, sizeof(double), cmp);
  qsort(faults, n, sizeof(double), cmp);
  printf("%d %.3f %.3f %.3f %.3f %d %.3f %.0f\n", n, times[n / 2], sum / n, times[0], times[(int)(n * 0.9)], failures,
         cpu[n / 2], faults[n / 2]);
  return failures ? 1 : 0;
}
