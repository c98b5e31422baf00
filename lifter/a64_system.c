/*
 * a64_system.c - exception generating and system instructions: SVC, BRK,
 * hints, barriers, CLREX, MRS/MSR, DC/IC cache maintenance.
 *
 * System registers are named by the 15-bit field o0:op1:CRn:CRm:op2
 * (bits 19:5 of MRS/MSR; op0 = 2 + o0).  The ones with state in CpuState
 * (NZCV, FPCR, FPSR, TPIDR_EL0) are read and written directly - FPCR and
 * FPSR together with the host's MXCSR, which holds the rounding mode, FZ
 * and the cumulative exception flags (a64_fp_util.c, include/
 * fpenv.h): MRS FPSR = cpu->fpsr | the MXCSR flags, MSR FPSR stores the
 * writable bits and clears the MXCSR flags, MSR FPCR stores the writable
 * bits and sets MXCSR's rounding control and FTZ/DAZ; the
 * read-only ones user space may read (counters, CTR_EL0, DCZID_EL0, the ID
 * registers Linux emulates) are answered by the runtime.  Anything else is
 * UNDEFINED at EL0 and becomes SIGILL.
 */
#include "a64_fp_util.h"

#define SYSREG(op0, op1, crn, crm, op2) (((op0) - 2) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))
enum {
    SR_NZCV = SYSREG(3, 3, 4, 2, 0),
    SR_FPCR = SYSREG(3, 3, 4, 4, 0),
    SR_FPSR = SYSREG(3, 3, 4, 4, 1),
    SR_TPIDR_EL0 = SYSREG(3, 3, 13, 0, 2),
    SR_TPIDRRO_EL0 = SYSREG(3, 3, 13, 0, 3),
    SR_DCZID_EL0 = SYSREG(3, 3, 0, 0, 7),
};

/* SVC #imm16:  11010100 000 imm16 000 01
 * The runtime sees the state with pc = the next instruction; if it changes
 * pc (signal delivery, sigreturn) the lifted code leaves to the dispatcher. */
static bool lift_svc(Lifter *l, uint32_t insn)
{
    uint64_t next = l->pc + 4;
    lift_sync_out(l);
    LLVMBuildStore(l->b, c64(l, next), cpu_field(l, CPU_OFF_pc));
    LLVMBuildCall2(l->b, LLVMGlobalGetValueType(l->rt_syscall), l->rt_syscall, &l->cpu, 1, "");
    LLVMValueRef npc = LLVMBuildLoad2(l->b, l->i64, cpu_field(l, CPU_OFF_pc), "");
    lift_continue_if(l, LLVMBuildICmp(l->b, LLVMIntEQ, npc, c64(l, next), ""));
    return true;
}

/* BRK #imm16:  11010100 001 imm16 000 00  -> SIGTRAP */
static bool lift_brk(Lifter *l, uint32_t insn)
{
    lift_trap(l, TRAP_BRK);
    return true;
}

/* HINT #imm:  11010101 00000011 0010 CRm op2 11111
 * NOP, YIELD, WFE, WFI, SEV, SEVL, the pointer-authentication hints
 * (PACIASP, AUTIASP, ...; pointer authentication is not advertised, so they
 * behave as NOPs, exactly as on a CPU without it), BTI, CSDB: all NOPs. */
static bool lift_hint(Lifter *l, uint32_t insn) { return true; }

/* CLREX:  11010101 00000011 0011 CRm 010 11111 */
static bool lift_clrex(Lifter *l, uint32_t insn)
{
    LLVMBuildStore(l->b, c64(l, 0), cpu_field(l, CPU_OFF_excl_size));
    return true;
}

/* DSB / DMB / ISB:  11010101 00000011 0011 CRm op2 11111
 * x86-64 is TSO: only store->load ordering needs a fence.  DMB/DSB with a
 * "LD" domain only order loads (no fence needed); "ST" only stores (TSO
 * keeps them); full barriers get a sequentially consistent fence. */
static bool lift_barrier(Lifter *l, uint32_t insn)
{
    unsigned op2 = bits(insn, 7, 5), crm = bits(insn, 11, 8);
    if (op2 == 6) /* ISB: nothing to do for translated code */
        return true;
    if (op2 == 7) /* SB: speculation barrier, nothing to do */
        return true;
    if (op2 != 4 && op2 != 5)
        return false;
    unsigned types = crm & 3; /* 1 = reads, 2 = writes, 3 = all */
    if (types == 3 || types == 0)
        LLVMBuildFence(l->b, LLVMAtomicOrderingSequentiallyConsistent, 0, "");
    else if (types == 1)
        LLVMBuildFence(l->b, LLVMAtomicOrderingAcquire, 0, "");
    else
        LLVMBuildFence(l->b, LLVMAtomicOrderingRelease, 0, "");
    return true;
}

static LLVMValueRef read_sysreg(Lifter *l, unsigned key)
{
    switch (key) {
    case SR_NZCV: {
        LLVMValueRef r = c64(l, 0);
        for (unsigned f = 0; f < 4; f++) {
            LLVMValueRef b = LLVMBuildZExt(l->b, rd_flag(l, f), l->i64, "");
            r = LLVMBuildOr(l->b, r, LLVMBuildShl(l->b, b, c64(l, 31 - f), ""), "");
        }
        return r;
    }
    case SR_FPCR:
        return LLVMBuildZExt(l->b, LLVMBuildLoad2(l->b, l->i32, cpu_field(l, CPU_OFF_fpcr), ""), l->i64, "");
    case SR_FPSR:
        return fp_read_fpsr(l);
    case SR_TPIDR_EL0:
        return LLVMBuildLoad2(l->b, l->i64, cpu_field(l, CPU_OFF_tpidr_el0), "");
    case SR_TPIDRRO_EL0:
        return c64(l, 0);
    default: {
        LLVMValueRef args[] = {l->cpu, c32(l, key)};
        return LLVMBuildCall2(l->b, LLVMGlobalGetValueType(l->rt_sysreg), l->rt_sysreg, args, 2, "");
    }
    }
}

/* Which system registers EL0 may read (others are UNDEFINED). */
static bool sysreg_readable(unsigned key)
{
    unsigned op0 = (key >> 14) + 2, op1 = key >> 11 & 7, crn = key >> 7 & 15;
    switch (key) {
    case SR_NZCV: case SR_FPCR: case SR_FPSR: case SR_TPIDR_EL0: case SR_TPIDRRO_EL0: case SR_DCZID_EL0:
    case SYSREG(3, 3, 0, 0, 1):  /* CTR_EL0 */
    case SYSREG(3, 3, 14, 0, 0): /* CNTFRQ_EL0 */
    case SYSREG(3, 3, 14, 0, 1): /* CNTPCT_EL0 */
    case SYSREG(3, 3, 14, 0, 2): /* CNTVCT_EL0 */
    case SYSREG(3, 3, 14, 0, 5): /* CNTPCTSS_EL0 */
    case SYSREG(3, 3, 14, 0, 6): /* CNTVCTSS_EL0 */
        return true;
    }
    /* The ID space (op0=3, op1=0, CRn=0): Linux emulates these for EL0. */
    return op0 == 3 && op1 == 0 && crn == 0;
}

/* MRS Xt, <sysreg>:  1101010100 1 1 o0 op1 CRn CRm op2 Rt */
static bool lift_mrs(Lifter *l, uint32_t insn)
{
    unsigned key = bits(insn, 19, 5);
    if (!sysreg_readable(key))
        return false;
    wr_x(l, bits(insn, 4, 0), read_sysreg(l, key));
    return true;
}

/* MSR <sysreg>, Xt:  1101010100 0 1 o0 op1 CRn CRm op2 Rt */
static bool lift_msr(Lifter *l, uint32_t insn)
{
    unsigned key = bits(insn, 19, 5);
    LLVMValueRef v = rd_x(l, bits(insn, 4, 0));
    switch (key) {
    case SR_NZCV:
        for (unsigned f = 0; f < 4; f++) {
            LLVMValueRef bit = LLVMBuildLShr(l->b, v, c64(l, 31 - f), "");
            wr_flag(l, f, LLVMBuildTrunc(l->b, bit, l->i1, ""));
        }
        return true;
    case SR_FPCR:
        fp_write_fpcr(l, v);
        return true;
    case SR_FPSR:
        fp_write_fpsr(l, v);
        return true;
    case SR_TPIDR_EL0:
        LLVMBuildStore(l->b, v, cpu_field(l, CPU_OFF_tpidr_el0));
        return true;
    default:
        return false;
    }
}

/* SYS (DC / IC at EL0):  1101010100 0 01 op1 CRn CRm op2 Rt
 *   DC ZVA   op1=3 CRn=7 CRm=4  op2=1   zero a 64-byte block (DCZID_EL0 = 4)
 *   DC CVAC/CVAU/CIVAC/CVAP/CVADP, IC IVAU: no data effect here; reported to
 *   the runtime, which will use IC IVAU to invalidate translations. */
static bool lift_sys(Lifter *l, uint32_t insn)
{
    unsigned op1 = bits(insn, 18, 16), crn = bits(insn, 15, 12), crm = bits(insn, 11, 8), op2 = bits(insn, 7, 5);
    LLVMValueRef addr = rd_x(l, bits(insn, 4, 0));
    if (op1 != 3 || crn != 7)
        return false;
    if (crm == 4 && op2 == 1) { /* DC ZVA */
        LLVMValueRef base = LLVMBuildAnd(l->b, addr, c64(l, ~63ull), "");
        LLVMValueRef p = mem_ptr(l, base);
        LLVMBuildMemSet(l->b, p, LLVMConstInt(l->i8, 0, 0), c64(l, 64), 1);
        return true;
    }
    bool known = (crm == 5 && op2 == 1) ||                    /* IC IVAU */
                 (op2 == 1 && (crm == 10 || crm == 11 || crm == 12 || crm == 13 || crm == 14));
    if (!known)
        return false;
    LLVMValueRef args[] = {l->cpu, c32(l, bits(insn, 18, 5)), addr};
    LLVMBuildCall2(l->b, LLVMGlobalGetValueType(l->rt_cache), l->rt_cache, args, 3, "");
    return true;
}

const A64Form a64_system_forms[] = {
    {0xFFE0001Fu, 0xD4000001u, lift_svc, "SVC"},
    {0xFFE0001Fu, 0xD4200000u, lift_brk, "BRK"},
    {0xFFFFF01Fu, 0xD503201Fu, lift_hint, "HINT"},
    {0xFFFFF0FFu, 0xD503305Fu, lift_clrex, "CLREX"},
    {0xFFFFF01Fu, 0xD503301Fu, lift_barrier, "DSB/DMB/ISB/SB"},
    {0xFFF00000u, 0xD5300000u, lift_mrs, "MRS"},
    {0xFFF00000u, 0xD5100000u, lift_msr, "MSR (register)"},
    {0xFFF80000u, 0xD5080000u, lift_sys, "SYS"},
    {0, 0, NULL, NULL},
};
