/*
 * dispatch.c - run the guest: the dispatcher loop and the hooks the lifted
 * code calls for things it cannot do inline.
 *
 * A translated function runs until the guest leaves it in a way the static
 * translation could not follow (a return, an indirect branch, a call the
 * lifter did not bind); it then stores the guest target in s->pc and
 * returns.  The loop looks the target up and calls it:
 *
 *     for (;;) { deliver waiting signals; dbt_enter(s, dbt_rt_lookup(s, s->pc)); }
 *
 * The loop runs on its own 256 MiB host stack (MAP_NORESERVE: only touched
 * pages cost memory), because guest recursion that nests translated
 * functions on the host stack can go far deeper than the default 8 MiB.
 * Switching stacks is four instructions of x86-64 assembly below.
 *
 * dbt_rt_lookup binary-searches DbtMeta.fns (sorted by guest PC): the
 * entries of the translated functions.  A translated function has only
 * that one entry; a guest PC the table does not have - code found late,
 * and every place where the guest goes on after non-local control flow
 * (a longjmp's return site, the instruction after a trap, a loop header
 * where a handler changed the state) - goes to the JIT fallback
 * (jit_host.c: its cache, else a translation made now by libdbt_jit.so);
 * only if that fails too is the miss fatal (the message says why, the
 * process dies by SIGILL).  The signal return trampoline is the runtime's
 * own address (signal.c: rt_sigreturn).
 *
 * Signal handlers mostly run nested (dispatch_signal_handlers): the
 * runtime, called from translated code at a system call or a loop header's
 * safe point (dbt_rt_safepoint), runs a dispatcher loop of its own on top
 * of that code's host frames until the handler returns through sigreturn,
 * and the translated code goes on where it was, without a trip through
 * the outer loop.
 *
 * Every loop (the thread's own and each nested handler's) is where a host
 * fault in the guest code it runs lands (Thread.loop_env, signal.c:
 * host_fault): the translated code's host frames are abandoned and the
 * loop delivers the guest's SIGSEGV/SIGBUS (sig_host_fault).
 *
 * Traps raise the signal the kernel would send (SIGILL for undefined
 * instructions, SIGTRAP for BRK) through signal.c: the guest's handler if
 * it has one (CpuState is redirected to it, the lifted code returns here),
 * otherwise the default action, so the exit status and core dump match a
 * real Arm machine.
 *
 * dbt_rt_read_sysreg answers MRS with the values a Linux kernel shows to
 * EL0 (it emulates the ID registers) on a machine with only FP and AdvSIMD;
 * dbt_rt_cache_op performs DC ZVA, and DC CVAU / IC IVAU (what a guest does
 * after writing code) drop the JIT's translations of that cache line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "runtime.h"
#include "enter_x86_64.h"
#include "fpenv.h"
#include "jit_host.h"

#define HOST_STACK_SIZE (256ull << 20)

/* The guest's cache line in bytes: CTR_EL0.IminLine and DminLine (log2 of
 * the line in words), equal in A64_CTR_VALUE. */
#define A64_CACHE_LINE (4u << (A64_CTR_VALUE & 0xf))
_Static_assert((4u << (A64_CTR_VALUE >> 16 & 0xf)) == A64_CACHE_LINE, "I and D lines differ");

/* ---- dying by a signal ------------------------------------------------- */

/* Raw system calls: glibc's wrappers refuse signals 32 and 33, and its
 * raise() juggles the mask. */
_Noreturn void rt_die_by_signal(int sig)
{
    rt_exit_reports();
    uint64_t dfl[4] = {(uint64_t)SIG_DFL, 0, 0, 0};  /* struct kernel_sigaction */
    host_syscall6(SYS_rt_sigaction, (uint64_t)sig, (uint64_t)dfl, 0, sizeof(uint64_t), 0, 0);
    uint64_t set = a64_sigbit(sig);   /* same numbering on the host */
    host_syscall6(SYS_rt_sigprocmask, SIG_UNBLOCK, (uint64_t)&set, 0, sizeof set, 0, 0);
    host_syscall6(SYS_tgkill, (uint64_t)getpid(), (uint64_t)gettid(), (uint64_t)sig, 0, 0, 0);
    /* Only reached for a signal whose default action is not fatal. */
    _exit(128 + sig);
}

/* WHY says what the JIT made of it ("and the JIT is unavailable: ..."). */
static _Noreturn void no_target(CpuState *s, uint64_t pc, const char *why)
{
    rt_msg("no translated code for guest pc 0x%llx%s%s", (unsigned long long)pc, *why ? " " : "", why);
    rt_die_by_signal(SIGILL);
}

/* ---- lookup and loop --------------------------------------------------- */

/* The translated functions: the output's table, or none when the runtime
 * runs another program through the JIT (exec.c). */
static const DbtMeta *table = &dbt_meta;

static GuestFn find_fn(uint64_t pc)
{
    const DbtFnEntry *fns = table->fns;
    uint64_t lo = 0, hi = table->nfns;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (fns[mid].guest_pc < pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= table->nfns || fns[lo].guest_pc != pc)
        return NULL;
    return objects_pc_usable(pc) ? fns[lo].fn : NULL;   /* a library's code, only where it is mapped */
}

int dispatch_is_translated(uint64_t pc) { return find_fn(pc) != NULL; }

GuestFn dbt_rt_lookup_entry(CpuState *s, uint64_t pc)
{
    (void)s;
    rt_stat(ST_LOOKUP_ENTRY, 1);
    return find_fn(pc);
}

/* ---- the indirect-branch caches ------------------------------------------ */

/* One per thread (cpu_state.h: CpuIcacheEntry), on a list so that a flush
 * reaches all of them.  Only its thread fills a cache (dbt_rt_lookup);
 * any thread may empty all of them. */
typedef struct Icache {
    struct Icache *next, *prev;             /* on the same page as e[0] */
    CpuIcacheEntry e[CPU_ICACHE_ENTRIES];   /* CpuState.icache points here */
} Icache;

static pthread_mutex_t icache_mutex = PTHREAD_MUTEX_INITIALIZER;
static Icache icache_list = {.next = &icache_list, .prev = &icache_list};   /* only its links are used */

void icache_lock(void) { pthread_mutex_lock(&icache_mutex); }
void icache_unlock(void) { pthread_mutex_unlock(&icache_mutex); }

/* What an empty entry calls if a probe ever matches it (a guest jump to
 * pc 1) or reads its fn while a flush empties it: the real lookup. */
__attribute__((used)) static void icache_miss_c(CpuState *s) { dbt_enter(s, dbt_rt_lookup(s, s->pc)); }
DBT_FAST_TO_C(icache_miss, icache_miss_c);

static void icache_empty(CpuIcacheEntry *e)
{
    for (size_t i = 0; i < CPU_ICACHE_ENTRIES; i++) {
        __atomic_store_n(&e[i].fn, &icache_miss, __ATOMIC_RELAXED);
        __atomic_store_n(&e[i].pc, CPU_ICACHE_EMPTY, __ATOMIC_RELEASE);
    }
}

/* A new cache comes from fresh anonymous pages, which read as zeros, and
 * only entry 0 is written: {pc 0, fn NULL} is an empty entry at every
 * other index, because a pc indexes entry i != 0 only if it is not 0 (a
 * probe matches only its own pc).  So a thread's start writes one page of
 * the 64 KiB instead of 16, and the rest costs nothing until a probe reads
 * it (static hello: 16 page faults fewer, about 10 us each on a VM). */
int icache_attach(CpuState *s)
{
    Icache *c = mmap(NULL, sizeof *c, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (c == MAP_FAILED)
        return -1;
    __atomic_store_n(&c->e[0].fn, &icache_miss, __ATOMIC_RELAXED);
    __atomic_store_n(&c->e[0].pc, CPU_ICACHE_EMPTY, __ATOMIC_RELEASE);
    pthread_mutex_lock(&icache_mutex);
    c->next = icache_list.next;
    c->prev = &icache_list;
    c->next->prev = c;
    icache_list.next = c;
    pthread_mutex_unlock(&icache_mutex);
    s->icache = c->e;
    return 0;
}

void icache_detach(CpuState *s)
{
    Icache *c = (Icache *)((char *)s->icache - offsetof(Icache, e));
    pthread_mutex_lock(&icache_mutex);
    c->prev->next = c->next;
    c->next->prev = c->prev;
    pthread_mutex_unlock(&icache_mutex);
    s->icache = NULL;
    munmap(c, sizeof *c);
}

void icache_flush_all(void)
{
    rt_stat(ST_ICACHE_FLUSH, 1);
    pthread_mutex_lock(&icache_mutex);
    for (Icache *c = icache_list.next; c != &icache_list; c = c->next)
        icache_empty(c->e);
    pthread_mutex_unlock(&icache_mutex);
}

/* F runs the guest code at PC for this thread until a flush: fn before pc,
 * so that a probe never pairs this pc with another entry's fn. */
static void icache_fill(CpuState *s, uint64_t pc, GuestFn f)
{
    if (pc % 4 != 0)
        return;
    CpuIcacheEntry *e = &((CpuIcacheEntry *)s->icache)[CPU_ICACHE_INDEX(pc)];
    __atomic_store_n(&e->fn, f, __ATOMIC_RELAXED);
    __atomic_store_n(&e->pc, pc, __ATOMIC_RELEASE);
}

GuestFn dbt_rt_lookup(CpuState *s, uint64_t pc)
{
    rt_stat(ST_LOOKUP, 1);
    GuestFn f = find_fn(pc);
    if (f) {
        rt_log(rt_of(s), LOG_DISPATCH, "lookup 0x%llx", (unsigned long long)pc);
        icache_fill(s, pc, f);
        return f;
    }
    f = sig_lookup_runtime(rt_of(s), pc);   /* the sigreturn trampoline */
    if (f)
        return f;
    f = jit_lookup(rt_of(s), pc);
    if (f) {
        rt_stat(ST_JIT_HIT, 1);
        icache_fill(s, pc, f);
        return f;
    }
    char why[512];
    struct timespec t0, t1;
    if (rt_stats_on)
        clock_gettime(CLOCK_MONOTONIC, &t0);
    f = jit_translate(s, pc, why, sizeof why);
    if (rt_stats_on) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        rt_stat(ST_JIT_COMPILE, 1);
        rt_stat(ST_JIT_NS, (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000000ll + (t1.tv_nsec - t0.tv_nsec)));
    }
    if (f) {
        icache_fill(s, pc, f);
        return f;
    }
    no_target(s, pc, why);
}

/* A signal caught while the guest computed: translated code left at a
 * safe point (or anywhere else it exits); deliver it now, in a dispatcher
 * loop. */
static inline void deliver_caught(CpuState *s)
{
    if (__atomic_load_n(&s->intr, __ATOMIC_ACQUIRE)) {
        /* Cleared first: a signal caught after the test sets it again.
         * One the guest has blocked stays pending, without the flag. */
        __atomic_store_n(&s->intr, 0, __ATOMIC_RELEASE);
        if (sig_pending_work(s))
            sig_deliver_pending(s, NULL);
    }
}

_Noreturn void dispatch_thread_loop(CpuState *s)
{
    Thread *t = s->thread;
    sigjmp_buf env;
    if (sigsetjmp(env, 0) == 1)
        sig_host_fault(s);   /* guest code faulted (signal.c: host_fault); 2: go on at s->pc */
    t->loop_env = &env;
    for (;;) {
        deliver_caught(s);
        rt_stat(ST_LOOP, 1);
        GuestFn f = dbt_rt_lookup(s, s->pc);
        dbt_enter(s, f);
    }
}

/* ---- calling the guest from host code ------------------------------------ */

/* The return address a guest function called by dispatch_call_guest
 * returns to: no guest code is ever there (an address above the 48-bit
 * user space), and the loop stops before looking it up. */
#define CALL_GUEST_RETURN 0xfffffffffffff000ull

_Noreturn void dispatch_resume(CpuState *s) { siglongjmp(*((Thread *)s->thread)->loop_env, 2); }

uint64_t dispatch_call_guest(CpuState *s, uint64_t fn, const uint64_t *args, unsigned n, bool *left)
{
    /* The callee runs 16 bytes below the caller's SP, so that a longjmp
     * back into the caller's own frame (whose SP the bound function did
     * not move) shows as an SP above the call's. */
    /* One load each: a 16-byte load of X30 and SP (what GCC makes of two
     * plain reads) cannot be forwarded from the two stores the translated
     * caller just made, and stalled every callback (in a bound qsort's
     * profile 16% of dispatch_call_guest's samples sat on that load). */
    uint64_t lr = __atomic_load_n(&s->x[30], __ATOMIC_RELAXED), caller_sp = __atomic_load_n(&s->sp, __ATOMIC_RELAXED);
    uint64_t pc = s->pc, sp = caller_sp - 16;
    *left = false;
    for (unsigned i = 0; i < n && i < 8; i++)
        s->x[i] = args[i];
    s->x[30] = CALL_GUEST_RETURN;
    s->sp = sp;
    s->pc = fn;
    for (;;) {
        deliver_caught(s);
        if (s->pc == CALL_GUEST_RETURN && s->sp == sp)
            break;
        if (s->sp > sp || s->pc == CALL_GUEST_RETURN) { /* it left the frame of the call */
            *left = true;
            return 0;
        }
        rt_stat(ST_LOOP, 1);
        const CpuIcacheEntry *e = &((const CpuIcacheEntry *)s->icache)[CPU_ICACHE_INDEX(s->pc)];
        GuestFn f = __atomic_load_n(&e->pc, __ATOMIC_ACQUIRE) == s->pc ? __atomic_load_n(&e->fn, __ATOMIC_RELAXED)
                                                                        : dbt_rt_lookup(s, s->pc);
        dbt_enter(s, f);
    }
    s->x[30] = lr;
    s->sp = caller_sp;
    s->pc = pc;
    return s->x[0];
}

/* ---- nested signal handlers --------------------------------------------- */

/* Handlers nested deeper than this are delivered the plain way (the
 * translated code leaves, the outer loop runs them): a guest that switches
 * contexts from its handlers (user-level threads preempted by SIGALRM)
 * must not grow the host stack without bound. */
enum { MAX_NESTED = 16 };

/* Run the guest, just pointed at a handler whose outermost frame is at
 * FRAME, until that frame is popped by sigreturn (1), or until the guest
 * leaves the handler another way - siglongjmp, setcontext: its sp is above
 * the frame - (0).  Inner frames (signals delivered meanwhile, stacked on
 * this handler) come and go on the way. */
static int run_until_sigreturn(CpuState *s, uint64_t frame)
{
    const Runtime *rt = rt_of(s);
    Thread *t = s->thread;
    sigjmp_buf *outer = t->loop_env;
    sigjmp_buf env;
    if (sigsetjmp(env, 0) == 1)
        sig_host_fault(s);   /* guest code faulted under this loop; 2: go on at s->pc */
    t->loop_env = &env;
    int back;
    for (;;) {
        deliver_caught(s);
        if (s->pc == rt->sig_tramp) {
            uint64_t popped = s->sp;
            sig_return(s);
            if (popped == frame) {
                back = 1;
                break;
            }
            if (sig_pending_work(s))
                sig_deliver_pending(s, NULL);
            continue;
        }
        if (s->sp > frame) {
            back = 0;
            break;
        }
        rt_stat(ST_LOOP, 1);
        GuestFn f = dbt_rt_lookup(s, s->pc);
        dbt_enter(s, f);
    }
    t->loop_env = outer;
    return back;
}

int dispatch_signal_handlers(CpuState *s)
{
    Thread *t = s->thread;
    uint64_t frame = 0;
    if (t->nested >= MAX_NESTED) {
        sig_deliver_pending(s, NULL);
        return 0;
    }
    uint64_t pc = s->pc;
    if (!sig_deliver_pending(s, &frame))
        return s->pc == pc; /* nothing entered: ignored, or a default action that did not kill */
    t->nested++;
    rt_log(t->rt, LOG_SIGNAL, "running the handler nested (depth %u) over pc 0x%llx", t->nested,
           (unsigned long long)pc);
    int back = run_until_sigreturn(s, frame);
    t->nested--;
    if (!back)
        rt_log(t->rt, LOG_SIGNAL, "the handler left its frame without sigreturn: continuing at 0x%llx",
               (unsigned long long)s->pc);
    return back;
}

/* Did the handlers give back the interrupted state (registers, flags, FP
 * control and status, vector registers), pc PC included? */
static int state_unchanged(const CpuState *s, const CpuState *before, uint64_t pc)
{
    return memcmp(s->x, before->x, sizeof s->x) == 0 && s->sp == before->sp && s->pc == pc &&
           cpu_get_nzcv(s) == cpu_get_nzcv(before) && s->fpcr == before->fpcr &&
           s->fpsr == before->fpsr && memcmp(s->vreg, before->vreg, sizeof s->vreg) == 0;
}

/* A loop header's safe point saw cpu->intr set; s->pc = the header, the
 * registers are stored.  The loop goes on (nonzero) only if the handlers
 * gave the state back unchanged: the translated code still holds the
 * registers it stored and does not reload them. */
uint32_t dbt_rt_safepoint(CpuState *s)
{
    rt_stat(ST_SAFEPOINT, 1);
    if (!sig_pending_work(s)) { /* blocked meanwhile, or already delivered */
        __atomic_store_n(&s->intr, 0, __ATOMIC_RELEASE);
        return 1;
    }
    CpuState before = *s;
    if (!dispatch_signal_handlers(s))
        return 0;
    return state_unchanged(s, &before, before.pc);
}

/* A loop's safe point with a signal waiting, in code that holds the
 * passed registers in host registers (lifter.c: safe_point_call), calls
 * this from an inline asm at an aligned RSP: the passed registers go to
 * the CpuState (pc is there already), dbt_rt_safepoint runs the handler,
 * its result goes to R14, and the passed registers are loaded again - the
 * same values when the result is nonzero (the state came back unchanged),
 * so the caller takes them as kept. */
__asm__(".pushsection .text\n"
        DBT_ASM_EXPORTED(dbt_rt_safepoint_stub)
        DBT_PASS_STORE
        "\tsub $8, %rsp\n"
        "\tmov %r12, %rdi\n"
        "\tcall dbt_rt_safepoint\n"
        "\tadd $8, %rsp\n"
        "\tmov %eax, %r14d\n"
        DBT_PASS_LOAD
        "\tret\n"
        DBT_ASM_END(dbt_rt_safepoint_stub)
        ".popsection\n");

/* A guest memory access in translated code faulted and the guest has a
 * handler for it (signal.c: host_fault, inside the host's SIGSEGV/SIGBUS
 * handler).  The guest handler runs here, nested on top of the faulting
 * host frames, its frame below FRAME_BELOW on the guest stack (below the
 * guest SP the faulting code may hold in a host register) or on its
 * alternate stack, with the pc of the faulting guest instruction
 * (signal.c: fault_guest_pc).  Then:
 *   - it returns (sigreturn) and leaves the registers as they were: 1, the
 *     host handler returns and the access is made again (a handler that
 *     mprotects the page and returns: write barriers of garbage
 *     collectors, guard pages that grow a buffer);
 *   - it leaves its frame another way (siglongjmp, setcontext): the
 *     faulting host frames are abandoned and the innermost dispatcher loop
 *     goes on where the guest went (sigsetjmp value 2);
 *   - it returns with other registers (a pc moved past the access): the
 *     translated code cannot resume there with the registers it holds in
 *     host registers; the process dies by the signal with a message.
 * 0 when it cannot run here (handlers nested too deep): the caller
 * abandons the faulting frames and delivers the fault from the loop, as a
 * frame that must not be returned into (sig_host_fault). */
int dispatch_fault_in_place(CpuState *s, uint64_t frame_below)
{
    Thread *t = s->thread;
    if (t->nested >= MAX_NESTED)
        return 0;
    CpuState before = *s;
    t->frame_below = frame_below;
    uint64_t frame = sig_fault_frame(s);
    t->frame_below = 0;
    if (frame == 0)
        return 0;
    s->bound_pc = 0; /* the guest's handler runs: no host code of a bound function */
    uint64_t pushed_pc = t->fault.guest_pc ? t->fault.guest_pc : before.pc;
    int sig = t->fault.sig;
    uint64_t addr = t->fault.addr;
    t->nested++;
    rt_log(t->rt, LOG_SIGNAL, "running the fault handler in place (depth %u) over pc 0x%llx",
           t->nested, (unsigned long long)pushed_pc);
    int back = run_until_sigreturn(s, frame);
    t->nested--;
    if (!back) {
        rt_log(t->rt, LOG_SIGNAL, "the fault handler left its frame without sigreturn: continuing at 0x%llx",
               (unsigned long long)s->pc);
        siglongjmp(*t->loop_env, 2);
    }
    if (!state_unchanged(s, &before, pushed_pc)) {
        rt_msg("the guest's handler of %s at guest pc 0x%llx (address 0x%llx) returned with "
               "other registers or another pc: translated code cannot resume with them; the "
               "process dies by %s",
               sig_name(sig), (unsigned long long)pushed_pc, (unsigned long long)addr, sig_name(sig));
        rt_die_by_signal(sig);
    }
    s->pc = before.pc;   /* the rest is as it was */
    s->bound_pc = before.bound_pc;
    return 1;
}

static void *map_private(Runtime *rt, uint64_t size, int flags, const char *what)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
    if (p == MAP_FAILED)
        rt_fatal("cannot allocate the %s (%llu bytes): %s", what, (unsigned long long)size,
                 strerror(errno));
    mem_host_add(rt, (uint64_t)p, (uint64_t)p + size);
    return p;
}

_Noreturn void dispatch_run(Runtime *rt, uint64_t sp, uint64_t pc)
{
    table = rt->meta;
    /* CpuState (16-byte aligned, zeroed) and Thread on one private page. */
    uint8_t *page = map_private(rt, page_up(sizeof(CpuState) + sizeof(Thread)), 0, "CPU state");
    CpuState *s = (CpuState *)page;
    Thread *t = (Thread *)(page + ((sizeof(CpuState) + 15) & ~(size_t)15));
    t->rt = rt;
    t->cpu = s;
    s->thread = t;
    if (icache_attach(s) != 0)
        rt_fatal("cannot allocate the indirect-branch cache");
    s->sp = sp;
    s->pc = pc;
    s->fpcr = 0;
    rt_fpenv_enter(s); /* MXCSR mirrors FPCR from here on (include/fpenv.h) */
    sig_thread_start(t);
    thread_init_main(t);

    uint8_t *stack = map_private(rt, HOST_STACK_SIZE, MAP_NORESERVE, "host stack");
    mprotect(stack, A64_PAGE_SIZE, PROT_NONE); /* guard page */
    rt_log(rt, LOG_LOAD, "running guest at 0x%llx, sp 0x%llx", (unsigned long long)pc,
           (unsigned long long)sp);
    host_switch_stack((uint64_t)(stack + HOST_STACK_SIZE), (void (*)(void *))dispatch_thread_loop, s);
}

/* ---- traps ------------------------------------------------------------- */

void dbt_rt_trap(CpuState *s, uint32_t kind, uint32_t insn)
{
    Runtime *rt = rt_of(s);
    switch (kind) {
    case TRAP_UNDEF:
        rt_log(rt, LOG_TRAP, "SIGILL at guest pc 0x%llx (insn 0x%08x)",
               (unsigned long long)s->pc, insn);
        sig_trap(s, A64_SIGILL, A64_ILL_ILLOPC);
        return;
    case TRAP_BRK:
        rt_log(rt, LOG_TRAP, "SIGTRAP at guest pc 0x%llx (insn 0x%08x)",
               (unsigned long long)s->pc, insn);
        sig_trap(s, A64_SIGTRAP, A64_TRAP_BRKPT);
        return;
    case TRAP_NO_TARGET:
        no_target(s, s->pc, "");
    default:
        rt_fatal("unknown trap kind %u at guest pc 0x%llx", kind, (unsigned long long)s->pc);
    }
}

/* ---- system instructions ----------------------------------------------- */

void dbt_rt_cache_op(CpuState *s, uint32_t op, uint64_t addr)
{
    if (op == A64_SYS_DC_ZVA) {
        /* "Zero data cache by address": the whole aligned block, no
         * alignment fault for an unaligned address. */
        memset((void *)(addr & ~(uint64_t)(A64_DCZ_BLOCK - 1)), 0, A64_DCZ_BLOCK);
        return;
    }
    /* A guest that writes code cleans the data cache and invalidates the
     * instruction cache line by line (GCC's __clear_cache: DC CVAU, DSB,
     * IC IVAU, ISB); translations made from the old code go.  The other
     * DC operations (to the point of coherency or persistence) are for
     * devices and persistent memory: nothing to do. */
    if (op == A64_SYS_DC_CVAU || op == A64_SYS_IC_IVAU) {
        uint64_t line = addr & ~(uint64_t)(A64_CACHE_LINE - 1);
        jit_invalidate(rt_of(s), line, line + A64_CACHE_LINE);
    }
}

static uint64_t counter_ticks(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    /* 100 MHz: one tick per 10 ns. */
    return (uint64_t)ts.tv_sec * (A64_CNTFRQ_HZ) + (uint64_t)ts.tv_nsec / (1000000000ull / A64_CNTFRQ_HZ);
}

uint64_t dbt_rt_read_sysreg(CpuState *s, uint32_t sysreg)
{
    switch (sysreg) {
    case A64_SYSREG_CNTVCT_EL0:
    case A64_SYSREG_CNTVCTSS_EL0:
        return counter_ticks();
    case A64_SYSREG_CNTFRQ_EL0:
        return A64_CNTFRQ_HZ;
    case A64_SYSREG_CTR_EL0:
        return A64_CTR_VALUE;
    case A64_SYSREG_DCZID_EL0:
        return A64_DCZID_VALUE;
    case A64_SYSREG_MIDR_EL1:
        return A64_MIDR_VALUE;
    case A64_SYSREG_MPIDR_EL1:
        return A64_MPIDR_VALUE;
    case A64_SYSREG_ID_AA64PFR0_EL1:
        return A64_ID_AA64PFR0_VALUE;
    case A64_SYSREG_ID_AA64ISAR0_EL1:
        return A64_ID_AA64ISAR0_VALUE;
    case A64_SYSREG_REVIDR_EL1:
    case A64_SYSREG_ID_AA64PFR1_EL1:
    case A64_SYSREG_ID_AA64ZFR0_EL1:
    case A64_SYSREG_ID_AA64SMFR0_EL1:
    case A64_SYSREG_ID_AA64DFR0_EL1:
    case A64_SYSREG_ID_AA64DFR1_EL1:
    case A64_SYSREG_ID_AA64AFR0_EL1:
    case A64_SYSREG_ID_AA64AFR1_EL1:
    case A64_SYSREG_ID_AA64ISAR1_EL1:
    case A64_SYSREG_ID_AA64ISAR2_EL1:
    case A64_SYSREG_ID_AA64MMFR0_EL1:
    case A64_SYSREG_ID_AA64MMFR1_EL1:
    case A64_SYSREG_ID_AA64MMFR2_EL1:
    case A64_SYSREG_TPIDRRO_EL0:
        return 0;
    /* Registers of the CpuState, in case the lifter routes them here. */
    case A64_SYSREG_NZCV:
        return cpu_get_nzcv(s);
    case A64_SYSREG_FPCR:
        return s->fpcr;
    case A64_SYSREG_FPSR:
        return rt_fpsr_read(s);
    case A64_SYSREG_TPIDR_EL0:
        return s->tpidr_el0;
    default:
        rt_log(rt_of(s), LOG_TRAP,
               "MRS of unknown system register S%u_%u_C%u_C%u_%u at guest pc 0x%llx: read as 0",
               2 + (sysreg >> 14 & 1), sysreg >> 11 & 7, sysreg >> 7 & 15, sysreg >> 3 & 15,
               sysreg & 7, (unsigned long long)s->pc);
        return 0;
    }
}
