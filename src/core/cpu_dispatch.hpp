#pragma once
// Wider vector instructions for the columnar batch's hot loops, chosen when the process starts.
//
// KEYACCOUNT_CLONED before a function (not a virtual one) compiles it three times: for
// x86-64-v4 (AVX-512), x86-64-v3 (AVX2, FMA) and the baseline x86-64 the library is built for,
// and the dynamic loader picks the best one the processor has, once (GCC `target_clones`, an
// ELF ifunc). The build stays portable: a machine without AVX runs the baseline copy. Functions
// the cloned one calls are compiled into each copy only when inlined into it: mark its bodies
// KEYACCOUNT_INLINE_BODY.
//
// Only GCC 12 or later on x86-64 ELF systems (Linux) clones (the x86-64-vN names); elsewhere
// (aarch64, Clang, macOS, MSVC) the macro is empty and every function is compiled once, for the
// build's target. Sanitizer builds do not clone either: an ifunc resolver runs before the
// sanitizer's runtime is set up, and the sanitizer CI job then tests the baseline copy that the
// other tests, on an AVX-512 machine, do not reach. Configure with -DKEYACCOUNT_CPU_DISPATCH=OFF to
// compile once.
//
// Measured on the AVX-512 development machine (issue 22, bench_classify, same run): the
// columnar batch 27.4 -> 21.3 ns/customer on 10 000 customers, 39.5 -> 35.8 on 1 000 000.

#if defined(__GNUC__) && __GNUC__ >= 12 && !defined(__clang__) && defined(__x86_64__) &&   \
    defined(__ELF__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) && \
    !defined(KEYACCOUNT_NO_CPU_DISPATCH)
#define KEYACCOUNT_CLONED \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define KEYACCOUNT_CLONED
#endif

#if defined(__GNUC__)
#define KEYACCOUNT_INLINE_BODY [[gnu::always_inline]] inline
#else
#define KEYACCOUNT_INLINE_BODY inline
#endif
