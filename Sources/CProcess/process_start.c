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

// The Swift runtime's crash backtracer. Its object file (Backtrace.cpp.o in
// libswiftCore.a) has a C++ static initialiser that, before main, parses SWIFT_BACKTRACE,
// looks for the `swift-backtrace` program beside the runtime (dladdr and 8 stat calls in
// a static binary) and, where it finds one, installs signal handlers that run it on a
// crash to print a stack trace (and wait up to 30 s for it). mfactl must never print a
// stack trace (SPEC), and a release install normally has no swift-backtrace beside it,
// so that work only costs time, and where one is there it is wrong. The only
// symbol of that object the rest of the static runtime uses is the settings record
// (swift_reportError in Errors.cpp reads `enabled`); defining it here, with the
// backtracer off as it ends up whenever swift-backtrace is not found, keeps the object,
// its initialiser and the crash handlers it would install (CrashHandlerLinux.cpp.o) out
// of the release link. swiftrt.o (every Swift executable's image registration) also
// holds a reference to `_swift_backtrace_isThunkFunction` so that swift-backtrace can
// find it in a crashed process; nothing in the process calls it, and with the
// backtracer off nothing ever will, so it is defined here too and answers "no". Should
// a later runtime need another symbol of that object, the link fails with a duplicate
// definition instead of silently changing. Both are hidden: against the shared runtime
// (debug builds, tests), whose libswiftCore.so exports its own
// _swift_backtrace_isThunkFunction, these must not interpose on the runtime's; there
// they are unused. The layout is BacktraceSettings of the pinned toolchain
// (stdlib/public/runtime/BacktracePrivate.h, Swift 6.3.1): 88 bytes, `enabled` at 4.
#if defined(__GLIBC__) && defined(__linux__) && defined(__x86_64__)
struct mfactl_swift_backtrace_settings {
  int algorithm;            // UnwindAlgorithm::Auto
  int enabled;              // OnOffTty::Off
  _Bool demangle;
  int interactive;          // OnOffTty::Off
  int color;                // OnOffTty::Off
  unsigned timeout;
  int threads, registers, images;  // Preset
  unsigned limit, top;
  int sanitize;             // SanitizePaths::Preset
  int preset;               // Preset::Auto
  _Bool cache;
  int output_to;            // OutputTo::Stderr
  int symbolicate;          // Symbolication::Off
  _Bool suppress_warnings;
  int format;               // OutputFormat::Text
  const char *swift_backtrace_path;
  const char *output_path;
};
_Static_assert(sizeof(struct mfactl_swift_backtrace_settings) == 88, "BacktraceSettings of Swift 6.3.1");
_Static_assert(offsetof(struct mfactl_swift_backtrace_settings, enabled) == 4, "BacktraceSettings of Swift 6.3.1");

__attribute__((visibility("hidden"))) struct mfactl_swift_backtrace_settings _swift_backtraceSettings = {
    .algorithm = 0, .enabled = 0, .demangle = 1, .interactive = 0, .color = 0,
    .timeout = 30, .threads = -1, .registers = -1, .images = -1, .limit = 64, .top = 16,
    .sanitize = -1, .preset = -1, .cache = 1, .output_to = 2, .symbolicate = 0,
    .suppress_warnings = 1, .format = 0, .swift_backtrace_path = NULL, .output_path = NULL,
};

__attribute__((visibility("hidden"))) _Bool _swift_backtrace_isThunkFunction(const char *mangled_name) {
  (void)mangled_name;
  return 0;
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
