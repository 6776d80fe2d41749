// What the process was started with, captured before Swift runs (see process_start.c).
#ifndef MFACTL_PROCESS_START_H
#define MFACTL_PROCESS_START_H

/// The argc glibc passed to the program, or -1 when it was not captured.
int mfactl_start_argc(void);
/// argv[i] as passed to the program, or NULL.
const char *mfactl_start_argv(int i);
/// Makes the process undumpable (no core file, no ptrace by other users) and sets the
/// core-file size limit to 0. Returns 0 when both took effect.
int mfactl_forbid_core_dumps(void);

#endif
