/*
 * a64_lift.h - internals shared by the instruction handlers.
 *
 * Every handler has the signature
 *
 *     bool handler(Lifter *l, uint32_t insn);
 *
 * and returns false if it does not handle that word (the dispatcher then
 * tries nothing else: the instruction becomes a SIGILL trap).  Handlers read
 * operand fields from the instruction bits (the architecture manual's
 * encoding diagrams are quoted next to each), read and write guest state
 * only through the accessors below, and end the guest block by calling one of
 * the exit helpers, which set l->terminated.
 *
 * The forms are listed in per-group tables (A64Form) that a64_dispatch.c
 * searches by mask/value, in the manual's top-level encoding groups:
 *
 *   op0 (bits 28:25)  group                          file
 *   100x              data processing - immediate    a64_dp_imm.c
 *   101x              branches, exceptions, system   a64_branch.c, a64_system.c
 *   x1x0              loads and stores               a64_ldst.c, a64_simd_ldst.c
 *   x101              data processing - register     a64_dp_reg.c
 *   x111              scalar FP and Advanced SIMD    a64_fp.c, a64_simd.c
 */
#ifndef DBT_A64_LIFT_H
#define DBT_A64_LIFT_H

#include <llvm-c/Core.h>
#include <stdbool.h>
#include <stdint.h>

#include "cpu_state.h"
#include "lifter.h"
#include "u64_map.h"

typedef bool (*A64Handler)(Lifter *l, uint32_t insn);

/* One instruction form: insn & mask == value selects it. */
typedef struct A64Form {
    uint32_t mask;        /* which bits identify the form */
    uint32_t value;       /* their value */
    A64Handler handler;   /* lifts it */
    const char *name;     /* the manual's name of the form */
} A64Form;

/* Per-group form tables, each terminated by a {0, 0, NULL, NULL} entry. */
extern const A64Form a64_dp_imm_forms[];
extern const A64Form a64_dp_reg_forms[];
extern const A64Form a64_ldst_forms[];
extern const A64Form a64_simd_ldst_forms[];   /* LD1-4/ST1-4 structures */
extern const A64Form a64_branch_forms[];
extern const A64Form a64_system_forms[];
extern const A64Form a64_fp_forms[];
extern const A64Form a64_simd_forms[];

/* Find the form for INSN, or NULL. */
const A64Form *a64_find_form(uint32_t insn);

enum { NUM_GPR = 31, NUM_VREG = 32 };

typedef struct LiftDebug LiftDebug;

struct Lifter {
    LLVMContextRef ctx;          /* the module's context */
    LLVMModuleRef mod;           /* where functions are emitted */
    LLVMBuilderRef b;            /* the builder, positioned in the current block */
    LiftEnv env;                 /* callbacks into the tool / JIT */

    /* Types used everywhere. */
    LLVMTypeRef i1, i8, i16, i32, i64, i128, ptr, vty; /* vty: <16 x i8>, a V register */
    LLVMTypeRef f16, f32, f64;
    LLVMTypeRef fn_ty;           /* a translated guest function (cpu_state.h:
                                  * CPU_PASS): {14 x i64} (i64, ptr, 13 x i64) */
    LLVMTypeRef ret_ty;          /* its result: the passed registers */
    LLVMTypeRef call_ty;         /* what a call of translated code gives
                                  * (call_code): {i64 x CPU_PASS_NREGS} */

    /* Runtime entry points (declared in the module). */
    LLVMValueRef rt_lookup, rt_lookup_entry, rt_syscall, rt_trap, rt_cache, rt_sysreg, rt_f16, rt_safepoint;
    LLVMValueRef rt_safepoint_stub; /* void (): called only from an asm (safe_point_call) */
    LLVMValueRef rt_tail_jump;   /* translated code (fn_ty): jumps to cpu->tail_fn */

    /* Per-function state. */
    const LiftFunc *func;        /* function being lifted */
    LLVMValueRef fn;             /* its LLVM function */
    LLVMValueRef cpu;            /* the CpuState * argument */
    LLVMValueRef x[NUM_GPR];     /* allocas of the passed X registers (i64);
                                  * NULL: kept in the CpuState (lift_function) */
    LLVMValueRef sp;             /* alloca of SP (i64) */
    LLVMValueRef flag[4];        /* allocas of N, Z, C, V (i1) */
    LLVMValueRef vreg[NUM_VREG]; /* allocas of V0-V31 (<16 x i8>) */
    LLVMBasicBlockRef *blocks;   /* LLVM block per leader (parallel to func->leaders) */
    LLVMBasicBlockRef twin;      /* while the first copy of a one-block loop is
                                  * lifted: its second copy, the target of
                                  * branches to twin_pc (lift_function) */
    uint64_t twin_pc;
    LLVMBasicBlockRef *landing_bb; /* per func->landings[k]: the block after the
                                  * call returning there (its sync in) */
    LLVMBasicBlockRef leave_bb;  /* the function's return from the CpuState (leave_from_state), or NULL */
    LLVMBasicBlockRef land_bb;   /* the function's landing test (land_or_leave), or NULL */
    LLVMValueRef land_sp;        /* its phi: the SP at the call that came back elsewhere */
    LLVMValueRef tbl_table;      /* alloca ([64 x i8]) of TBL/TBX's table, or NULL */
    LLVMValueRef poll_budget;    /* alloca (i32): loop headers left before the next
                                  * look at cpu->intr; NULL without safe points */
    /* Flags of the block being lifted (bit f: flag f) written so far, and
     * read (or synced out) before being written: the flags that are dead
     * at the top of a loop header need not be kept for its safe point. */
    uint8_t blk_flags_written, blk_flags_read_first;
    /* The same for the instruction being lifted (lift_one checks them
     * against a64_nzcv). */
    uint8_t insn_flags_written, insn_flags_read_first;
    /* The operands of the SUBS (or CMP) whose flags N, Z, C and V are,
     * when nothing has written or synced in a flag since in this guest
     * block; cmp_a NULL otherwise.  cond_holds then compares them
     * directly in the next word (GE: a >= b signed), which the code
     * generator turns into one compare and branch instead of recombining
     * N and V. */
    LLVMValueRef cmp_a, cmp_b;
    uint64_t cmp_pc;             /* the SUBS's address */
    uint32_t insn_gprs_read, insn_gprs_written; /* X0-X30 the word's code read,
                                                   wrote (check_gprs) */
    uint64_t pc;                 /* address of the instruction being lifted */
    uint32_t insn;               /* its word */
    bool terminated;             /* the current guest block has ended */
    LLVMValueRef entry_sp;       /* the guest SP at entry: its argument */
    bool gep_cache;              /* cpu_field may reuse a GEP of the current block */
    LLVMValueRef gep[CPU_STATE_SIZE];      /* cpu_field's last GEP per field ... */
    LLVMBasicBlockRef gep_bb[CPU_STATE_SIZE]; /* ... and the block it is in */
    bool memregs;                /* the function keeps the registers in the
                                  * CpuState (LIFT_REGS_MEMORY), not in allocas */
    /* Sync points, materialized when the function is complete (sync.c). */
    U64Map sync_regs;            /* register alloca -> register number */
    LLVMValueRef *syncs;         /* marker calls, erased after use */
    uint8_t *sync_out;           /* parallel: its kind (sync.c: SYNC_IN ...) */
    size_t nsyncs, capsyncs;
    LLVMValueRef marker_fn;      /* declaration of the marker */
    LiftStats *stats;            /* counters of the current lift_function */
    unsigned pcs_kind;           /* metadata kind "pcsections" (mem_mark), 0 = not looked up */
    LiftDebug *dbg;              /* debug information (-g, debuginfo.c), or NULL */
};

enum Flag { FLAG_N, FLAG_Z, FLAG_C, FLAG_V };

/* --- debug information (debuginfo.c; nothing without LiftEnv.line_at) ---- */
void dbg_begin_function(Lifter *l, const LiftFunc *f); /* after its entry block exists */
void dbg_at(Lifter *l, uint64_t pc);                    /* before each guest instruction */
void dbg_end_function(Lifter *l);
void dbg_free(Lifter *l);

/* --- guest registers ---------------------------------------------------- */
/* Rn as a 64- or 32-bit value; register 31 reads as zero (XZR/WZR). */
LLVMValueRef rd_x(Lifter *l, unsigned r);
LLVMValueRef rd_w(Lifter *l, unsigned r);
LLVMValueRef rd_reg(Lifter *l, unsigned r, bool sf);
/* Rn where register 31 is SP (64-bit, or its low 32 bits). */
LLVMValueRef rd_xsp(Lifter *l, unsigned r);
LLVMValueRef rd_reg_sp(Lifter *l, unsigned r, bool sf);
/* Write Rd: 32-bit values are zero-extended; register 31 discards. */
void wr_x(Lifter *l, unsigned r, LLVMValueRef v);
void wr_reg(Lifter *l, unsigned r, bool sf, LLVMValueRef v);
/* Write Rd where register 31 is SP. */
void wr_xsp(Lifter *l, unsigned r, LLVMValueRef v);
void wr_reg_sp(Lifter *l, unsigned r, bool sf, LLVMValueRef v);

/* --- flags ---------------------------------------------------------------- */
LLVMValueRef rd_flag(Lifter *l, enum Flag f);
void wr_flag(Lifter *l, enum Flag f, LLVMValueRef v);
/* N and Z from a result; C and V given. */
void set_nzcv(Lifter *l, LLVMValueRef res, LLVMValueRef c, LLVMValueRef v);
/* ConditionHolds(cond) as an i1. */
LLVMValueRef cond_holds(Lifter *l, unsigned cond);
/* AddWithCarry(a, b, carry_in): returns the sum; sets C and V through the pointers (each may be NULL). */
LLVMValueRef add_with_carry(Lifter *l, LLVMValueRef a, LLVMValueRef b, LLVMValueRef cin,
                            LLVMValueRef *c, LLVMValueRef *v);

/* a +/- b with the flags of ADDS/SUBS when SETFLAGS (a64_dp_imm.c). */
LLVMValueRef a64_addsub(Lifter *l, LLVMValueRef a, LLVMValueRef b, bool sub, bool setflags);
/* ExtendReg: extend V (i64 holding the register) by OPTION (UXTB..SXTX),
 * shift left by SHIFT; result i64. */
LLVMValueRef a64_extend(Lifter *l, LLVMValueRef v, unsigned option, unsigned shift);

/* --- SIMD&FP registers ----------------------------------------------------- */
LLVMValueRef rd_v(Lifter *l, unsigned r);           /* <16 x i8> */
void wr_v(Lifter *l, unsigned r, LLVMValueRef v);   /* any 128-bit vector type */
/* Low BITS bits of Vr as an integer (8/16/32/64/128). */
LLVMValueRef rd_vbits(Lifter *l, unsigned r, unsigned bits);
/* Write an integer/FP scalar of 8..128 bits to Vr, zeroing the rest. */
void wr_vscalar(Lifter *l, unsigned r, LLVMValueRef v);

/* --- memory ------------------------------------------------------------- */
LLVMValueRef mem_ptr(Lifter *l, LLVMValueRef addr);
LLVMValueRef mem_load(Lifter *l, LLVMTypeRef ty, LLVMValueRef addr);
LLVMValueRef mem_mark(Lifter *l, LLVMValueRef insn); /* guest pc of an access (fault reports) */
void mem_store(Lifter *l, LLVMValueRef addr, LLVMValueRef v);
/* Pointer to a CpuState field at byte offset OFF. */
LLVMValueRef cpu_field(Lifter *l, unsigned off);
/* branch_weights on the conditional branch BR: its true successor is cold. */
void lift_set_cold_weights(Lifter *l, LLVMValueRef br);
/* bind.c: end the entry block of a function bound as ID (bind_table.h) with
 * the run-time choice between the host's function and BODY. */
void lift_bound_entry(Lifter *l, unsigned id, uint64_t entry, uint64_t errno_location, LLVMBasicBlockRef body);
/* bind.c: a BL (TAIL: a B) to TARGET, a function bound by the environment
 * (LiftEnv.bind_at) without callbacks, its host function linked in (not
 * one of a library the runtime opens): the host function is called here
 * when its switch is on, with the state synced out and nothing to reload
 * after (host code changes no guest register but X0/V0); a tail call then
 * returns.  The builder is left where the caller emits the usual call or
 * tail call (the switch off, or TARGET no such function: then nothing was
 * emitted); after a BL's usual call the caller branches to the returned
 * block, where both paths go on (NULL for a tail call or when nothing was
 * emitted). */
LLVMBasicBlockRef lift_bound_call(Lifter *l, uint64_t target, bool tail);

/* --- constants and small helpers ---------------------------------------- */
LLVMValueRef c64(Lifter *l, uint64_t v);
LLVMValueRef c32(Lifter *l, uint32_t v);
LLVMValueRef cint(LLVMTypeRef ty, uint64_t v);
LLVMValueRef call_intrinsic(Lifter *l, const char *name, LLVMTypeRef *tys, unsigned ntys,
                            LLVMValueRef *args, unsigned nargs);
static inline uint32_t bits(uint32_t insn, unsigned hi, unsigned lo)
{
    return (insn >> lo) & ((1u << (hi - lo + 1)) - 1);
}
static inline int64_t sext(uint64_t v, unsigned width)
{
    return (int64_t)(v << (64 - width)) >> (64 - width);
}

/* --- control flow: each ends the guest block ------------------------------ */
/* Branch to guest address TARGET (a block of this function, or a tail call). */
void lift_branch(Lifter *l, uint64_t target);
/* Conditional branch: to TARGET if COND, else to the next instruction. */
void lift_cond_branch(Lifter *l, LLVMValueRef cond, uint64_t target);
/* Call TARGET (constant) or the address in the i64 value DYN, returning to pc+4. */
void lift_call(Lifter *l, uint64_t target, LLVMValueRef dyn);
/* Indirect jump / return to the i64 guest address DYN. */
void lift_indirect_jump(Lifter *l, LLVMValueRef dyn, bool is_return);
/* After a call into the runtime (a system call): if OK, reload the state
 * and go on in a new block; else return to the dispatcher at once. */
void lift_continue_if(Lifter *l, LLVMValueRef ok);
/* Trap (SIGILL / SIGTRAP) at the current instruction. */
void lift_trap(Lifter *l, enum TrapKind kind);
/* Store the SSA state to CpuState / reload it: markers, materialized by
 * sync_materialize once the function is lifted (sync.c). */
void lift_sync_out(Lifter *l);
/* A sync out on a path taken once in a long while (a safe point's call):
 * it does not make a loop one that stores (sync.c: flush_before_loops). */
void lift_sync_out_rare(Lifter *l);
void lift_sync_in(Lifter *l);
/* The sync points of a call or a return between translated functions: the
 * passed registers (CPU_PASS) travel as arguments and results, so these
 * move only the others. */
void lift_sync_out_call(Lifter *l);
/* The same, leaving the flags as they are (LiftFunc.flagfree_calls,
 * flags_dead_at_return). */
void lift_sync_out_call_noflags(Lifter *l);
void lift_sync_in_call(Lifter *l);
/* Is guest register R (sync.c numbering: 0-30 X, 31 SP) passed? */
bool lift_is_passed(unsigned r);
/* After the register allocas exist: start a function's sync points. */
void sync_begin(Lifter *l);
/* Replace the markers by the loads and stores they need. */
void sync_materialize(Lifter *l);
/* Start a new LLVM block (after a call or inside a handler). */
LLVMBasicBlockRef lift_new_block(Lifter *l, const char *name);

/* Decoding helpers shared by several groups. */
/* DecodeBitMasks: returns false if the immediate is reserved. */
bool decode_bit_masks(unsigned n, unsigned imms, unsigned immr, bool immediate, unsigned datasize,
                      uint64_t *wmask, uint64_t *tmask);

#endif
