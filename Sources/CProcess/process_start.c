// The arguments mfactl was started with, read from the process itself.
//
// Swift's CommandLine on Linux rebuilds argv from /proc/self/cmdline; without /proc (a
// chroot, a sandbox) it comes back empty and a command line would silently turn into
// "no arguments". glibc calls every .init_array function with (argc, argv, envp), in
// dynamic and static executables alike, so a constructor sees the real vector before
// any Swift code runs. The strings stay valid for the life of the process.
#include "process_start.h"

#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>

static int start_argc = -1;
static char **start_argv = NULL;

static void capture(int argc, char **argv, char **envp) {
  (void)envp;
  if (argc >= 0 && argv != NULL) {
    start_argc = argc;
    start_argv = argv;
  }
}

__attribute__((used, section(".init_array"))) static void (*const capture_entry)(int, char **, char **) = capture;

int mfactl_start_argc(void) { return start_argc; }

const char *mfactl_start_argv(int i) {
  if (start_argv == NULL || i < 0 || i >= start_argc) return NULL;
  return start_argv[i];
}

int mfactl_forbid_core_dumps(void) {
  struct rlimit none = {0, 0};
  int rc = 0;
  if (setrlimit(RLIMIT_CORE, &none) != 0) rc = -1;
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) rc = -1;
  return rc;
}
