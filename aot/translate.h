/*
 * translate.h - the whole offline pipeline, input ELF to output ELF:
 *
 *   elf_load -> cfg_recover -> lift_function (each) -> meta_emit
 *            -> codegen_emit_object -> link_output -> rename into place
 */
#ifndef DBT_TRANSLATE_H
#define DBT_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"

typedef struct TranslateOptions {
    const char *input;       /* guest AArch64 ELF */
    const char *output;      /* x86-64 ELF to write */
    int opt_level;           /* 0-3 */
    const char *cpu_level;   /* x86-64 level, e.g. "x86-64-v3" */
    bool verbose;            /* progress and statistics on stderr */
    bool all_functions;      /* translate every function symbol, reachable or not */
    bool debug_info;         /* -g: host debug information from the guest's line tables */
    bool keep_flags;         /* --keep-flags: store the flags at every call and
                                return (no aot/cfg_flags.c) */
    int jobs;                /* -j: worker threads; 0: one per CPU we may use */
    const char *dump_ir;     /* write the optimized LLVM IR there (or NULL) */
    const char *time_report; /* write the cost report (JSON, aot/report.h) there, or NULL */
    const char *profile;     /* a run's profile (DBT_PROFILE): its functions are the hot tier */
    const char *sysroot;     /* where a dynamically linked guest's interpreter and libraries are */
    const char *recorded;    /* libraries a run recorded (DBT_RECORD) to translate too, or NULL */
    const char *cache_dir;   /* translated libraries (objcache.h); NULL: the default, "off": none */
    uint64_t memory_limit_mb; /* --memory-limit: refuse a translation estimated to need
                                 more; 0: the memory available; UINT64_MAX: no check */
    const char *bind;        /* --bind=SPEC (include/bind_table.h: bind_parse), NULL: all */
    const char *shared_dir;  /* --shared-libs: libraries go into shared objects there, not the output */
} TranslateOptions;

/* 0 on success; -1 with D set.  Never leaves a partial OUTPUT. */
int translate(const TranslateOptions *o, Diag *d);

#endif
