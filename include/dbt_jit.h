/*
 * dbt_jit.h - the interface between the runtime and libdbt_jit.so, the
 * run-time fallback compiler (the lifter and LLVM in a shared library).
 *
 * The runtime (runtime/jit_host.c) dlopens the library on the first guest
 * PC that has no translation, looks up DBT_JIT_OPEN_SYMBOL and calls it
 * with the addresses of its hooks; from then on each miss is one
 * dbt_jit_compile through the returned vtable:
 *
 *     DbtJitOpenFn open = dlsym(h, DBT_JIT_OPEN_SYMBOL);
 *     DbtJit *j = open(&cfg, err, sizeof err);
 *     j->compile(j, pc, &region, err, sizeof err);   // region.fn(cpu) ...
 *
 * Only plain C types cross the boundary (no LLVM, no runtime structs), and
 * DBT_JIT_ABI_VERSION is checked on open, so a runtime linked into an old
 * output and a newer library refuse each other with a message instead of
 * crashing.
 *
 * Compiled code is never freed (the library keeps every LLVM execution
 * engine alive): a translation that the runtime drops on invalidation may
 * still be running on the host stack.
 */
#ifndef DBT_JIT_H
#define DBT_JIT_H

#include <stddef.h>
#include <stdint.h>

#include "cpu_state.h"

#define DBT_JIT_ABI_VERSION 6   /* 4: DbtJitRegion.host, host_size; 5: CpuState.bound_pc;
                                   6: registers passed in host registers, CpuState.tail_fn */
/* The lifted code bakes in CpuState's layout: a change is an ABI change. */
_Static_assert(CPU_STATE_SIZE == 864, "CpuState changed: bump DBT_JIT_ABI_VERSION, then this size");
#define DBT_JIT_OPEN_SYMBOL "dbt_jit_open"
#define DBT_JIT_LIB_NAME "libdbt_jit.so"

/* One runtime entry point the lifted code calls by name (RT_SYM_*). */
typedef struct DbtJitSymbol {
    const char *name;   /* RT_SYM_LOOKUP, ... */
    void *addr;         /* the runtime's function */
} DbtJitSymbol;

/* What the runtime tells the library when it opens it. */
typedef struct DbtJitConfig {
    uint32_t abi_version;        /* DBT_JIT_ABI_VERSION */
    int opt_level;               /* LLVM pipeline: lifter/pipeline.h level (0-3) */
    const char *cpu;             /* x86-64 level of the code, e.g. "x86-64-v3" */
    const DbtJitSymbol *syms;    /* the runtime's hooks */
    size_t nsyms;
    /* Does the output have a translation entered at PC (a function entry
     * of the offline tool)?  A direct branch there leaves the
     * region (a tail call through the lookup) instead of pulling that code
     * in again.  May be NULL. */
    int (*is_translated)(uint64_t pc);
} DbtJitConfig;

/* A half-open range of guest code [lo, hi). */
typedef struct DbtJitRange {
    uint64_t lo, hi;
} DbtJitRange;

/* The result of one compilation: a translated region. */
typedef struct DbtJitRegion {
    GuestFn fn;              /* the translation; enter with cpu->pc = a key */
    const void *host;        /* its host code [host, host + host_size), for */
    size_t host_size;        /* profilers (DBT_PERF_MAP) */
    uint64_t *keys;          /* guest PCs fn can be entered at: today only
                                the entry (regions have one entry; malloc'ed) */
    size_t nkeys;
    DbtJitRange *code;       /* guest code the translation was made from: its
                                blocks, sorted (malloc'ed) */
    size_t ncode;
    size_t ninsns;           /* guest instructions lifted */
    size_t untranslated;     /* of which became SIGILL traps */
    double seconds;          /* wall time of this compile */
    int reused;              /* 1: same code as an earlier compile, its
                                translation was reused (no LLVM work) */
} DbtJitRegion;

typedef struct DbtJit DbtJit;

/* The library's entry points.  compile returns 0 and fills *out (the
 * caller frees keys and code), or a negative errno with a message in err:
 * -EFAULT when the guest PC itself cannot be read, -EINVAL when it is not
 * 4-byte aligned, -EIO when LLVM fails. */
struct DbtJit {
    int (*compile)(DbtJit *j, uint64_t pc, DbtJitRegion *out, char *err, size_t errlen);
};

/* DBT_JIT_OPEN_SYMBOL: NULL on failure, with a message in err. */
typedef DbtJit *(*DbtJitOpenFn)(const DbtJitConfig *cfg, char *err, size_t errlen);

#endif
