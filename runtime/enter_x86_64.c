/*
 * enter_x86_64.c - C meets the calling convention of translated code
 * (cpu_state.h: CPU_PASS).
 *
 * dbt_enter(s, fn) runs translated code from C.  It saves the registers C
 * expects preserved, loads the passed guest registers from *s into their
 * host registers (R12 = s), calls fn, and stores what fn gives back into
 * *s: afterwards the CpuState is the whole truth again, as the dispatcher
 * expects.  The other way, DBT_FAST_TO_C (enter_x86_64.h) makes a C
 * function callable as translated code.
 *
 * Stack: LLVM's code for the HHVM convention takes RSP to be 16-byte
 * aligned at a function's entry, with the return address pushed (as HHVM
 * calls: a C caller leaves it aligned before the call): its own calls of
 * such functions are made with RSP 8 bytes off alignment, its calls of C
 * with RSP aligned.  dbt_enter pushes six registers, fn and 8 bytes
 * (64 bytes on top of its return address): its call is 8 bytes off.  An
 * adapter (DBT_FAST_TO_C) is entered aligned and calls C at once.
 */
#include "enter_x86_64.h"

__asm__(".pushsection .text\n"
        DBT_ASM_FUNCTION(dbt_enter)
        "\tpush %rbp\n\tpush %rbx\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\tpush %r15\n"
        "\tpush %rsi\n"            /* fn: every other register is an argument */
        "\tsub $8, %rsp\n"
        "\tmov %rdi, %r12\n"
        DBT_PASS_LOAD
        "\tcall *8(%rsp)\n"
        DBT_PASS_STORE
        "\tadd $16, %rsp\n"
        "\tpop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbx\n\tpop %rbp\n"
        "\tret\n"
        DBT_ASM_END(dbt_enter)
        DBT_ASM_EXPORTED(dbt_rt_tail_jump) /* like the other dbt_rt_*: translated libraries link to it */
        "\tjmp *856(%r12)\n"      /* CpuState.tail_fn */
        DBT_ASM_END(dbt_rt_tail_jump)
        DBT_ASM_FUNCTION(dbt_fast_identity) /* each register comes back where it came */
        "\tret\n"
        DBT_ASM_END(dbt_fast_identity)
        ".popsection\n");

_Static_assert(CPU_OFF_x == 0 && CPU_OFF_sp == 8 * 31, "a passed register is at 8 * its number");
_Static_assert(CPU_OFF_tail_fn == 856, "dbt_rt_tail_jump's offset");
