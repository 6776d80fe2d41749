/* Throughput of a check command under concurrency: N threads, each spawning the command
 * back to back for a fixed time (a web application checking a session on every
 * request). Thread i uses line i (modulo their count) of TOKENS in place of {token}.
 * Spawn to exit is timed with CLOCK_MONOTONIC; stdout and stderr go to /dev/null.
 *
 *   checks N SECONDS TOKENS cmd args...
 * prints: runs checks_per_s p50_ms p99_ms max_ms failures
 */
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

struct worker {
  pthread_t thread;
  char **argv;
  double deadline;
  double *lat;
  size_t n, cap;
  long failures;
};

static void *work(void *arg) {
  struct worker *w = arg;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  while (now_ms() < w->deadline) {
    double t0 = now_ms();
    pid_t pid;
    if (posix_spawn(&pid, w->argv[0], &fa, NULL, w->argv, environ) != 0) { w->failures++; continue; }
    int status;
    while (waitpid(pid, &status, 0) < 0) {}
    double dt = now_ms() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) w->failures++;
    if (w->n == w->cap) {
      w->cap = w->cap ? 2 * w->cap : 1024;
      w->lat = realloc(w->lat, w->cap * sizeof(double));
    }
    w->lat[w->n++] = dt;
  }
  posix_spawn_file_actions_destroy(&fa);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: checks N SECONDS TOKENS cmd args...\n");
    return 64;
  }
  int n = atoi(argv[1]);
  double seconds = atof(argv[2]);
  FILE *f = fopen(argv[3], "r");
  if (n < 1 || seconds <= 0 || !f) { fprintf(stderr, "checks: bad arguments\n"); return 64; }
  char **tokens = NULL;
  size_t ntokens = 0;
  char line[256];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    if (!*line) continue;
    tokens = realloc(tokens, (ntokens + 1) * sizeof(char *));
    tokens[ntokens++] = strdup(line);
  }
  fclose(f);
  if (!ntokens) { fprintf(stderr, "checks: no tokens\n"); return 64; }

  int cmdc = argc - 4;
  struct worker *ws = calloc(n, sizeof *ws);
  double deadline = now_ms() + seconds * 1e3;
  double start = now_ms();
  for (int i = 0; i < n; i++) {
    ws[i].argv = calloc(cmdc + 1, sizeof(char *));
    for (int j = 0; j < cmdc; j++)
      ws[i].argv[j] = strcmp(argv[4 + j], "{token}") ? argv[4 + j] : tokens[i % ntokens];
    ws[i].deadline = deadline;
    pthread_create(&ws[i].thread, NULL, work, &ws[i]);
  }
  size_t total = 0;
  long failures = 0;
  for (int i = 0; i < n; i++) {
    pthread_join(ws[i].thread, NULL);
    total += ws[i].n;
    failures += ws[i].failures;
  }
  double elapsed = (now_ms() - start) / 1e3;
  double *all = malloc((total ? total : 1) * sizeof(double));
  size_t k = 0;
  for (int i = 0; i < n; i++) {
    memcpy(all + k, ws[i].lat, ws[i].n * sizeof(double));
    k += ws[i].n;
  }
  qsort(all, total, sizeof(double), cmp);
  if (!total) { printf("0 0 0 0 0 %ld\n", failures); return 1; }
  printf("%zu %.0f %.2f %.2f %.2f %ld\n", total, total / elapsed, all[total / 2], all[(size_t)(total * 0.99)],
         all[total - 1], failures);
  return 0;
}
