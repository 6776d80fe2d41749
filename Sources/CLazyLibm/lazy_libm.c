// libm, loaded the first time a math function is called instead of at every start.
//
// The release binary imports 110 libm functions (the standard library's and
// Foundation's Float, Double and Float80 math; `Double.rounded()` in one error message
// of ours), and no command's common path calls one but `ceil` (defined below). As
// a NEEDED library, libm.so.6 cost every start its mapping, its relocation and its
// IFUNC resolvers: 7 page faults, ~30,000 instructions, 9 system calls (bench/README.md,
// "Session 6"; a C program that needs libm starts 0.1 ms slower here).
//
// So the release build (the Makefile passes -DMFACTL_LAZY_LIBM, and its -lm finds a
// linker script that says AS_NEEDED) defines each of those functions here as a
// trampoline, the way the PLT
// does lazy binding: it jumps through its slot, and a slot still empty goes to
// `mfactl_libm_bind`, which saves the argument registers, dlopens libm.so.6, looks the
// name up there, fills the slot, restores the registers and jumps to the real function
// with the caller's arguments and return address untouched. Arguments passed in memory
// (long double) stay where the caller put them. Every function keeps its own signature,
// so one trampoline serves them all.
//
// When libm cannot be loaded the process aborts: a crash is never mistaken for an
// answer (the PAM module maps it to PAM_AUTHINFO_UNAVAIL, scripts see a signal).
//
// Debug and test builds (no MFACTL_LAZY_LIBM) compile nothing here and link libm as
// usual. scripts/check-lazy-libm.sh calls every function through its trampoline and
// compares each result with libm's, bit for bit.
#include "lazy_libm.h"

#if defined(MFACTL_LAZY_LIBM) && defined(__x86_64__) && defined(__linux__)

#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

#include "lazy_libm_symbols.h"

// One slot per function: the address of libm's function once bound (read by the
// trampoline, so `fn` comes first), and its name.
struct mfactl_libm_slot {
  void *fn;
  const char *name;
};

#define X(f) \
  __attribute__((visibility("hidden"))) struct mfactl_libm_slot mfactl_libm_slot_##f = {0, #f};
MFACTL_LAZY_LIBM_SYMBOLS
#undef X

// Called by mfactl_libm_bind with the slot of the function being called; returns the
// function's address. Not reentrant-sensitive: two threads binding the same slot store
// the same address.
__attribute__((visibility("hidden"), used)) void *mfactl_libm_resolve(struct mfactl_libm_slot *slot) {
  static void *libm;
  void *handle = __atomic_load_n(&libm, __ATOMIC_ACQUIRE);
  if (handle == NULL) {
    handle = dlopen("libm.so.6", RTLD_NOW | RTLD_LOCAL);
    if (handle != NULL) __atomic_store_n(&libm, handle, __ATOMIC_RELEASE);
  }
  // dlsym on libm's handle searches libm and its dependencies, never this
  // executable's trampolines of the same names.
  void *fn = handle != NULL ? dlsym(handle, slot->name) : NULL;
  if (fn == NULL) {
    static const char message[] = "mfactl: cannot load libm.so.6 (glibc's math library)\n";
    ssize_t ignored = write(2, message, sizeof message - 1);
    (void)ignored;
    abort();
  }
  __atomic_store_n(&slot->fn, fn, __ATOMIC_RELEASE);
  return fn;
}

// ceil is the exception: the standard library's Dictionary calls it each time a table
// grows (_HashTable.scale(forCapacity:)), which every command does, so as a trampoline
// it would load libm on every verify after all. It is exact and short, so it is
// defined here, for every double: integers (|x| >= 2^52) and infinities are returned
// as they are, a NaN quieted (x + x); otherwise the value truncated toward zero (exact in an
// int64_t) plus one when that lies below x; the sign of x is kept, so that
// ceil(-0.5) is -0.0 as in libm. scripts/check-lazy-libm.c compares it with libm's
// over the edge cases and a million random doubles.
__attribute__((visibility("hidden"))) double ceil(double x) {
  if (!(__builtin_fabs(x) < 0x1p52)) return __builtin_isfinite(x) ? x : x + x;  // x + x quiets a NaN, as libm does
  double t = (double)(long long)x;
  if (t < x) t += 1.0;
  return __builtin_copysign(t, x);
}

// The trampolines, and the binder they share. %r11 is the one register the calling
// convention leaves free at a call (neither an argument nor preserved). Hidden: the
// standard library's calls bind to them at link time, and the executable does not
// export them, so libraries loaded later (libm itself, libpq's) never bind to them.
#define X(f)                                              \
  ".globl " #f "\n"                                       \
  ".hidden " #f "\n"                                      \
  ".type " #f ", @function\n"                             \
  ".p2align 4\n" #f ":\n"                                 \
  "  movq mfactl_libm_slot_" #f "(%rip), %r11\n"          \
  "  testq %r11, %r11\n"                                  \
  "  jz 1f\n"                                             \
  "  jmpq *%r11\n"                                        \
  "1:\n"                                                  \
  "  leaq mfactl_libm_slot_" #f "(%rip), %r11\n"          \
  "  jmp mfactl_libm_bind\n"                              \
  ".size " #f ", .-" #f "\n"

__asm__(".text\n" MFACTL_LAZY_LIBM_SYMBOLS
        // mfactl_libm_bind: %r11 = the slot. Saves what the call may carry arguments in
        // (%rdi %rsi %rdx %rcx %r8 %r9, %xmm0-7, and %rax, the vector-register count of
        // a variadic call), resolves, restores them all, and jumps.
        ".p2align 4\n"
        ".type mfactl_libm_bind, @function\n"
        "mfactl_libm_bind:\n"
        "  pushq %rbp\n"
        "  movq %rsp, %rbp\n"
        "  subq $192, %rsp\n"
        "  andq $-16, %rsp\n"
        "  movaps %xmm0, 0(%rsp)\n"
        "  movaps %xmm1, 16(%rsp)\n"
        "  movaps %xmm2, 32(%rsp)\n"
        "  movaps %xmm3, 48(%rsp)\n"
        "  movaps %xmm4, 64(%rsp)\n"
        "  movaps %xmm5, 80(%rsp)\n"
        "  movaps %xmm6, 96(%rsp)\n"
        "  movaps %xmm7, 112(%rsp)\n"
        "  movq %rdi, 128(%rsp)\n"
        "  movq %rsi, 136(%rsp)\n"
        "  movq %rdx, 144(%rsp)\n"
        "  movq %rcx, 152(%rsp)\n"
        "  movq %r8, 160(%rsp)\n"
        "  movq %r9, 168(%rsp)\n"
        "  movq %rax, 176(%rsp)\n"
        "  movq %r11, %rdi\n"
        "  call mfactl_libm_resolve\n"
        "  movq %rax, %r11\n"
        "  movaps 0(%rsp), %xmm0\n"
        "  movaps 16(%rsp), %xmm1\n"
        "  movaps 32(%rsp), %xmm2\n"
        "  movaps 48(%rsp), %xmm3\n"
        "  movaps 64(%rsp), %xmm4\n"
        "  movaps 80(%rsp), %xmm5\n"
        "  movaps 96(%rsp), %xmm6\n"
        "  movaps 112(%rsp), %xmm7\n"
        "  movq 128(%rsp), %rdi\n"
        "  movq 136(%rsp), %rsi\n"
        "  movq 144(%rsp), %rdx\n"
        "  movq 152(%rsp), %rcx\n"
        "  movq 160(%rsp), %r8\n"
        "  movq 168(%rsp), %r9\n"
        "  movq 176(%rsp), %rax\n"
        "  movq %rbp, %rsp\n"
        "  popq %rbp\n"
        "  jmpq *%r11\n"
        ".size mfactl_libm_bind, .-mfactl_libm_bind\n");
#undef X

int mfactl_libm_is_lazy(void) { return 1; }

#else

int mfactl_libm_is_lazy(void) { return 0; }

#endif
