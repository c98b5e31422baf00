/*
 * bind_table.h - the guest library functions that run as the host's own
 * code (issue 15), one declarative row each.
 *
 * A bound guest function keeps its translation, but the translation starts
 * with a test of one byte of the runtime (dbt_rt_bind_on[id]); when it is
 * set, the function instead moves its arguments from the guest's AAPCS64
 * registers to a SysV call of the host function, writes the result to X0
 * and returns to X30 (lifter/lifter.c: lift_bound_thunk).  Nothing is
 * written by hand per function: the lifter derives the call from the row's
 * signature.  The offline tool decides which guest functions are bound
 * (aot/elf_input.c finds them by symbol, only in a guest glibc; `dbt-aot
 * --bind=SPEC`), the runtime which bindings are on (DBT_BIND=SPEC,
 * runtime/bind.c).  docs/bindings.md lists what is bound and why it is
 * safe, and what is not and why.
 *
 * BIND(id, guest name, library, host function, signature)
 *
 *   signature  "R:ARGS", one letter per value:
 *                p  pointer            l  int64_t     z  uint64_t, size_t
 *                i  int32_t            u  uint32_t
 *                h  int16_t            H  uint16_t
 *                b  int8_t             B  uint8_t
 *                f  float              d  double
 *                v  void (result only)
 *                {R:ARGS}  a guest function pointer the host function
 *                   calls back with that signature (one of BIND_CALLBACKS;
 *                   at most one per function): the host gets a trampoline
 *                   of the runtime's that runs the guest function
 *                   (runtime/bind.c)
 *              at most 24 arguments: integers and pointers from X0-X7,
 *              floating point from V0-V7, the rest from the guest's stack
 *              (lifter/bind.c); a narrower integer result is extended to
 *              32 bits by its signedness and written as W0 (zeroing the
 *              upper half of X0), a float or double to V0.  No struct by
 *              value, no variadic function.
 *
 * BIND_IMPL(guest name, id): another guest symbol for the same function -
 * glibc's aarch64 implementations behind an IFUNC (`memcpy` itself is the
 * resolver in a static glibc, `__memcpy_simd` and its siblings the code).
 *
 * Only functions whose results are the same bytes on both sides by their
 * definition are here (tests/bind/equiv.c checks every row against the
 * guest's own code).  memcmp, strcmp and strncmp return the sign the C standard
 * asks for with magnitudes of glibc's aarch64 code's own (its memcmp gives
 * the byte difference for one byte and 1 or -1 for longer ones, its strcmp
 * differences of bit windows, strncmp likewise but with its own way of
 * reading unequally aligned strings): they bind to host functions that compute
 * those (runtime/bind_a64.c), only where the guest's code is exactly that
 * code (bind_needs_known_code).  So do wcscmp, wcsncmp and wmemcmp: wchar_t
 * is unsigned on aarch64 and signed on x86-64, so the host's own would
 * order 0x80000000 below 'a'; glibc's generic C code, as compiled for
 * aarch64, returns -1/0/1 of the unsigned order - except wcscmp, which
 * returns the first string's character itself when the second string ends
 * first (as an int: negative from 0x80000000 on).  Not bound, and why
 * (measured): strcasecmp and friends (the locale); anything that sets errno or takes a
 * callback (not supported yet).  memcpy binds to the host's memmove: the
 * same bytes for every valid call; an overlapping memcpy is undefined, and
 * glibc's own aarch64 variants already disagree on its bytes (the one qemu
 * picks and the one our HWCAPs pick), so no binding can be the answer.
 */
#ifndef DBT_BIND_TABLE_H
#define DBT_BIND_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* X(id, name, host soname): "libc" binds only in glibc (aot/elf_input.c),
 * "zlib" only in zlib (its deflate_copyright symbol, or libz.so.1),
 * "libcrypto" only in OpenSSL 3's (its _armv8_cpuid_probe, or
 * libcrypto.so.3), "libm" only in glibc (a static glibc program, or
 * libm.so.6);
 * "bindtest" is runtime/bind_selftest.c, the bindings' own test
 * (tests/bind/).  A library with a host soname is opened by the runtime
 * when first needed (dlopen); the output does not depend on it: without
 * it, the guest's own code runs.  The others are linked into the output. */
#define BIND_LIBRARIES(X)                                                             \
    X(BIND_LIB_LIBC, "libc", NULL) X(BIND_LIB_TEST, "bindtest", NULL) X(BIND_LIB_ZLIB, "zlib", "libz.so.1") \
    X(BIND_LIB_CRYPTO, "libcrypto", "libcrypto.so.3") X(BIND_LIB_LIBM, "libm", "libm.so.6")

#define BIND_FUNCTIONS(X)                                  \
    X(BIND_memcpy, "memcpy", BIND_LIB_LIBC, "memmove", "p:ppz")   \
    X(BIND_memmove, "memmove", BIND_LIB_LIBC, "memmove", "p:ppz") \
    X(BIND_mempcpy, "mempcpy", BIND_LIB_LIBC, "mempcpy", "p:ppz") \
    X(BIND_memset, "memset", BIND_LIB_LIBC, "memset", "p:piz")    \
    X(BIND_memchr, "memchr", BIND_LIB_LIBC, "memchr", "p:piz")    \
    X(BIND_memrchr, "memrchr", BIND_LIB_LIBC, "memrchr", "p:piz") \
    X(BIND_rawmemchr, "rawmemchr", BIND_LIB_LIBC, "rawmemchr", "p:pi") \
    X(BIND_memmem, "memmem", BIND_LIB_LIBC, "memmem", "p:pzpz")   \
    X(BIND_strlen, "strlen", BIND_LIB_LIBC, "strlen", "z:p")      \
    X(BIND_strnlen, "strnlen", BIND_LIB_LIBC, "strnlen", "z:pz")  \
    X(BIND_strchr, "strchr", BIND_LIB_LIBC, "strchr", "p:pi")     \
    X(BIND_strrchr, "strrchr", BIND_LIB_LIBC, "strrchr", "p:pi")  \
    X(BIND_strchrnul, "strchrnul", BIND_LIB_LIBC, "strchrnul", "p:pi") \
    X(BIND_strcpy, "strcpy", BIND_LIB_LIBC, "strcpy", "p:pp")     \
    X(BIND_stpcpy, "stpcpy", BIND_LIB_LIBC, "stpcpy", "p:pp")     \
    X(BIND_strncpy, "strncpy", BIND_LIB_LIBC, "strncpy", "p:ppz") \
    X(BIND_stpncpy, "stpncpy", BIND_LIB_LIBC, "stpncpy", "p:ppz") \
    X(BIND_strcat, "strcat", BIND_LIB_LIBC, "strcat", "p:pp")     \
    X(BIND_strncat, "strncat", BIND_LIB_LIBC, "strncat", "p:ppz") \
    X(BIND_strstr, "strstr", BIND_LIB_LIBC, "strstr", "p:pp")     \
    X(BIND_strspn, "strspn", BIND_LIB_LIBC, "strspn", "z:pp")     \
    X(BIND_strcspn, "strcspn", BIND_LIB_LIBC, "strcspn", "z:pp")  \
    X(BIND_strpbrk, "strpbrk", BIND_LIB_LIBC, "strpbrk", "p:pp")  \
    X(BIND_wcslen, "wcslen", BIND_LIB_LIBC, "wcslen", "z:p")      \
    X(BIND_wcsnlen, "wcsnlen", BIND_LIB_LIBC, "wcsnlen", "z:pz")  \
    X(BIND_wmemchr, "wmemchr", BIND_LIB_LIBC, "wmemchr", "p:piz") \
    X(BIND_wmemset, "wmemset", BIND_LIB_LIBC, "wmemset", "p:piz") \
    X(BIND_wmemcpy, "wmemcpy", BIND_LIB_LIBC, "wmemmove", "p:ppz") \
    X(BIND_wmemmove, "wmemmove", BIND_LIB_LIBC, "wmemmove", "p:ppz") \
    X(BIND_strcmp, "strcmp", BIND_LIB_LIBC, "dbt_rt_a64_strcmp", "i:pp") \
    X(BIND_memcmp, "memcmp", BIND_LIB_LIBC, "dbt_rt_a64_memcmp", "i:ppz") \
    X(BIND_strncmp, "strncmp", BIND_LIB_LIBC, "dbt_rt_a64_strncmp", "i:ppz") \
    X(BIND_wcscmp, "wcscmp", BIND_LIB_LIBC, "dbt_rt_a64_wcscmp", "i:pp") \
    X(BIND_wcsncmp, "wcsncmp", BIND_LIB_LIBC, "dbt_rt_a64_wcsncmp", "i:ppz") \
    X(BIND_wmemcmp, "wmemcmp", BIND_LIB_LIBC, "dbt_rt_a64_wmemcmp", "i:ppz") \
    X(BIND_strtol, "strtol", BIND_LIB_LIBC, "strtol", "l:ppi")       \
    X(BIND_strtoul, "strtoul", BIND_LIB_LIBC, "strtoul", "z:ppi")    \
    X(BIND_qsort, "qsort", BIND_LIB_LIBC, "qsort", "v:pzz{i:pp}")    \
    X(BIND_bsearch, "bsearch", BIND_LIB_LIBC, "bsearch", "p:ppzz{i:pp}") \
    X(BIND_deflateInit_, "deflateInit_", BIND_LIB_ZLIB, "deflateInit_", "i:pipi") \
    X(BIND_deflateInit2_, "deflateInit2_", BIND_LIB_ZLIB, "deflateInit2_", "i:piiiiipi") \
    X(BIND_deflate, "deflate", BIND_LIB_ZLIB, "deflate", "i:pi")     \
    X(BIND_deflateEnd, "deflateEnd", BIND_LIB_ZLIB, "deflateEnd", "i:p") \
    X(BIND_deflateReset, "deflateReset", BIND_LIB_ZLIB, "deflateReset", "i:p") \
    X(BIND_deflateBound, "deflateBound", BIND_LIB_ZLIB, "deflateBound", "z:pz") \
    X(BIND_inflateInit_, "inflateInit_", BIND_LIB_ZLIB, "inflateInit_", "i:ppi") \
    X(BIND_inflateInit2_, "inflateInit2_", BIND_LIB_ZLIB, "inflateInit2_", "i:pipi") \
    X(BIND_inflate, "inflate", BIND_LIB_ZLIB, "inflate", "i:pi")     \
    X(BIND_inflateEnd, "inflateEnd", BIND_LIB_ZLIB, "inflateEnd", "i:p") \
    X(BIND_inflateReset, "inflateReset", BIND_LIB_ZLIB, "inflateReset", "i:p") \
    BIND_ZSTREAM_FUNCTIONS(X)                                        \
    X(BIND_adler32, "adler32", BIND_LIB_ZLIB, "adler32", "z:zpu")    \
    X(BIND_adler32_z, "adler32_z", BIND_LIB_ZLIB, "adler32_z", "z:zpz") \
    X(BIND_crc32, "crc32", BIND_LIB_ZLIB, "crc32", "z:zpu")          \
    X(BIND_crc32_z, "crc32_z", BIND_LIB_ZLIB, "crc32_z", "z:zpz")    \
    BIND_CRYPTO_FUNCTIONS(X)                                         \
    BIND_LIBM_FUNCTIONS(X)                                           \
    BIND_TEST_FUNCTIONS(X)

/* libm: only what gave the same bits, FP flags and errno as the guest's
 * glibc 2.36 on 200,000 random calls and every pair of special values per
 * seed (tests/bind/libm.c).  Most libm functions do not (docs/bindings.md):
 * the sign of a NaN made from non-NaN operands (x86's default NaN is
 * negative), last bits, lround's inexact flag, ilogb(0).  log10f, exp2f
 * and cbrtf agree in every rounding mode on any x86-64; the double
 * functions below only where the host's glibc runs its FMA variants, as
 * the guest's code is compiled with fused multiply-adds (gate FMA).  Both
 * gates also ask for the guest's default FPCR (round to nearest, no
 * flush-to-zero, no default NaN): exp, sinh and cosh differ in other
 * rounding modes, and nothing was measured with FZ. */
#define BIND_M_(X, name, sig) X(BIND_##name, #name, BIND_LIB_LIBM, #name, sig)
#define BIND_LIBM_FUNCTIONS(X)                                                                   \
    BIND_M_(X, log10f, "f:f") BIND_M_(X, exp2f, "f:f") BIND_M_(X, cbrtf, "f:f")                   \
    BIND_M_(X, exp, "d:d") BIND_M_(X, expm1, "d:d") BIND_M_(X, log10, "d:d") BIND_M_(X, asin, "d:d") \
    BIND_M_(X, acos, "d:d") BIND_M_(X, atan, "d:d") BIND_M_(X, sinh, "d:d") BIND_M_(X, cosh, "d:d")  \
    BIND_M_(X, tanh, "d:d") BIND_M_(X, asinh, "d:d")

/* OpenSSL's low-level digests: the contexts are plain arrays of 32- and
 * 64-bit words with the same layout and meaning on both sides (checked
 * field by field, and a context begun by one side finishes right on the
 * other: tests/bind/crypto.c), so no gate.  The one-shot SHA256() and
 * friends are not bound: OpenSSL 3 runs them through EVP and its provider
 * set-up, which ends in these Updates anyway. */
#define BIND_DIGEST_(X, alg)                                                          \
    X(BIND_##alg##_Init, #alg "_Init", BIND_LIB_CRYPTO, #alg "_Init", "i:p")          \
    X(BIND_##alg##_Update, #alg "_Update", BIND_LIB_CRYPTO, #alg "_Update", "i:ppz")  \
    X(BIND_##alg##_Final, #alg "_Final", BIND_LIB_CRYPTO, #alg "_Final", "i:pp")
#define BIND_CRYPTO_FUNCTIONS(X)                                                      \
    BIND_DIGEST_(X, SHA1) BIND_DIGEST_(X, SHA224) BIND_DIGEST_(X, SHA256)             \
    BIND_DIGEST_(X, SHA384) BIND_DIGEST_(X, SHA512) BIND_DIGEST_(X, MD5)

/* Every other zlib function of a z_stream: once the host's zlib made a
 * stream, the guest's own code must never see its internal state.  (Not
 * bound: inflateBackInit_ - its inflateBack takes two callbacks - so a
 * back stream stays the guest's from start to end.) */
#define BIND_Z_(X, name, sig) X(BIND_##name, #name, BIND_LIB_ZLIB, #name, sig)
#define BIND_ZSTREAM_FUNCTIONS(X)                                                                  \
    BIND_Z_(X, deflateSetDictionary, "i:ppu") BIND_Z_(X, deflateGetDictionary, "i:ppp")             \
    BIND_Z_(X, deflateCopy, "i:pp") BIND_Z_(X, deflateParams, "i:pii") BIND_Z_(X, deflateTune, "i:piiii") \
    BIND_Z_(X, deflatePending, "i:ppp") BIND_Z_(X, deflatePrime, "i:pii")                           \
    BIND_Z_(X, deflateSetHeader, "i:pp") BIND_Z_(X, deflateResetKeep, "i:p")                        \
    BIND_Z_(X, inflateSetDictionary, "i:ppu") BIND_Z_(X, inflateGetDictionary, "i:ppp")             \
    BIND_Z_(X, inflateSync, "i:p") BIND_Z_(X, inflateCopy, "i:pp") BIND_Z_(X, inflateReset2, "i:pi") \
    BIND_Z_(X, inflatePrime, "i:pii") BIND_Z_(X, inflateMark, "l:p") BIND_Z_(X, inflateGetHeader, "i:pp") \
    BIND_Z_(X, inflateSyncPoint, "i:p") BIND_Z_(X, inflateUndermine, "i:pi")                        \
    BIND_Z_(X, inflateValidate, "i:pi") BIND_Z_(X, inflateCodesUsed, "z:p") BIND_Z_(X, inflateResetKeep, "i:p")

#define BIND_TEST_(X, name, sig) X(BIND_##name, #name, BIND_LIB_TEST, #name, sig)
#define BIND_TEST_FUNCTIONS(X)                                           \
    BIND_TEST_(X, dbt_bindtest_ints, "l:bBhHiulz")                        \
    BIND_TEST_(X, dbt_bindtest_ret_b, "b:l")                              \
    BIND_TEST_(X, dbt_bindtest_ret_B, "B:l")                              \
    BIND_TEST_(X, dbt_bindtest_ret_h, "h:l")                              \
    BIND_TEST_(X, dbt_bindtest_ret_H, "H:l")                              \
    BIND_TEST_(X, dbt_bindtest_ret_i, "i:l")                              \
    BIND_TEST_(X, dbt_bindtest_ret_u, "u:l")                              \
    BIND_TEST_(X, dbt_bindtest_fp, "d:fdfdfdfd")                          \
    BIND_TEST_(X, dbt_bindtest_fret, "f:ff")                              \
    BIND_TEST_(X, dbt_bindtest_mixed, "d:ifpdlbfH")                       \
    BIND_TEST_(X, dbt_bindtest_many, "l:llllllllllll")                    \
    BIND_TEST_(X, dbt_bindtest_many_fp, "d:dddddddddd")                   \
    BIND_TEST_(X, dbt_bindtest_many_mixed, "d:llllllllldddddddddf")       \
    BIND_TEST_(X, dbt_bindtest_store, "v:pl")                             \
    BIND_TEST_(X, dbt_bindtest_div, "d:dd")                               \
    BIND_TEST_(X, dbt_bindtest_apply, "l:{l:ll}l")                        \
    BIND_TEST_(X, dbt_bindtest_apply_thread, "l:{l:ll}l")


/* The signatures of the callbacks, one trampoline each in runtime/bind.c. */
#define BIND_CALLBACKS(X) X(BIND_CB_i_pp, "i:pp") X(BIND_CB_l_ll, "l:ll")

enum BindCallback {
    BIND_CB_NONE = 0,
#define BIND_CB_ENUM_(id, sig) id,
    BIND_CALLBACKS(BIND_CB_ENUM_)
#undef BIND_CB_ENUM_
    BIND_NCALLBACKS
};

static const char *const bind_callback_sigs[BIND_NCALLBACKS] = {
#define BIND_CB_SIG_(id, sig) [id] = sig,
    BIND_CALLBACKS(BIND_CB_SIG_)
#undef BIND_CB_SIG_
};

/* The callback kind whose signature is the N bytes at SIG, or BIND_CB_NONE. */
static inline enum BindCallback bind_callback_kind(const char *sig, size_t n)
{
    for (unsigned k = 1; k < BIND_NCALLBACKS; k++)
        if (strlen(bind_callback_sigs[k]) == n && memcmp(bind_callback_sigs[k], sig, n) == 0)
            return (enum BindCallback)k;
    return BIND_CB_NONE;
}

/* glibc 2.36's aarch64 names (bookworm) and its internal aliases. */
#define BIND_IMPLS(X)                                                          \
    X("__memcpy_generic", BIND_memcpy) X("__memcpy_simd", BIND_memcpy)         \
    X("__memcpy_a64fx", BIND_memcpy) X("__memcpy_falkor", BIND_memcpy)         \
    X("__memcpy_sve", BIND_memcpy) X("__memcpy_thunderx", BIND_memcpy)         \
    X("__memcpy_thunderx2", BIND_memcpy) X("__memcpy_oryon1", BIND_memcpy)     \
    X("__memmove_generic", BIND_memmove) X("__memmove_simd", BIND_memmove)     \
    X("__memmove_a64fx", BIND_memmove) X("__memmove_falkor", BIND_memmove)     \
    X("__memmove_sve", BIND_memmove) X("__memmove_thunderx", BIND_memmove)     \
    X("__memmove_thunderx2", BIND_memmove) X("__memmove_oryon1", BIND_memmove) \
    X("__mempcpy", BIND_mempcpy)                                               \
    X("__memset_generic", BIND_memset) X("__memset_a64fx", BIND_memset)        \
    X("__memset_emag", BIND_memset) X("__memset_falkor", BIND_memset)          \
    X("__memset_kunpeng", BIND_memset) X("__memset_zva64", BIND_memset)        \
    X("__memset_oryon1", BIND_memset)                                          \
    X("__memchr_generic", BIND_memchr) X("__memchr_nosimd", BIND_memchr)       \
    X("__memrchr", BIND_memrchr) X("__rawmemchr", BIND_rawmemchr)              \
    X("__memmem", BIND_memmem)                                                 \
    X("__strlen_asimd", BIND_strlen) X("__strlen_mte", BIND_strlen)            \
    X("__strlen_generic", BIND_strlen)                                         \
    X("__strnlen", BIND_strnlen) X("__strchrnul", BIND_strchrnul)              \
    X("__stpcpy", BIND_stpcpy) X("__stpncpy", BIND_stpncpy)                    \
    X("__wcslen", BIND_wcslen) X("__wcsnlen", BIND_wcsnlen)                    \
    X("__wmemchr", BIND_wmemchr) X("__wmemset", BIND_wmemset)                  \
    X("__wmemcpy", BIND_wmemcpy) X("__wmemmove", BIND_wmemmove)                  \
    X("strtoll", BIND_strtol) X("strtoull", BIND_strtoul)                      \
    X("__strtol", BIND_strtol) X("__strtoul", BIND_strtoul)                    \
    X("bcmp", BIND_memcmp) X("__memcmpeq", BIND_memcmp)                        \
    X("__wcscmp", BIND_wcscmp) X("__wmemcmp", BIND_wmemcmp)

enum BindLibrary {
#define BIND_LIB_ENUM_(id, name, soname) id,
    BIND_LIBRARIES(BIND_LIB_ENUM_)
#undef BIND_LIB_ENUM_
    BIND_NLIBRARIES
};

/* Binding ids start at 1: 0 is "not bound". */
enum BindId {
    BIND_NONE = 0,
#define BIND_ENUM_(id, name, lib, host, sig) id,
    BIND_FUNCTIONS(BIND_ENUM_)
#undef BIND_ENUM_
    BIND_COUNT
};

typedef struct BindRow {
    const char *name;   /* the guest's (and C's) name */
    enum BindLibrary lib;
    const char *host;   /* the host function called */
    const char *sig;    /* "R:ARGS" */
} BindRow;

static const BindRow bind_rows[BIND_COUNT] = {
    [BIND_NONE] = {"", 0, "", ""},
#define BIND_ROW_(id, name, lib, host, sig) [id] = {name, lib, host, sig},
    BIND_FUNCTIONS(BIND_ROW_)
#undef BIND_ROW_
};

static const char *const bind_library_names[BIND_NLIBRARIES] = {
#define BIND_LIB_NAME_(id, name, soname) [id] = name,
    BIND_LIBRARIES(BIND_LIB_NAME_)
#undef BIND_LIB_NAME_
};

static const char *const bind_library_sonames[BIND_NLIBRARIES] = {
#define BIND_LIB_SONAME_(id, name, soname) [id] = soname,
    BIND_LIBRARIES(BIND_LIB_SONAME_)
#undef BIND_LIB_SONAME_
};

/*
 * Gates: a bound function whose host library keeps state the guest's code
 * could also create (a z_stream's internal state) runs the host's code only
 * when the runtime says so (dbt_rt_bind_gate, runtime/bind.c), else the
 * guest's own:
 *   ZINIT  the stream is new, with the guest's default allocators (zalloc,
 *          zfree NULL), and the version string the guest's zlib passes (its
 *          argument VERSION_ARG) is the host zlib's: same version, same
 *          compressed bytes.  On success the runtime remembers the stream.
 *   ZUSE   the stream is one the host's zlib made.
 *   ZEND   the same, and the runtime forgets it.
 *   ZCOPY  the source (second argument) is the host's; on success the
 *          destination (first) becomes the host's too.
 *   FPCR   the guest's FPCR is 0 (round to nearest, no flush-to-zero, no
 *          default NaN): the mode libm's rows were proven in.
 *   FMA    the same, and the host's glibc runs its FMA variants (the CPU
 *          has FMA and AVX2, no GLIBC_TUNABLES hwcaps override).
 * Functions of a library with a host soname and no gate (adler32, crc32)
 * only need the library to be there.
 */
enum BindGate {
    BIND_GATE_NONE = 0, BIND_GATE_ZINIT, BIND_GATE_ZUSE, BIND_GATE_ZEND, BIND_GATE_ZCOPY, BIND_GATE_FPCR, BIND_GATE_FMA
};
#define BIND_GATES(X)                                                                                  \
    X(BIND_deflateInit_, BIND_GATE_ZINIT, 2) X(BIND_deflateInit2_, BIND_GATE_ZINIT, 6)                  \
    X(BIND_inflateInit_, BIND_GATE_ZINIT, 1) X(BIND_inflateInit2_, BIND_GATE_ZINIT, 2)                  \
    X(BIND_deflate, BIND_GATE_ZUSE, 0) X(BIND_deflateReset, BIND_GATE_ZUSE, 0)                          \
    X(BIND_deflateBound, BIND_GATE_ZUSE, 0) X(BIND_inflate, BIND_GATE_ZUSE, 0)                          \
    X(BIND_inflateReset, BIND_GATE_ZUSE, 0) X(BIND_deflateEnd, BIND_GATE_ZEND, 0)                       \
    X(BIND_inflateEnd, BIND_GATE_ZEND, 0) X(BIND_deflateCopy, BIND_GATE_ZCOPY, 0)                       \
    X(BIND_inflateCopy, BIND_GATE_ZCOPY, 0) X(BIND_deflateSetDictionary, BIND_GATE_ZUSE, 0)             \
    X(BIND_deflateGetDictionary, BIND_GATE_ZUSE, 0) X(BIND_deflateParams, BIND_GATE_ZUSE, 0)            \
    X(BIND_deflateTune, BIND_GATE_ZUSE, 0) X(BIND_deflatePending, BIND_GATE_ZUSE, 0)                    \
    X(BIND_deflatePrime, BIND_GATE_ZUSE, 0) X(BIND_deflateSetHeader, BIND_GATE_ZUSE, 0)                 \
    X(BIND_deflateResetKeep, BIND_GATE_ZUSE, 0) X(BIND_inflateSetDictionary, BIND_GATE_ZUSE, 0)         \
    X(BIND_inflateGetDictionary, BIND_GATE_ZUSE, 0) X(BIND_inflateSync, BIND_GATE_ZUSE, 0)              \
    X(BIND_inflateReset2, BIND_GATE_ZUSE, 0) X(BIND_inflatePrime, BIND_GATE_ZUSE, 0)                    \
    X(BIND_inflateMark, BIND_GATE_ZUSE, 0) X(BIND_inflateGetHeader, BIND_GATE_ZUSE, 0)                  \
    X(BIND_inflateSyncPoint, BIND_GATE_ZUSE, 0) X(BIND_inflateUndermine, BIND_GATE_ZUSE, 0)             \
    X(BIND_inflateValidate, BIND_GATE_ZUSE, 0) X(BIND_inflateCodesUsed, BIND_GATE_ZUSE, 0)              \
    X(BIND_inflateResetKeep, BIND_GATE_ZUSE, 0)                                                       \
    X(BIND_log10f, BIND_GATE_FPCR, 0) X(BIND_exp2f, BIND_GATE_FPCR, 0) X(BIND_cbrtf, BIND_GATE_FPCR, 0) \
    X(BIND_exp, BIND_GATE_FMA, 0) X(BIND_expm1, BIND_GATE_FMA, 0) X(BIND_log10, BIND_GATE_FMA, 0)        \
    X(BIND_asin, BIND_GATE_FMA, 0) X(BIND_acos, BIND_GATE_FMA, 0) X(BIND_atan, BIND_GATE_FMA, 0)         \
    X(BIND_sinh, BIND_GATE_FMA, 0) X(BIND_cosh, BIND_GATE_FMA, 0) X(BIND_tanh, BIND_GATE_FMA, 0)         \
    X(BIND_asinh, BIND_GATE_FMA, 0)

static inline enum BindGate bind_gate(unsigned id, unsigned *version_arg)
{
    switch (id) {
#define BIND_GATE_CASE_(row, gate, varg) \
    case row: *version_arg = varg; return gate;
        BIND_GATES(BIND_GATE_CASE_)
#undef BIND_GATE_CASE_
    default: *version_arg = 0; return BIND_GATE_NONE;
    }
}

/* The binding a guest function symbol named NAME stands for, or BIND_NONE. */
static inline enum BindId bind_by_symbol(const char *name)
{
    for (unsigned i = 1; i < BIND_COUNT; i++)
        if (strcmp(bind_rows[i].name, name) == 0)
            return (enum BindId)i;
    static const struct {
        const char *name;
        enum BindId id;
    } impls[] = {
#define BIND_IMPL_ROW_(name, id) {name, id},
        BIND_IMPLS(BIND_IMPL_ROW_)
#undef BIND_IMPL_ROW_
    };
    for (size_t i = 0; i < sizeof impls / sizeof *impls; i++)
        if (strcmp(impls[i].name, name) == 0)
            return impls[i].id;
    return BIND_NONE;
}

/*
 * Known code: glibc 2.36's aarch64 implementations that have no relocation
 * - the same bytes wherever they are linked - and at least 64 bytes (wcscmp:
 * 52, but those bytes are the whole function, returns included), by
 * their size and FNV-1a hash: those of bookworm's libc.a (2.36-9+deb12u14)
 * and of its cross toolchain's (libc6-dev-arm64-cross 2.36-8cross1), whose
 * string functions differ in places.  A stripped static
 * program has no symbol to name its functions: a function whose bytes are
 * one of these is bound as its row (aot/elf_input.c: elf_binding_at).
 * Generated from libc.a's objects (symbol sizes, no relocation in range).
 */
#define BIND_KNOWN_CODE(X) \
    X(BIND_bsearch, 176, 0x686b8467530743bbull) X(BIND_memchr, 192, 0x712169fd7bc8bbd7ull) \
    X(BIND_memchr, 196, 0x858cf062b0188607ull) X(BIND_memchr, 224, 0x73d386077ea0ee8dull) \
    X(BIND_memcmp, 456, 0xdba90ade40e301cfull) X(BIND_memcpy, 236, 0x1963649e084aef6dull) \
    X(BIND_memcpy, 252, 0x8cf52260f5238bceull) X(BIND_memcpy, 316, 0x52fe5e3df6aa6a1aull) \
    X(BIND_memcpy, 364, 0x102cc644dedbd65aull) X(BIND_memcpy, 396, 0xf514c486c0c9978dull) \
    X(BIND_memcpy, 552, 0x9530bf2d02ee5039ull) X(BIND_memcpy, 636, 0x9d2abc7d3e2d0753ull) \
    X(BIND_memmove, 176, 0x7a623d7f422585c6ull) X(BIND_memmove, 176, 0x99e3a192c20a5d3aull) \
    X(BIND_memmove, 192, 0x7754c5c0e0a1b5a6ull) X(BIND_memmove, 220, 0x258922bbd37a4379ull) \
    X(BIND_memmove, 244, 0xed60bec9a67c49d2ull) X(BIND_memmove, 308, 0x28a3b301cad12349ull) \
    X(BIND_memrchr, 184, 0x93ee0a0989bcc08eull) X(BIND_memrchr, 188, 0x5720b5bf22684affull) \
    X(BIND_memset, 224, 0x23371393b2488144ull) X(BIND_memset, 256, 0xd4c063d268c1e52aull) \
    X(BIND_memset, 272, 0x2e73dee22caa6983ull) X(BIND_memset, 288, 0x02ad2a61c853e9d2ull) \
    X(BIND_memset, 292, 0x4d9e42e189752beeull) X(BIND_memset, 392, 0x1ab57cf83f10c792ull) \
    X(BIND_memset, 492, 0xf8f28a99d02c9322ull) X(BIND_stpcpy, 320, 0x2c07b85fd4957f4full) \
    X(BIND_stpcpy, 336, 0x447a4459986514f7ull) X(BIND_strchr, 160, 0xe9e9fa96b1b8bf0eull) \
    X(BIND_strchr, 172, 0xd6e0472a0a298506ull) X(BIND_strchrnul, 112, 0x796e90d55cbf7075ull) \
    X(BIND_strchrnul, 144, 0xd05fe6762963c4e3ull) X(BIND_strcmp, 308, 0xf4ed328805ddcb3cull) \
    X(BIND_strcpy, 284, 0xd2343935943724a5ull) X(BIND_strcpy, 300, 0x733fed40d9bb4383ull) \
    X(BIND_strlen, 112, 0x5eeece01b72f6165ull) X(BIND_strlen, 168, 0x635254108a07d505ull) \
    X(BIND_strlen, 304, 0xc9e09ebe81d97137ull) X(BIND_strlen, 316, 0xefe2352f7f03df63ull) \
    X(BIND_strnlen, 184, 0xa7fb6fee7db7a42eull) X(BIND_strnlen, 192, 0x3360510820479d25ull) \
    X(BIND_strrchr, 288, 0x3d45aebd241baab7ull) X(BIND_strrchr, 288, 0x7d0284b8a0793439ull) \
    X(BIND_wcslen, 100, 0x7eddacc9dffe83a9ull) X(BIND_wmemchr, 196, 0x4b34bc67fb71fe13ull) \
    X(BIND_wmemset, 100, 0x1ee53e6b28907667ull) X(BIND_wcscmp, 52, 0x99ad044aa28702faull)                  \
    X(BIND_wcsncmp, 204, 0x21e04fec0396ac1bull) X(BIND_wmemcmp, 188, 0x01522b1fe84d85dbull) \
    X(BIND_strncmp, 480, 0xd695b1d981800516ull)

typedef struct BindKnownCode {
    unsigned id;
    size_t size;
    uint64_t hash;
} BindKnownCode;
static const BindKnownCode bind_known_code[] = {
#define BIND_KNOWN_ROW_(id, n, h) {id, n, h},
    BIND_KNOWN_CODE(BIND_KNOWN_ROW_)
#undef BIND_KNOWN_ROW_
};

/* Bound only where the guest's function is one of BIND_KNOWN_CODE's
 * implementations of it, byte for byte: memcmp, strcmp and the wide
 * comparisons return values of the right sign whose magnitudes depend on
 * the implementation, and
 * runtime/bind_a64.c computes those of glibc 2.36's aarch64 code
 * (bookworm's libc.a and libc.so.6 hold the same bytes); another glibc
 * keeps its own code. */
static inline bool bind_needs_known_code(unsigned id)
{
    return id == BIND_strcmp || id == BIND_strncmp || id == BIND_memcmp || id == BIND_wcscmp || id == BIND_wcsncmp ||
           id == BIND_wmemcmp;
}

/* Bound by the translator only when asked (`--bind=all` or `+qsort`):
 * every comparison goes from the host's sort through a trampoline and the
 * dispatcher into the translated comparator, which cost more than the
 * translated sort itself (tests/bench/strings.c: 15% slower bound; see
 * docs/bindings.md). */
static inline bool bind_by_default(unsigned id) { return id != BIND_qsort && id != BIND_bsearch; }

/* Functions that set errno: the host's errno is cleared before the call,
 * and a value the host function left there is stored where the guest's
 * libc keeps errno for the calling thread - found by calling the guest's
 * own __errno_location (runtime/bind.c; errno numbers are the same on
 * arm64 and x86-64 Linux).  Bound only in an image with __errno_location,
 * which every program that reads errno links. */
static inline bool bind_sets_errno(unsigned id)
{
    return id == BIND_strtol || id == BIND_strtoul || bind_rows[id].lib == BIND_LIB_LIBM;
}

/*
 * A selection of bindings, SPEC as `dbt-aot --bind=SPEC` and DBT_BIND=SPEC
 * take it: comma-separated items applied left to right to the defaults:
 * `all`, `none`, a library (`libc`) or a function (`memcpy`) turns on,
 * `-libc` or `-memcpy` off.  The defaults are the translator's
 * (bind_by_default) with TRANSLATOR, else everything (at run time: every
 * function the translation bound).  ON[1..BIND_COUNT-1] receives the
 * result.  Returns NULL, or the first unknown item (ON is then filled from
 * the items before it; *LEN is set to that item's length).
 */
static inline const char *bind_parse(const char *spec, bool translator, unsigned char on[BIND_COUNT], size_t *len)
{
    for (unsigned i = 1; i < BIND_COUNT; i++)
        on[i] = !translator || bind_by_default(i);
    on[0] = 0;
    while (spec != NULL && *spec) {
        size_t n = strcspn(spec, ",");
        const char *item = spec;
        spec += n + (spec[n] == ',');
        if (n == 0)
            continue;
        unsigned char v = 1;
        if (*item == '-' || *item == '+') {
            v = *item == '+';
            item++, n--;
        }
        bool known = false;
        if (n == 3 && memcmp(item, "all", 3) == 0) {
            known = true;
            for (unsigned i = 1; i < BIND_COUNT; i++)
                on[i] = v;
        } else if (n == 4 && memcmp(item, "none", 4) == 0) {
            known = true;
            for (unsigned i = 1; i < BIND_COUNT; i++)
                on[i] = !v;
        }
        for (unsigned k = 0; !known && k < BIND_NLIBRARIES; k++)
            if (strlen(bind_library_names[k]) == n && memcmp(bind_library_names[k], item, n) == 0) {
                known = true;
                for (unsigned i = 1; i < BIND_COUNT; i++)
                    if (bind_rows[i].lib == (enum BindLibrary)k)
                        on[i] = v;
            }
        for (unsigned i = 1; !known && i < BIND_COUNT; i++)
            if (strlen(bind_rows[i].name) == n && memcmp(bind_rows[i].name, item, n) == 0) {
                known = true;
                on[i] = v;
            }
        if (!known) {
            *len = n;
            return item;
        }
    }
    return NULL;
}

#endif
