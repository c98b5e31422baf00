/*
 * lifter.h - AArch64 -> LLVM IR, one guest function at a time.
 *
 * This is the single semantics source of dbt-aot: the offline tool and the
 * runtime JIT both build it in.  A guest function becomes one LLVM function
 *
 *     {14 x i64} hhvmcc g_<16 hex digits of the guest entry>(i64 %x0, ptr noalias %cpu, ...)
 *
 * over the CpuState (include/cpu_state.h), with the CPU_PASS registers as
 * arguments and results in host registers.  Inside it the passed
 * registers, the flags and the V registers are allocas that mem2reg/SROA
 * turn into SSA values (the other X registers stay in the CpuState);
 * the passed ones start as the arguments, the others are loaded from the
 * CpuState on entry and after every call, and stored back only where the
 * state can be observed: before calls, returns and indirect branches (the
 * passed ones travel as arguments and results there), system calls and
 * traps.  Flags are computed as values,
 * so flags nobody reads disappear under optimization.
 *
 * The caller (control-flow recovery) says where the basic blocks start and
 * end and which targets each BR can reach.  A lifted function has exactly
 * one entry, the guest function's: the normal call and return are a host
 * call and return, and when the guest does not come back from a call the
 * way it went (longjmp, a signal handler that does not return, a coroutine
 * switch), the function returns to the dispatcher at once, which goes on
 * at the guest's pc through a function entry or the JIT (a region starting
 * there).  One exception saves a round trip: a call to a function that
 * returns twice (setjmp) names its return site a landing, and so does each
 * C++ landing pad of the function; a call in the same function that comes
 * back with pc = a landing and the SP of the frame continues there (the
 * longjmp lands in the frame that called setjmp, the unwinder in the frame
 * that catches or cleans up).  Loop headers are safe points: every 1024th visit they read
 * cpu->intr, and when a caught signal waits they call the runtime, which
 * runs the handler there and then (nested) and says whether the guest
 * state came back unchanged - the loop then goes on - or not, when the
 * function leaves for the dispatcher.
 *
 * The lifter decodes and lifts each
 * block linearly; a block that ends without a branch falls through to the
 * next address (a block of this function, or a tail call).  Instructions it cannot lift become a
 * call to the runtime's trap (SIGILL at that guest address), never an error of
 * the tool.
 */
#ifndef DBT_LIFTER_H
#define DBT_LIFTER_H

#include <llvm-c/Core.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Lifter Lifter;

/* A guest source position (the guest's DWARF line table). */
typedef struct LiftLine {
    const char *file;   /* the source file's path; one pointer per file */
    unsigned line;
} LiftLine;

/* What the lifter needs from its user (the offline tool or the JIT). */
typedef struct LiftEnv {
    void *ctx;   /* passed back to the callbacks */
    /* Read the instruction word at guest address PC; false if unmapped. */
    bool (*read_code)(void *ctx, uint64_t pc, uint32_t *word);
    /* Read N bytes of guest memory known at translation time (literal
     * pools); false if not available. */
    bool (*read_data)(void *ctx, uint64_t addr, void *buf, size_t n);
    /* The LLVM function of the translated guest function starting at PC,
     * or NULL when there is none (the branch then goes through the
     * runtime's lookup). */
    LLVMValueRef (*function_at)(void *ctx, uint64_t pc);
    /* Name of the instruction at PC for diagnostics (may be NULL). */
    void (*describe)(void *ctx, uint64_t pc, uint32_t word, char *buf, size_t n);
    /* Mark every guest memory access with its guest pc (`!pcsections`:
     * LLVM emits the host pc and the guest pc of each into the section
     * dbt_pcmap, which the runtime reads to report a fault at the guest
     * instruction that made it; include/meta.h: DBT_PCMAP_SECTION). */
    bool fault_pcs;
    /* With -g: the guest source position of the instruction at PC, false
     * if none.  Set, the lifter attaches LLVM debug information (a
     * subprogram per function, a location per instruction: debuginfo.c),
     * so that the output's DWARF maps host code to the guest's lines. */
    bool (*line_at)(void *ctx, uint64_t pc, LiftLine *out);
    /* The binding (include/bind_table.h) of the translated guest function
     * starting at PC, 0 if none; *ERRNO_LOCATION its image's
     * __errno_location.  A direct call or tail call to one calls the host
     * function right there when the run-time switch is on (may be NULL). */
    unsigned (*bind_at)(void *ctx, uint64_t pc, uint64_t *errno_location);
    /* The code is compiled for a CPU with AVX-512 (x86-64-v4): a call of
     * translated code clobbers XMM16-31 and the mask registers too. */
    bool avx512;
} LiftEnv;

/* Possible targets of one BR (a recovered jump table). */
typedef struct LiftIndirect {
    uint64_t br_pc;          /* address of the BR */
    const uint64_t *targets; /* addresses inside the function */
    size_t ntargets;
} LiftIndirect;

/* Where a lifted function keeps the guest registers. */
enum LiftRegs {
    LIFT_REGS_SSA = 0,   /* in SSA values (allocas that SROA promotes; sync.c
                            moves them to and from the CpuState) */
    LIFT_REGS_MEMORY,    /* in the CpuState: every access is a load or a
                            store; no sync, no phi - cheapest to compile,
                            about 1.8x slower to run at -O0 code generation */
};

/* One guest function to lift. */
typedef struct LiftFunc {
    uint64_t entry;              /* guest entry address */
    const uint64_t *leaders;     /* sorted basic-block start addresses (entry included) */
    const uint64_t *ends;        /* end (exclusive) of each block, parallel to leaders */
    size_t nleaders;
    const LiftIndirect *indirect; /* jump tables, sorted by br_pc */
    size_t nindirect;
    const uint64_t *landings;    /* sorted return sites of calls to functions that
                                    return twice (setjmp) and C++ landing pads
                                    (leaders too): a call of this function
                                    that comes back with pc = one of them and
                                    its own SP continues there */
    size_t nlandings;
    const uint64_t *noreturn_calls; /* sorted BLs whose callee never returns:
                                    the block ends at the call (if it comes
                                    back after all, the function leaves as
                                    after a longjmp; aot/cfg_noreturn.c) */
    size_t nnoreturn_calls;
    const uint64_t *flagfree_calls; /* sorted BLs before which the flags need
                                    not be stored: the callee never reads
                                    the flags it is called with and no one
                                    reads them after the return (aot/
                                    cfg_flags.c) */
    size_t nflagfree_calls;
    bool flags_dead_at_return;   /* no caller reads the flags this function
                                    returns with: its returns store none */
    const uint64_t *safepoints;  /* sorted loop headers (lift_loop_headers): they
                                    poll for signals */
    size_t nsafepoints;
    const uint64_t *flagfree_headers; /* sorted loop headers where the flags
                                    are dead (aot/cfg_flags.c): the safe
                                    point need not store them */
    size_t nflagfree_headers;
    enum LiftRegs regs;          /* where the registers live */
    const char *name;            /* the guest's name for it, or NULL (debug
                                    information only) */
    unsigned bind;               /* include/bind_table.h: the library function
                                    it is, run as the host's own when the
                                    runtime's switch is on; 0: none */
    uint64_t errno_location;     /* with a bind that sets errno: the guest's
                                    __errno_location */
} LiftFunc;

/* Counters, for -v and the tests. */
typedef struct LiftStats {
    size_t insns;            /* instructions lifted */
    size_t untranslated;     /* instructions turned into a SIGILL trap */
    uint64_t first_untranslated; /* address of the first one */
    uint32_t first_untranslated_word;
    size_t nzcv_wrong;       /* words whose use of the flags a64_nzcv
                                misstates (an internal error) */
    uint64_t first_nzcv_wrong; /* address of the first one */
    size_t gprs_wrong;       /* words whose use of X0-X30 a64_gprs
                                misstates */
    uint64_t first_gprs_wrong; /* address of the first one */
} LiftStats;

Lifter *lift_new(LLVMModuleRef mod, const LiftEnv *env);
void lift_free(Lifter *l);
/* Declare (or find) the LLVM function for the guest function at ENTRY. */
LLVMValueRef lift_declare(Lifter *l, uint64_t entry);
/* Lift F into the function declared for F->entry.  Returns 0; fills ST. */
int lift_function(Lifter *l, const LiftFunc *f, LiftStats *st);
/* After the last lift_function of the module, before it is optimized:
 * completes its debug information (nothing to do without line_at). */
void lift_finish(Lifter *l);
/* Whether SIG is a binding signature the lifter can call (bind_table.h);
 * for the tests of the table. */
bool lift_bind_signature_ok(const char *sig);
/* Name of the LLVM function for ENTRY into BUF ("g_%016llx"). */
void lift_function_name(uint64_t entry, char *buf, size_t n);

/* Classification of one instruction word, for control-flow recovery. */
enum A64Flow {
    FLOW_NONE,       /* falls through */
    FLOW_JUMP,       /* B: target only */
    FLOW_COND,       /* B.cond, CBZ, CBNZ, TBZ, TBNZ: target or fall through */
    FLOW_CALL,       /* BL: call target, then fall through */
    FLOW_ICALL,      /* BLR (and authenticated forms): indirect call, fall through */
    FLOW_SVC,        /* SVC: a system call, then fall through */
    FLOW_IJUMP,      /* BR (and authenticated forms): indirect jump */
    FLOW_RET,        /* RET (and authenticated forms) */
    FLOW_STOP,       /* UDF and words that end a block forever (SIGILL) */
};
enum A64Flow a64_classify(uint32_t word, uint64_t pc, uint64_t *target);
/* What WORD does with the flags N Z C V (a64_nzcv.c): NZCV_READ if it may
 * read any of them or make the state observable (a system call, a trap),
 * NZCV_WRITE if it sets all four.  Conservative: never "does not read" of
 * a reader, never "writes" of a word that leaves a flag as it was (the
 * lifter checks both on every word it lifts: LiftStats.nzcv_wrong). */
enum { NZCV_READ = 1, NZCV_WRITE = 2 };
unsigned a64_nzcv(uint32_t word);
/* Which of X0-X30 (bit r: Xr; SP and XZR in none) WORD reads and writes
 * (a64_gpr.c): may_read holds every register it may read, may_write
 * every one it may write, must_write only ones it surely writes whole.
 * A word it does not describe: may_read and may_write all, must_write
 * none.  The lifter checks all three on every word it lifts
 * (LiftStats.gprs_wrong). */
typedef struct A64Gprs {
    uint32_t may_read, must_write, may_write;
} A64Gprs;
A64Gprs a64_gprs(uint32_t word);
/* Whether the lifter has a form for WORD at all (without one, the word
 * becomes a SIGILL trap; with one it still may, for operands it refuses). */
bool a64_has_form(uint32_t word);
/* Named predicates for the other words control-flow recovery looks at
 * (a64_dispatch.c), so that no second file holds their encodings. */
/* NOP (HINT #0): the padding between functions. */
bool a64_is_nop(uint32_t word);
/* SVC #0: a Linux system call (its number in X8). */
bool a64_is_svc0(uint32_t word);
/* ADR or ADRP: *RD the register written, *ADDR the address computed -
 * PC + imm21 for ADR, the 4 KiB page of PC + imm21 * 4096 for ADRP (*PAGE
 * set). */
bool a64_decode_adr(uint32_t word, uint64_t pc, unsigned *rd, uint64_t *addr, bool *page);
/* ADD Xd|SP, Xn|SP, #imm12 (64-bit, not shifted, no flags): the second
 * half of an ADRP+ADD address. */
bool a64_decode_add_imm12(uint32_t word, unsigned *rd, unsigned *rn, uint32_t *imm12);

/* Index of the first element of the sorted V[0..N-1] that is >= X (N if
 * none): the search over sorted address lists. */
size_t lift_lower_bound(const uint64_t *v, size_t n, uint64_t x);
/* Is X in the sorted V[0..N-1]? */
bool lift_sorted_has(const uint64_t *v, size_t n, uint64_t x);
/* Index of the block of F starting at PC, or -1 if no block starts there. */
long lift_leader_index(const LiftFunc *f, uint64_t pc);

/* The loop headers of F (its leaders, ends and jump tables): the targets of
 * the back edges of a depth-first search of its blocks, so that every cycle
 * of the control-flow graph goes through one.  READ_CODE reads the word
 * that ends each block.  Sets *OUT to a sorted malloc'd array (NULL if
 * none) and returns its length, or (size_t)-1 when out of memory. */
size_t lift_loop_headers(const LiftFunc *f, bool (*read_code)(void *ctx, uint64_t pc, uint32_t *word),
                         void *ctx, uint64_t **out);

/* One basic block's scan, for the offline recovery (aot/cfg.c) and the
 * JIT's region discovery (jit/region.c) alike (lifter/scan.c): from PC,
 * word by word, up to the first word that ends a block - any flow but
 * FLOW_NONE: a branch, and a call or a system call too, since its return
 * site is a block of its own - or up to a known leader, the limit of the
 * scan, or a word that cannot be read. */
typedef struct LiftBlockScan {
    /* Read the word at PC; false ends the block there. */
    bool (*read)(void *ctx, uint64_t pc, uint32_t *word);
    /* Whether PC already starts a block (the scan stops before it). */
    bool (*is_leader)(void *ctx, uint64_t pc);
    /* Whether the scan may take the word at PC (an extent, a budget). */
    bool (*may_scan)(void *ctx, uint64_t pc);
    /* Sees each word taken, before it is classified (may be NULL). */
    void (*word)(void *ctx, uint64_t pc, uint32_t word);
    void *ctx;
    /* An unreadable word is kept as the block's last (the lifter makes it
     * a SIGILL trap at its address) instead of ending the block before it. */
    bool keep_unreadable;
} LiftBlockScan;
/* How the block from PC ends: the flow of its last word, with *TARGET its
 * target (a64_classify), or FLOW_NONE when it ran into a leader, the limit
 * or an unreadable word.  *END: the block's end (exclusive); PC itself
 * when not even its first word could be taken. */
enum A64Flow lift_scan_block(const LiftBlockScan *s, uint64_t pc, uint64_t *end, uint64_t *target);

/* The depth-first search behind lift_loop_headers, over any graph of N
 * nodes: from ROOT (if >= 0), then from every node not reached yet, in
 * order.  SUCC(ctx, i, k) is node I's successor K: a node, -1 for an edge
 * that leaves the graph, -2 when there are no more.  BACK(ctx, i, k, s) is
 * called for each back edge, an edge I -> S (I's successor K) to a node
 * still on the search's stack: every cycle has one.  False when out of
 * memory. */
bool lift_back_edges(size_t n, long root, long (*succ)(void *ctx, size_t i, size_t k),
                     void (*back)(void *ctx, size_t i, size_t k, size_t s), void *ctx);


#endif
