/*
 * report.h - what a translation found and where its time and memory
 * went: the -v summary and the --report=FILE JSON document.
 *
 * Times are of two kinds: wall seconds for the stages that run on the
 * main thread (load, recovery, metadata, link) and CPU seconds summed over
 * the worker threads for the stages that run per unit (lift, IR passes,
 * code generation).  The JSON layout (all keys always present):
 *
 *   {
 *     "input": "prog", "opt_level": 2, "threads": 2,
 *     "functions": 741, "guest_instructions": 78012, "units": 24,
 *     "jump_tables": 68, "unresolved_br": 30, "untranslated": 98,
 *     "noreturn_functions": 40, "noreturn_calls": 900,   (cfg_noreturn.c)
 *     "flagfree_calls": 5000, "flagfree_returns": 600,     (cfg_flags.c)
 *     "flagfree_loops": 300,
 *     "tiers": {"cold": {"functions": 600, "guest_instructions": 50000}, "hot": ..., "huge": ...},
 *     "wall_seconds": 3.1, "cpu_seconds": 5.9, "peak_rss_mb": 180.2,
 *     "guest_instructions_per_cpu_second": 13222, "output_bytes": 4100000,
 *     "stages": {"load": .., "cfg": .., "lift": .., "optimize": .., "codegen": ..,
 *                "meta": .., "link": ..},
 *     "ir": {"lifted": 500000, "optimized": 300000,
 *            "lifted_per_guest_instruction": 6.4, ...},
 *     "largest_functions": [{"entry": "0x...", "name": "...", "guest_instructions": ..,
 *                            "ir_lifted": .., "unit": ..}, ...],
 *     "slowest_units": [{"unit": .., "functions": .., "guest_instructions": .., "tier": "hot",
 *                        "lift": .., "optimize": .., "codegen": ..}, ...],
 *     "tier_costs": {"cold": {"units": 3, "guest_instructions": 9000, "cpu_seconds": 0.4},
 *                    "warm": ..., "hot": ..., "huge": ...},   (lift + passes + codegen;
 *                    units taken from the cache count nothing)
 *     "functions_by_source": {"entry": 1, "loader": 0, "symbol": 0, "pointer": 120, "call": 500,
 *                             "jump": 40, "address": 12, "fallthrough": 3},
 *     "jump_table_list": [{"br": "0x...", "function": "0x...", "name": "...", "targets": 12}, ...],
 *     "unresolved_branches": [{"br": "0x...", "function": "0x...", "name": "..."}, ...],
 *     "untranslated_instructions": [{"function": "0x...", "name": "...", "count": 3,
 *                                    "first": "0x...", "word": "0x...", "text": "..."}, ...],
 *     "bound_functions": [{"function": "0x...", "name": "__memcpy_simd", "binding": "memcpy"}, ...]
 *   }
 *
 * functions_by_source counts each function once, by how recovery first
 * found it (cfg.h: enum CfgSource).  untranslated_instructions has one row
 * per function with instructions the lifter does not support (they become
 * SIGILL traps if reached): how many, and the first with its disassembly.
 * bound_functions lists the guest functions that run as the host's own
 * code when the runtime's switch is on (include/bind_table.h).
 */
#ifndef DBT_REPORT_H
#define DBT_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cfg.h"
#include "diag.h"

/* One unit of translation: functions lifted into one LLVM module. */
typedef struct UnitReport {
    unsigned index;            /* unit number (its object is unit<index>.o) */
    size_t nfuncs, ninsns;     /* functions and guest instructions in it */
    const char *tier;          /* "cold", "hot" or "huge" */
    double lift_s, opt_s, emit_s; /* CPU seconds: lifting, IR passes, code generation */
    size_t ir_lifted, ir_after;   /* IR instructions before and after the passes */
} UnitReport;

/* A function's instructions the lifter does not support. */
typedef struct FuncUntranslated {
    size_t count;
    uint64_t first;            /* address of the first */
    uint32_t word;             /* its encoding */
    char text[64];             /* its disassembly */
} FuncUntranslated;

typedef struct Report {
    const char *input;
    int opt_level;             /* the -O level asked for */
    unsigned threads;          /* worker threads used */
    size_t nfuncs, ninsns, njumptables, nunresolved, untranslated;
    size_t nnoreturn;          /* functions found never to return, and the calls to them */
    size_t nnoreturn_calls;
    size_t nflagfree_calls;    /* BLs that store no flags, and functions whose */
    size_t nflagfree_returns;  /* returns store none (cfg_flags.c) */
    size_t nflagfree_loops;    /* loop headers where the flags are dead */
    size_t tier_funcs[4], tier_insns[4]; /* [0] cold, [1] hot, [2] huge, [3] warm */
    double load_s, cfg_s, meta_s, link_s, wall_s;   /* wall seconds */
    double lift_s, opt_s, emit_s;                   /* CPU seconds, all workers */
    double cpu_s;              /* the process's user + system CPU seconds */
    double peak_rss_mb;        /* the process's peak resident set */
    size_t ir_lifted, ir_after;
    uint64_t output_bytes;
    const UnitReport *units;
    size_t nunits;
    const Cfg *cfg;
    const size_t *func_ir;     /* IR instructions lifted per cfg->funcs[i] */
    const unsigned *func_unit; /* unit of cfg->funcs[i] */
    const FuncUntranslated *func_untr; /* per cfg->funcs[i] */
    const unsigned *func_bind; /* per cfg->funcs[i]: enum BindId, 0 if not bound */
} Report;

/* Fill the process-wide figures (CPU seconds, peak RSS) of R now. */
void report_sample_process(Report *r);
/* Write R as JSON to PATH ("-": stdout).  0, or -1 with D set. */
int report_write_json(const Report *r, const char *path, Diag *d);
/* The -v summary: stages, IR sizes, the largest functions, functions by
 * source, unresolved branches, untranslated instructions. */
void report_print(const Report *r, FILE *f);

#endif
