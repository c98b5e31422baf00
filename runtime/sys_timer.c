/*
 * sys_timer.c - timers that deliver signals: getitimer/setitimer (what
 * glibc's alarm() and ualarm() use).
 *
 * The host process is the guest process, so ITIMER_REAL, ITIMER_VIRTUAL
 * and ITIMER_PROF are the host's timers and their SIGALRM, SIGVTALRM and
 * SIGPROF arrive on the host, where signal.c catches them for the guest's
 * handlers (or the host kernel applies the default action).  struct
 * itimerval is two struct timevals of 64-bit fields on both ABIs: the
 * calls pass through.  (POSIX timers, timer_create and friends, are next:
 * their struct sigevent is the same too, SIGEV_THREAD aside.)
 */
#define _GNU_SOURCE
#include <sys/syscall.h>

#include "runtime.h"

