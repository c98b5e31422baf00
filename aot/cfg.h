/*
 * cfg.h - control-flow recovery: which guest functions exist, where their
 * basic blocks start and end, and where each BR can go.
 *
 * Roots are the entry point and the address-taken functions: function
 * symbols, code labels and (stripped programs) .eh_frame FDE starts whose
 * address is stored in the image (GOT, init_array, IRELATIVE relocations,
 * function-pointer tables) or computed by ADR/ADRP+ADD in reachable code;
 * with ALL_SYMBOLS every function symbol is a root too.  From each
 * function entry the recovery follows direct branches (recursive descent):
 * targets inside the function's extent become blocks, targets outside it
 * or at another function's start become tail calls to new functions, BL
 * targets become functions.  The extent is the function symbol's, else
 * the FDE's, else it reaches up to the next likely function start (cfg.c).
 * BR targets come from jump-table recognition (cfg_jumptable.c); a BR
 * whose targets are not recognized still works at run time when it lands
 * on a function entry (runtime lookup), and reports the guest PC
 * otherwise.
 */
#ifndef DBT_CFG_H
#define DBT_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "elf_input.h"
#include "lifter.h"

/* How a function was first found (--report: functions by source). */
enum CfgSource {
    CFG_FROM_ENTRY,        /* the ELF entry point */
    CFG_FROM_LOADER,       /* DT_INIT, DT_FINI, PLT0: code the loader enters */
    CFG_FROM_SYMBOL,       /* a function symbol (--all-functions, libraries) */
    CFG_FROM_POINTER,      /* a code pointer stored in the image (GOT, tables) */
    CFG_FROM_CALL,         /* the target of a BL */
    CFG_FROM_JUMP,         /* the target of a branch out of a function (tail call) */
    CFG_FROM_ADDRESS,      /* an address computed in code (ADR, ADRP+ADD) */
    CFG_FROM_FALLTHROUGH,  /* code running on past the end of an extent */
    CFG_NSOURCES
};
const char *cfg_source_name(enum CfgSource s);

typedef struct CfgFunc {
    uint64_t entry;        /* guest entry address */
    uint64_t lo, hi;       /* extent [lo, hi): symbol, FDE or up to the next
                              start (cfg.c), or 0, 0 if unbounded */
    uint64_t *leaders;     /* sorted block starts */
    uint64_t *ends;        /* block ends (exclusive), parallel to leaders */
    size_t nleaders;
    uint64_t *landings;    /* return sites of calls to functions that return
                              twice (setjmp, by symbol name) and C++ landing
                              pads (.eh_frame LSDAs), sorted: a longjmp or the
                              unwinder lands there in the frame (lifter.h) */
    size_t nlandings;
    uint64_t *safepoints;  /* loop headers (sorted): the lifter polls for
                              signals there */
    size_t nsafepoints;
    LiftIndirect *indirect; /* recognized jump tables (targets owned) */
    size_t nindirect;
    uint64_t *noreturn_calls; /* BLs (sorted) whose callee never returns
                              (cfg_noreturn.c): the lifter ends the block */
    size_t nnoreturn_calls;
    uint64_t *flagfree_calls; /* BLs (sorted) that need not store the flags
                              (cfg_flags.c) */
    size_t nflagfree_calls;
    bool flags_dead_at_return; /* no caller reads the flags it returns with */
    uint64_t *flagfree_headers; /* loop headers (sorted) where the flags are
                              dead: no path from there reads one before
                              setting all four (cfg_flags.c) */
    size_t nflagfree_headers;
    size_t ninsns;         /* instructions in its blocks */
    const char *name;      /* symbol name or NULL */
    enum CfgSource source; /* how it was first found */
} CfgFunc;

typedef struct Cfg {
    CfgFunc *funcs;        /* sorted by entry */
    size_t nfuncs;
    size_t ninsns;         /* total instructions in all blocks */
    size_t njumptables;    /* BRs whose targets were recognized */
    size_t nnoreturn;      /* functions found never to return (cfg_noreturn.c) */
    uint64_t *unresolved;  /* BRs left to the runtime lookup (addresses) */
    size_t nunresolved;
    uint64_t flags_off_at; /* a landing whose code may read the flags, which
                              turned cfg_flags off for its image (dbt-aot -v
                              names it); 0 if none */
} Cfg;

int cfg_recover(Cfg *cfg, const GuestImage *img, bool all_symbols, bool verbose, Diag *d);
void cfg_free(Cfg *cfg);
/* Finds the functions that never return and fills each function's
 * noreturn_calls and cfg->nnoreturn (cfg_noreturn.c; cfg_recover calls it
 * last).  -1: out of memory. */
int cfg_noreturn(Cfg *cfg, const GuestImage *img);
/* Where the flags need not be stored at calls and returns (cfg_flags.c;
 * cfg_recover calls it last): fills each function's flagfree_calls,
 * flags_dead_at_return and flagfree_headers.  ENTERED[i]: how function i may be entered besides
 * the BLs and Bs recovery saw; LABELS: the code addresses stored in the
 * image that are no function entries, sorted.  -1: out of memory. */
enum {
    CFG_ENTERED_INDIRECT = 1, /* its address is stored or computed: a BLR or BR */
    CFG_ENTERED_EXTERNAL = 2, /* by callers not in the image: the entry point, the
                                 loader, an export, code falling into it */
};
int cfg_flags(Cfg *cfg, const GuestImage *img, const uint8_t *entered, const uint64_t *labels, size_t nlabels);
/* Move FROM's functions into INTO (objects at different addresses), FROM
 * left empty.  -1: out of memory (both unchanged). */
int cfg_merge(Cfg *into, Cfg *from);
/* The function with entry PC, or NULL. */
const CfgFunc *cfg_find(const Cfg *cfg, uint64_t pc);
/* Its index in cfg->funcs, or -1. */
long cfg_index(const Cfg *cfg, uint64_t pc);
/* The first function one of whose blocks holds the instruction at PC, or
 * NULL. */
const CfgFunc *cfg_containing(const Cfg *cfg, uint64_t pc);
/* The index of F's block that starts at PC, or -1. */
long cfg_block_index(const CfgFunc *f, uint64_t pc);

/* Jump-table recognition for the BR at BR_PC of function F (cfg_jumptable.c).
 * Returns the number of targets found (0: not recognized); *targets is
 * malloc'ed. */
size_t cfg_jumptable(const GuestImage *img, const CfgFunc *f, uint64_t br_pc, uint64_t **targets);
/* Can the BR at BR_PC, whose table was not found, be one more jump of a
 * computed goto over the function's other tables: its register computed
 * by an ADD of two registers, or set in another block - not loaded or
 * copied from a pointer just before (a tail call through a pointer)? */
bool cfg_br_may_share_table(const GuestImage *img, const CfgFunc *f, uint64_t br_pc);

#endif
