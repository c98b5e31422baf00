/*
 * cpu_state.h - the AArch64 guest CPU state, shared by the lifted code, the
 * runtime's C and (later) the JIT.
 *
 * One CpuState per guest thread.  Translated functions take a pointer to it
 * and the CPU_PASS registers (below) in host registers, and give those
 * registers back in host registers:
 *
 *     {14 x i64} hhvmcc g_0000000000400abc(x0, CpuState *s, x1, ..., sp);
 *
 * Inside a translated function the guest registers live in SSA values; the
 * struct is the truth only at the boundaries the guest or the runtime can
 * observe (system calls, traps, safe points), and for the registers not
 * passed also at calls, returns and indirect branches.
 *
 * The layout is described once, by CPU_STATE_FIELDS below: the struct, the
 * offsets the lifter uses and the static checks all come from that table.
 *
 *   offset  field
 *   0       x[0..30]      general registers X0-X30
 *   248     sp            stack pointer
 *   256     pc            guest PC: target of the last exit
 *   264     n z c v       flags, one byte each (0 or 1)
 *   268     fpcr, fpsr    floating-point control and status
 *   276     intr          a caught signal waits (the runtime's host handler
 *                         sets it; translated code polls it at safe points)
 *   280     tpidr_el0     user thread pointer (TLS)
 *   288     excl_addr     exclusive monitor: address of the last LDXR
 *   296     excl_val      exclusive monitor: value(s) it read
 *   312     excl_size     exclusive monitor: size in bytes, 0 = clear
 *   320     v[0..31]      SIMD&FP registers V0-V31, 16 bytes each
 *   832     thread        runtime's per-thread data (opaque to the lifter)
 *   840     icache        this thread's indirect-branch cache (CpuIcacheEntry
 *                         [CPU_ICACHE_ENTRIES]): the lifted code probes it
 *                         before it asks the runtime (dbt_rt_lookup)
 *   848     bound_pc      the guest pc of the bound function whose host
 *                         code runs now (lifter/bind.c), else 0: a fault
 *                         in that host code is the guest's fault there
 *   856     tail_fn       the target of a tail call through a pointer
 *                         (RT_SYM_TAIL_JUMP jumps there)
 */
#ifndef DBT_CPU_STATE_H
#define DBT_CPU_STATE_H

#include <stddef.h>
#include <stdint.h>

/* X(type, name, count, align): count 0 means a scalar field. */
#define CPU_STATE_FIELDS(X)                                                    \
    X(uint64_t, x, 31, 8)          /* X0-X30                               */  \
    X(uint64_t, sp, 0, 8)          /* SP                                   */  \
    X(uint64_t, pc, 0, 8)          /* guest PC at the last exit            */  \
    X(uint8_t, n, 0, 1)            /* N flag: 0 or 1                       */  \
    X(uint8_t, z, 0, 1)            /* Z flag                               */  \
    X(uint8_t, c, 0, 1)            /* C flag                               */  \
    X(uint8_t, v, 0, 1)            /* V flag                               */  \
    X(uint32_t, fpcr, 0, 4)        /* FPCR                                 */  \
    X(uint32_t, fpsr, 0, 4)        /* FPSR                                 */  \
    X(uint32_t, intr, 0, 4)        /* nonzero: a signal waits (safe points) */  \
    X(uint64_t, tpidr_el0, 0, 8)   /* TPIDR_EL0                            */  \
    X(uint64_t, excl_addr, 0, 8)   /* exclusive monitor address            */  \
    X(uint64_t, excl_val, 2, 8)    /* exclusive monitor value(s)           */  \
    X(uint64_t, excl_size, 0, 8)   /* exclusive monitor size, 0 = clear    */  \
    X(uint8_t, vreg, 32 * 16, 16)  /* V0-V31, 16 bytes each, little endian */  \
    X(void *, thread, 0, 8)        /* runtime's per-thread data            */  \
    X(void *, icache, 0, 8)        /* indirect-branch cache, see below     */  \
    X(uint64_t, bound_pc, 0, 8)    /* bound function in host code, or 0    */  \
    X(void *, tail_fn, 0, 8)       /* target of an indirect tail call      */

/* The struct is written out (arrays of one element for scalars would make
 * the C side clumsy); the table's offsets and the pinned values below check
 * it field by field. */
typedef struct CpuState {
    uint64_t x[31];          /* X0-X30 */
    uint64_t sp;             /* SP */
    uint64_t pc;             /* guest PC at the last exit */
    uint8_t n, z, c, v;      /* NZCV flags, each 0 or 1 */
    uint32_t fpcr;           /* FPCR */
    uint32_t fpsr;           /* FPSR */
    uint32_t intr;           /* nonzero: a caught signal waits; translated code
                                leaves to the dispatcher at its next safe point */
    uint64_t tpidr_el0;      /* TPIDR_EL0 */
    uint64_t excl_addr;      /* exclusive monitor: address */
    uint64_t excl_val[2];    /* exclusive monitor: value(s) */
    uint64_t excl_size;      /* exclusive monitor: size in bytes, 0 = clear */
    _Alignas(16) uint8_t vreg[32 * 16]; /* V0-V31 */
    void *thread;            /* runtime per-thread data */
    void *icache;            /* CpuIcacheEntry[CPU_ICACHE_ENTRIES], never NULL */
    uint64_t bound_pc;       /* a bound function's host code runs: its guest pc */
    void *tail_fn;           /* translated code an indirect tail call goes to */
} CpuState;

/* The offsets the lifter uses, from the same table. */
enum {
#define CPU_OFF_(type, name, count, align) CPU_OFF_##name = offsetof(CpuState, name),
    CPU_STATE_FIELDS(CPU_OFF_)
#undef CPU_OFF_
    CPU_STATE_SIZE = sizeof(CpuState)
};

/* Pin the layout: the lifted code, the runtime and the JIT agree on it. */
_Static_assert(offsetof(CpuState, x) == 0, "x");
_Static_assert(offsetof(CpuState, sp) == 248, "sp");
_Static_assert(offsetof(CpuState, pc) == 256, "pc");
_Static_assert(offsetof(CpuState, n) == 264, "n");
_Static_assert(offsetof(CpuState, v) == 267, "v");
_Static_assert(offsetof(CpuState, fpcr) == 268, "fpcr");
_Static_assert(offsetof(CpuState, fpsr) == 272, "fpsr");
_Static_assert(offsetof(CpuState, intr) == 276, "intr");
_Static_assert(offsetof(CpuState, tpidr_el0) == 280, "tpidr_el0");
_Static_assert(offsetof(CpuState, excl_addr) == 288, "excl_addr");
_Static_assert(offsetof(CpuState, excl_val) == 296, "excl_val");
_Static_assert(offsetof(CpuState, excl_size) == 312, "excl_size");
_Static_assert(offsetof(CpuState, vreg) == 320, "vreg");
_Static_assert(offsetof(CpuState, thread) == 832, "thread");
_Static_assert(offsetof(CpuState, icache) == 840, "icache");
_Static_assert(offsetof(CpuState, bound_pc) == 848, "bound_pc");
_Static_assert(offsetof(CpuState, tail_fn) == 856, "tail_fn");

/* Named accessors for the runtime's C. */
static inline uint64_t cpu_get_x(const CpuState *s, unsigned r) { return r < 31 ? s->x[r] : 0; }
static inline void cpu_set_x(CpuState *s, unsigned r, uint64_t v) { if (r < 31) s->x[r] = v; }
static inline uint8_t *cpu_vreg(CpuState *s, unsigned r) { return &s->vreg[r * 16]; }
static inline uint32_t cpu_get_nzcv(const CpuState *s)
{
    return (uint32_t)s->n << 31 | (uint32_t)s->z << 30 | (uint32_t)s->c << 29 | (uint32_t)s->v << 28;
}
static inline void cpu_set_nzcv(CpuState *s, uint32_t nzcv)
{
    s->n = nzcv >> 31 & 1; s->z = nzcv >> 30 & 1; s->c = nzcv >> 29 & 1; s->v = nzcv >> 28 & 1;
}

/* Translated code: a function of the convention below, never called from C
 * directly - C enters it through dbt_enter (runtime/enter_x86_64.c), which
 * moves the passed registers between the CpuState and the host registers. */
typedef struct GuestCode *GuestFn;

/* The calling convention of translated code (docs/architecture.md, "Calls").
 * Between translated functions these guest registers travel in host
 * registers, not through the CpuState: the caller's values are the callee's
 * arguments and the callee's values at its exit come back as its results,
 * so a call stores and reloads only the registers not in this list.  It is
 * LLVM's HHVM convention on x86-64 (the choice Instrew published): up to 15
 * integer arguments and 14 results in registers, only R12 preserved by the
 * callee.  The CpuState pointer is argument 1 (R12: it never changes, so a
 * function need not save it and tail calls stay jumps); the guest registers
 * are argument 0 and arguments 2-13, and each comes back in the host
 * register it came in (result 12, R14, is unused).  R14 carries no
 * argument: an indirect call needs one register for its target.
 * X(k, guest register, host register): 0-30 X0-X30, 31 SP (whose CpuState
 * offset, 248, is 8 * 31 like the others'). */
#define CPU_PASS_NREGS 13
#define CPU_PASS(X)                                                           \
    X(0, 0, rbx) X(1, 1, rbp) X(2, 2, r15) X(3, 3, rdi) X(4, 4, rsi)          \
    X(5, 5, rdx) X(6, 19, rcx) X(7, 20, r8) X(8, 21, r9) X(9, 22, rax)        \
    X(10, 29, r10) X(11, 30, r11) X(12, 31, r13)

/* The indirect-branch cache: where the lifted code calls translated code
 * for a guest pc it only knows at run time, it first looks in the
 * thread's cache, direct-mapped by CPU_ICACHE_INDEX; on a hit (pc equal)
 * it calls fn, otherwise it calls dbt_rt_lookup, which fills the entry.
 * The runtime writes fn before pc and empties entries with pc = 1 (never a
 * cached pc: only 4-byte aligned pcs are cached) and fn = a function that
 * does the lookup, so a probe racing with a flush still calls something
 * that is right.  A new cache is all zeros but entry 0 (which is {1,
 * lookup}): {0, NULL} is empty wherever pc 0 cannot index.  Entries are 16 bytes: the index is scaled by 16. */
typedef struct CpuIcacheEntry {
    uint64_t pc;
    GuestFn fn;
} CpuIcacheEntry;
#define CPU_ICACHE_ENTRIES 4096u
#define CPU_ICACHE_INDEX(pc) ((pc) >> 2 & (CPU_ICACHE_ENTRIES - 1))
#define CPU_ICACHE_EMPTY 1u
_Static_assert(sizeof(CpuIcacheEntry) == 16, "icache entry");
/* Host-side entry points the lifted code calls into (runtime/dispatch.c,
 * runtime/syscall.c), plain C functions.  Names are part of the
 * lifter/runtime contract. */
#define RT_SYM_LOOKUP "dbt_rt_lookup"     /* GuestFn (CpuState *s, uint64_t pc) */
#define RT_SYM_LOOKUP_ENTRY "dbt_rt_lookup_entry" /* GuestFn (CpuState *s, uint64_t pc): the
                                                     translated function entered at pc, or NULL */
#define RT_SYM_SYSCALL "dbt_rt_syscall"   /* void (CpuState *s)  svc #0 at s->pc */
#define RT_SYM_TRAP "dbt_rt_trap"         /* void (CpuState *s, uint32_t kind, uint32_t insn) */
#define RT_SYM_CACHE "dbt_rt_cache_op"    /* void (CpuState *s, uint32_t op, uint64_t addr) */
#define RT_SYM_SYSREG "dbt_rt_read_sysreg" /* uint64_t (CpuState *s, uint32_t sysreg) */
#define RT_SYM_TAIL_JUMP "dbt_rt_tail_jump" /* translated code: jumps to s->tail_fn.  An
                                               indirect tail call needs a register for its
                                               target that is no argument and not R12..R15,
                                               and the convention leaves none; so it stores
                                               the target and tail-calls this */
#define RT_SYM_SAFEPOINT "dbt_rt_safepoint" /* uint32_t (CpuState *s): a signal waits at the
                                               loop header s->pc; nonzero: go on there */
#define RT_SYM_SAFEPOINT_STUB "dbt_rt_safepoint_stub" /* the same for code with the passed
                                               registers in host registers, called by an
                                               inline asm: stores them, calls
                                               dbt_rt_safepoint, loads them again and
                                               gives its result in R14
                                               (runtime/dispatch.c) */

/* Kinds of dbt_rt_trap: the guest executes something that the kernel turns
 * into a signal.  s->pc holds the instruction's address. */
enum TrapKind {
    TRAP_UNDEF = 1,     /* undefined or untranslated instruction: SIGILL */
    TRAP_BRK = 2,       /* BRK #imm: SIGTRAP */
    TRAP_NO_TARGET = 3, /* branch to a guest PC without translation */
};

#endif
