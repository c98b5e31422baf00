/*
 * enter_x86_64.h - calling translated code from C and C from translated
 * code (runtime/enter_x86_64.c; the convention: cpu_state.h, CPU_PASS).
 */
#ifndef DBT_ENTER_X86_64_H
#define DBT_ENTER_X86_64_H

#include "cpu_state.h"

/* Run translated code FN on S: the passed registers go from *S to FN and
 * what FN gives back goes to *S. */
void dbt_enter(CpuState *s, GuestFn fn);

/* Translated code that changes nothing. */
extern struct GuestCode dbt_fast_identity;
/* Translated code that goes on in s->tail_fn (cpu_state.h: RT_SYM_TAIL_JUMP). */
extern struct GuestCode dbt_rt_tail_jump;
/* A safe point's call of the runtime (cpu_state.h: RT_SYM_SAFEPOINT_STUB). */
extern struct GuestCode dbt_rt_safepoint_stub;

/* The host instructions that move the passed registers between the host
 * registers and the CpuState at R12 (assembly text). */
#define DBT_PASS_LOAD_(k, r, host) "\tmov 8*" #r "(%r12), %" #host "\n"
#define DBT_PASS_STORE_(k, r, host) "\tmov %" #host ", 8*" #r "(%r12)\n"
#define DBT_PASS_LOAD CPU_PASS(DBT_PASS_LOAD_)
#define DBT_PASS_STORE CPU_PASS(DBT_PASS_STORE_)
#define DBT_ASM_EXPORTED(name) ".globl " #name "\n.type " #name ", @function\n.p2align 4\n" #name ":\n"
#define DBT_ASM_FUNCTION(name) ".hidden " #name "\n" DBT_ASM_EXPORTED(name)
#define DBT_ASM_END(name) ".size " #name ", . - " #name "\n"

/* Defines NAME, translated code (a GuestFn: &NAME) that runs the C
 * function void CFN(CpuState *) on the CpuState: the passed registers are
 * stored before, and loaded after it as CFN left them.  At file scope. */
#define DBT_FAST_TO_C(name, cfn)                                              \
    extern struct GuestCode name;                                             \
    __asm__(".pushsection .text\n" DBT_ASM_FUNCTION(name) DBT_PASS_STORE     \
            "\tmov %r12, %rdi\n\tcall " #cfn "\n"                              \
            DBT_PASS_LOAD "\tret\n" DBT_ASM_END(name) ".popsection\n")

#endif
