/*
 * runtime.h - the runtime's internal interfaces.
 *
 * The runtime is linked into every translated program.  Host glibc's crt
 * calls our main(), which turns the x86-64 process into the AArch64 process
 * the guest expects and then runs the translated code:
 *
 *   main (start.c)
 *     rt_log_init      DBT_LOG=syscall,trap,load,signal,dispatch,jit,all
 *     cpu_check        the x86-64 level the code was compiled for
 *     mem_host_init    remember the host's own mappings (guest keeps out)
 *     loader_load      map the embedded guest ELF at its addresses, set brk
 *     sig_init         inherited signal dispositions and mask, sigreturn page
 *     stack_build      the initial stack: argc, argv, envp, auxv
 *     dispatch_run     switch to a big host stack, loop: lookup pc, call
 *
 * Address space (identity mapping: a guest address is a host address):
 *
 *   0x0000000000400000   guest image (typical static AArch64 ELF)
 *          ...           guest brk heap, right after the image
 *   0x0000200000000000   this program: runtime + translated code + meta,
 *          ...           then the host's malloc heap (reserved window)
 *   0x00007f..........   host libc/ld.so, guest mmaps, guest stack, host
 *                        dispatch stack, host stack, the guest-visible
 *                        sigreturn trampoline page (a host range)
 *
 * The guest may not map, unmap or protect anything the runtime recorded as
 * a host range (Runtime.host); everything else is the guest's.
 *
 * One Runtime per process, one Thread per guest thread (thread.c: a host
 * thread each); CpuState.thread points at the Thread, the Thread at the
 * Runtime.
 * Host-specific code is in host_x86_64*.c (system calls, stack switch,
 * MXCSR, CPU levels); the rest is written against host_x86_64.h.
 * Functions follow module_verb naming and return 0/value or -errno.
 * Start-up code reports unrecoverable problems with rt_fatal (one line,
 * exit status 127, like a loader that cannot run a program).
 */
#ifndef DBT_RUNTIME_H
#define DBT_RUNTIME_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "a64_abi.h"
#include "cpu_state.h"
#include "meta.h"

/* The host: raw system calls, signal contexts, stack switching. */
#include "host_x86_64.h"

/* Written by the offline tool into the output ELF. */
extern const DbtMeta dbt_meta __attribute__((visibility("hidden")));

/* ------------------------------------------------------------------------
 * Logging (log.c)
 * ------------------------------------------------------------------------ */

/* X(flag, name): DBT_LOG categories, one bit each. */
#define LOG_CATEGORIES(X)                                                     \
    X(LOG_SYSCALL, "syscall")   /* every system call and its result */        \
    X(LOG_TRAP, "trap")         /* SIGILL/SIGTRAP causes, unknown sysregs */  \
    X(LOG_LOAD, "load")         /* segments, brk, stack, entry point */       \
    X(LOG_SIGNAL, "signal")     /* guest signal dispositions */               \
    X(LOG_DISPATCH, "dispatch") /* every dispatcher lookup (very verbose) */ \
    X(LOG_JIT, "jit")           /* JIT compiles: guest pc, size, time */      \
    X(LOG_UNIMPL, "unimpl")     /* unimplemented system calls, once each */ \
    X(LOG_BIND, "bind")         /* which host-library bindings are on */

enum LogCategory {
#define LOG_BIT_(flag, name) flag##_BIT,
    LOG_CATEGORIES(LOG_BIT_)
#undef LOG_BIT_
    LOG_NCATEGORIES
};
enum {
#define LOG_FLAG_(flag, name) flag = 1u << flag##_BIT,
    LOG_CATEGORIES(LOG_FLAG_)
#undef LOG_FLAG_
    LOG_ALL = (1u << LOG_NCATEGORIES) - 1
};

/* ------------------------------------------------------------------------
 * The process-wide state
 * ------------------------------------------------------------------------ */

#define RT_MAX_HOST_RANGES 64
#define RT_AUXV_ENTRIES 20   /* pairs in the guest's auxv, AT_NULL included (stack.c) */

/* A half-open address range [lo, hi). */
typedef struct AddrRange {
    uint64_t lo;   /* first byte */
    uint64_t hi;   /* one past the last byte */
} AddrRange;

/* What the loader learned about the guest image. */
typedef struct GuestImage {
    uint64_t lo, hi;    /* page-rounded extent of all PT_LOAD segments */
    uint64_t entry;     /* e_entry + load_bias */
    uint64_t start;     /* where the guest starts: entry, or the interpreter's entry */
    uint64_t base;      /* AT_BASE: the interpreter's load bias, or 0 */
    uint64_t phdr;      /* guest address of the program headers (AT_PHDR) */
    uint64_t phent;     /* size of one program header (AT_PHENT) */
    uint64_t phnum;     /* number of program headers (AT_PHNUM) */
} GuestImage;

/* The PROT_NONE page below the main thread's guest stack (stack.c). */
#define STACK_GUARD_SIZE A64_PAGE_SIZE

typedef struct Runtime {
    const DbtMeta *meta;           /* the tool's metadata (dbt_meta) */
    uint32_t log_mask;             /* LOG_* bits from DBT_LOG */
    int nhost;                     /* entries used in host[] */
    AddrRange host[RT_MAX_HOST_RANGES]; /* host memory the guest must not touch */
    GuestImage image;              /* the mapped guest ELF */
    uint64_t brk_start;            /* initial program break (page aligned) */
    uint64_t brk_cur;              /* current break; pages mapped up to page_up(brk_cur) */
    uint64_t stack_lo, stack_hi;   /* guest stack mapping, guard page (STACK_GUARD_SIZE) excluded */
    struct a64_sigaction sigact[A64_NSIG + 1]; /* guest dispositions, by signal number */
    uint64_t sig_tramp;            /* guest address of the rt_sigreturn trampoline page */
    uint64_t sig_initial_blocked;  /* signal mask inherited from the parent (sig_init) */
    struct JitHost *jit;           /* the JIT fallback, NULL until the first miss (jit_host.c) */
    uint64_t auxv[RT_AUXV_ENTRIES][2]; /* the guest's auxv as built (stack.c), for /proc/self/auxv */
} Runtime;

/* The signal state of one guest thread (signal.c). */
typedef struct SigThread {
    uint64_t blocked;          /* the guest's blocked mask, bit sig-1 */
    uint64_t pending;          /* caught by the host handler, not yet delivered (atomic) */
    uint64_t suspend_saved;    /* mask to restore after rt_sigsuspend ... */
    int suspend_active;        /* ... if set: the next frame saves it */
    struct a64_siginfo info[A64_NSIG + 1]; /* siginfo of each pending signal */
} SigThread;

/* Per guest thread (thread.c). */
typedef struct Thread {
    Runtime *rt;        /* the process */
    CpuState *cpu;      /* this thread's registers */
    SigThread sig;      /* blocked and pending signals */
    unsigned nested;    /* signal handlers running nested (dispatch_signal_handlers) */
    int tid;            /* the host thread's id, which the guest sees */
    uint64_t clear_tid; /* set_tid_address / CLONE_CHILD_CLEARTID: zeroed and woken at exit */
    uint64_t robust_head, robust_len; /* set_robust_list */
    jmp_buf *exit_env;  /* sys_exit returns to thread_main here; NULL: the first thread */
    sigjmp_buf *fault_env; /* armed while a system call handler runs: a host fault -> EFAULT */
    uint64_t fault_addr;   /* the address of that fault, for the log */
    sigjmp_buf *loop_env;  /* the innermost dispatcher loop: a fault in guest code lands there */
    struct {
        int sig, code;          /* host SIGSEGV/SIGBUS and its si_code */
        uint64_t addr, host_pc; /* si_addr, and the translated code's pc */
        uint64_t guest_pc;      /* the guest function reported (sig_host_fault) */
        uint64_t bound_pc;      /* CpuState.bound_pc then: a fault in a bound
                                   function's host code (lifter/bind.c) */
    } fault;                    /* set by the host handler before it jumps to loop_env */
    uint64_t imprecise_frame; /* the frame of the last fault delivered: no sigreturn into it */
    uint8_t vfork_child;      /* a vfork child: its memory is the parent's (thread.c) */
    uint64_t frame_below;     /* nonzero: the next signal frame goes below this address
                                 (a fault handled in place: dispatch_fault_in_place) */
    struct a64_stack altstack; /* sigaltstack: per thread, none in a new thread */
} Thread;

#define ARRAY_LEN(a) ((unsigned)(sizeof(a) / sizeof((a)[0])))

static inline Runtime *rt_of(const CpuState *s) { return ((Thread *)s->thread)->rt; }

static inline uint64_t page_down(uint64_t x) { return x & ~(uint64_t)(A64_PAGE_SIZE - 1); }
static inline uint64_t page_up(uint64_t x) { return page_down(x + A64_PAGE_SIZE - 1); }

/* ------------------------------------------------------------------------
 * Module entry points
 * ------------------------------------------------------------------------ */

/* log.c */
void rt_log_init(Runtime *rt, const char *spec);
/* bind.c: the host-library bindings DBT_BIND=SPEC leaves on. */
void bind_init(const Runtime *rt, const char *spec);
void rt_log(const Runtime *rt, unsigned category, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rt_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* always printed */
_Noreturn void rt_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int rt_log_on(const Runtime *rt, unsigned category)
{
    return (rt->log_mask & category) != 0;
}

/* host_x86_64_cpu.c: 0 if the CPU supports x86-64 level `level` (1-4), else
 * -ENOTSUP with the missing features' names written to missing[]. */
int cpu_check(unsigned level, char *missing, unsigned size);

/* loader.c: maps the guest image (and its interpreter) and sets up brk;
 * fatal on failure. */
void loader_load(Runtime *rt);
/* The embedded shared object the guest knows as PATH, or NULL. */
const DbtObject *loader_find_object(const Runtime *rt, const char *path);

/* stack.c: builds the initial guest stack; returns the guest sp. */
uint64_t stack_build(Runtime *rt, int argc, char **argv, char **envp);

/* The hooks the lifted code calls (names in cpu_state.h). */
GuestFn dbt_rt_lookup(CpuState *s, uint64_t pc);               /* dispatch.c */
GuestFn dbt_rt_lookup_entry(CpuState *s, uint64_t pc);         /* dispatch.c */
void dbt_rt_syscall(CpuState *s);                              /* syscall.c */
void dbt_rt_trap(CpuState *s, uint32_t kind, uint32_t insn);   /* dispatch.c */
void dbt_rt_cache_op(CpuState *s, uint32_t op, uint64_t addr); /* dispatch.c */
uint64_t dbt_rt_read_sysreg(CpuState *s, uint32_t sysreg);     /* dispatch.c */
uint32_t dbt_rt_safepoint(CpuState *s);                        /* dispatch.c */

/* profile.c: DBT_PROFILE=FILE samples where the time goes, written at exit. */
/* sys_proc.c: /proc/self/auxv and maps as the guest sees them; for any
 * other path PROC_NOT_OURS (the host's file is opened). */
#define PROC_NOT_OURS INT64_MIN
int64_t proc_open(Runtime *rt, uint64_t path, uint64_t host_flags);
/* A memfd holding LEN bytes of DATA, read from the start (O_CLOEXEC in
 * HOST_FLAGS: close-on-exec); or -errno. */
int64_t proc_memfd(const char *name, const void *data, size_t len, uint64_t host_flags);

/* sys_objects.c: the embedded shared objects, for the guest's ld.so. */
#define RT_MAX_OBJECTS 256
int64_t objects_open(Runtime *rt, uint64_t path, uint64_t host_flags); /* fd, or PROC_NOT_OURS */
/* For a guest mmap(0, LEN, PROT, FLAGS, FD, 0): the base the object ld.so
 * is mapping was translated for, or 0 (sys_objects.c). */
uint64_t objects_mmap_base(Runtime *rt, int fd, uint64_t len, uint64_t prot, uint64_t flags);
void objects_init(Runtime *rt);   /* start-up, after the loader */
int objects_in_library(const DbtMeta *m, uint64_t pc); /* in an embedded library's range? */
/* [lo, hi) was mapped (AT_BASE: an embedded library at its base) or
 * unmapped (0): which libraries' translations are in use. */
void objects_mapped(Runtime *rt, uint64_t lo, uint64_t hi, int at_base);
/* An executable MAP_FIXED guest mapping of FD (-1: anonymous): pages of
 * another file, or anonymous ones, over a live library take its
 * translation out of use. */
void objects_fixed_map(Runtime *rt, uint64_t lo, uint64_t hi, int fd);
int objects_pc_live(uint64_t pc); /* may the table's code for PC run? (some library is not live) */
extern uint64_t objects_ndead __attribute__((visibility("hidden")));
/* The dispatcher's check, one load while every library is live. */
static inline int objects_pc_usable(uint64_t pc)
{
    return __atomic_load_n(&objects_ndead, __ATOMIC_ACQUIRE) == 0 || objects_pc_live(pc);
}

/* codemap.c: host pc of translated code -> its guest function. */
typedef struct CodeMapFn {
    uint64_t host;    /* the function's code */
    uint64_t guest;   /* its guest entry */
} CodeMapFn;
typedef struct CodeMap {
    CodeMapFn *fns;   /* sorted by host address */
    size_t n;
    CodeMapFn *pcs;   /* guest memory accesses (meta.h: DBT_PCMAP_SECTION): host pc and
                         guest pc of each, sorted by host pc */
    size_t npcs;
} CodeMap;
int codemap_build(CodeMap *m, const DbtMeta *meta);   /* -1: out of memory */
int codemap_in_code(uint64_t host_pc);                /* in the output's translated code? */
/* More translated code: a library's shared object (shared_libs.c). */
void codemap_add_code(const char *lo, const char *hi, const char *pcmap, const char *pcmap_end);

/* shared_libs.c: at start-up, the libraries translated into shared objects
 * of their own (dbt-aot --shared-libs) are loaded and rt->meta becomes a
 * copy with their files and functions merged in; fatal if one is missing. */
void shared_libs_load(Runtime *rt);
long codemap_find(const CodeMap *m, uint64_t host_pc); /* index in m->fns, or -1 */
uint64_t codemap_access_pc(const CodeMap *m, uint64_t host_pc); /* guest pc of the access, or 0 */

void profile_start(Runtime *rt); /* DBT_PROFILE and DBT_STATS */

/* profile.c: DBT_STATS=1 counts the runtime's events and prints them to
 * stderr at exit (docs/benchmarks.md).  Off, a count is one predictable
 * branch. */
enum RtStat {
    ST_LOOP,          /* dispatcher loop iterations: translated code left to the loop */
    ST_LOOKUP,        /* dbt_rt_lookup: the loop's, and the indirect-branch cache's misses */
    ST_LOOKUP_ENTRY,  /* dbt_rt_lookup_entry: BRs that leave the frame */
    ST_ICACHE_FLUSH,  /* indirect-branch caches emptied (code unmapped or changed) */
    ST_JIT_HIT,       /* lookups the JIT's cache answered */
    ST_JIT_COMPILE,   /* JIT translations made */
    ST_JIT_NS,        /* ... and the nanoseconds they took */
    ST_SAFEPOINT,     /* safe points that saw a signal waiting */
    ST_SYSCALL,       /* system calls */
    ST_NSTATS
};
extern int rt_stats_on __attribute__((visibility("hidden")));
extern uint64_t rt_stats[ST_NSTATS] __attribute__((visibility("hidden")));
static inline void rt_stat(enum RtStat k, uint64_t n)
{
    if (__builtin_expect(rt_stats_on, 0))
        __atomic_fetch_add(&rt_stats[k], n, __ATOMIC_RELAXED);
}
/* At exit: the profile file and the DBT_STATS lines (none in a vfork
 * child: they are the parent's). */
void rt_exit_reports(void);

/* dispatch.c: the threads' indirect-branch caches (cpu_state.h). */
int icache_attach(CpuState *s);   /* s->icache: a new, empty cache; -1: out of memory */
void icache_detach(CpuState *s);  /* a thread's exit */
void icache_flush_all(void);      /* every thread's: translations went out of use */
void icache_lock(void);           /* held across fork (after jit_lock and mem_lock) */
void icache_unlock(void);

/* dispatch.c */
_Noreturn void dispatch_run(Runtime *rt, uint64_t sp, uint64_t pc);
_Noreturn void dispatch_thread_loop(CpuState *s);  /* a new thread's dispatcher loop */
int dispatch_is_translated(uint64_t pc);   /* in the output's static table */
/* Deliver the pending signals and run their handlers here, nested: 1 if
 * they returned through sigreturn to the interrupted state (s as restored
 * from the frame), 0 if the guest left them another way or they were only
 * entered (s points at a handler): the caller's translated code must then
 * leave for the dispatcher. */
int dispatch_signal_handlers(CpuState *s);
/* Call the guest function at FN with the integer arguments ARGS[0..N-1]
 * (N <= 8) on this thread and return its X0: X30 and PC are restored after,
 * the callee keeps the callee-saved registers and SP by the AAPCS64, the
 * caller-saved ones are clobbered as by any call.  Signals are delivered
 * on the way.  A callee that leaves its frame another way (longjmp out of
 * a qsort comparator) sets *LEFT and returns at once: the caller must then
 * call dispatch_resume, abandoning the host frames between (bind.c's
 * callbacks). */
uint64_t dispatch_call_guest(CpuState *s, uint64_t fn, const uint64_t *args, unsigned n, bool *left);
/* Go on at s->pc in the thread's innermost dispatcher loop. */
_Noreturn void dispatch_resume(CpuState *s);
_Noreturn void rt_die_by_signal(int sig);

/* sys_mem.c: the host ranges and the guest program break. */
void mem_host_init(Runtime *rt);
int mem_host_add(Runtime *rt, uint64_t lo, uint64_t hi);
int mem_touches_host(const Runtime *rt, uint64_t addr, uint64_t len);
int mem_touches_host_locked(const Runtime *rt, uint64_t addr, uint64_t len);
/* FN(lo, hi, ARG) for each mapping in /proc/self/maps; -errno without /proc. */
int proc_maps_each(void (*fn)(uint64_t lo, uint64_t hi, void *arg), void *arg);
void mem_brk_init(Runtime *rt, uint64_t start);
void mem_lock(void);     /* the break and the host ranges; held across fork */
void mem_unlock(void);

/* guest_mem.c: the guest's own memory, and the check of the pointers it
 * passes to system calls (0, or -EFAULT for memory that is the runtime's). */
void guest_mem_add(uint64_t lo, uint64_t hi);      /* mapped for the guest */
void guest_mem_remove(uint64_t lo, uint64_t hi);   /* unmapped */
void guest_mem_add_locked(uint64_t lo, uint64_t hi);    /* with mem_lock held */
void guest_mem_remove_locked(uint64_t lo, uint64_t hi);
int guest_mem_check(const Runtime *rt, uint64_t addr, uint64_t len);
/* SPEC: the pointer column of syscall_table.h for a call with arguments A. */
int guest_mem_check_args(const Runtime *rt, const char *spec, const uint64_t *a);

/* thread.c */
void thread_init_main(Thread *t);
/* A host thread the guest did not create runs guest code (a host library
 * calls a guest callback): a guest thread of its own, like LIKE's registers
 * and TLS; NULL when out of memory.  thread_unadopt when it ends. */
CpuState *thread_adopt(const CpuState *like);
void thread_unadopt(CpuState *c);

/* exec.c: at start-up, before loader_load: DBT_EXEC_GUEST=PATH (set by
 * execve of another AArch64 program) replaces the embedded guest, run
 * through the JIT; the variable is removed from envp. */
void exec_setup(Runtime *rt, char **envp);
const char *exec_guest_path(void);   /* that PATH, or NULL: the embedded guest runs */
/* The interpreter INTERP of a program run through the JIT, when this
 * output does not embed it: mapped from DBT_SYSROOT or the host's file
 * system (*image, *size); 0, or -errno. */
int exec_interp_file(const char *interp, const uint8_t **image, uint64_t *size);

/* signal.c: guest signal delivery. */
void sig_init(Runtime *rt);                  /* start-up: dispositions, mask, trampoline */
void sig_thread_start(Thread *t);            /* on the thread, before guest code runs */
void sig_set_current(Thread *t);             /* the host thread now runs T (vfork child) */
Thread *sig_current(void);                   /* the guest thread this host thread runs, or NULL */
void sig_thread_end(Thread *t);              /* on the thread, after its guest code ran */
void sig_block_all(Thread *t);               /* host and guest: nothing is delivered */
void sig_host_fault(CpuState *s);            /* after a fault in guest code reached loop_env */
uint64_t sig_fault_frame(CpuState *s);       /* push the frame of Thread.fault; 0: no handler entered */
/* dispatch.c: run the guest's handler of a fault in translated code on top
 * of the faulting host frames; 1: it returned, state unchanged (retry). */
int dispatch_fault_in_place(CpuState *s, uint64_t frame_below);
void sig_fault_returned(Thread *t);          /* after a fault caught in a system call */
int sig_deliver_pending(CpuState *s, uint64_t *outer_frame); /* point s at their handlers; 1 if
                                              any (*outer_frame: the first frame pushed) */
void sig_trap(CpuState *s, int sig, int code); /* synchronous signal at s->pc */
int sig_restarts_call(const CpuState *s);    /* the next handler has SA_RESTART, or none runs */
void sig_set_blocked(Thread *t, uint64_t mask); /* guest mask, mirrored to the host */
uint64_t sig_host_mask(uint64_t guest_mask);  /* the host's mirror of a guest mask */
int sig_set_host_action(Runtime *rt, int sig); /* host disposition for sigact[sig] */
int sig_take_pending(Thread *t, uint64_t set, struct a64_siginfo *info); /* 0: none */
int64_t sig_return(CpuState *s);             /* rt_sigreturn from the frame at sp */
GuestFn sig_lookup_runtime(const Runtime *rt, uint64_t pc); /* trampoline page, or NULL */
void sig_get_altstack(const Thread *t, uint64_t sp, struct a64_stack *out); /* as reported */
int sig_set_altstack(Thread *t, const struct a64_stack *ss, uint64_t sp); /* 0 or -errno */
const char *sig_name(int sig);

/* signal_frame.c: the AArch64 rt_sigframe. */
uint64_t sigframe_setup_tramp(Runtime *rt);  /* map the trampoline page */
uint64_t sigframe_push(CpuState *s, int sig, const struct a64_siginfo *info,
                       const struct a64_sigaction *act, uint64_t saved_mask);
int sigframe_pop(CpuState *s, uint64_t *mask, struct a64_stack *uc_stack); /* 0 or -EINVAL */

/* Work for sig_deliver_pending: a caught signal the guest does not block,
 * or a mask to put back after rt_sigsuspend.  Checked at every system
 * call, so it is one load and a test. */
static inline int sig_pending_work(const CpuState *s)
{
    const SigThread *st = &((const Thread *)s->thread)->sig;
    return (__atomic_load_n(&st->pending, __ATOMIC_ACQUIRE) & ~st->blocked) != 0 ||
           st->suspend_active;
}

/* ------------------------------------------------------------------------
 * System calls (syscall.c, sys_*.c)
 * ------------------------------------------------------------------------ */

#include "syscall_table.h"

/* Every handler: arguments a[0..5] are the guest's x0-x5. */
typedef int64_t (*SysHandler)(Runtime *rt, CpuState *s, const uint64_t *a);

#define SYS_PROTO_(nr, name, nargs, r, mem, handler) \
    int64_t handler(Runtime *rt, CpuState *s, const uint64_t *a);
#define SYS_NONE_(nr, name)
#define SYS_PASS_(nr, name, nargs, r, mem)
SYSCALL_TABLE(SYS_PROTO_, SYS_NONE_, SYS_PASS_)
#undef SYS_PROTO_
#undef SYS_NONE_
#undef SYS_PASS_

/* Bit-flag translation between guest and host values: one row per bit
 * (or per multi-bit field with identical encodings). */
typedef struct FlagMap {
    uint64_t guest;   /* guest bit(s) */
    uint64_t host;    /* host bit(s) */
} FlagMap;

/* Translate `v`; bits that no row names are dropped and returned in
 * *unknown (if not NULL). */
uint64_t flags_guest_to_host(const FlagMap *map, unsigned n, uint64_t v, uint64_t *unknown);
uint64_t flags_host_to_guest(const FlagMap *map, unsigned n, uint64_t v, uint64_t *unknown);

#endif
