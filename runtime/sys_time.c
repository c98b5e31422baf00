/*
 * sys_time.c - clocks and sleeping.
 *
 * On 64-bit Linux, AArch64 and x86-64 agree on everything here: clock ids
 * (CLOCK_REALTIME 0, CLOCK_MONOTONIC 1, ... CLOCK_BOOTTIME 7, and the
 * dynamic per-process/per-thread encodings), TIMER_ABSTIME 1, and
 * struct timespec / struct timeval (two 64-bit words) and struct timezone
 * (two ints).  So every call passes through.
 *
 * A real arm64 kernel serves clock_gettime and gettimeofday from its vDSO;
 * we give the guest no vDSO (no AT_SYSINFO_EHDR), so its libc makes the
 * system call and lands here.  These two are answered through host glibc,
 * which uses the host's vDSO and avoids entering the kernel.  (One
 * difference: a bad pointer faults instead of returning -EFAULT.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#include "runtime.h"

int64_t sys_clock_gettime(Runtime *rt, CpuState *s, const uint64_t *a)
{
    if (a[1] == 0) /* let the kernel answer EFAULT */
        return host_pass(SYS_clock_gettime, a);
    return clock_gettime((clockid_t)a[0], (struct timespec *)a[1]) == 0 ? 0 : -errno;
}

int64_t sys_gettimeofday(Runtime *rt, CpuState *s, const uint64_t *a)
{
    if (a[0] == 0 || a[1] != 0) /* no tv, or a (rare) timezone request */
        return host_pass(SYS_gettimeofday, a);
    return gettimeofday((struct timeval *)a[0], NULL) == 0 ? 0 : -errno;
}

