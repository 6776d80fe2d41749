// libm loaded on first use in the release binary (see lazy_libm.c).
#ifndef MFACTL_LAZY_LIBM_H
#define MFACTL_LAZY_LIBM_H

/// 1 when this build defines glibc's math functions as trampolines that load libm.so.6
/// on first use (the release build), 0 when it links libm as usual.
int mfactl_libm_is_lazy(void);

#endif
