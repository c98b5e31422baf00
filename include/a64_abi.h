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
 * This header is shared with the lifter (both use include/), which needs the
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
#define A64_HWCAP_ATOMICS (1ull << 8)  /* LSE atomics: difftest class lse, e2e atomics_lse */
#define A64_HWCAP_CPUID (1ull << 11)   /* MRS of ID registers (not advertised) */

#define A64_HWCAP_ADVERTISED (A64_HWCAP_FP | A64_HWCAP_ASIMD | A64_HWCAP_ATOMICS)
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

/* Default actions (the kernel's sig_kernel_* classes). */
enum A64SigDefault {
    A64_SIGDFL_TERM,   /* terminate */
    A64_SIGDFL_CORE,   /* terminate with a core dump */
    A64_SIGDFL_IGN,    /* discard */
    A64_SIGDFL_STOP,   /* stop the process */
    A64_SIGDFL_CONT,   /* continue a stopped process, else discard */
};

/* X(name, number, default action): signals 1-31.  32-64 (SIGRTMIN..
 * SIGRTMAX for the kernel; glibc keeps 32-34 for itself) terminate. */
#define A64_SIGNALS(X)                \
    X(SIGHUP, 1, TERM)                \
    X(SIGINT, 2, TERM)                \
    X(SIGQUIT, 3, CORE)               \
    X(SIGILL, 4, CORE)                \
    X(SIGTRAP, 5, CORE)               \
    X(SIGABRT, 6, CORE)               \
    X(SIGBUS, 7, CORE)                \
    X(SIGFPE, 8, CORE)                \
    X(SIGKILL, 9, TERM)               \
    X(SIGUSR1, 10, TERM)              \
    X(SIGSEGV, 11, CORE)              \
    X(SIGUSR2, 12, TERM)              \
    X(SIGPIPE, 13, TERM)              \
    X(SIGALRM, 14, TERM)              \
    X(SIGTERM, 15, TERM)              \
    X(SIGSTKFLT, 16, TERM)            \
    X(SIGCHLD, 17, IGN)               \
    X(SIGCONT, 18, CONT)              \
    X(SIGSTOP, 19, STOP)              \
    X(SIGTSTP, 20, STOP)              \
    X(SIGTTIN, 21, STOP)              \
    X(SIGTTOU, 22, STOP)              \
    X(SIGURG, 23, IGN)                \
    X(SIGXCPU, 24, CORE)              \
    X(SIGXFSZ, 25, CORE)              \
    X(SIGVTALRM, 26, TERM)            \
    X(SIGPROF, 27, TERM)              \
    X(SIGWINCH, 28, IGN)              \
    X(SIGIO, 29, TERM)                \
    X(SIGPWR, 30, TERM)               \
    X(SIGSYS, 31, CORE)

enum A64Signal {
#define A64_SIGNAL_ENUM_(name, nr, dfl) A64_##name = nr,
    A64_SIGNALS(A64_SIGNAL_ENUM_)
#undef A64_SIGNAL_ENUM_
};

/* A sigset_t as the kernel passes it: one 64-bit word, bit (sig - 1). */
#define A64_SIGSET_SIZE 8u
static inline uint64_t a64_sigbit(int sig) { return 1ull << (sig - 1); }
/* Nobody can block, catch or ignore these two. */
#define A64_SIG_UNBLOCKABLE (a64_sigbit(A64_SIGKILL) | a64_sigbit(A64_SIGSTOP))

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

/* sigprocmask `how` (asm-generic). */
#define A64_SIG_BLOCK 0
#define A64_SIG_UNBLOCK 1
#define A64_SIG_SETMASK 2

/* si_code values the runtime generates itself. */
#define A64_SI_USER 0
#define A64_SI_KERNEL 0x80
#define A64_SI_TKILL (-6)
#define A64_ILL_ILLOPC 1      /* SIGILL: illegal opcode */
#define A64_TRAP_BRKPT 1      /* SIGTRAP: process breakpoint */
#define A64_SEGV_MAPERR 1     /* SIGSEGV: address not mapped */

/*
 * siginfo_t (asm-generic/siginfo.h): 128 bytes; the union starts at 16 on
 * every 64-bit ABI, so x86-64's siginfo_t is the same bytes and a host
 * siginfo is handed to the guest unchanged.
 */
struct a64_siginfo {
    int32_t si_signo;        /* signal number */
    int32_t si_errno;        /* errno value (usually 0) */
    int32_t si_code;         /* A64_SI_*, or a per-signal code (> 0: sent by the kernel) */
    int32_t pad;             /* (padding: the union is 8-byte aligned) */
    union {
        uint8_t raw[112];    /* the whole union */
        struct {
            int32_t pid;     /* sender's pid (kill, tgkill, sigqueue) */
            uint32_t uid;    /* sender's real uid */
        } kill;
        struct {
            uint64_t addr;   /* faulting instruction or data address */
        } fault;
    } u;
};
_Static_assert(sizeof(struct a64_siginfo) == 128, "a64_siginfo size");
_Static_assert(offsetof(struct a64_siginfo, u) == 16, "a64_siginfo union");

/*
 * The signal frame the arm64 kernel pushes (arch/arm64/kernel/signal.c,
 * uapi asm/sigcontext.h, asm/ucontext.h).  The handler gets x0 = signo,
 * x1 = &info, x2 = &uc (x1/x2 only with SA_SIGINFO), sp = the frame,
 * x29 = the frame record, x30 = the return trampoline:
 *
 *   higher    interrupted sp (or the top of the sigaltstack)
 *             (align down 16)
 *             struct a64_frame_record {x29, x30}   <- x29 (for unwinders)
 *             (align down 16)
 *             struct a64_rt_sigframe                <- sp
 *               info          128  siginfo (written only with SA_SIGINFO)
 *               uc            4560
 *                 uc_flags, uc_link, uc_stack, uc_sigmask (8 + 120 unused:
 *                 glibc's 1024-bit sigset_t), then at uc+176:
 *                 uc_mcontext: fault_address, regs[31], sp, pc, pstate,
 *                   __reserved[4096] (16-aligned), a list of records:
 *                     fpsimd_context  magic 0x46508001, 528 bytes
 *                     (esr_context    magic 0x45535201, 16 bytes: faults)
 *                     {0, 0}          terminator
 *   lower
 *
 * pstate holds NZCV in bits 31:28 (everything else is 0 at EL0 here).
 */
#define A64_FPSIMD_MAGIC 0x46508001u
#define A64_ESR_MAGIC 0x45535201u
#define A64_SIGCONTEXT_RESERVED 4096u

struct a64_ctx_head {
    uint32_t magic;          /* record type, 0 = end of the list */
    uint32_t size;           /* record size in bytes, header included */
};

struct a64_fpsimd_context {
    struct a64_ctx_head head;        /* A64_FPSIMD_MAGIC, 528 */
    uint32_t fpsr;                   /* FPSR */
    uint32_t fpcr;                   /* FPCR */
    _Alignas(16) uint8_t vregs[32 * 16]; /* V0-V31 (__uint128_t each), little endian */
};
_Static_assert(sizeof(struct a64_fpsimd_context) == 528, "fpsimd_context size");
_Static_assert(offsetof(struct a64_fpsimd_context, vregs) == 16, "fpsimd_context vregs");

struct a64_esr_context {
    struct a64_ctx_head head;        /* A64_ESR_MAGIC, 16 */
    uint64_t esr;                    /* ESR_EL1 of the fault */
};
_Static_assert(sizeof(struct a64_esr_context) == 16, "esr_context size");

struct a64_sigcontext {
    uint64_t fault_address;          /* FAR for data aborts, else 0 */
    uint64_t regs[31];               /* X0-X30 */
    uint64_t sp;                     /* SP */
    uint64_t pc;                     /* PC to resume at */
    uint64_t pstate;                 /* NZCV in 31:28 */
    _Alignas(16) uint8_t reserved[A64_SIGCONTEXT_RESERVED]; /* records, see above */
};
_Static_assert(offsetof(struct a64_sigcontext, regs) == 8, "sigcontext regs");
_Static_assert(offsetof(struct a64_sigcontext, sp) == 256, "sigcontext sp");
_Static_assert(offsetof(struct a64_sigcontext, pc) == 264, "sigcontext pc");
_Static_assert(offsetof(struct a64_sigcontext, pstate) == 272, "sigcontext pstate");
_Static_assert(offsetof(struct a64_sigcontext, reserved) == 288, "sigcontext __reserved");
_Static_assert(sizeof(struct a64_sigcontext) == 4384, "sigcontext size");

struct a64_ucontext {
    uint64_t uc_flags;               /* 0 */
    uint64_t uc_link;                /* NULL */
    struct a64_stack uc_stack;       /* the sigaltstack at delivery */
    uint64_t uc_sigmask;             /* mask to restore on sigreturn */
    uint8_t unused[128 - A64_SIGSET_SIZE]; /* rest of glibc's 1024-bit sigset_t */
    struct a64_sigcontext uc_mcontext; /* the interrupted registers */
};
_Static_assert(offsetof(struct a64_ucontext, uc_stack) == 16, "ucontext uc_stack");
_Static_assert(offsetof(struct a64_ucontext, uc_sigmask) == 40, "ucontext uc_sigmask");
_Static_assert(offsetof(struct a64_ucontext, uc_mcontext) == 176, "ucontext uc_mcontext");
_Static_assert(sizeof(struct a64_ucontext) == 4560, "ucontext size");

struct a64_rt_sigframe {
    struct a64_siginfo info;         /* x1 points here */
    struct a64_ucontext uc;          /* x2 points here; sigreturn reads it at sp */
};
_Static_assert(offsetof(struct a64_rt_sigframe, uc) == 128, "rt_sigframe uc");
_Static_assert(sizeof(struct a64_rt_sigframe) == 4688, "rt_sigframe size");

/* The AAPCS64 frame record above the frame: lets unwinders walk from the
 * handler into the interrupted code. */
struct a64_frame_record {
    uint64_t fp;                     /* interrupted x29 */
    uint64_t lr;                     /* interrupted x30 */
};

/* The vDSO's __kernel_rt_sigreturn, the default return trampoline
 * (libgcc's unwinder recognizes a signal frame by these two words). */
#define A64_INSN_MOV_X8_139 0xd2801168u  /* movz x8, #139 (__NR_rt_sigreturn) */
#define A64_INSN_SVC_0 0xd4000001u       /* svc #0 */
#define A64_NR_RT_SIGRETURN 139

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
/* Atomic (bits 23:20) = 2: the LSE atomics, as HWCAP_ATOMICS says; no
 * AES, SHA, CRC32, RDM, dot product, ... */
#define A64_ID_AA64ISAR0_VALUE (2ull << 20)
_Static_assert(((A64_ID_AA64ISAR0_VALUE >> 20 & 0xf) >= 2) == ((A64_HWCAP_ADVERTISED & A64_HWCAP_ATOMICS) != 0),
               "ID_AA64ISAR0_EL1.Atomic and HWCAP_ATOMICS disagree");

#endif
