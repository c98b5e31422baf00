/*
 * syscall_number_gaps.c - system call numbers the runtime's table has no
 * row for, and numbers with high bits in x8 (found by the syscall storm,
 * tests/fuzz/syscall_storm.c).
 *
 * A gap in the AArch64 numbering (244-259 are reserved for the
 * architecture, 295-423 hold nothing on arm64, 451 and up are not yet
 * defined) must fail with ENOSYS as on Linux; the runtime read a gap's
 * all-zero table entry as "pass through, no pointer spec" and died of
 * SIGSEGV.  Linux reads the number from w8 only: getpid with bit 32 of x8
 * set is getpid.  Compared with qemu-aarch64, which does the same.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    static const long gaps[] = {244, 259, 300, 384, 423, 451, 1000, 0x7fffffff};
    for (size_t i = 0; i < sizeof gaps / sizeof gaps[0]; i++) {
        errno = 0;
        long r = syscall(gaps[i], 1, 2, 3, 4, 5, 6);
        printf("syscall %ld: %ld %s\n", gaps[i], r, r < 0 ? strerror(errno) : "");
    }
    long pid = syscall((1L << 32) | SYS_getpid);
    printf("getpid with bit 32 of x8 set: %s\n", pid == getpid() ? "getpid" : "something else");
    long tid = syscall((0xabcdL << 40) | SYS_gettid);
    printf("gettid with high bits of x8 set: %s\n", tid == gettid() ? "gettid" : "something else");
    return 0;
}
