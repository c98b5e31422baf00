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
#include <pthread.h>
#include <stdio.h>

#include "bind_table.h"
#include "runtime.h"
#include "u64_map.h"

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

/* The guest functions the bound calls running on this thread were given
 * (innermost last): a trampoline calls the innermost.  A callback that
 * calls a bound function with a callback again pushes another and pops it
 * before it returns.  A callback that leaves by longjmp abandons its bound
 * call: its entry and those above go, and the guest goes on in the
 * dispatcher loop (the host frames of the bound function are dropped, as
 * a longjmp out of qsort drops qsort's).  Only the thread of the bound call
 * may call back: a host library calling the callback from a thread of its
 * own has no guest thread. */
enum { CALLBACK_DEPTH = 64 };
static _Thread_local struct {
    CpuState *cpu;
    unsigned n;
    uint64_t fn[CALLBACK_DEPTH];
} callbacks;

static uint64_t call_back(unsigned nargs, const uint64_t *args)
{
    if (callbacks.n == 0)
        rt_fatal("a host library called a guest callback from a thread that is not the guest's "
                 "(DBT_BIND=none runs the guest's own library code)");
    unsigned depth = callbacks.n;
    bool left;
    uint64_t r = dispatch_call_guest(callbacks.cpu, callbacks.fn[depth - 1], args, nargs, &left);
    if (left) {
        callbacks.n = depth - 1;
        dispatch_resume(callbacks.cpu);
    }
    return r;
}

/* One trampoline per callback signature of bind_table.h's BIND_CALLBACKS. */
static int32_t trampoline_i_pp(void *a, void *b)
{
    uint64_t args[2] = {(uint64_t)a, (uint64_t)b};
    return (int32_t)call_back(2, args);
}

static int64_t trampoline_l_ll(int64_t a, int64_t b)
{
    uint64_t args[2] = {(uint64_t)a, (uint64_t)b};
    return (int64_t)call_back(2, args);
}

static void *const trampolines[BIND_NCALLBACKS] = {
    [BIND_CB_i_pp] = (void *)trampoline_i_pp,
    [BIND_CB_l_ll] = (void *)trampoline_l_ll,
};

/* Called by the lifted code before it calls the host function (lifter/bind.c). */
__attribute__((visibility("default"))) void *dbt_rt_bind_callback(CpuState *s, uint64_t fn, uint32_t kind)
{
    if (callbacks.n == CALLBACK_DEPTH)
        rt_fatal("bound library calls with guest callbacks nested more than %d deep", CALLBACK_DEPTH);
    callbacks.cpu = s;
    callbacks.fn[callbacks.n++] = fn; /* a NULL one too: dbt_rt_bind_callback_done pops it */
    if (fn == 0 || kind == BIND_CB_NONE || kind >= BIND_NCALLBACKS)
        return NULL; /* the host function gets NULL, as it would natively */
    return trampolines[kind];
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
