// Calls every function of Sources/CLazyLibm/lazy_libm_symbols.h through the release
// build's trampolines (lazy_libm.c compiled with MFACTL_LAZY_LIBM, linked into this
// program without libm) and compares each result, bit for bit, with the same function
// looked up in libm.so.6 directly. The first call of each binds its slot (the path that
// must keep every argument register), the second goes through the bound slot.
// Run by scripts/check-lazy-libm.sh; exits 1 naming each mismatch.
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static void *libm;
static int failures, checked;

static void *ref(const char *name) {
  void *f = dlsym(libm, name);
  if (f == NULL) {
    fprintf(stderr, "check-lazy-libm: %s not in libm.so.6\n", name);
    failures++;
  }
  return f;
}

// Compares n bytes (a long double's 10 significant ones, not its padding).
static void same(const char *name, int call, const void *got, const void *want, size_t n) {
  checked++;
  if (memcmp(got, want, n) != 0) {
    fprintf(stderr, "check-lazy-libm: %s: call %d through the trampoline differs from libm's\n", name,
            call);
    failures++;
  }
}

static volatile double da = 0.7, db = 1.9, dc = -2.3;
static volatile float fa = 0.6f, fb = 1.7f, fc = -2.1f;
static volatile long double la = 0.55L, lb = 1.85L, lc = -2.45L;
static volatile int n = 3;

#define LD 10

// One argument
#define D1(f)                                                                    \
  for (int i = 1; i <= 2; i++) {                                                 \
    double g = f(da), w = ((double (*)(double))ref(#f))(da);                     \
    same(#f, i, &g, &w, sizeof g);                                               \
  }
#define F1(f)                                                                    \
  for (int i = 1; i <= 2; i++) {                                                 \
    float g = f(fa), w = ((float (*)(float))ref(#f))(fa);                        \
    same(#f, i, &g, &w, sizeof g);                                               \
  }
#define L1(f)                                                                    \
  for (int i = 1; i <= 2; i++) {                                                 \
    long double g = f(la), w = ((long double (*)(long double))ref(#f))(la);      \
    same(#f, i, &g, &w, LD);                                                     \
  }
// Two arguments
#define D2(f)                                                                    \
  for (int i = 1; i <= 2; i++) {                                                 \
    double g = f(db, da), w = ((double (*)(double, double))ref(#f))(db, da);     \
    same(#f, i, &g, &w, sizeof g);                                               \
  }
#define F2(f)                                                                    \
  for (int i = 1; i <= 2; i++) {                                                 \
    float g = f(fb, fa), w = ((float (*)(float, float))ref(#f))(fb, fa);         \
    same(#f, i, &g, &w, sizeof g);                                               \
  }
#define L2(f)                                                                    \
  for (int i = 1; i <= 2; i++) {                                                 \
    long double g = f(lb, la);                                                   \
    long double w = ((long double (*)(long double, long double))ref(#f))(lb, la); \
    same(#f, i, &g, &w, LD);                                                     \
  }

int main(void) {
  libm = dlopen("libm.so.6", RTLD_NOW | RTLD_LOCAL);
  if (libm == NULL) {
    fprintf(stderr, "check-lazy-libm: cannot load libm.so.6\n");
    return 1;
  }
  D1(cos) D1(exp) D1(exp2) D1(floor) D1(log) D1(log10) D1(log2) D1(nearbyint)
  D1(rint) D1(round) D1(sin) D1(sqrt) D1(trunc)
  F1(acosf) F1(acoshf) F1(asinf) F1(asinhf) F1(atanf) F1(atanhf) F1(cbrtf) F1(ceilf)
  F1(cosf) F1(coshf) F1(erfcf) F1(erff) F1(exp2f) F1(expf) F1(expm1f) F1(floorf)
  F1(log10f) F1(log1pf) F1(log2f) F1(logbf) F1(logf) F1(nearbyintf) F1(rintf)
  F1(roundf) F1(sinf) F1(sinhf) F1(sqrtf) F1(tanf) F1(tanhf) F1(tgammaf) F1(truncf)
  L1(acoshl) L1(acosl) L1(asinhl) L1(asinl) L1(atanhl) L1(atanl) L1(cbrtl) L1(ceill)
  L1(coshl) L1(cosl) L1(erfcl) L1(erfl) L1(exp2l) L1(expl) L1(expm1l) L1(floorl)
  L1(log10l) L1(log1pl) L1(log2l) L1(logbl) L1(logl) L1(nearbyintl) L1(rintl)
  L1(roundl) L1(sinhl) L1(sinl) L1(sqrtl) L1(tanhl) L1(tanl) L1(tgammal) L1(truncl)
  D2(fmod) D2(pow) D2(remainder)
  F2(atan2f) F2(fdimf) F2(fmodf) F2(hypotf) F2(nextafterf) F2(powf) F2(remainderf)
  L2(atan2l) L2(fdiml) L2(fmaxl) L2(fminl) L2(fmodl) L2(hypotl) L2(nextafterl) L2(powl)
  L2(remainderl)
  for (int i = 1; i <= 2; i++) {
    double g = fma(da, db, dc), w = ((double (*)(double, double, double))ref("fma"))(da, db, dc);
    same("fma", i, &g, &w, sizeof g);
    float gf = fmaf(fa, fb, fc), wf = ((float (*)(float, float, float))ref("fmaf"))(fa, fb, fc);
    same("fmaf", i, &gf, &wf, sizeof gf);
    long double gl = fmal(la, lb, lc);
    long double wl = ((long double (*)(long double, long double, long double))ref("fmal"))(la, lb, lc);
    same("fmal", i, &gl, &wl, LD);

    int ge = 0, we = 0;
    g = frexp(dc * 100, &ge);
    w = ((double (*)(double, int *))ref("frexp"))(dc * 100, &we);
    same("frexp", i, &g, &w, sizeof g);
    same("frexp (exponent)", i, &ge, &we, sizeof ge);
    double gi = 0, wi = 0;
    g = modf(dc, &gi);
    w = ((double (*)(double, double *))ref("modf"))(dc, &wi);
    same("modf", i, &g, &w, sizeof g);
    same("modf (integral part)", i, &gi, &wi, sizeof gi);

    g = jn(n, db);
    w = ((double (*)(int, double))ref("jn"))(n, db);
    same("jn", i, &g, &w, sizeof g);
    g = yn(n, db);
    w = ((double (*)(int, double))ref("yn"))(n, db);
    same("yn", i, &g, &w, sizeof g);

    int gs = 0, ws = 0;
    g = lgamma_r(dc, &gs);
    w = ((double (*)(double, int *))ref("lgamma_r"))(dc, &ws);
    same("lgamma_r", i, &g, &w, sizeof g);
    same("lgamma_r (sign)", i, &gs, &ws, sizeof gs);
    gf = lgammaf_r(fc, &gs);
    wf = ((float (*)(float, int *))ref("lgammaf_r"))(fc, &ws);
    same("lgammaf_r", i, &gf, &wf, sizeof gf);
    same("lgammaf_r (sign)", i, &gs, &ws, sizeof gs);
    gl = lgammal_r(lc, &gs);
    wl = ((long double (*)(long double, int *))ref("lgammal_r"))(lc, &ws);
    same("lgammal_r", i, &gl, &wl, LD);
    same("lgammal_r (sign)", i, &gs, &ws, sizeof gs);

    gf = nanf("7");
    wf = ((float (*)(const char *))ref("nanf"))("7");
    same("nanf", i, &gf, &wf, sizeof gf);
    gl = nanl("7");
    wl = ((long double (*)(const char *))ref("nanl"))("7");
    same("nanl", i, &gl, &wl, LD);

    int gq = 0, wq = 0;
    g = remquo(dc * 7, da, &gq);
    w = ((double (*)(double, double, int *))ref("remquo"))(dc * 7, da, &wq);
    same("remquo", i, &g, &w, sizeof g);
    same("remquo (quotient)", i, &gq, &wq, sizeof gq);
    gf = remquof(fc * 7, fa, &gq);
    wf = ((float (*)(float, float, int *))ref("remquof"))(fc * 7, fa, &wq);
    same("remquof", i, &gf, &wf, sizeof gf);
    same("remquof (quotient)", i, &gq, &wq, sizeof gq);
    gl = remquol(lc * 7, la, &gq);
    wl = ((long double (*)(long double, long double, int *))ref("remquol"))(lc * 7, la, &wq);
    same("remquol", i, &gl, &wl, LD);
    same("remquol (quotient)", i, &gq, &wq, sizeof gq);
  }
  // ceil is lazy_libm.c's own code, not a trampoline: edge cases, then random doubles
  // of every magnitude (random bit patterns, so NaNs and infinities too).
  {
    double (*libm_ceil)(double) = (double (*)(double))ref("ceil");
    static const double edge[] = {0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 1.5, -1.5, 0x1p-1074, -0x1p-1074,
                                  0x1p52 - 0.5, -0x1p52 + 0.5, 0x1p52, -0x1p52, 0x1p53 + 2, 1e300, -1e300,
                                  0.9999999999999999, -0.9999999999999999, 4503599627370495.5,
                                  -4503599627370495.5, INFINITY, -INFINITY, NAN, -NAN};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
      volatile double x = edge[i];
      double g = ceil(x), w = libm_ceil(x);
      same("ceil (edge case)", (int)i, &g, &w, sizeof g);
    }
    unsigned long long s = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 1000000 && failures == 0; i++) {
      s ^= s << 13, s ^= s >> 7, s ^= s << 17;
      double x;
      memcpy(&x, &s, sizeof x);
      if (i % 2) x = (double)(long long)(s >> 11) / (double)(1ull << (s % 60));  // nearer integers
      volatile double v = x;
      double g = ceil(v), w = libm_ceil(v);
      if (memcmp(&g, &w, sizeof g) != 0) same("ceil (random)", i, &g, &w, sizeof g);
    }
    checked++;
  }
  if (failures) return 1;
  printf("check-lazy-libm: %d results through the trampolines equal libm's\n", checked);
  return 0;
}
