// pam_mfactl: an mfactl one-time code as a PAM auth step (pam_mfactl(8), docs/pam.md).
//
// It asks for the code through the PAM conversation (or takes it from PAM_AUTHTOK), runs
//   mfactl verify --vault=V --key-file=K --actor=pam:SERVICE [--ip=RHOST] -- USER
// directly (posix_spawn: no shell, an empty environment, the code on a pipe as stdin)
// and maps its exit status: 0 PAM_SUCCESS, 1 PAM_AUTH_ERR, 2 PAM_MAXTRIES, 67
// PAM_USER_UNKNOWN (PAM_IGNORE with nullok), anything else PAM_AUTHINFO_UNAVAIL.
//
// This is loaded into sshd, sudo and login, so it is plain C with no runtime of its own,
// keeps no global state, and never changes the host's signal handlers, environment or
// file descriptors. Fail closed: only a child that exited normally with status 0 gives
// PAM_SUCCESS. The code is never printed or logged, and every buffer that held it is
// wiped before it is freed or goes out of scope.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define PAM_SM_AUTH
#include <security/pam_ext.h>
#include <security/pam_modules.h>

// Baked in by the Makefile: where `make install` puts mfactl, and the vault and key file
// docs/pam.md sets up.
#ifndef MFACTL_DEFAULT_PATH
#define MFACTL_DEFAULT_PATH "/usr/local/bin/mfactl"
#endif
#ifndef MFACTL_DEFAULT_VAULT
#define MFACTL_DEFAULT_VAULT "/var/lib/mfactl/vault.mfa"
#endif
#ifndef MFACTL_DEFAULT_KEY_FILE
#define MFACTL_DEFAULT_KEY_FILE "/etc/mfactl/vault.key"
#endif

// Built with -fvisibility=hidden: only the PAM entry points are exported.
#define EXPORT __attribute__((visibility("default")))

#define DEFAULT_PROMPT "Verification code: "
#define FORWARD_PROMPT "Password & verification code: "
#define DEFAULT_TIMEOUT_S 30
#define MAX_TIMEOUT_S 3600
// A code longer than this is a wrong code anyway; mfactl still sees (and counts) the
// first CODE_MAX bytes, so a typo of any length costs one failure.
#define CODE_MAX 64
// What is kept of mfactl's stdout and stderr for the debug log.
#define OUTPUT_MAX 2048
// mfactl's exit codes (SPEC.md, "Exit codes").
#define EXIT_REJECTED 1
#define EXIT_LOCKED 2
#define EXIT_NO_SUCH_USER 67

enum pass_mode { PROMPT, TRY_FIRST_PASS, USE_FIRST_PASS };

struct options {
  const char *mfactl;
  const char *vault;
  const char *key_file;
  const char *prompt;
  const char *actor;
  int timeout_s;
  enum pass_mode pass_mode;
  bool echo_code, nullok, forward_pass, debug;
};

// Linux-PAM hands a bracketed option (`[prompt=Your code: ]`) over as one string without
// the brackets, so `prompt=` may hold spaces here.
static int parse_options(pam_handle_t *pamh, int argc, const char **argv, struct options *o) {
  *o = (struct options){
    .mfactl = MFACTL_DEFAULT_PATH,
    .vault = MFACTL_DEFAULT_VAULT,
    .key_file = MFACTL_DEFAULT_KEY_FILE,
    .prompt = NULL,
    .actor = NULL,
    .timeout_s = DEFAULT_TIMEOUT_S,
    .pass_mode = PROMPT,
  };
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *v;
#define VALUE(name) (strncmp(a, name "=", sizeof(name)) == 0 && (v = a + sizeof(name), true))
    if (VALUE("mfactl")) {
      if (v[0] != '/') {
        pam_syslog(pamh, LOG_ERR, "mfactl= must be an absolute path: %s", v);
        return PAM_SERVICE_ERR;
      }
      o->mfactl = v;
    } else if (VALUE("vault")) {
      o->vault = v;
    } else if (VALUE("key_file")) {
      o->key_file = v;
    } else if (VALUE("prompt")) {
      o->prompt = v;
    } else if (VALUE("actor")) {
      o->actor = v;
    } else if (VALUE("timeout")) {
      char *end;
      errno = 0;
      long t = strtol(v, &end, 10);
      if (errno != 0 || end == v || *end != '\0' || t < 1 || t > MAX_TIMEOUT_S) {
        pam_syslog(pamh, LOG_ERR, "timeout= takes 1 to %d seconds: %s", MAX_TIMEOUT_S, v);
        return PAM_SERVICE_ERR;
      }
      o->timeout_s = (int)t;
    } else if (strcmp(a, "echo_code") == 0) {
      o->echo_code = true;
    } else if (strcmp(a, "nullok") == 0) {
      o->nullok = true;
    } else if (strcmp(a, "try_first_pass") == 0) {
      o->pass_mode = TRY_FIRST_PASS;
    } else if (strcmp(a, "use_first_pass") == 0) {
      o->pass_mode = USE_FIRST_PASS;
    } else if (strcmp(a, "forward_pass") == 0) {
      o->forward_pass = true;
    } else if (strcmp(a, "debug") == 0) {
      o->debug = true;
    } else {
      pam_syslog(pamh, LOG_ERR, "unknown option: %s", a);
      return PAM_SERVICE_ERR;
    }
#undef VALUE
  }
  if (o->vault[0] == '\0' || o->key_file[0] == '\0' || (o->actor != NULL && o->actor[0] == '\0')) {
    pam_syslog(pamh, LOG_ERR, "vault=, key_file= and actor= need a value");
    return PAM_SERVICE_ERR;
  }
  return PAM_SUCCESS;
}

// The names mfactl accepts (SPEC.md): 1-64 of A-Z a-z 0-9 . _ @ + -, not starting with '-'.
// Anything else could never be in the vault; refusing it here keeps it out of argv.
static bool valid_user_name(const char *u) {
  size_t n = strlen(u);
  if (n == 0 || n > 64 || u[0] == '-') return false;
  for (size_t i = 0; i < n; i++) {
    char c = u[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '@' || c == '+' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Printable ASCII without spaces: what goes into --actor= and --ip= (mfactl refuses
// control characters with 64, which would make every login unavailable).
static bool printable_word(const char *s) {
  if (s == NULL || *s == '\0') return false;
  for (; *s; s++) {
    if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f) return false;
  }
  return true;
}

static void wipe_free(char *s) {
  if (s == NULL) return;
  explicit_bzero(s, strlen(s));
  free(s);
}

// "--vault=" + value, freshly allocated.
static char *option_arg(const char *name, const char *value) {
  char *s = NULL;
  if (asprintf(&s, "--%s=%s", name, value) < 0) return NULL;
  return s;
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

// Logs mfactl's captured output, one syslog line per line (debug only).
static void log_output(pam_handle_t *pamh, char *buf, size_t len) {
  buf[len] = '\0';
  char *save = NULL;
  for (char *line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
    pam_syslog(pamh, LOG_DEBUG, "mfactl: %s", line);
  }
}

// pipe2 with both ends at 3 or above: a host that runs with 0, 1 or 2 closed would
// otherwise get a pipe end there, which the child's dup2 onto 0-2 could overwrite.
static int high_pipe(int fds[2]) {
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  for (int i = 0; i < 2; i++) {
    if (fds[i] >= 3) continue;
    int high = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
    close(fds[i]);
    fds[i] = high;
  }
  if (fds[0] >= 0 && fds[1] >= 0) return 0;
  if (fds[0] >= 0) close(fds[0]);
  if (fds[1] >= 0) close(fds[1]);
  fds[0] = fds[1] = -1;
  return -1;
}

// Runs mfactl verify with `code` on its stdin and returns its wait status, or -1 when it
// could not be run or was killed for taking longer than the timeout (logged here).
static int run_mfactl(pam_handle_t *pamh, const struct options *o, const char *user, const char *code) {
  const char *service = NULL;
  const void *item = NULL;
  if (pam_get_item(pamh, PAM_SERVICE, &item) == PAM_SUCCESS) service = item;
  const char *rhost = NULL;
  if (pam_get_item(pamh, PAM_RHOST, &item) == PAM_SUCCESS) rhost = item;

  char *actor = o->actor != NULL ? strdup(o->actor) : NULL;
  if (o->actor == NULL && asprintf(&actor, "pam:%s", printable_word(service) ? service : "unknown") < 0) actor = NULL;
  char *vault_arg = option_arg("vault", o->vault);
  char *key_arg = option_arg("key-file", o->key_file);
  char *actor_arg = actor != NULL ? option_arg("actor", actor) : NULL;
  char *ip_arg = NULL;
  if (rhost != NULL && *rhost != '\0') {
    if (printable_word(rhost)) {
      ip_arg = option_arg("ip", rhost);
    } else if (o->debug) {
      pam_syslog(pamh, LOG_DEBUG, "PAM_RHOST holds unprintable characters; not recorded");
    }
  }
  free(actor);

  int status = -1;
  int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, pidfd = -1;
  pid_t pid = -1;
  bool fa_ready = false, attr_ready = false, mask_changed = false;
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  sigset_t chld, old_mask;
  char *out = NULL;
  size_t out_len = 0;

  if (vault_arg == NULL || key_arg == NULL || actor_arg == NULL ||
      (rhost != NULL && *rhost != '\0' && printable_word(rhost) && ip_arg == NULL)) {
    pam_syslog(pamh, LOG_CRIT, "out of memory");
    goto done;
  }
  char *args[12];
  int n = 0;
  args[n++] = (char *)o->mfactl;
  args[n++] = "verify";
  if (!o->debug) args[n++] = "--quiet";
  args[n++] = vault_arg;
  args[n++] = key_arg;
  args[n++] = actor_arg;
  if (ip_arg != NULL) args[n++] = ip_arg;
  args[n++] = "--";
  args[n++] = (char *)user;
  args[n] = NULL;
  char *empty_env[] = {NULL};

  // The code goes into the pipe before mfactl starts: a few bytes always fit in the pipe
  // buffer, and nothing is written after the child may have gone, so no SIGPIPE can
  // reach the host process.
  if (high_pipe(in_pipe) != 0) {
    pam_syslog(pamh, LOG_ERR, "pipe: %m");
    goto done;
  }
  size_t code_len = strlen(code);
  char line[CODE_MAX + 1];
  memcpy(line, code, code_len);
  line[code_len] = '\n';
  ssize_t w = write(in_pipe[1], line, code_len + 1);
  explicit_bzero(line, sizeof line);
  if (w != (ssize_t)(code_len + 1)) {
    pam_syslog(pamh, LOG_ERR, "cannot write the code to mfactl's pipe: %m");
    goto done;
  }
  close(in_pipe[1]);
  in_pipe[1] = -1;
  if (o->debug && high_pipe(out_pipe) != 0) {
    pam_syslog(pamh, LOG_ERR, "pipe: %m");
    goto done;
  }

  // The child gets stdin from the pipe, stdout and stderr into the debug pipe or
  // /dev/null, and no other descriptor of the host (closefrom 3).
  if (posix_spawn_file_actions_init(&fa) != 0) goto done;
  fa_ready = true;
  int rc = posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
  if (rc == 0 && o->debug) {
    rc = posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 2);
  } else if (rc == 0) {
    rc = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&fa, 1, 2);
  }
  if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
  // Signals: default dispositions and an empty mask in the child, whatever the host set
  // (sshd ignores SIGPIPE, for example).
  if (rc == 0) rc = posix_spawnattr_init(&attr);
  if (rc == 0) attr_ready = true;
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  if (rc == 0) rc = posix_spawnattr_setsigdefault(&attr, &all);
  if (rc == 0) rc = posix_spawnattr_setsigmask(&attr, &none);
  if (rc == 0) rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  if (rc != 0) {
    pam_syslog(pamh, LOG_ERR, "posix_spawn setup: %s", strerror(rc));
    goto done;
  }

  // SIGCHLD stays blocked in this thread while the child runs, so a host handler that
  // reaps with waitpid(-1) does not take our child's status first; it is delivered (to
  // find nothing left) when the mask is restored.
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  if (pthread_sigmask(SIG_BLOCK, &chld, &old_mask) == 0) mask_changed = true;

  rc = posix_spawn(&pid, o->mfactl, &fa, &attr, args, empty_env);
  if (rc != 0) {
    pam_syslog(pamh, LOG_ERR, "cannot run %s: %s", o->mfactl, strerror(rc));
    goto done;
  }
  close(in_pipe[0]);
  in_pipe[0] = -1;
  if (out_pipe[1] >= 0) {
    close(out_pipe[1]);
    out_pipe[1] = -1;
  }

  // Wait for the child with the timeout: poll on a pidfd (and the output pipe with
  // debug); without pidfd_open (Linux < 5.3), waitpid(WNOHANG) every millisecond.
  pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (o->debug) out = malloc(OUTPUT_MAX + 1);
  long long deadline = now_ms() + (long long)o->timeout_s * 1000;
  bool exited = false, gone = false;
  int wstatus = 0;
  for (;;) {
    pid_t r = waitpid(pid, &wstatus, WNOHANG);
    if (r == pid) {
      exited = true;
      break;
    }
    if (r < 0 && errno != EINTR) {
      // ECHILD: another thread of the host reaped it; its status is lost, and its pid
      // may already belong to someone else, so it is not signalled.
      pam_syslog(pamh, LOG_ERR, "waitpid: %m");
      gone = errno == ECHILD;
      break;
    }
    long long left = deadline - now_ms();
    if (left <= 0) break;
    struct pollfd fds[2];
    int nfds = 0;
    if (pidfd >= 0) fds[nfds++] = (struct pollfd){.fd = pidfd, .events = POLLIN};
    if (out_pipe[0] >= 0) fds[nfds++] = (struct pollfd){.fd = out_pipe[0], .events = POLLIN};
    int wait_ms = pidfd >= 0 ? (int)(left < INT_MAX ? left : INT_MAX) : 1;
    if (nfds == 0) {
      struct timespec ms = {0, 1000000};
      nanosleep(&ms, NULL);
      continue;
    }
    if (poll(fds, (nfds_t)nfds, wait_ms) < 0 && errno != EINTR) {
      pam_syslog(pamh, LOG_ERR, "poll: %m");
      break;
    }
    if (out_pipe[0] >= 0 && (fds[nfds - 1].revents & (POLLIN | POLLHUP | POLLERR))) {
      char chunk[512];
      ssize_t got = read(out_pipe[0], chunk, sizeof chunk);
      if (got > 0 && out != NULL) {
        size_t keep = (size_t)got < OUTPUT_MAX - out_len ? (size_t)got : OUTPUT_MAX - out_len;
        memcpy(out + out_len, chunk, keep);
        out_len += keep;
      } else if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
        close(out_pipe[0]);
        out_pipe[0] = -1;
      }
    }
  }
  if (!exited) {
    if (!gone) {
      // Too slow: kill it and reap it, so no zombie stays behind. Through the pidfd when
      // there is one, which cannot hit a recycled pid.
      if (pidfd < 0 || syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) != 0) kill(pid, SIGKILL);
      while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
      }
      pam_syslog(pamh, LOG_ERR, "%s did not finish within %d s; killed", o->mfactl, o->timeout_s);
    }
    goto done;
  }
  status = wstatus;
  // What is left in the pipe after the exit (the child is gone: reads cannot block).
  while (out_pipe[0] >= 0 && out != NULL && out_len < OUTPUT_MAX) {
    ssize_t got = read(out_pipe[0], out + out_len, OUTPUT_MAX - out_len);
    if (got <= 0) break;
    out_len += (size_t)got;
  }

done:
  if (out != NULL) {
    if (out_len > 0) log_output(pamh, out, out_len);
    explicit_bzero(out, OUTPUT_MAX + 1);
    free(out);
  }
  if (mask_changed) pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
  if (fa_ready) posix_spawn_file_actions_destroy(&fa);
  if (attr_ready) posix_spawnattr_destroy(&attr);
  int fds_to_close[] = {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], pidfd};
  for (size_t i = 0; i < sizeof fds_to_close / sizeof fds_to_close[0]; i++) {
    if (fds_to_close[i] >= 0) close(fds_to_close[i]);
  }
  free(vault_arg);
  free(key_arg);
  free(actor_arg);
  free(ip_arg);
  return status;
}

// Runs mfactl on one code and maps its wait status to a PAM result.
static int verify_code(pam_handle_t *pamh, const struct options *o, const char *user, const char *code) {
  int status = run_mfactl(pamh, o, user, code);
  if (status == -1) return PAM_AUTHINFO_UNAVAIL;
  if (!WIFEXITED(status)) {
    pam_syslog(pamh, LOG_ERR, "%s was killed by signal %d", o->mfactl, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return PAM_AUTHINFO_UNAVAIL;
  }
  int exit_code = WEXITSTATUS(status);
  if (o->debug) pam_syslog(pamh, LOG_DEBUG, "mfactl verify %s: exit %d", user, exit_code);
  switch (exit_code) {
  case 0:
    return PAM_SUCCESS;
  case EXIT_REJECTED:
    return PAM_AUTH_ERR;
  case EXIT_LOCKED:
    return PAM_MAXTRIES;
  case EXIT_NO_SUCH_USER:
    return o->nullok ? PAM_IGNORE : PAM_USER_UNKNOWN;
  default:
    // A missing vault or key file, a vault that does not unlock, a busy vault, usage
    // errors: never a pass, nullok or not.
    pam_syslog(pamh, LOG_ERR, "%s verify %s: exit %d (unavailable)", o->mfactl, user, exit_code);
    return PAM_AUTHINFO_UNAVAIL;
  }
}

static bool all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// forward_pass: the answer is the password with the code typed straight after it. The
// module cannot know whether the user's authenticator shows 6 or 8 digits, so, like
// google-authenticator, it tries the trailing 6 digits and, when mfactl rejects them and
// the answer ends in at least 8 digits, the trailing 8. Only the digits ever reach mfactl;
// on success the rest becomes PAM_AUTHTOK for the next module.
static int verify_forwarded(pam_handle_t *pamh, const struct options *o, const char *user, const char *answer) {
  size_t len = strlen(answer);
  int result = PAM_AUTH_ERR;
  static const size_t lengths[] = {6, 8};
  for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
    size_t digits = lengths[i];
    if (len < digits || !all_digits(answer + len - digits, digits)) break;
    result = verify_code(pamh, o, user, answer + len - digits);
    if (result == PAM_SUCCESS) {
      char *password = strndup(answer, len - digits);
      if (password == NULL || pam_set_item(pamh, PAM_AUTHTOK, password) != PAM_SUCCESS) {
        pam_syslog(pamh, LOG_ERR, "cannot hand the password on as PAM_AUTHTOK");
        result = PAM_AUTH_ERR;
      }
      wipe_free(password);
      return result;
    }
    if (result != PAM_AUTH_ERR) return result;
  }
  return result;
}

EXPORT int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv) {
  (void)flags;
  struct options o;
  int rc = parse_options(pamh, argc, argv, &o);
  if (rc != PAM_SUCCESS) return rc;

  const char *user = NULL;
  rc = pam_get_user(pamh, &user, NULL);
  if (rc != PAM_SUCCESS) return rc == PAM_CONV_AGAIN ? PAM_INCOMPLETE : rc;
  if (user == NULL || !valid_user_name(user)) {
    pam_syslog(pamh, LOG_NOTICE, "refusing a user name mfactl does not accept");
    return PAM_USER_UNKNOWN;
  }

  // The answer: PAM_AUTHTOK from an earlier module (try_first_pass / use_first_pass),
  // else the conversation. Owned by PAM when it is the item, by us when prompted.
  const char *answer = NULL;
  char *prompted = NULL;
  if (o.pass_mode != PROMPT) {
    const void *item = NULL;
    if (pam_get_item(pamh, PAM_AUTHTOK, &item) == PAM_SUCCESS && item != NULL && *(const char *)item != '\0') {
      answer = item;
    } else if (o.pass_mode == USE_FIRST_PASS) {
      if (o.debug) pam_syslog(pamh, LOG_DEBUG, "use_first_pass: no PAM_AUTHTOK");
      return PAM_AUTH_ERR;
    }
  }
  if (answer == NULL) {
    const char *prompt = o.prompt != NULL ? o.prompt : o.forward_pass ? FORWARD_PROMPT : DEFAULT_PROMPT;
    rc = pam_prompt(pamh, o.echo_code ? PAM_PROMPT_ECHO_ON : PAM_PROMPT_ECHO_OFF, &prompted, "%s", prompt);
    if (rc != PAM_SUCCESS || prompted == NULL) {
      wipe_free(prompted);
      return rc == PAM_CONV_AGAIN ? PAM_INCOMPLETE : PAM_CONV_ERR;
    }
    answer = prompted;
  }

  if (o.forward_pass) {
    rc = verify_forwarded(pamh, &o, user, answer);
  } else {
    // A typo of any length is a wrong code that mfactl counts; it sees at most CODE_MAX bytes.
    char code[CODE_MAX + 1];
    size_t len = strnlen(answer, CODE_MAX);
    memcpy(code, answer, len);
    code[len] = '\0';
    rc = verify_code(pamh, &o, user, code);
    explicit_bzero(code, sizeof code);
  }
  wipe_free(prompted);
  return rc;
}

EXPORT int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv) {
  (void)pamh;
  (void)flags;
  (void)argc;
  (void)argv;
  return PAM_SUCCESS;
}
