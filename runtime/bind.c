/*
 * bind.c - the run-time switch of the host-library bindings
 * (include/bind_table.h, docs/bindings.md).
 *
 * The offline tool decided which guest functions are bound; each of them
 * tests its byte of dbt_rt_bind_on on entry and calls the host's function
 * when it is set (lifter/bind.c).  DBT_BIND=SPEC (bind_parse's syntax:
 * `none`, `-memcpy`, `none,strlen`, ...) chooses here; unset, every binding
 * is on.  DBT_LOG=bind prints the choice.  The table is read-only once the
 * guest starts, so threads need no synchronization.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "bind_table.h"
#include "fpenv.h"
#include "runtime.h"
#include "u64_map.h"

/* runtime/bind_a64.c's functions, which translated libraries in shared
 * objects of their own (--shared-libs) may call while the program does
 * not: referenced here, so that every output links and exports them. */
int dbt_rt_a64_strcmp(const char *s1, const char *s2);
int dbt_rt_a64_memcmp(const void *s1, const void *s2, size_t n);
__attribute__((used)) static const void *const keep_a64[] = {(const void *)dbt_rt_a64_strcmp,
                                                               (const void *)dbt_rt_a64_memcmp};

/* Read by the translated code (and by translated libraries in shared
 * objects of their own, hence the name: exported with the dbt_rt_ hooks). */
unsigned char dbt_rt_bind_on[BIND_COUNT] __attribute__((visibility("default")));
static const Runtime *bind_rt; /* for the log */

void bind_init(const Runtime *rt, const char *spec)
{
    bind_rt = rt;
    size_t n;
    const char *bad = bind_parse(spec, false, dbt_rt_bind_on, &n);
    if (bad != NULL)
        rt_msg("warning: DBT_BIND: unknown library or function '%.*s' ignored with what follows it", (int)n, bad);
    if (!(rt->log_mask & LOG_BIND))
        return;
    /* One line per library (a log line holds 1 KiB). */
    for (unsigned lib = 0; lib < BIND_NLIBRARIES; lib++) {
        char on[900], off[900];
        size_t lo = 0, lf = 0;
        on[0] = off[0] = '\0';
        for (unsigned i = 1; i < BIND_COUNT; i++) {
            if (bind_rows[i].lib != lib)
                continue;
            char *buf = dbt_rt_bind_on[i] ? on : off;
            size_t *len = dbt_rt_bind_on[i] ? &lo : &lf;
            int w = snprintf(buf + *len, sizeof on - *len, " %s", bind_rows[i].name);
            if (w > 0 && (size_t)w < sizeof on - *len)
                *len += (size_t)w;
        }
        rt_log(rt, LOG_BIND, "host bindings of %s (where the translation bound the guest's function): on:%s; off:%s",
               bind_library_names[lib], lo ? on : " none", lf ? off : " none");
    }
}

/* ---- errno ---------------------------------------------------------------- */

/* A bound function left VALUE in the host's errno: store it in the guest's,
 * at the address the guest's own __errno_location (at guest pc FN) gives
 * for this thread. */
__attribute__((visibility("default"))) void dbt_rt_bind_errno(CpuState *s, int32_t value, uint64_t fn)
{
    bool left;
    uint64_t where = dispatch_call_guest(s, fn, NULL, 0, &left); /* (X30 and PC restored) */
    if (left) /* __errno_location does not longjmp; never seen */
        dispatch_resume(s);
    if (where != 0)
        memcpy((void *)where, &value, sizeof value);
}

/* ---- callbacks ----------------------------------------------------------- */

/* The guest functions the bound calls running on this thread were given,
 * one slot per nesting level (innermost last).  Each slot has a code stub
 * per callback signature: the host function gets the stub, which calls the
 * signature's trampoline with the slot as an extra argument - so a call
 * from any thread finds its guest function.  A callback that calls a bound
 * function with a callback again fills the next slot and frees it before
 * it returns.  A callback that leaves by longjmp abandons its bound call:
 * its slot and those above are freed, and the guest goes on in the
 * dispatcher loop (the host frames of the bound function are dropped, as a
 * longjmp out of qsort drops qsort's). */
enum { CALLBACK_DEPTH = 64, STUB_SIZE = 32, STUBS_SIZE = BIND_NCALLBACKS * CALLBACK_DEPTH * STUB_SIZE };
typedef struct CallbackSlot {
    CpuState *cpu;     /* the thread of the bound call */
    uint64_t fn;       /* the guest function */
    const void *owner; /* &callbacks of that thread: a call from it runs on CPU */
} CallbackSlot;
static _Thread_local struct {
    unsigned n;
    CallbackSlot slot[CALLBACK_DEPTH];
    uint8_t *stubs; /* [kind][depth], STUB_SIZE bytes each: executable, made once per thread */
} callbacks;

/* A host thread the guest never created, calling a callback: the guest
 * thread it runs as (thread_adopt), made at its first call, dropped when
 * it ends (key destructor). */
static _Thread_local CpuState *adopted;
static pthread_key_t thread_end_key;
static pthread_once_t thread_end_once = PTHREAD_ONCE_INIT;
static void thread_ends(void *unused)
{
    (void)unused;
    if (adopted != NULL) {
        thread_unadopt(adopted);
        adopted = NULL;
    }
    if (callbacks.stubs != NULL) {
        munmap(callbacks.stubs, STUBS_SIZE);
        callbacks.stubs = NULL;
    }
}
static void make_thread_end_key(void)
{
    if (pthread_key_create(&thread_end_key, thread_ends) != 0)
        rt_fatal("cannot create a thread key for the bindings' callbacks");
}
/* Run thread_ends when this thread ends. */
static void at_thread_end(void)
{
    pthread_once(&thread_end_once, make_thread_end_key);
    pthread_setspecific(thread_end_key, (void *)1);
}

/* Run SLOT's guest function with ARGS (in X0-X7) and return X0: on this
 * thread's own guest thread when it has one (the bound call's thread, or
 * another guest thread a host library called back on), else on a guest
 * thread made for this host thread. */
static uint64_t call_back(CallbackSlot *slot, unsigned nargs, const uint64_t *args)
{
    bool left;
    Thread *cur = slot->owner == &callbacks ? slot->cpu->thread : sig_current();
    if (cur == NULL) { /* a host library's own thread */
        if (adopted == NULL) {
            if ((adopted = thread_adopt(slot->cpu)) == NULL)
                rt_fatal("out of memory making a guest thread for a host thread's callback");
            at_thread_end();
        }
        CpuState *c = adopted;
        c->fpcr = slot->cpu->fpcr;
        uint32_t mxcsr = __builtin_ia32_stmxcsr();
        rt_fpenv_enter(c);
        sig_set_current(c->thread); /* a guest thread only while guest code runs */
        uint64_t r = dispatch_call_guest(c, slot->fn, args, nargs, &left);
        sig_set_current(NULL);
        __builtin_ia32_ldmxcsr(mxcsr);
        if (left)
            rt_fatal("a guest callback that a host library called from a thread of its own left by longjmp "
                     "(DBT_BIND=none runs the guest's own library code)");
        return r;
    }
    CpuState *s = cur->cpu;
    uint64_t bound_pc = s->bound_pc; /* guest code runs: no bound function's host code */
    s->bound_pc = 0;
    uint64_t r = dispatch_call_guest(s, slot->fn, args, nargs, &left);
    if (left) {
        if (slot >= callbacks.slot && slot < callbacks.slot + CALLBACK_DEPTH)
            callbacks.n = (unsigned)(slot - callbacks.slot);
        dispatch_resume(s);
    }
    s->bound_pc = bound_pc;
    return r;
}

/* One trampoline per callback signature of bind_table.h's BIND_CALLBACKS:
 * the signature's arguments, then the slot (which the stub passes in the
 * next integer argument register). */
static int32_t trampoline_i_pp(void *a, void *b, CallbackSlot *slot)
{
    uint64_t args[2] = {(uint64_t)a, (uint64_t)b};
    return (int32_t)call_back(slot, 2, args);
}

static int64_t trampoline_l_ll(int64_t a, int64_t b, CallbackSlot *slot)
{
    uint64_t args[2] = {(uint64_t)a, (uint64_t)b};
    return (int64_t)call_back(slot, 2, args);
}

static void *const trampolines[BIND_NCALLBACKS] = {
    [BIND_CB_i_pp] = (void *)trampoline_i_pp,
    [BIND_CB_l_ll] = (void *)trampoline_l_ll,
};

/* The integer argument register after the signature's integer arguments,
 * as the REX and opcode bytes of `movabs reg, imm64`. */
static bool slot_register(enum BindCallback kind, uint8_t op[2])
{
    static const uint8_t movabs[6][2] = {{0x48, 0xbf}, {0x48, 0xbe}, {0x48, 0xba}, {0x48, 0xb9}, {0x49, 0xb8}, {0x49, 0xb9}};
    unsigned ints = 0;
    for (const char *a = strchr(bind_callback_sigs[kind], ':') + 1; *a; a++)
        ints += *a != 'f' && *a != 'd';
    if (ints >= 6)
        return false;
    memcpy(op, movabs[ints], 2);
    return true;
}

/* This thread's stubs: for kind K and slot D, `movabs reg, &slot[D];
 * movabs rax, trampoline; jmp rax`. */
static void make_stubs(void)
{
    uint8_t *p = mmap(NULL, STUBS_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        rt_fatal("cannot map the bindings' callback stubs: %s", strerror(errno));
    for (unsigned k = 1; k < BIND_NCALLBACKS; k++) {
        uint8_t op[2];
        if (!slot_register((enum BindCallback)k, op))
            rt_fatal("callback signature %u has more integer arguments than registers", k);
        for (unsigned d = 0; d < CALLBACK_DEPTH; d++) {
            uint8_t *q = p + (k * CALLBACK_DEPTH + d) * STUB_SIZE;
            uint64_t slot = (uint64_t)&callbacks.slot[d], fn = (uint64_t)trampolines[k];
            q[0] = op[0], q[1] = op[1];
            memcpy(q + 2, &slot, 8);
            q[10] = 0x48, q[11] = 0xb8; /* movabs rax, imm64 */
            memcpy(q + 12, &fn, 8);
            q[20] = 0xff, q[21] = 0xe0; /* jmp rax */
        }
    }
    if (mprotect(p, STUBS_SIZE, PROT_READ | PROT_EXEC) != 0)
        rt_fatal("cannot make the bindings' callback stubs executable: %s", strerror(errno));
    callbacks.stubs = p;
    at_thread_end();
}

/* Called by the lifted code before it calls the host function (lifter/bind.c). */
__attribute__((visibility("default"))) void *dbt_rt_bind_callback(CpuState *s, uint64_t fn, uint32_t kind)
{
    if (callbacks.n == CALLBACK_DEPTH)
        rt_fatal("bound library calls with guest callbacks nested more than %d deep", CALLBACK_DEPTH);
    unsigned d = callbacks.n++; /* a NULL one too: dbt_rt_bind_callback_done frees it */
    callbacks.slot[d] = (CallbackSlot){s, fn, &callbacks};
    if (fn == 0 || kind == BIND_CB_NONE || kind >= BIND_NCALLBACKS)
        return NULL; /* the host function gets NULL, as it would natively */
    if (callbacks.stubs == NULL)
        make_stubs();
    return callbacks.stubs + (kind * CALLBACK_DEPTH + d) * STUB_SIZE;
}

__attribute__((visibility("default"))) void dbt_rt_bind_callback_done(CpuState *s)
{
    (void)s;
    if (callbacks.n > 0)
        callbacks.n--;
}

/* ---- libraries the runtime opens, and gates (bind_table.h) ---------------- */

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static void *lib_handle[BIND_NLIBRARIES];
static unsigned char lib_tried[BIND_NLIBRARIES];
static void *host_fn[BIND_COUNT];
static unsigned char resolved[BIND_COUNT]; /* host_fn[id] is final */
static U64Map host_streams;                /* z_streams the host's zlib made */

/* The host function of binding ID from its library (opened the first
 * time), or NULL when there is none: the guest's own code runs. */
static void *resolve(unsigned id)
{
    if (__atomic_load_n(&resolved[id], __ATOMIC_ACQUIRE))
        return host_fn[id];
    pthread_mutex_lock(&gate_lock);
    if (!resolved[id]) {
        enum BindLibrary lib = bind_rows[id].lib;
        if (!lib_tried[lib]) {
            lib_tried[lib] = 1;
            lib_handle[lib] = dlopen(bind_library_sonames[lib], RTLD_NOW | RTLD_LOCAL);
            if (bind_rt != NULL)
                rt_log(bind_rt, LOG_BIND, "host %s (%s): %s", bind_library_names[lib], bind_library_sonames[lib],
                       lib_handle[lib] ? "opened" : "missing: the guest's own code runs");
        }
        host_fn[id] = lib_handle[lib] ? dlsym(lib_handle[lib], bind_rows[id].host) : NULL;
        __atomic_store_n(&resolved[id], 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&gate_lock);
    return host_fn[id];
}

static bool host_stream(uint64_t strm)
{
    pthread_mutex_lock(&gate_lock);
    bool known = strm != 0 && u64map_find(&host_streams, strm) != NULL;
    pthread_mutex_unlock(&gate_lock);
    return known;
}

/* z_stream (zlib.h) on LP64, the same on both sides. */
enum { ZSTREAM_SIZE = 112, ZSTREAM_ZALLOC = 64, ZSTREAM_ZFREE = 72, Z_OK = 0, Z_STREAM_ERROR = -2 };

/* A new stream goes to the host's zlib when its allocators are zlib's
 * defaults and the guest's zlib is the host's version (the same version
 * compresses to the same bytes). */
static const char *zinit_refusal(const CpuState *s, unsigned version_arg)
{
    const uint8_t *strm = (const uint8_t *)s->x[0];
    const char *version = (const char *)s->x[version_arg];
    if (strm == NULL || version == NULL || (int32_t)s->x[version_arg + 1] != ZSTREAM_SIZE)
        return "no stream, no version or another z_stream size";
    uint64_t zalloc, zfree;
    memcpy(&zalloc, strm + ZSTREAM_ZALLOC, sizeof zalloc);
    memcpy(&zfree, strm + ZSTREAM_ZFREE, sizeof zfree);
    if (zalloc != 0 || zfree != 0)
        return "the guest's own allocators";
    const char *(*host_version)(void) = (const char *(*)(void))dlsym(lib_handle[BIND_LIB_ZLIB], "zlibVersion");
    if (host_version == NULL || strcmp(host_version(), version) != 0)
        return "the guest's zlib is another version";
    return NULL;
}

static bool zinit_ok(const CpuState *s, unsigned id, unsigned version_arg)
{
    const char *no = zinit_refusal(s, version_arg);
    if (bind_rt != NULL && (bind_rt->log_mask & LOG_BIND))
        rt_log(bind_rt, LOG_BIND, "%s of stream 0x%llx: %s%s", bind_rows[id].name, (unsigned long long)s->x[0],
               no ? "stays with the guest's zlib: " : "to the host's zlib", no ? no : "");
    return no == NULL;
}

/* Whether the host's glibc runs the FMA variants of its libm functions: it
 * picks them when the CPU has FMA and AVX2 (sysdeps/x86_64/fpu/multiarch),
 * unless GLIBC_TUNABLES changes the hardware capabilities it sees. */
static bool host_fma(void)
{
    static int known; /* 0 not yet, 1 no, 2 yes */
    int k = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (k == 0) {
        const char *tun = getenv("GLIBC_TUNABLES");
        __builtin_cpu_init();
        k = __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2") && (tun == NULL || !strstr(tun, "hwcaps"))
                ? 2 : 1;
        __atomic_store_n(&known, k, __ATOMIC_RELAXED);
        if (bind_rt != NULL)
            rt_log(bind_rt, LOG_BIND, "host libm: %s", k == 2 ? "FMA variants: the libm bindings that need them are on"
                                                              : "no FMA variants: the guest's own exp, sinh, ... run");
    }
    return k == 2;
}

__attribute__((visibility("default"))) void *dbt_rt_bind_gate(CpuState *s, uint32_t id)
{
    void *fn = id < BIND_COUNT ? resolve(id) : NULL;
    if (fn == NULL)
        return NULL;
    unsigned version_arg;
    switch (bind_gate(id, &version_arg)) {
    case BIND_GATE_NONE: return fn;
    case BIND_GATE_ZINIT: return zinit_ok(s, id, version_arg) ? fn : NULL;
    case BIND_GATE_ZUSE:
    case BIND_GATE_ZEND: return host_stream(s->x[0]) ? fn : NULL;
    case BIND_GATE_ZCOPY: return host_stream(s->x[1]) ? fn : NULL;
    case BIND_GATE_FPCR: return s->fpcr == 0 ? fn : NULL;
    case BIND_GATE_FMA: return s->fpcr == 0 && host_fma() ? fn : NULL;
    }
    return NULL;
}

/* After the host's call of a gated function: an initialized stream is the
 * host's from now on, an ended one no longer. */
__attribute__((visibility("default"))) void dbt_rt_bind_after(CpuState *s, uint32_t id, int64_t result)
{
    unsigned version_arg;
    enum BindGate gate = bind_gate(id, &version_arg);
    pthread_mutex_lock(&gate_lock);
    if ((gate == BIND_GATE_ZINIT || gate == BIND_GATE_ZCOPY) && result == Z_OK) {
        bool added;
        if (u64map_insert(&host_streams, s->x[0], &added) == NULL)
            rt_fatal("out of memory noting a zlib stream");
    } else if (gate == BIND_GATE_ZEND && result != Z_STREAM_ERROR) {
        U64Entry *e = u64map_find(&host_streams, s->x[0]);
        if (e != NULL)
            u64map_remove(&host_streams, e);
    }
    pthread_mutex_unlock(&gate_lock);
}
