// Whether this binary may load shared libraries with dlopen (load_guard.c).
#ifndef MFACTL_LOAD_GUARD_H
#define MFACTL_LOAD_GUARD_H

#include <stddef.h>

/// 0 when this binary may dlopen libpq or libqrencode: always in the usual, dynamically
/// linked build; in a fully static build only when the system's libc.so.6 is the very
/// glibc build it was linked with. Otherwise -1, and `mfactl_dlopen_refusal` says why.
int mfactl_dlopen_check(void);
/// Why `mfactl_dlopen_check` refused ("" when it did not).
const char *mfactl_dlopen_refusal(void);
/// The decision a static build makes: 0 when the libc.so.6 at `libc_path` has the build
/// ID `built_id` (lowercase hex); otherwise -1 with the reason in `why` (NUL terminated,
/// cut to `size`). A static build asks it once, for the system's libc.so.6.
int mfactl_dlopen_decide(const char *libc_path, const char *built_id, char *why, size_t size);
/// The GNU build ID of the ELF file at `path`, in lowercase hex, into `hex` (NUL
/// terminated). Returns its length in bytes, or -1 when the file cannot be read, is not
/// a 64-bit ELF file of this machine, has no build ID, or `hex` is too small.
int mfactl_elf_build_id(const char *path, char *hex, size_t size);

#endif
