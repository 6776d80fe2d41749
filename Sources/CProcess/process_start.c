// The arguments mfactl was started with, read from the process itself.
//
// Swift's CommandLine on Linux finds argv through /proc (/proc/self/maps in Swift 6);
// without /proc (a chroot, a sandbox) it comes back empty and a command line would
// silently turn into "no arguments". glibc calls every .init_array function with
// (argc, argv, envp), in dynamic and static executables alike, so a constructor sees the
// real vector before any Swift code runs. The strings stay valid for the life of the
// process.
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

// The Swift runtime's own copy of argv (`CommandLine.arguments`). On Linux the runtime
// finds it with a C++ static initialiser that reads /proc/self/maps and sscanf's every
// line to locate the stack, then walks back from `environ`: 130,000 instructions and
// seven system calls on every start, before main (callgrind, bench/README.md). These
// two functions are everything that initialiser's object file (CommandLine.cpp.o in
// libswiftCore.a) defines, so in the static release link the definitions here resolve
// the standard library's references and that object, with its initialiser, is never
// linked in. `CommandLine.arguments` then reads the vector glibc gave `capture`. In
// a build against the shared runtime these are unused: its copies are internal to it.
#if defined(__GLIBC__) && defined(__linux__)
static char **override_argv = NULL;
static int override_argc = 0;

__attribute__((swiftcall)) void _swift_stdlib_overrideUnsafeArgvArgc(char **argv, int argc) {
  override_argv = argv;
  override_argc = argc;
}

__attribute__((swiftcall)) char **_swift_stdlib_getUnsafeArgvArgc(int *outArgLen) {
  static char *empty[] = {NULL};
  if (override_argv != NULL) {
    *outArgLen = override_argc;
    return override_argv;
  }
  if (start_argv == NULL) {
    *outArgLen = 0;
    return empty;
  }
  *outArgLen = start_argc;
  return start_argv;
}
#endif

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
