// A fully static mfactl (make release STATIC=1, or QRENCODE_A) still loads libpq, and
// libqrencode, with dlopen. Such a dlopen maps the system's libc.so.6 and ld.so next to
// the glibc linked into the program, and glibc supports that only when both are the same
// glibc build: the two share private structures (_rtld_global_ro, the CPU features)
// whose layout any glibc update may change. A mismatch can crash the process, for every
// PostgreSQL command and so for every login on a PostgreSQL host.
//
// So a static build records the build ID of the libc.so.6 it was linked against (the
// Makefile reads it from the libc6 package that came with libc.a) and, before any
// dlopen, compares it with the build ID of the system's libc.so.6: equal, go on;
// different or unreadable, refuse with a message that says to rebuild mfactl (a
// PostgreSQL command then exits 69, enrol's QR code likewise). A dynamically linked
// build has nothing to check. docs/startup.md, "A fully static build".
#include "load_guard.h"

#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int read_exactly(int fd, void *buf, size_t n, off_t at) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = pread(fd, (char *)buf + done, n - done, at + (off_t)done);
    if (r <= 0) return -1;
    done += (size_t)r;
  }
  return 0;
}

int mfactl_elf_build_id(const char *path, char *hex, size_t size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  int result = -1;
  Elf64_Ehdr eh;
  if (read_exactly(fd, &eh, sizeof eh, 0) != 0 || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
      eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum > 64)
    goto done;
  for (int i = 0; i < eh.e_phnum && result < 0; i++) {
    Elf64_Phdr ph;
    if (read_exactly(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + (Elf64_Off)i * sizeof ph)) != 0) goto done;
    if (ph.p_type != PT_NOTE || ph.p_filesz > 4096) continue;
    unsigned char notes[4096];
    if (read_exactly(fd, notes, ph.p_filesz, (off_t)ph.p_offset) != 0) goto done;
    size_t off = 0;
    while (off + sizeof(Elf64_Nhdr) <= ph.p_filesz) {
      Elf64_Nhdr nh;
      memcpy(&nh, notes + off, sizeof nh);
      size_t name_at = off + sizeof nh, name_len = (nh.n_namesz + 3u) & ~3u;
      size_t desc_at = name_at + name_len, desc_len = (nh.n_descsz + 3u) & ~3u;
      if (nh.n_namesz > ph.p_filesz || nh.n_descsz > ph.p_filesz || desc_at + nh.n_descsz > ph.p_filesz) break;
      if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 && memcmp(notes + name_at, "GNU", 4) == 0) {
        if (nh.n_descsz == 0 || size < 2 * (size_t)nh.n_descsz + 1) goto done;
        for (size_t k = 0; k < nh.n_descsz; k++) snprintf(hex + 2 * k, 3, "%02x", notes[desc_at + k]);
        result = (int)nh.n_descsz;
        break;
      }
      off = desc_at + desc_len;
    }
  }
done:
  close(fd);
  return result;
}

int mfactl_dlopen_decide(const char *libc_path, const char *built_id, char *why, size_t size) {
  char found[129];
  if (mfactl_elf_build_id(libc_path, found, sizeof found) < 0) {
    snprintf(why, size,
             "this mfactl is linked statically and cannot read the build ID of %s, so it will not load "
             "shared libraries next to it; use the dynamically linked build (make release)",
             libc_path);
    return -1;
  }
  if (strcmp(found, built_id) != 0) {
    snprintf(why, size,
             "this mfactl is linked statically with another glibc build than %s (build ID %s, not %s), and "
             "a static program can load shared libraries only with its own; rebuild it (make release "
             "STATIC=1) or use the dynamically linked build (make release)",
             libc_path, found, built_id);
    return -1;
  }
  if (size > 0) why[0] = 0;
  return 0;
}

static char refusal[512];

#if defined(MFACTL_STATIC_GLIBC)

#define MFACTL_STRING_(x) #x
#define MFACTL_STRING(x) MFACTL_STRING_(x)

#if defined(__x86_64__)
#define MFACTL_SYSTEM_LIBC "/lib/x86_64-linux-gnu/libc.so.6"
#elif defined(__aarch64__)
#define MFACTL_SYSTEM_LIBC "/lib/aarch64-linux-gnu/libc.so.6"
#else
#error "a static build needs the path of the system's libc.so.6 for this architecture"
#endif

int mfactl_dlopen_check(void) {
  static int state;  // 0 unknown, 1 allowed, -1 refused
  if (state == 0)
    state = mfactl_dlopen_decide(MFACTL_SYSTEM_LIBC, MFACTL_STRING(MFACTL_GLIBC_BUILD_ID), refusal,
                                 sizeof refusal) == 0 ? 1 : -1;
  return state == 1 ? 0 : -1;
}

#else

int mfactl_dlopen_check(void) { return 0; }

#endif

const char *mfactl_dlopen_refusal(void) { return refusal; }
