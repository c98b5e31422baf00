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
#include <stdio.h>

#include "bind_table.h"
#include "runtime.h"

/* Read by the translated code (and by translated libraries in shared
 * objects of their own, hence the name: exported with the dbt_rt_ hooks). */
unsigned char dbt_rt_bind_on[BIND_COUNT] __attribute__((visibility("default")));

void bind_init(const Runtime *rt, const char *spec)
{
    size_t n;
    const char *bad = bind_parse(spec, dbt_rt_bind_on, &n);
    if (bad != NULL)
        rt_msg("warning: DBT_BIND: unknown library or function '%.*s' ignored with what follows it", (int)n, bad);
    if (!(rt->log_mask & LOG_BIND))
        return;
    char on[2048], off[2048];
    size_t lo = 0, lf = 0;
    on[0] = off[0] = '\0';
    for (unsigned i = 1; i < BIND_COUNT; i++) {
        char *buf = dbt_rt_bind_on[i] ? on : off;
        size_t *len = dbt_rt_bind_on[i] ? &lo : &lf;
        int w = snprintf(buf + *len, sizeof on - *len, " %s", bind_rows[i].name);
        if (w > 0 && (size_t)w < sizeof on - *len)
            *len += (size_t)w;
    }
    rt_log(rt, LOG_BIND, "host bindings on (where the translation bound the guest's function):%s",
           lo ? on : " none");
    rt_log(rt, LOG_BIND, "host bindings off:%s", lf ? off : " none");
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
