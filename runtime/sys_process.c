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
 *   - clone3, execve: not implemented yet (-ENOSYS, see syscall_table.h);
 *     threads, fork, exit and futex are in thread.c;
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
    if (a[0] == A64_PR_SET_NAME || a[0] == A64_PR_GET_NAME)
        return host_syscall6(SYS_prctl, a[0], a[1], 0, 0, 0, 0);
    rt_log(rt, LOG_SYSCALL, "prctl option %llu not supported", (unsigned long long)a[0]);
    return -EINVAL;
}

/* ---- calls with the same meaning on both ABIs -------------------------- */

int64_t sys_getpid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_getpid, a); }
int64_t sys_getppid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_getppid, a); }
int64_t sys_gettid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_gettid, a); }
int64_t sys_getuid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_getuid, a); }
int64_t sys_geteuid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_geteuid, a); }
int64_t sys_getgid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_getgid, a); }
int64_t sys_getegid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_getegid, a); }
int64_t sys_getresuid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_getresuid, a); }
int64_t sys_getresgid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_getresgid, a); }
int64_t sys_getgroups(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_getgroups, a); }
int64_t sys_setuid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_setuid, a); }
int64_t sys_setgid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_setgid, a); }
int64_t sys_setreuid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_setreuid, a); }
int64_t sys_setregid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_setregid, a); }
int64_t sys_setresuid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_setresuid, a); }
int64_t sys_setresgid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_setresgid, a); }
int64_t sys_getrlimit(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_getrlimit, a); }
int64_t sys_setrlimit(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_setrlimit, a); }
int64_t sys_prlimit64(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_prlimit64, a); }
int64_t sys_getrusage(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_getrusage, a); }
int64_t sys_sysinfo(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_sysinfo, a); }
int64_t sys_times(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_times, a); }
int64_t sys_getrandom(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_getrandom, a); }
int64_t sys_sched_yield(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_sched_yield, a); }
int64_t sys_sched_getaffinity(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_sched_getaffinity, a); }
int64_t sys_kill(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_kill, a); }
int64_t sys_tkill(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_tkill, a); }
int64_t sys_tgkill(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_tgkill, a); }
int64_t sys_getpgid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_getpgid, a); }
int64_t sys_setpgid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_setpgid, a); }
int64_t sys_getsid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_getsid, a); }
int64_t sys_setsid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_setsid, a); }
int64_t sys_wait4(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_wait4, a); }
int64_t sys_waitid(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_waitid, a); }
