/*
 * host_x86_64.c - the host's assembly: the signal-return restorer and the
 * stack switch (host_x86_64.h).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/syscall.h>

#include "host_x86_64.h"

_Static_assert(HOST_GREG_RIP == REG_RIP, "REG_RIP");
_Static_assert(SYS_rt_sigreturn == 15, "x86-64 rt_sigreturn number");
__asm__(".pushsection .text\n"
        ".globl dbt_rt_host_sigreturn\n"
        ".hidden dbt_rt_host_sigreturn\n"
        ".type dbt_rt_host_sigreturn, @function\n"
        ".p2align 4\n"
        "dbt_rt_host_sigreturn:\n"
        "\tmovl $15, %eax\n"
        "\tsyscall\n"
        "\thlt\n"
        ".size dbt_rt_host_sigreturn, . - dbt_rt_host_sigreturn\n"
        ".popsection\n");

_Noreturn void host_switch_stack(uint64_t top, void (*fn)(void *), void *arg)
{
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "call *%1\n\t"
                     "ud2"
                     :
                     : "r"(top), "r"(fn), "D"(arg)
                     : "memory");
    abort(); /* not reached: fn never returns */
}
