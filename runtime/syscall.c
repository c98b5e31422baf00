/*
 * syscall.c - the guest's SVC #0: decode, dispatch, log.
 *
 * The lifted code stores the guest registers and calls dbt_rt_syscall at
 * every SVC.  The AArch64 Linux convention: the number in x8, arguments in
 * x0-x5, the result (a value, or -errno in [-4095, -1]) back in x0; every
 * other register is preserved.
 *
 * The numbers, names and handlers come from one table, syscall_table.h;
 * the array below is indexed by number.  A handler translates what differs
 * between the AArch64 and x86-64 ABIs (runtime/sys_<family>.c) and usually
 * ends in a raw host system call.  Numbers that are unknown, or known but
 * not implemented, return -ENOSYS, as a kernel without the call would.
 *
 * DBT_LOG=syscall traces each call:
 *
 *     dbt: syscall openat(0xffffffffffffff9c, 0x49c2d8, 0x80000, 0x0) = 3
 *     dbt: syscall openat(0xffffffffffffff9c, 0x49c2e0, 0x0, 0x0) = -2 ENOENT
 *     dbt: unimplemented syscall clone (nr 220)
 *
 * Caught signals are delivered to the guest's handlers on the way in and
 * out of every call (see dbt_rt_syscall and signal.c).
 *
 * This file also holds the flag-translation helper all families use.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "runtime.h"

typedef struct SyscallDef {
    const char *name;      /* name without the sys_ prefix; NULL: unknown number */
    unsigned nargs;        /* arguments worth logging */
    SysHandler handler;    /* NULL: passed through (host_nr), or not implemented */
    int host_nr;           /* the host call a P row passes to; -1: none */
    uint8_t restarts;      /* the table's column r: R = 1, E = 0 */
    const char *mem;       /* the table's column mem: guest pointers to check */
} SyscallDef;

#define SYS_RESTARTS_R 1
#define SYS_RESTARTS_E 0
static const SyscallDef syscalls[A64_NR_SYSCALLS] = {
#define SYS_ROW_(nr, name, nargs, r, mem, handler) [nr] = {#name, nargs, handler, -1, SYS_RESTARTS_##r, mem},
#define SYS_NONE_ROW_(nr, name) [nr] = {#name, 0, NULL, -1, 0, ""},
#define SYS_PASS_ROW_(nr, name, nargs, r, mem) [nr] = {#name, nargs, NULL, SYS_##name, SYS_RESTARTS_##r, mem},
    SYSCALL_TABLE(SYS_ROW_, SYS_NONE_ROW_, SYS_PASS_ROW_)
#undef SYS_ROW_
#undef SYS_NONE_ROW_
#undef SYS_PASS_ROW_
};


static void log_call(const Runtime *rt, const SyscallDef *def, const uint64_t *a, int64_t ret)
{
    char args[6 * 20 + 8] = "";
    size_t n = 0;
    for (unsigned i = 0; i < def->nargs && i < 6; i++)
        n += (size_t)snprintf(args + n, sizeof args - n, "%s0x%llx", i ? ", " : "",
                              (unsigned long long)a[i]);
    if (ret < 0 && ret >= -4095) {
        const char *err = strerrorname_np((int)-ret);
        rt_log(rt, LOG_SYSCALL, "syscall %s(%s) = %lld %s", def->name, args, (long long)ret,
               err ? err : "");
    } else if (ret >= 0 && ret < 0x10000) {
        rt_log(rt, LOG_SYSCALL, "syscall %s(%s) = %lld", def->name, args, (long long)ret);
    } else {
        rt_log(rt, LOG_SYSCALL, "syscall %s(%s) = 0x%llx", def->name, args, (unsigned long long)ret);
    }
}

/* A system call the runtime does not implement: under DBT_LOG=syscall
 * every time, under DBT_LOG=unimpl the first time for each number. */
static void report_unimplemented(Runtime *rt, const SyscallDef *def, uint64_t nr)
{
    static uint64_t reported[(A64_NR_SYSCALLS + 64) / 64 + 1];   /* bit per number; last word: beyond */
    const char *name = def && def->name ? def->name : "?";
    if (rt_log_on(rt, LOG_SYSCALL)) {
        rt_log(rt, LOG_SYSCALL, "unimplemented syscall %s (nr %llu)", name, (unsigned long long)nr);
        return;
    }
    if (!rt_log_on(rt, LOG_UNIMPL))
        return;
    size_t w = nr < A64_NR_SYSCALLS ? nr / 64 : ARRAY_LEN(reported) - 1;
    uint64_t bit = 1ull << (nr < A64_NR_SYSCALLS ? nr % 64 : 0);
    if (__atomic_fetch_or(&reported[w], bit, __ATOMIC_RELAXED) & bit)
        return;
    rt_log(rt, LOG_UNIMPL, "unimplemented syscall %s (nr %llu): ENOSYS (reported once)", name,
           (unsigned long long)nr);
}

/* The number of the guest's call: like the kernel (el0_svc_common takes
 * an int), only w8 counts - a guest that leaves high bits in x8 makes the
 * call of the low 32 (the syscall storm found 0x1_0000_008b treated as
 * unknown, where Linux and qemu make rt_sigreturn). */
static uint64_t call_number(const CpuState *s) { return (uint32_t)s->x[8]; }

static int64_t do_syscall(Runtime *rt, CpuState *s)
{
    uint64_t nr = call_number(s);
    const uint64_t a[6] = {s->x[0], s->x[1], s->x[2], s->x[3], s->x[4], s->x[5]};
    /* A number without a row of the table (a gap, such as 384) has an
     * all-zero entry: no name, and host_nr 0, which read as "pass to host
     * call 0" with no pointer spec - the runtime dereferenced the NULL
     * spec and died with SIGSEGV (found by the syscall storm; regression
     * test tests/e2e/programs/syscall_number_gaps.c).  It is unknown:
     * ENOSYS. */
    const SyscallDef *def = nr < A64_NR_SYSCALLS && syscalls[nr].name != NULL ? &syscalls[nr] : NULL;
    int pass = def && !def->handler && def->host_nr >= 0;
    if (!pass && (!def || !def->handler)) {
        report_unimplemented(rt, def, nr);
        return -ENOSYS;
    }
    int64_t ret;
    if (pass && def->mem[0] == '\0') {
        ret = host_pass(def->host_nr, a);
    } else {
        /* The guest pointers are checked first (guest_mem.c); a bad one
         * that the check or the handler dereferences faults on the host:
         * the call fails with EFAULT (signal.c, host_fault). */
        Thread *t = s->thread;
        sigjmp_buf env;
        if (sigsetjmp(env, 0) == 0) {
            t->fault_env = &env;
            ret = guest_mem_check_args(rt, def->mem, a);
            if (ret == 0)
                ret = def->handler ? def->handler(rt, s, a) : host_pass(def->host_nr, a);
            t->fault_env = NULL;
        } else {
            sig_fault_returned(t);
            rt_log(rt, LOG_SYSCALL, "syscall %s: bad guest address 0x%llx", def->name,
                   (unsigned long long)t->fault_addr);
            ret = -EFAULT;
        }
    }
    if (rt_log_on(rt, LOG_SYSCALL))
        log_call(rt, def, a, ret);
    return ret;
}

/*
 * s->pc is the instruction after the SVC.  Signals the guest caught are
 * delivered here, their handlers run nested (dispatch_signal_handlers):
 *
 *   - before the call, those that arrived while the guest computed: the
 *     frame shows pc = the SVC and the arguments, as if the kernel had
 *     interrupted the guest just before it; the call is made when the
 *     handler returns there;
 *   - the same way when the host call was interrupted (EINTR) by a caught
 *     signal, the call restarts (column r of syscall_table.h is R) and
 *     the handler to run has SA_RESTART (or none runs): the kernel's restart, pc back at the
 *     SVC and x0 = the first argument again;
 *   - after the call, the others: the frame shows the result in x0
 *     (-EINTR for an interrupted call) and pc = the next instruction.
 *
 * The lifted code goes on if s->pc is still the next instruction when this
 * returns (reloading the registers, which a handler may have changed in
 * its frame), and leaves for the dispatcher otherwise: a handler that did
 * not return, or returned elsewhere.
 */
void dbt_rt_syscall(CpuState *s)
{
    Runtime *rt = rt_of(s);
    rt_stat(ST_SYSCALL, 1);
    uint64_t next = s->pc;
    int64_t ret;
    for (;;) {
        if (sig_pending_work(s)) {
            s->pc = next - 4;
            if (!dispatch_signal_handlers(s) || s->pc != next - 4)
                return;   /* the guest went elsewhere */
            s->pc = next;
        }
        ret = do_syscall(rt, s);
        uint64_t nr = call_number(s);
        if (ret == -EINTR && nr < A64_NR_SYSCALLS && syscalls[nr].restarts && sig_pending_work(s) &&
            sig_restarts_call(s))
            continue;
        break;
    }
    s->x[0] = (uint64_t)ret;
    if (sig_pending_work(s))
        dispatch_signal_handlers(s);
}

/* ---- flag translation -------------------------------------------------- */

/* A row whose guest and host values are equal copies a (possibly multi-bit)
 * field unchanged; otherwise all of the row's bits must be set to set the
 * other side's.  A zero on one side means "no equivalent: drop". */
static uint64_t translate(const FlagMap *map, unsigned n, uint64_t v, int to_host,
                          uint64_t *unknown)
{
    uint64_t out = 0, seen = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t from = to_host ? map[i].guest : map[i].host;
        uint64_t to = to_host ? map[i].host : map[i].guest;
        if (!from)
            continue;
        seen |= from;
        if (from == to)
            out |= v & from;
        else if ((v & from) == from)
            out |= to;
    }
    if (unknown)
        *unknown = v & ~seen;
    return out;
}

uint64_t flags_guest_to_host(const FlagMap *map, unsigned n, uint64_t v, uint64_t *unknown)
{
    return translate(map, n, v, 1, unknown);
}

uint64_t flags_host_to_guest(const FlagMap *map, unsigned n, uint64_t v, uint64_t *unknown)
{
    return translate(map, n, v, 0, unknown);
}
