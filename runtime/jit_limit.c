/*
 * jit_limit.c - the bound on what the JIT fallback may hold.
 *
 * Translations made at run time are never freed (jit_host.c: a region
 * dropped by invalidation may still be running on another thread), and
 * each keeps its LLVM execution engine - its module, context and machine
 * code.  A program that keeps making new code (a JIT of its own,
 * self-modifying code in a loop) would grow the process until the OOM
 * killer stopped it.  So before each compile the JIT's memory is
 * compared with a bound, DBT_JIT_MAX_MB (default 512; 0: none), and past
 * it the compile is refused: the miss is fatal with the reason
 *
 *     dbt: fatal: no translated code for guest pc 0x... and the JIT
 *          stops: JIT code memory limit reached (...)
 *
 * What is measured is the runtime's malloc heap in use (glibc's
 * mallinfo2), where the engines live: the runtime's other allocations are
 * small and fixed, and the guest's memory is never on it (the guest's
 * malloc uses its own break and mmaps).  The machine code's own pages (a
 * small part of each region) are not counted.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include "jit_host.h"

#define JIT_MAX_MB_DEFAULT 512

static uint64_t limit_bytes(void)
{
    const char *env = getenv("DBT_JIT_MAX_MB");
    if (env == NULL || *env == '\0')
        return (uint64_t)JIT_MAX_MB_DEFAULT << 20;
    return strtoull(env, NULL, 10) << 20;
}

bool jit_limit_reached(char *why, size_t n)
{
    uint64_t limit = limit_bytes();
    if (limit == 0)
        return false;
    struct mallinfo2 mi = mallinfo2();
    uint64_t used = (uint64_t)mi.uordblks + (uint64_t)mi.hblkhd;
    if (used <= limit)
        return false;
    snprintf(why, n, "and the JIT stops: JIT code memory limit reached (%llu MiB in use, DBT_JIT_MAX_MB=%llu)",
             (unsigned long long)(used >> 20), (unsigned long long)(limit >> 20));
    return true;
}
