/*
 * sys_process.c - process, identity and resource system calls.
 *
 * The translated program is one host process that plays the guest process,
 * so process ids, credentials, resource limits, process groups, sessions
 * and waiting for children are the host's, unchanged.  The structures
 * involved (rlimit, rusage, sysinfo, tms, siginfo, cpu masks) have the
 * same layout on both 64-bit ABIs, and signal numbers are the same, so
 * nearly everything passes through.
 *
 * Translated or restricted here:
 *   - uname reports machine "aarch64", everything else from the host;
 *   - prctl allows PR_SET_NAME / PR_GET_NAME only, others -EINVAL;
 *   - clone3: not implemented (-ENOSYS, see syscall_table.h); threads,
 *     fork, exit and futex are in thread.c, execve in exec.c;
 *   - rseq: -ENOSYS (glibc then runs without restartable sequences).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "runtime.h"

_Static_assert(sizeof(struct utsname) == sizeof(struct a64_utsname), "utsname layout");

/* uname(struct a64_utsname *) */
int64_t sys_uname(Runtime *rt, CpuState *s, const uint64_t *a)
{
    struct utsname h;
    int64_t r = host_syscall6(SYS_uname, (uint64_t)&h, 0, 0, 0, 0, 0);
    if (r < 0)
        return r;
    struct a64_utsname *g = (struct a64_utsname *)a[0];
    memcpy(g, &h, sizeof *g);
    memset(g->machine, 0, sizeof g->machine);
    memcpy(g->machine, A64_UNAME_MACHINE, sizeof A64_UNAME_MACHINE);
    return 0;
}

/* prctl(option, arg2, ...): the thread name (a 16-byte buffer) only. */
int64_t sys_prctl(Runtime *rt, CpuState *s, const uint64_t *a)
{
    if (a[0] == A64_PR_SET_NAME || a[0] == A64_PR_GET_NAME) {
        /* a 16-byte name, read or written */
        if (guest_mem_check(rt, a[1], a[0] == A64_PR_GET_NAME ? 16 : 1) != 0)
            return -EFAULT;
        return host_syscall6(SYS_prctl, a[0], a[1], 0, 0, 0, 0);
    }
    rt_log(rt, LOG_SYSCALL, "prctl option %llu not supported", (unsigned long long)a[0]);
    return -EINVAL;
}

/* ---- calls with the same meaning on both ABIs -------------------------- */

