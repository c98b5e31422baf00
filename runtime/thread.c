/*
 * thread.c - guest threads and processes: clone (threads, fork, vfork),
 * exit, set_tid_address, robust futex lists and futex.
 *
 * A guest thread is a host thread (pthread_create) with its own CpuState
 * and Thread, running its own dispatcher loop on its host stack.  Guest
 * and host share one address space (a guest address is a host address),
 * so a guest thread id is the host thread's id, and futex - whose words
 * the guest names by address - passes through to the host kernel with
 * every operation (wait/wake/requeue, bitsets, timeouts, PI), as do tkill
 * and tgkill.
 *
 * What the kernel does for a thread, the runtime does for the guest,
 * because the host thread's own copies belong to host glibc:
 *
 *   - CLONE_PARENT_SETTID / CLONE_CHILD_SETTID: the new thread writes its
 *     id before any guest code runs; the parent returns it only after that;
 *   - CLONE_CHILD_CLEARTID and set_tid_address: kept in the Thread; at
 *     guest thread exit the word is zeroed and futex-woken (pthread_join);
 *   - set_robust_list: kept in the Thread; at guest thread exit the list is
 *     walked as the kernel would (FUTEX_OWNER_DIED on the futexes the
 *     thread still holds, one waiter woken each);
 *   - exit: ends the guest thread only (the host thread longjmps out of
 *     its dispatcher loop and returns); when the last guest thread exits,
 *     the process exits with its status.  A guest main thread that exits
 *     first parks its host thread, signals blocked, until then.
 *
 * fork (clone without CLONE_VM) is the host's fork(): host glibc resets
 * its own state in the child (malloc locks, its thread list), the runtime
 * holds its own locks across it.  vfork and clone(CLONE_VM|CLONE_VFORK)
 * (posix_spawn) are the host's too (process_vfork): the child shares the
 * parent's memory and the parent waits until it execs or exits, so what
 * the child writes before its exec (posix_spawn's error report) the parent
 * sees.  The child runs on a host stack of its own with its own CpuState
 * and Thread, borrowing the suspended parent thread's host TLS.  A clone
 * with CLONE_VM but neither CLONE_THREAD nor CLONE_VFORK (a process
 * sharing memory) is refused with ENOSYS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime.h"
#include "fpenv.h"
#include "jit_host.h"

/* The guest's clone flags (asm-generic values, the same on x86-64). */
enum {
    A64_CLONE_VM = 0x00000100,
    A64_CLONE_FS = 0x00000200,
    A64_CLONE_FILES = 0x00000400,
    A64_CLONE_SIGHAND = 0x00000800,
    A64_CLONE_VFORK = 0x00004000,
    A64_CLONE_PARENT = 0x00008000,
    A64_CLONE_THREAD = 0x00010000,
    A64_CLONE_SYSVSEM = 0x00040000,
    A64_CLONE_SETTLS = 0x00080000,
    A64_CLONE_PARENT_SETTID = 0x00100000,
    A64_CLONE_CHILD_CLEARTID = 0x00200000,
    A64_CLONE_DETACHED = 0x00400000,
    A64_CLONE_CHILD_SETTID = 0x01000000,
};

/* What a pthread_create (glibc's, musl's) asks for; the flags of a thread
 * the runtime can make. */
#define THREAD_FLAGS                                                                     \
    (A64_CLONE_VM | A64_CLONE_FS | A64_CLONE_FILES | A64_CLONE_SIGHAND | A64_CLONE_THREAD | \
     A64_CLONE_SYSVSEM | A64_CLONE_SETTLS | A64_CLONE_PARENT_SETTID |                      \
     A64_CLONE_CHILD_CLEARTID | A64_CLONE_DETACHED | A64_CLONE_CHILD_SETTID)
/* A fork's: the exit signal in the low byte, and the tid words. */
#define FORK_FLAGS                                                                         \
    (0xff | A64_CLONE_VM | A64_CLONE_VFORK | A64_CLONE_SETTLS | A64_CLONE_PARENT_SETTID | \
     A64_CLONE_CHILD_CLEARTID | A64_CLONE_CHILD_SETTID)

/* The host stack of a guest thread: guest recursion nests translated
 * functions on it (dispatch.c gives the main thread 256 MiB). */
#define THREAD_HOST_STACK (64ull << 20)

static pthread_mutex_t process_lock = PTHREAD_MUTEX_INITIALIZER; /* nthreads, fork */
static unsigned nthreads = 1;          /* live guest threads */

static void store_tid(uint64_t addr, int tid)
{
    if (addr != 0)
        __atomic_store_n((int32_t *)addr, tid, __ATOMIC_RELEASE);
}

static void futex_wake(uint64_t addr, int n)
{
    host_syscall6(SYS_futex, addr, FUTEX_WAKE, (uint64_t)n, 0, 0, 0);
}

/* ---- thread exit ----------------------------------------------------------- */

/* struct robust_list_head: three 64-bit words on both ABIs. */
struct a64_robust_list_head {
    uint64_t next;             /* first entry; the head itself ends the list */
    int64_t futex_offset;      /* from an entry to its futex word */
    uint64_t list_op_pending;  /* an entry being added or removed */
};

/* One futex the exiting thread may still hold. */
static void robust_release_one(const Thread *t, uint64_t addr)
{
    if (guest_mem_check(t->rt, addr, 4) != 0)
        return;
    uint32_t *word = (uint32_t *)addr;
    uint32_t v = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    while ((v & FUTEX_TID_MASK) == (uint32_t)t->tid) {
        uint32_t nv = (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
        if (__atomic_compare_exchange_n(word, &v, nv, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            if (v & FUTEX_WAITERS)
                futex_wake(addr, 1);
            return;
        }
    }
}

/* What the kernel does at a thread's exit (exit_robust_list): every futex
 * on the list still owned by the thread gets FUTEX_OWNER_DIED, and one
 * waiter is woken; the entry being added or removed (list_op_pending)
 * last.  Bit 0 of an entry marks a PI futex.  Bounded like the kernel's
 * walk (ROBUST_LIST_LIMIT, linux/futex.h), so a circular list cannot hang
 * the exit. */
static void robust_list_release(const Thread *t)
{
    if (t->robust_head == 0 || guest_mem_check(t->rt, t->robust_head, sizeof(struct a64_robust_list_head)) != 0)
        return;
    const struct a64_robust_list_head *head = (const void *)t->robust_head;
    uint64_t entry = head->next & ~(uint64_t)1, pending = head->list_op_pending & ~(uint64_t)1;
    int64_t off = head->futex_offset;
    for (unsigned n = 0; entry != t->robust_head && entry != 0 && n < ROBUST_LIST_LIMIT; n++) {
        if (guest_mem_check(t->rt, entry, 8) != 0)
            break;
        uint64_t next = *(const uint64_t *)entry & ~(uint64_t)1;
        if (entry != pending)
            robust_release_one(t, entry + (uint64_t)off);
        entry = next;
    }
    if (pending != 0)
        robust_release_one(t, pending + (uint64_t)off);
}

/* The guest thread is done with its stack and its TLS: tell its joiner.
 * As in the kernel, a bad address in the robust list or the tid word
 * ends the walk or skips the store; the guard turns a fault into that. */
static void thread_release(Thread *t)
{
    sigjmp_buf env;
    if (sigsetjmp(env, 0) == 0) {
        t->fault_env = &env;
        robust_list_release(t);
        if (t->clear_tid != 0 && guest_mem_check(t->rt, t->clear_tid, 4) == 0)
            store_tid(t->clear_tid, 0);
    } else {
        sig_fault_returned(t);
    }
    t->fault_env = NULL;
    if (t->clear_tid != 0)
        futex_wake(t->clear_tid, 1);
}

/* exit(status): only this thread, unless it is the last one. */
int64_t sys_exit(Runtime *rt, CpuState *s, const uint64_t *a)
{
    Thread *t = s->thread;
    t->fault_env = NULL;   /* never returns to the system call */
    if (t->vfork_child)    /* its own process, the parent's memory: touch nothing */
        _exit((int)a[0]);
    rt_log(rt, LOG_SYSCALL, "syscall exit(%d) in thread %d", (int)a[0], t->tid);
    pthread_mutex_lock(&process_lock);
    unsigned left = --nthreads;
    pthread_mutex_unlock(&process_lock);
    if (left == 0) {
        rt_exit_reports();
        _exit((int)a[0]);
    }
    thread_release(t);
    if (t->exit_env != NULL)
        longjmp(*t->exit_env, 1); /* back to thread_main, which returns */
    /* The process's first thread: host glibc's main thread must stay (its
     * return would end the process), so it waits for the last exit. */
    sig_block_all(t);
    for (;;)
        pause();
}

int64_t sys_exit_group(Runtime *rt, CpuState *s, const uint64_t *a)
{
    rt_log(rt, LOG_SYSCALL, "syscall exit_group(%d)", (int)a[0]);
    rt_exit_reports();
    _exit((int)a[0]);
}

/* ---- thread creation ------------------------------------------------------- */

typedef struct ThreadStart {
    Thread *t;
    uint64_t flags, ptid, ctid;
    int tid;                   /* set by the new thread, futex-woken */
} ThreadStart;

static void *thread_main(void *arg)
{
    ThreadStart *st = arg;
    Thread *t = st->t;
    CpuState *s = t->cpu;
    uint64_t blocked = t->sig.blocked;
    sig_thread_start(t);
    sig_set_blocked(t, blocked);
    t->tid = (int)gettid();
    if (st->flags & A64_CLONE_PARENT_SETTID)
        store_tid(st->ptid, t->tid);
    if (st->flags & A64_CLONE_CHILD_SETTID)
        store_tid(st->ctid, t->tid);
    if (st->flags & A64_CLONE_CHILD_CLEARTID)
        t->clear_tid = st->ctid;
    /* The parent returns the id; st is its stack frame, gone after this. */
    __atomic_store_n(&st->tid, t->tid, __ATOMIC_RELEASE);
    futex_wake((uint64_t)&st->tid, 1);

    rt_fpenv_enter(s);
    jmp_buf env;
    if (setjmp(env) == 0) {
        t->exit_env = &env;
        dispatch_thread_loop(s);
    }
    /* sys_exit came back here: the guest thread is gone. */
    sig_thread_end(t);
    icache_detach(s);
    free(s);
    return NULL;
}

/* A CpuState (16-byte aligned) and its Thread share one block: the
 * CpuState's part. */
#define CPU_BLOCK ((sizeof(CpuState) + 15) & ~(size_t)15)

/* C and T as a new guest thread's: LIKE's registers (its TLS too) and its
 * thread's signal mask, an empty indirect-branch cache, no pending signal,
 * a clear exclusive monitor.  -1 when out of memory (nothing to undo). */
static int thread_state_init(CpuState *c, Thread *t, const CpuState *like)
{
    const Thread *from = like->thread;
    *c = *like;
    if (icache_attach(c) != 0)
        return -1;
    memset(t, 0, sizeof *t);
    t->rt = from->rt;
    t->cpu = c;
    t->sig.blocked = from->sig.blocked;
    c->thread = t;
    c->intr = 0;
    c->excl_size = 0;
    c->bound_pc = 0;
    return 0;
}

static int64_t thread_create(Runtime *rt, CpuState *s, const uint64_t *a)
{
    uint64_t flags = a[0], newsp = a[1], ptid = a[2], tls = a[3], ctid = a[4];
    if ((flags & ~THREAD_FLAGS) != 0 || !(flags & A64_CLONE_SIGHAND)) {
        rt_log(rt, LOG_SYSCALL, "clone: thread flags 0x%llx not supported", (unsigned long long)flags);
        return -EINVAL;
    }
    /* CpuState and Thread in one block, freed at exit. */
    uint8_t *mem = aligned_alloc(64, (CPU_BLOCK + sizeof(Thread) + 63) & ~(size_t)63);
    if (mem == NULL)
        return -ENOMEM;
    CpuState *c = (CpuState *)mem;
    Thread *t = (Thread *)(mem + CPU_BLOCK);
    if (thread_state_init(c, t, s) != 0) { /* the registers as the SVC left them, pc after it */
        free(mem);
        return -ENOMEM;
    }
    c->x[0] = 0;             /* the child's result */
    if (newsp != 0)
        c->sp = newsp;
    if (flags & A64_CLONE_SETTLS)
        c->tpidr_el0 = tls;

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, THREAD_HOST_STACK);
    ThreadStart st = {t, flags, ptid, ctid, 0};
    pthread_mutex_lock(&process_lock);
    nthreads++;
    pthread_mutex_unlock(&process_lock);
    pthread_t h;
    int err = pthread_create(&h, &attr, thread_main, &st);
    pthread_attr_destroy(&attr);
    if (err != 0) {
        pthread_mutex_lock(&process_lock);
        nthreads--;
        pthread_mutex_unlock(&process_lock);
        icache_detach(c);
        free(mem);
        return -err;
    }
    while (__atomic_load_n(&st.tid, __ATOMIC_ACQUIRE) == 0)
        host_syscall6(SYS_futex, (uint64_t)&st.tid, FUTEX_WAIT, 0, 0, 0, 0);
    rt_log(rt, LOG_SYSCALL, "clone: thread %d, sp 0x%llx, tls 0x%llx", st.tid,
           (unsigned long long)c->sp, (unsigned long long)c->tpidr_el0);
    return st.tid;
}

/* ---- host threads that run guest code ----------------------------------------- */

enum { ADOPTED_STACK = 1 << 20 };

static size_t adopted_size(void) { return ADOPTED_STACK + page_up(CPU_BLOCK + sizeof(Thread)); }

/* A guest thread for a host thread the guest never created (a host
 * library's worker calling a guest callback, runtime/bind.c): LIKE's
 * registers (its TLS too: there is no other), a stack of its own, this
 * thread's id; the host thread's signal mask is left alone, and the caller
 * makes it the current guest thread only while guest code runs (a signal
 * that arrives on this thread meanwhile is the guest's, others are not).
 * One mapping: the stack (1 MiB, growing down), then the CpuState and the
 * Thread.  NULL when out of memory. */
CpuState *thread_adopt(const CpuState *like)
{
    uint8_t *mem = mmap(NULL, adopted_size(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                        -1, 0);
    if (mem == MAP_FAILED)
        return NULL;
    CpuState *c = (CpuState *)(mem + ADOPTED_STACK);
    Thread *t = (Thread *)((uint8_t *)c + CPU_BLOCK);
    if (thread_state_init(c, t, like) != 0) {
        munmap(mem, adopted_size());
        return NULL;
    }
    t->tid = (int)gettid();
    c->sp = (uint64_t)c; /* the stack's top */
    rt_log(t->rt, LOG_BIND, "host thread %d calls a guest callback: it runs as a guest thread of its own (stack 0x%llx)",
           t->tid, (unsigned long long)c->sp);
    return c;
}

/* The host thread that adopted C ends (a pthread key's destructor). */
void thread_unadopt(CpuState *c)
{
    if (sig_current() == c->thread)
        sig_set_current(NULL);
    icache_detach(c);
    munmap((uint8_t *)c - ADOPTED_STACK, adopted_size());
}

/* ---- processes --------------------------------------------------------------- */

static int64_t process_fork(Runtime *rt, CpuState *s, const uint64_t *a)
{
    uint64_t flags = a[0], newsp = a[1], ptid = a[2], tls = a[3], ctid = a[4];
    int exit_signal = (int)(flags & 0xff);
    /* No other thread may hold a runtime lock in the child. */
    pthread_mutex_lock(&process_lock);
    jit_lock();
    mem_lock();
    icache_lock();
    pid_t pid;
    if (exit_signal == SIGCHLD)
        pid = fork();
    else   /* host glibc's fork always asks for SIGCHLD */
        pid = (pid_t)host_syscall6(SYS_clone, (uint64_t)exit_signal, 0, 0, 0, 0, 0);
    int err = pid < 0 && exit_signal == SIGCHLD ? errno : 0;
    icache_unlock();
    mem_unlock();
    jit_unlock();
    if (pid == 0)
        nthreads = 1;
    pthread_mutex_unlock(&process_lock);
    if (pid < 0)
        return exit_signal == SIGCHLD ? -err : pid;
    if (pid == 0) {
        Thread *t = s->thread;
        t->tid = (int)gettid();
        t->exit_env = NULL;      /* the only thread: its exit ends the process */
        if (flags & A64_CLONE_CHILD_SETTID)
            store_tid(ctid, t->tid);
        if (flags & A64_CLONE_CHILD_CLEARTID)
            t->clear_tid = ctid;
        if (newsp != 0)
            s->sp = newsp;
        if (flags & A64_CLONE_SETTLS)
            s->tpidr_el0 = tls;
        return 0;
    }
    if (flags & A64_CLONE_PARENT_SETTID)
        store_tid(ptid, pid);
    return pid;
}

/* The host stack of a vfork child: it may JIT-compile the code after its
 * SVC (not a function entry), which LLVM does on this stack. */
#define VFORK_HOST_STACK (16ull << 20)

typedef struct VforkStart {
    Thread *t;
    uint64_t flags, ctid;
} VforkStart;

static int vfork_child_main(void *arg)
{
    const VforkStart *v = arg;   /* on the parent's stack: shared, and it waits */
    Thread *t = v->t;
    sig_set_current(t);   /* the parent's host TLS, borrowed: it is suspended */
    t->tid = (int)gettid();
    if (v->flags & A64_CLONE_CHILD_SETTID)
        store_tid(v->ctid, t->tid);
    dispatch_thread_loop(t->cpu);
}

/* vfork, clone(CLONE_VM|CLONE_VFORK): a host clone with the same flags.
 * The child's CpuState and Thread are copies of the parent's (x0 = 0, the
 * new SP and TLS if given, no pending signals) on a private page after
 * the child's own host stack; it starts a dispatcher loop at the
 * instruction after the SVC.  The kernel resumes the parent when the child
 * has exec'd or exited (it no longer uses that memory), and the parent
 * frees it. */
static int64_t process_vfork(Runtime *rt, CpuState *s, const uint64_t *a)
{
    uint64_t flags = a[0], newsp = a[1], ptid = a[2], tls = a[3], ctid = a[4];
    size_t state = page_up(sizeof(CpuState) + 16 + sizeof(Thread));
    uint8_t *mem = mmap(NULL, VFORK_HOST_STACK + state, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED)
        return -ENOMEM;
    CpuState *c = (CpuState *)(mem + VFORK_HOST_STACK);
    Thread *ct = (Thread *)((uint8_t *)c + CPU_BLOCK);
    Thread *t = s->thread;
    *c = *s;                 /* the registers as the SVC left them, pc after it */
    *ct = *t;
    c->thread = ct;
    ct->cpu = c;
    c->x[0] = 0;
    if (newsp != 0)
        c->sp = newsp;
    if (flags & A64_CLONE_SETTLS)
        c->tpidr_el0 = tls;
    ct->vfork_child = 1;
    ct->exit_env = NULL;
    ct->loop_env = NULL;
    ct->fault_env = NULL;
    ct->nested = 0;
    ct->imprecise_frame = 0;
    ct->sig.pending = 0;     /* the kernel's: a child starts with none */
    ct->clear_tid = (flags & A64_CLONE_CHILD_CLEARTID) ? ctid : 0;
    VforkStart v = {ct, flags, ctid};
    int host_flags = (int)(CLONE_VM | CLONE_VFORK | (flags & 0xff));
    int pid = clone(vfork_child_main, mem + VFORK_HOST_STACK - 64, host_flags, &v);
    int err = errno;
    sig_set_current(t);      /* the child borrowed the TLS */
    munmap(mem, VFORK_HOST_STACK + state);
    if (pid < 0)
        return -err;
    if (flags & A64_CLONE_PARENT_SETTID)
        store_tid(ptid, pid);
    rt_log(rt, LOG_SYSCALL, "clone: vfork child %d has exec'd or exited", pid);
    return pid;
}

/* clone(flags, newsp, parent_tid, tls, child_tid): the asm-generic order. */
int64_t sys_clone(Runtime *rt, CpuState *s, const uint64_t *a)
{
    uint64_t flags = a[0];
    /* clone(flags, newsp, ptid, tls, ctid): the tid words must be the guest's. */
    if (((flags & A64_CLONE_PARENT_SETTID) && guest_mem_check(rt, a[2], 4) != 0) ||
        ((flags & (A64_CLONE_CHILD_SETTID | A64_CLONE_CHILD_CLEARTID)) && guest_mem_check(rt, a[4], 4) != 0))
        return -EFAULT;
    if (flags & A64_CLONE_THREAD)
        return (flags & A64_CLONE_VM) ? thread_create(rt, s, a) : -EINVAL;
    if ((flags & A64_CLONE_VM) && !(flags & A64_CLONE_VFORK)) {
        rt_log(rt, LOG_SYSCALL, "clone: CLONE_VM without CLONE_THREAD or CLONE_VFORK not supported");
        return -ENOSYS;
    }
    if ((flags & ~(uint64_t)FORK_FLAGS) != 0) {
        rt_log(rt, LOG_SYSCALL, "clone: process flags 0x%llx not supported", (unsigned long long)flags);
        return -EINVAL;
    }
    return (flags & A64_CLONE_VM) ? process_vfork(rt, s, a) : process_fork(rt, s, a);
}

/* ---- tid words, robust lists, futex ---------------------------------------- */

int64_t sys_set_tid_address(Runtime *rt, CpuState *s, const uint64_t *a)
{
    Thread *t = s->thread;
    /* Not the guest's memory: never written (the kernel's store would fail). */
    t->clear_tid = guest_mem_check(rt, a[0], 4) == 0 ? a[0] : 0;
    return t->tid;
}

int64_t sys_set_robust_list(Runtime *rt, CpuState *s, const uint64_t *a)
{
    if (a[1] != sizeof(struct a64_robust_list_head))
        return -EINVAL;
    Thread *t = s->thread;
    t->robust_head = a[0];
    t->robust_len = a[1];
    return 0;
}

/* get_robust_list(pid, head_ptr, len_ptr): this thread's only (the host
 * kernel keeps other threads' for host glibc). */
int64_t sys_get_robust_list(Runtime *rt, CpuState *s, const uint64_t *a)
{
    Thread *t = s->thread;
    if (a[0] != 0 && (int)a[0] != t->tid)
        return -EPERM;
    *(uint64_t *)a[1] = t->robust_head;
    *(uint64_t *)a[2] = t->robust_len;
    return 0;
}

/* The first thread, at start-up. */
void thread_init_main(Thread *t)
{
    t->tid = (int)gettid();
}
