/*
 * a64_abi.h - the AArch64 Linux user ABI, as the guest sees it.
 *
 * Everything the guest passes to or receives from the kernel that is not
 * plain integers is defined here, with our own names (A64_*, struct a64_*),
 * never borrowed from the host's headers: the host is x86-64 and its
 * <fcntl.h> or <sys/stat.h> describe a different ABI.  The runtime's system
 * call layer converts between the two with functions named
 * guest_to_host_* / host_to_guest_*.
 *
 * AArch64 Linux uses the "asm-generic" definitions almost everywhere:
 *
 *   - system call numbers: asm-generic/unistd.h (listed, with their
 *     handlers, in runtime/syscall_table.h - the one place they live);
 *   - errno values: asm-generic/errno.h, which x86-64 uses too, so a host
 *     -errno is returned to the guest unchanged;
 *   - struct stat: asm-generic (128 bytes), different from x86-64's;
 *   - open flags: asm-generic, except four bits that x86-64 puts elsewhere:
 *
 *         flag          aarch64     x86-64
 *         O_DIRECTORY   0040000     0200000
 *         O_NOFOLLOW    0100000     0400000
 *         O_DIRECT      0200000     0040000
 *         O_LARGEFILE   0400000     0100000
 *
 *   - mmap: asm-generic flags; x86-64 adds MAP_32BIT (0x40), AArch64 adds
 *     PROT_BTI (0x10) and PROT_MTE (0x20);
 *   - signals 1-64, struct sigaction {handler, flags, restorer, mask},
 *     stack_t, siginfo_t, struct timespec, struct rusage, struct termios,
 *     struct winsize, struct flock, struct linux_dirent64, struct statx:
 *     the same bytes on both 64-bit ABIs, so they pass through.
 *
 * This header is shared with the lifter (runtime/include), which needs the
 * system-register and SYS-operation encodings at the bottom.
 */
#ifndef DBT_A64_ABI_H
#define DBT_A64_ABI_H

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------------ */

/* The page size the guest is told about (AT_PAGESZ) and that the runtime
 * uses for mappings: the host's, 4 KiB.  Guests built for 64 KiB pages
 * still run; their segments are mapped at 4 KiB granularity. */
#define A64_PAGE_SIZE 4096u

/* ------------------------------------------------------------------------
 * The initial process stack: auxiliary vector (include/uapi/linux/auxvec.h)
 * ------------------------------------------------------------------------ */

#define A64_AT_NULL 0
#define A64_AT_PHDR 3
#define A64_AT_PHENT 4
#define A64_AT_PHNUM 5
#define A64_AT_PAGESZ 6
#define A64_AT_BASE 7
#define A64_AT_FLAGS 8
#define A64_AT_ENTRY 9
#define A64_AT_UID 11
#define A64_AT_EUID 12
#define A64_AT_GID 13
#define A64_AT_EGID 14
#define A64_AT_PLATFORM 15
#define A64_AT_HWCAP 16
#define A64_AT_CLKTCK 17
#define A64_AT_SECURE 23
#define A64_AT_RANDOM 25
#define A64_AT_HWCAP2 26
#define A64_AT_EXECFN 31
#define A64_AT_MINSIGSTKSZ 51

#define A64_PLATFORM "aarch64"   /* AT_PLATFORM string */
#define A64_UNAME_MACHINE "aarch64"

/*
 * AT_HWCAP bits (arch/arm64/include/uapi/asm/hwcap.h).  Only features that
 * the lifter implements AND that are tested end to end are advertised: a
 * guest that checks HWCAP must never pick a code path we would turn into
 * SIGILL.  Add a bit here only together with its tests.
 */
#define A64_HWCAP_FP (1ull << 0)       /* scalar floating point */
#define A64_HWCAP_ASIMD (1ull << 1)    /* Advanced SIMD (NEON) */
#define A64_HWCAP_EVTSTRM (1ull << 2)  /* (not advertised) */
#define A64_HWCAP_AES (1ull << 3)      /* (not advertised) */
#define A64_HWCAP_PMULL (1ull << 4)    /* (not advertised) */
#define A64_HWCAP_SHA1 (1ull << 5)     /* (not advertised) */
#define A64_HWCAP_SHA2 (1ull << 6)     /* (not advertised) */
#define A64_HWCAP_CRC32 (1ull << 7)    /* (not advertised) */
#define A64_HWCAP_ATOMICS (1ull << 8)  /* LSE atomics (not advertised yet) */
#define A64_HWCAP_CPUID (1ull << 11)   /* MRS of ID registers (not advertised) */

#define A64_HWCAP_ADVERTISED (A64_HWCAP_FP | A64_HWCAP_ASIMD)
#define A64_HWCAP2_ADVERTISED 0ull

/* ------------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------------ */

/* Open flags (asm-generic/fcntl.h). */
#define A64_O_WRONLY 00000001
#define A64_O_RDWR 00000002
#define A64_O_CREAT 00000100
#define A64_O_EXCL 00000200
#define A64_O_NOCTTY 00000400
#define A64_O_TRUNC 00001000
#define A64_O_APPEND 00002000
#define A64_O_NONBLOCK 00004000
#define A64_O_DSYNC 00010000
#define A64_O_ASYNC 00020000      /* FASYNC */
#define A64_O_DIRECTORY 00040000  /* x86-64: 0200000 */
#define A64_O_NOFOLLOW 00100000   /* x86-64: 0400000 */
#define A64_O_DIRECT 00200000     /* x86-64: 0040000 */
#define A64_O_LARGEFILE 00400000  /* x86-64: 0100000 */
#define A64_O_NOATIME 01000000
#define A64_O_CLOEXEC 02000000
#define A64_O_SYNC_BIT 04000000   /* __O_SYNC; O_SYNC is this | O_DSYNC */
#define A64_O_PATH 010000000
#define A64_O_TMPFILE_BIT 020000000 /* __O_TMPFILE; O_TMPFILE adds O_DIRECTORY */

/* fcntl commands: identical numbers on both ABIs. */
#define A64_F_DUPFD 0
#define A64_F_GETFD 1
#define A64_F_SETFD 2
#define A64_F_GETFL 3
#define A64_F_SETFL 4
#define A64_F_GETLK 5
#define A64_F_SETLK 6
#define A64_F_SETLKW 7
#define A64_F_SETOWN 8
#define A64_F_GETOWN 9
#define A64_F_SETSIG 10
#define A64_F_GETSIG 11
#define A64_F_SETOWN_EX 15
#define A64_F_GETOWN_EX 16
#define A64_F_OFD_GETLK 36
#define A64_F_OFD_SETLK 37
#define A64_F_OFD_SETLKW 38
#define A64_F_SETLEASE 1024
#define A64_F_GETLEASE 1025
#define A64_F_NOTIFY 1026
#define A64_F_DUPFD_CLOEXEC 1030
#define A64_F_SETPIPE_SZ 1031
#define A64_F_GETPIPE_SZ 1032
#define A64_F_ADD_SEALS 1033
#define A64_F_GET_SEALS 1034

/* Terminal and file ioctls (asm-generic/ioctls.h); the structures they
 * carry (termios, winsize, int) have the same layout on x86-64. */
#define A64_TCGETS 0x5401
#define A64_TCSETS 0x5402
#define A64_TCSETSW 0x5403
#define A64_TCSETSF 0x5404
#define A64_TCFLSH 0x540B
#define A64_TIOCGPGRP 0x540F
#define A64_TIOCSPGRP 0x5410
#define A64_TIOCGWINSZ 0x5413
#define A64_TIOCSWINSZ 0x5414
#define A64_FIONREAD 0x541B
#define A64_FIONBIO 0x5421
#define A64_FIONCLEX 0x5450
#define A64_FIOCLEX 0x5451

/* struct stat as newfstatat/fstat fill it (asm-generic/stat.h). */
struct a64_stat {
    uint64_t st_dev;         /* device */
    uint64_t st_ino;         /* inode */
    uint32_t st_mode;        /* type and permissions */
    uint32_t st_nlink;       /* hard links (32 bits here, 64 on x86-64) */
    uint32_t st_uid;         /* owner */
    uint32_t st_gid;         /* group */
    uint64_t st_rdev;        /* device, for device files */
    uint64_t pad1;           /* (padding) */
    int64_t st_size;         /* size in bytes */
    int32_t st_blksize;      /* preferred I/O size (32 bits here) */
    int32_t pad2;            /* (padding) */
    int64_t st_blocks;       /* 512-byte blocks */
    int64_t st_atime_sec;    /* access time */
    uint64_t st_atime_nsec;
    int64_t st_mtime_sec;    /* modification time */
    uint64_t st_mtime_nsec;
    int64_t st_ctime_sec;    /* status change time */
    uint64_t st_ctime_nsec;
    uint32_t unused4;        /* (reserved) */
    uint32_t unused5;        /* (reserved) */
};
_Static_assert(sizeof(struct a64_stat) == 128, "a64_stat size");
_Static_assert(offsetof(struct a64_stat, st_mode) == 16, "a64_stat st_mode");
_Static_assert(offsetof(struct a64_stat, st_rdev) == 32, "a64_stat st_rdev");
_Static_assert(offsetof(struct a64_stat, st_size) == 48, "a64_stat st_size");
_Static_assert(offsetof(struct a64_stat, st_blksize) == 56, "a64_stat st_blksize");
_Static_assert(offsetof(struct a64_stat, st_blocks) == 64, "a64_stat st_blocks");
_Static_assert(offsetof(struct a64_stat, st_atime_sec) == 72, "a64_stat st_atime");
_Static_assert(offsetof(struct a64_stat, st_ctime_nsec) == 112, "a64_stat st_ctime_nsec");

/* ------------------------------------------------------------------------
 * mmap and friends (asm-generic/mman-common.h)
 * ------------------------------------------------------------------------ */

#define A64_PROT_READ 0x1
#define A64_PROT_WRITE 0x2
#define A64_PROT_EXEC 0x4
#define A64_PROT_SEM 0x8
#define A64_PROT_BTI 0x10          /* arm64 only: dropped on the host */
#define A64_PROT_MTE 0x20          /* arm64 only: dropped on the host */
#define A64_PROT_GROWSDOWN 0x01000000
#define A64_PROT_GROWSUP 0x02000000

#define A64_MAP_SHARED 0x01
#define A64_MAP_PRIVATE 0x02
#define A64_MAP_SHARED_VALIDATE 0x03
#define A64_MAP_FIXED 0x10
#define A64_MAP_ANONYMOUS 0x20
#define A64_MAP_GROWSDOWN 0x0100
#define A64_MAP_DENYWRITE 0x0800
#define A64_MAP_EXECUTABLE 0x1000
#define A64_MAP_LOCKED 0x2000
#define A64_MAP_NORESERVE 0x4000
#define A64_MAP_POPULATE 0x8000
#define A64_MAP_NONBLOCK 0x10000
#define A64_MAP_STACK 0x20000
#define A64_MAP_HUGETLB 0x40000
#define A64_MAP_SYNC 0x80000
#define A64_MAP_FIXED_NOREPLACE 0x100000
#define A64_MAP_HUGE_MASK (0x3fu << 26) /* MAP_HUGE_SHIFT 26: log2 of the page size */

#define A64_MREMAP_MAYMOVE 1
#define A64_MREMAP_FIXED 2
#define A64_MREMAP_DONTUNMAP 4

/* ------------------------------------------------------------------------
 * Processes
 * ------------------------------------------------------------------------ */

#define A64_PR_SET_NAME 15
#define A64_PR_GET_NAME 16

/* struct utsname (include/uapi/linux/utsname.h, struct new_utsname). */
#define A64_UTS_LEN 65
struct a64_utsname {
    char sysname[A64_UTS_LEN];     /* "Linux" */
    char nodename[A64_UTS_LEN];    /* host name */
    char release[A64_UTS_LEN];     /* kernel release */
    char version[A64_UTS_LEN];     /* kernel version */
    char machine[A64_UTS_LEN];     /* "aarch64" */
    char domainname[A64_UTS_LEN];  /* NIS domain */
};
_Static_assert(sizeof(struct a64_utsname) == 390, "a64_utsname size");

/* ------------------------------------------------------------------------
 * Signals (numbers 1-31 and the real-time range 32-64 are the same on
 * x86-64; asm-generic/signal.h, arch/arm64/include/uapi/asm/signal.h)
 * ------------------------------------------------------------------------ */

#define A64_NSIG 64
#define A64_SIGILL 4
#define A64_SIGTRAP 5
#define A64_SIGKILL 9
#define A64_SIGSTOP 19

#define A64_SIG_DFL 0ull
#define A64_SIG_IGN 1ull

#define A64_SA_NOCLDSTOP 0x00000001u
#define A64_SA_NOCLDWAIT 0x00000002u
#define A64_SA_SIGINFO 0x00000004u
#define A64_SA_RESTORER 0x04000000u
#define A64_SA_ONSTACK 0x08000000u
#define A64_SA_RESTART 0x10000000u
#define A64_SA_NODEFER 0x40000000u
#define A64_SA_RESETHAND 0x80000000u

#define A64_SS_ONSTACK 1
#define A64_SS_DISABLE 2
#define A64_SS_AUTODISARM (1u << 31)
#define A64_MINSIGSTKSZ 5120          /* also reported as AT_MINSIGSTKSZ */

/* struct sigaction as rt_sigaction sees it (the kernel's, not glibc's). */
struct a64_sigaction {
    uint64_t handler;    /* SIG_DFL, SIG_IGN or the guest handler's address */
    uint64_t flags;      /* A64_SA_* */
    uint64_t restorer;   /* guest address of the sigreturn trampoline */
    uint64_t mask;       /* signals blocked while the handler runs */
};
_Static_assert(sizeof(struct a64_sigaction) == 32, "a64_sigaction size");

/* stack_t for sigaltstack. */
struct a64_stack {
    uint64_t ss_sp;      /* base of the alternate stack */
    int32_t ss_flags;    /* A64_SS_* */
    int32_t pad;         /* (padding) */
    uint64_t ss_size;    /* its size in bytes */
};
_Static_assert(sizeof(struct a64_stack) == 24, "a64_stack size");

/* ------------------------------------------------------------------------
 * System registers (MRS) and system operations (SYS: DC, IC)
 *
 * dbt_rt_read_sysreg receives bits 19:5 of the MRS instruction:
 *
 *      14   13..11  10..7  6..3  2..0
 *     +----+-------+------+-----+-----+
 *     | o0 |  op1  | CRn  | CRm | op2 |     op0 = 2 + o0
 *     +----+-------+------+-----+-----+
 *
 * dbt_rt_cache_op receives bits 18:5 of the SYS instruction (op0 = 1):
 * op1:CRn:CRm:op2, the same layout without o0.
 * ------------------------------------------------------------------------ */

#define A64_SYSREG(op0, op1, crn, crm, op2) \
    ((uint32_t)(((op0) - 2) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))

/* X(name, op0, op1, CRn, CRm, op2): the registers the runtime answers. */
#define A64_SYSREGS(X)                      \
    X(MIDR_EL1, 3, 0, 0, 0, 0)              \
    X(MPIDR_EL1, 3, 0, 0, 0, 5)             \
    X(REVIDR_EL1, 3, 0, 0, 0, 6)            \
    X(ID_AA64PFR0_EL1, 3, 0, 0, 4, 0)       \
    X(ID_AA64PFR1_EL1, 3, 0, 0, 4, 1)       \
    X(ID_AA64ZFR0_EL1, 3, 0, 0, 4, 4)       \
    X(ID_AA64SMFR0_EL1, 3, 0, 0, 4, 5)      \
    X(ID_AA64DFR0_EL1, 3, 0, 0, 5, 0)       \
    X(ID_AA64DFR1_EL1, 3, 0, 0, 5, 1)       \
    X(ID_AA64AFR0_EL1, 3, 0, 0, 5, 4)       \
    X(ID_AA64AFR1_EL1, 3, 0, 0, 5, 5)       \
    X(ID_AA64ISAR0_EL1, 3, 0, 0, 6, 0)      \
    X(ID_AA64ISAR1_EL1, 3, 0, 0, 6, 1)      \
    X(ID_AA64ISAR2_EL1, 3, 0, 0, 6, 2)      \
    X(ID_AA64MMFR0_EL1, 3, 0, 0, 7, 0)      \
    X(ID_AA64MMFR1_EL1, 3, 0, 0, 7, 1)      \
    X(ID_AA64MMFR2_EL1, 3, 0, 0, 7, 2)      \
    X(CTR_EL0, 3, 3, 0, 0, 1)               \
    X(DCZID_EL0, 3, 3, 0, 0, 7)             \
    X(NZCV, 3, 3, 4, 2, 0)                  \
    X(FPCR, 3, 3, 4, 4, 0)                  \
    X(FPSR, 3, 3, 4, 4, 1)                  \
    X(TPIDR_EL0, 3, 3, 13, 0, 2)            \
    X(TPIDRRO_EL0, 3, 3, 13, 0, 3)          \
    X(CNTFRQ_EL0, 3, 3, 14, 0, 0)           \
    X(CNTVCT_EL0, 3, 3, 14, 0, 2)           \
    X(CNTVCTSS_EL0, 3, 3, 14, 0, 6)

enum A64Sysreg {
#define A64_SYSREG_ENUM_(name, op0, op1, crn, crm, op2) \
    A64_SYSREG_##name = A64_SYSREG(op0, op1, crn, crm, op2),
    A64_SYSREGS(A64_SYSREG_ENUM_)
#undef A64_SYSREG_ENUM_
};

#define A64_SYS_OP(op1, crn, crm, op2) \
    ((uint32_t)((op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))

/* The SYS operations EL0 may execute (DC and IC by virtual address). */
#define A64_SYS_DC_ZVA A64_SYS_OP(3, 7, 4, 1)    /* zero a DCZID-sized block */
#define A64_SYS_DC_CVAC A64_SYS_OP(3, 7, 10, 1)  /* clean to PoC */
#define A64_SYS_DC_CVAU A64_SYS_OP(3, 7, 11, 1)  /* clean to PoU */
#define A64_SYS_DC_CVAP A64_SYS_OP(3, 7, 12, 1)  /* clean to PoP */
#define A64_SYS_DC_CIVAC A64_SYS_OP(3, 7, 14, 1) /* clean+invalidate to PoC */
#define A64_SYS_IC_IVAU A64_SYS_OP(3, 7, 5, 1)   /* invalidate I-cache to PoU */

/* Values the guest reads (what a Linux kernel shows on a Neoverse-N1-like
 * machine with only FP and AdvSIMD exposed; see dbt_rt_read_sysreg). */
#define A64_CNTFRQ_HZ 100000000ull   /* 100 MHz generic timer */
#define A64_DCZID_VALUE 0x4ull       /* BS=4: 64-byte DC ZVA blocks, DZP=0 */
#define A64_DCZ_BLOCK 64u            /* bytes zeroed by one DC ZVA */
#define A64_CTR_VALUE 0x8444c004ull  /* 64-byte I and D lines, PIPT I-cache */
#define A64_MIDR_VALUE 0x413fd0c1ull /* Arm Neoverse N1 r3p1 */
#define A64_MPIDR_VALUE 0x80000000ull
#define A64_ID_AA64PFR0_VALUE 0x11ull /* EL0, EL1: AArch64; FP, AdvSIMD: 0 = present */

#endif
