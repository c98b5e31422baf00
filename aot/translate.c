/*
 * translate.c - the offline pipeline (see translate.h).
 *
 * Output files appear atomically: lld writes "<output>.tmp.<pid>" next to
 * the output (created first, so an unwritable destination fails before the
 * long work), which is renamed over the output only when everything
 * succeeded; on any error it is removed.
 */
#define _GNU_SOURCE /* qsort_r */
#include "translate.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <llvm-c/Core.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "objects.h"
#include "objcache.h"
#include "codegen.h"
#include "decode.h"
#include "elf_input.h"
#include "guest_lines.h"
#include "emit_meta.h"
#include "lifter.h"
#include "link.h"
#include "pcmap.h"
#include "symnames.h"
#include "meta.h"
#include "profile.h"
#include "progress.h"
#include "report.h"

/* Code generation tiers (see "Tiers" in docs/architecture.md).  A function
 * is hot when the profile (--profile) saw it run, or without a profile when
 * it has a loop or is small (at most SMALL_IS_HOT instructions: cheap to
 * compile well, and the leaves that call-heavy code spends its time in -
 * longjmp_loop ran 1.4x slower with them cold); without a profile a
 * function without a loop of at most WARM_INSNS instructions is "warm"
 * (at -O2: registers in SSA, the -O1 passes and code generator - sqlite's
 * sort comparators, called through pointers, are such functions: the
 * sqlite workload ran 19% faster for 15% more translation time, hello's
 * translation took 3% more); everything else is cold, and cold code is
 * compiled the cheapest way: registers in the CpuState, no IR passes, fast
 * instruction selection and register allocation.
 * A hot function of more than HUGE_INSNS instructions is "huge": with its
 * registers in SSA form, register allocation grows faster than linearly
 * (Python's _PyEval_EvalFrameDefault, 13,552 instructions, took 713 of the
 * 939 CPU-seconds of a whole libpython translation), so it keeps its
 * registers in the CpuState and gets the level's IR passes and code
 * generator on that. */
enum { TIER_COLD = 0, TIER_HOT = 1, TIER_HUGE = 2, TIER_WARM = 3, NTIERS = 4 };
enum { SMALL_IS_HOT = 64, HUGE_INSNS = 8192, WARM_INSNS = 256 };

typedef struct Tier {
    const char *name;
    enum LiftRegs regs;   /* where the lifted code keeps the registers */
    int ir_level;         /* IR pipeline, lifter/pipeline.c */
    int cg_level;         /* code generator level */
} Tier;

/* [-O level][tier] */
static const Tier tiers[4][NTIERS] = {
    {{"cold", LIFT_REGS_MEMORY, 0, 0}, {"hot", LIFT_REGS_MEMORY, 0, 0}, {"huge", LIFT_REGS_MEMORY, 0, 0},
     {"warm", LIFT_REGS_MEMORY, 0, 0}},
    {{"cold", LIFT_REGS_MEMORY, 0, 0}, {"hot", LIFT_REGS_SSA, 1, 1}, {"huge", LIFT_REGS_MEMORY, 1, 1},
     {"warm", LIFT_REGS_MEMORY, 0, 0}},
    {{"cold", LIFT_REGS_MEMORY, 0, 0}, {"hot", LIFT_REGS_SSA, 2, 2}, {"huge", LIFT_REGS_MEMORY, 2, 2},
     {"warm", LIFT_REGS_SSA, 1, 1}},
    {{"cold", LIFT_REGS_SSA, 2, 2}, {"hot", LIFT_REGS_SSA, 3, 3}, {"huge", LIFT_REGS_SSA, 3, 3},
     {"warm", LIFT_REGS_SSA, 2, 2}},
};

/* Functions are translated in units of about UNIT_INSNS guest
 * instructions, each lifted into its own LLVM context, optimized, compiled
 * to an object file and freed, by as many worker threads as there are
 * CPUs, largest unit first.  Units depend only on the input (never on the
 * number of CPUs), and the objects are linked in unit order, so the output
 * is the same on every machine; memory holds only the units in flight. */
enum { UNIT_INSNS = 4096 };

typedef struct Unit {
    const size_t *funcs;        /* indices into cfg->funcs (a range of the order array) */
    size_t object;              /* the guest object its functions belong to (GuestObjects) */
    bool cached;                /* obj is a cached translation (objcache.h): nothing to do */
    size_t nfuncs, ninsns;
    const Tier *tier;           /* how its functions are compiled */
    size_t untranslated;        /* instructions turned into SIGILL traps */
    char obj[PATH_MAX + 32];    /* object file written */
    UnitReport rep;             /* what it cost */
    Diag diag;                  /* its error, if any */
    int rc;
} Unit;

/* What the workers share: read-only inputs, the queue, and per-function
 * slots that only the worker of the function's unit writes. */
typedef struct Work {
    const GuestObjects *objs;
    const Cfg *cfg;
    const TranslateOptions *o;
    Unit *units;
    size_t nunits;
    const size_t *schedule;     /* unit indices, largest first */
    _Atomic size_t next;        /* next schedule slot to take */
    _Atomic bool failed;        /* a unit failed: the others stop */
    size_t *func_ir;            /* IR instructions lifted, per function */
    unsigned *func_unit;        /* unit, per function */
    Progress *progress;
    const GuestLines *lines;    /* -g: each object's line table, else NULL */
    FuncUntranslated *func_untr; /* untranslated instructions, per function */
    const unsigned *func_bind;  /* the binding used (--bind allowing), per function */
} Work;

/* The LiftEnv context of one unit. */
typedef struct UnitEnv {
    const Work *w;
    Lifter *lifter;
    Decoder *dec;
} UnitEnv;

static bool env_read_code(void *ctx, uint64_t pc, uint32_t *w)
{
    const UnitEnv *u = ctx;
    const GuestImage *img = objects_at(u->w->objs, pc);
    uint8_t b[4];
    if (img == NULL || !elf_is_code(img, pc) || !elf_read(img, pc, b, 4))
        return false;
    *w = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

static bool env_read_data(void *ctx, uint64_t addr, void *buf, size_t n)
{
    const UnitEnv *u = ctx;
    const GuestImage *img = objects_at(u->w->objs, addr);
    return img != NULL && elf_read(img, addr, buf, n);
}

static bool env_line_at(void *ctx, uint64_t pc, LiftLine *out)
{
    const UnitEnv *u = ctx;
    const GuestImage *img = objects_at(u->w->objs, pc);
    return img != NULL && guest_lines_at(&u->w->lines[img - u->w->objs->imgs], pc, out);
}

/* The binding (include/bind_table.h) the function at ENTRY runs as, if
 * --bind lets it, else BIND_NONE. */
static unsigned bound_as(const GuestObjects *objs, const unsigned char *bind_on, uint64_t entry)
{
    const GuestImage *img = objects_at(objs, entry);
    unsigned id = img ? elf_binding_at(img, entry) : BIND_NONE;
    return bind_on[id] ? id : BIND_NONE;
}

/* The __errno_location of the image holding ENTRY, or 0. */
static uint64_t guest_errno_location(const GuestObjects *objs, uint64_t entry)
{
    const GuestImage *img = objects_at(objs, entry);
    return img ? img->errno_location : 0;
}

static LLVMValueRef declare_guest_fn(Lifter *l, uint64_t pc)
{
    LLVMValueRef f = lift_declare(l, pc);
    LLVMSetVisibility(f, LLVMHiddenVisibility);
    return f;
}

static LLVMValueRef env_function_at(void *ctx, uint64_t pc)
{
    const UnitEnv *u = ctx;
    return cfg_find(u->w->cfg, pc) ? declare_guest_fn(u->lifter, pc) : NULL;
}

static unsigned env_bind_at(void *ctx, uint64_t pc, uint64_t *errno_location)
{
    const UnitEnv *u = ctx;
    const CfgFunc *f = cfg_find(u->w->cfg, pc);
    unsigned id = f ? u->w->func_bind[f - u->w->cfg->funcs] : BIND_NONE;
    *errno_location = id != BIND_NONE ? guest_errno_location(u->w->objs, pc) : 0;
    return id;
}

static void env_describe(void *ctx, uint64_t pc, uint32_t w, char *buf, size_t n)
{
    const UnitEnv *u = ctx;
    DecInsn di;
    dec_one(u->dec, w, pc, &di);
    snprintf(buf, n, "%.*s", (int)(n - 1), di.text);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* The memory a translation of NINSNS guest instructions on THREADS worker
 * threads needs, in MB: 64 MB for the tool and LLVM, about 100 MB of LLVM
 * per worker compiling a unit, and 800 bytes per guest instruction for
 * the CFG, the guest images and the objects (measured peaks:
 * docs/threat-model.md - 1,015,684 instructions at -O0 in 620 MB, the
 * python driver's 861,397 at -O2 in 704 MB). */
static uint64_t needed_mb(size_t ninsns, unsigned threads)
{
    return 64 + 100ull * threads + (uint64_t)ninsns * 800 / (1u << 20);
}

/* The worker threads -j asks for, by default one per CPU this process may
 * run on (taskset, cgroups' cpusets); at least 1. */
static unsigned job_threads(const TranslateOptions *o)
{
    long n = o->jobs;
    cpu_set_t set;
    if (n <= 0)
        n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (unsigned)n;
}

/* What this process may still take, in MB: the kernel's MemAvailable and
 * free swap, or the address-space limit if lower; 0 if unknown. */
static uint64_t available_mb(void)
{
    uint64_t avail = 0, swap = 0, kb;
    char line[256];
    FILE *f = fopen("/proc/meminfo", "r");
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, "MemAvailable: %" SCNu64 " kB", &kb) == 1)
            avail = kb / 1024;
        else if (sscanf(line, "SwapFree: %" SCNu64 " kB", &kb) == 1)
            swap = kb / 1024;
    }
    if (f != NULL)
        fclose(f);
    uint64_t mb = avail ? avail + swap : 0;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && (mb == 0 || rl.rlim_cur / (1u << 20) < mb))
        mb = rl.rlim_cur / (1u << 20);
    return mb;
}

/* Lift unit U's functions into a fresh LLVM context, compile them to
 * U->obj, free the context. */
static void unit_run(Work *w, Unit *u, unsigned index, Decoder *dec)
{
    const TranslateOptions *o = w->o;
    double t0 = codegen_thread_cpu_s();
    LLVMContextRef ctx = LLVMContextCreate();
    if (o->dump_ir == NULL)
        LLVMContextSetDiscardValueNames(ctx, 1); /* names cost time in every pass */
    char name[32];
    snprintf(name, sizeof name, "dbt-unit-%u", index);
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext(name, ctx);
    LLVMSetSourceFileName(mod, name, strlen(name));
    UnitEnv env = {w, NULL, dec};
    uint64_t nzcv_wrong = 0; /* the first word lift_one found a64_nzcv wrong about */
    uint64_t gprs_wrong = 0; /* the same for a64_gprs (nothing relies on it yet: -v says so) */
    LiftEnv lenv = {&env, env_read_code, env_read_data, env_function_at, env_describe, true,
                    w->lines ? env_line_at : NULL, env_bind_at, codegen_level_number(o->cpu_level) >= 4};
    env.lifter = lift_new(mod, &lenv);
    for (size_t k = 0; k < u->nfuncs; k++) {
        size_t fi = u->funcs[k];
        const CfgFunc *f = &w->cfg->funcs[fi];
        LLVMValueRef fn = declare_guest_fn(env.lifter, f->entry);
        LiftFunc lf = {.entry = f->entry,
                       .leaders = f->leaders,
                       .ends = f->ends,
                       .nleaders = f->nleaders,
                       .indirect = f->indirect,
                       .nindirect = f->nindirect,
                       .landings = f->landings,
                       .nlandings = f->nlandings,
                       .noreturn_calls = f->noreturn_calls,
                       .nnoreturn_calls = f->nnoreturn_calls,
                       .flagfree_calls = f->flagfree_calls,
                       .nflagfree_calls = f->nflagfree_calls,
                       .flags_dead_at_return = f->flags_dead_at_return,
                       .safepoints = f->safepoints,
                       .nsafepoints = f->nsafepoints,
                       .flagfree_headers = f->flagfree_headers,
                       .nflagfree_headers = f->nflagfree_headers,
                       .regs = u->tier->regs,
                       .name = f->name,
                       .bind = w->func_bind[fi],
                       .errno_location = guest_errno_location(w->objs, f->entry)};
        LiftStats st;
        lift_function(env.lifter, &lf, &st);
        LLVMSetSection(fn, DBT_CODE_SECTION);
        u->untranslated += st.untranslated;
        w->func_ir[fi] = codegen_count_function_ir(fn);
        w->func_unit[fi] = index;
        u->rep.ir_lifted += w->func_ir[fi];
        if (st.nzcv_wrong && nzcv_wrong == 0)
            nzcv_wrong = st.first_nzcv_wrong;
        if (st.gprs_wrong && gprs_wrong == 0)
            gprs_wrong = st.first_gprs_wrong;
        if (st.untranslated) {
            FuncUntranslated *fu = &w->func_untr[fi];
            fu->count = st.untranslated;
            fu->first = st.first_untranslated;
            fu->word = st.first_untranslated_word;
            env_describe(&env, st.first_untranslated, st.first_untranslated_word, fu->text, sizeof fu->text);
        }
    }
    lift_finish(env.lifter);
    u->rep.lift_s = codegen_thread_cpu_s() - t0;
    if (gprs_wrong != 0 && o->verbose)
        fprintf(stderr, "dbt-aot: 0x%llx: lifter/a64_gpr.c misstates how this instruction uses X0-X30\n",
                (unsigned long long)gprs_wrong);
    if (nzcv_wrong != 0) { /* aot/cfg_flags.c's results cannot be trusted */
        u->rc = diag_error_at(&u->diag, nzcv_wrong,
                              "internal error: lifter/a64_nzcv.c misstates how this instruction uses the flags");
        lift_free(env.lifter);
        LLVMDisposeModule(mod);
        LLVMContextDispose(ctx);
        return;
    }
    char ir[PATH_MAX + 16];
    if (o->dump_ir)
        snprintf(ir, sizeof ir, "%s.%u", o->dump_ir, index);
    CodegenOptions co = {u->tier->ir_level, u->tier->cg_level, o->cpu_level, o->dump_ir ? ir : NULL};
    CodegenStats cs = {0};
    u->rc = codegen_emit_object(mod, &co, u->obj, &cs, &u->diag);
    u->rep.opt_s = cs.opt_s;
    u->rep.emit_s = cs.emit_s;
    u->rep.ir_after = cs.ir_after;
    u->rep.index = index;
    u->rep.nfuncs = u->nfuncs;
    u->rep.ninsns = u->ninsns;
    u->rep.tier = u->tier->name;
    lift_free(env.lifter);
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
    progress_add(w->progress, u->ninsns, u->nfuncs);
}

/* One worker thread and its decoder (for diagnostics). */
typedef struct Worker {
    Work *w;
    Decoder *dec;
    pthread_t th;
} Worker;

static void *worker(void *arg)
{
    Worker *me = arg;
    Work *w = me->w;
    for (;;) {
        size_t k = w->next++;
        if (k >= w->nunits || w->failed)
            break;
        Unit *u = &w->units[w->schedule[k]];
        unit_run(w, u, (unsigned)w->schedule[k], me->dec);
        if (u->rc != 0)
            w->failed = true;
    }
    return NULL;
}

/* Interrupted (SIGINT, SIGTERM, SIGHUP): remove what this run wrote - the
 * output's temporary and the unit objects - then die by the signal.  Only
 * async-signal-safe calls; the paths are fixed before the handlers go in. */
static struct {
    char out[PATH_MAX + 32];      /* the output's temporary, or "" */
    char dir[PATH_MAX];           /* the temporary directory, or "" */
    _Atomic size_t nunits;        /* unit<k>.o that may exist in it */
    char lib[PATH_MAX + 64];      /* a library's shared object being linked */
} cleanup;

static void remove_in_dir(const char *name)
{
    char p[PATH_MAX + 32];
    size_t n = 0;
    for (const char *s = cleanup.dir; *s && n < sizeof p - 24; s++)
        p[n++] = *s;
    p[n++] = '/';
    for (const char *s = name; *s && n < sizeof p - 1; s++)
        p[n++] = *s;
    p[n] = '\0';
    unlink(p);
}

static void on_interrupt(int sig)
{
    if (cleanup.out[0])
        unlink(cleanup.out);
    if (cleanup.lib[0])
        unlink(cleanup.lib);
    if (cleanup.dir[0]) {
        remove_in_dir("libmeta.o");
        remove_in_dir("lib.ver");
        for (size_t k = 0; k < cleanup.nunits; k++) {
            char name[32] = "unit", digits[24];
            size_t nd = 0, v = k, at = 4;
            do
                digits[nd++] = (char)('0' + v % 10);
            while ((v /= 10) != 0);
            while (nd > 0)
                name[at++] = digits[--nd];
            name[at++] = '.', name[at++] = 'o', name[at] = '\0';
            remove_in_dir(name);
        }
        remove_in_dir("meta.o");
        rmdir(cleanup.dir);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_interrupts(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], on_interrupt);
}

/* After lld: the access map in canonical order, and the guest's names on
 * the translated functions (symnames.h) of object K, or with K ==
 * SIZE_MAX of the objects the output holds itself. */
static int finish_linked(const char *path, const Cfg *cfg, const size_t *fobj, size_t k, bool shared_libs, Diag *d)
{
    if (pcmap_canonicalize(path, d) != 0)
        return -1;
    SymName *names = malloc((cfg->nfuncs ? cfg->nfuncs : 1) * sizeof *names);
    if (names == NULL)
        return diag_error(d, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < cfg->nfuncs; i++) {
        bool here = k == SIZE_MAX ? !shared_libs || fobj[i] == 0 : fobj[i] == k;
        if (here && cfg->funcs[i].name != NULL)
            names[n++] = (SymName){cfg->funcs[i].entry, cfg->funcs[i].name};
    }
    int rc = symnames_apply(path, names, n, d);
    free(names);
    return rc;
}

/* --shared-libs: library K (its functions are those with fobj == K, its
 * units those with object == K) as the host shared object SO, written
 * atomically: a file that exists is always whole. */
static int link_library_so(const TranslateOptions *o, const GuestObjects *gobj, const Cfg *cfg, const size_t *fobj,
                           const Unit *units, size_t nunits, size_t k, const char *so, const char *runtime_dir,
                           const char *tmpdir, Diag *d)
{
    int rc = -1;
    char meta_obj[PATH_MAX + 16], ver[PATH_MAX + 16], tmp[PATH_MAX + 64];
    snprintf(meta_obj, sizeof meta_obj, "%s/libmeta.o", tmpdir);
    snprintf(ver, sizeof ver, "%s/lib.ver", tmpdir);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", so, (long)getpid());
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext("dbt-lib-meta", ctx);
    LiftEnv env = {NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, false};
    Lifter *l = lift_new(mod, &env);
    uint64_t *entries = malloc((cfg->nfuncs ? cfg->nfuncs : 1) * sizeof *entries);
    LLVMValueRef *fns = malloc((cfg->nfuncs ? cfg->nfuncs : 1) * sizeof *fns);
    const char **objs = malloc((nunits + 2) * sizeof *objs);
    if (!entries || !fns || !objs) {
        diag_error(d, "out of memory");
        goto out;
    }
    size_t n = 0, nobj = 0;
    for (size_t i = 0; i < cfg->nfuncs; i++)
        if (fobj[i] == k) {
            entries[n] = cfg->funcs[i].entry;
            fns[n++] = declare_guest_fn(l, cfg->funcs[i].entry);
        }
    LibMetaInput li = {&gobj->imgs[k], gobj->paths[k], entries, fns, n, codegen_level_number(o->cpu_level)};
    lib_meta_emit(mod, &li);
    CodegenOptions co = {0, 0, o->cpu_level, NULL};
    if (codegen_emit_object(mod, &co, meta_obj, NULL, d) != 0)
        goto out;
    FILE *f = fopen(ver, "w");
    if (f == NULL || fprintf(f, "{ global: %s; local: *; };\n", DBT_LIB_META_SYMBOL) < 0 || fclose(f) != 0) {
        diag_error(d, "cannot write %s: %s", ver, strerror(errno));
        goto out;
    }
    objs[nobj++] = meta_obj;
    for (size_t i = 0; i < nunits; i++)
        if (units[i].object == k)
            objs[nobj++] = units[i].obj;
    objs[nobj] = NULL;
    snprintf(cleanup.lib, sizeof cleanup.lib, "%s", tmp);
    LinkInput lin = {objs, runtime_dir, tmp, o->verbose, false};
    if (link_library(&lin, ver, d) != 0 || finish_linked(tmp, cfg, fobj, k, true, d) != 0)
        goto out;
    if (rename(tmp, so) != 0) {
        diag_error(d, "cannot write %s: %s", so, strerror(errno));
        goto out;
    }
    if (o->verbose)
        fprintf(stderr, "dbt-aot: %s: wrote %s (%zu functions)\n", gobj->paths[k], so, n);
    rc = 0;
out:
    unlink(tmp);
    cleanup.lib[0] = '\0';
    unlink(meta_obj);
    unlink(ver);
    free(objs);
    free(fns);
    free(entries);
    lift_free(l);
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
    return rc;
}

/* Work order: each object's functions together (a unit never mixes
 * objects, so that a library's units can be cached), in it the functions
 * of each tier together, by entry address. */
typedef struct OrderKey {
    const int *tier;
    const size_t *object;
} OrderKey;

static int cmp_by_tier(const void *a, const void *b, void *arg)
{
    const OrderKey *k = arg;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (k->object[x] != k->object[y])
        return k->object[x] < k->object[y] ? -1 : 1;
    if (k->tier[x] != k->tier[y])
        return k->tier[x] - k->tier[y];
    return x < y ? -1 : x > y;
}

/* Schedule: the largest unit first, ties in unit order. */
static int cmp_unit_size(const void *a, const void *b, void *arg)
{
    const Unit *units = arg;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (units[x].ninsns != units[y].ninsns)
        return units[x].ninsns > units[y].ninsns ? -1 : 1;
    return x < y ? -1 : x > y;
}

int translate(const TranslateOptions *o, Diag *d)
{
    int rc = -1;
    GuestObjects gobj = {0};
    Cfg cfg = {0}, ocfg = {0};
    char *runtime_dir = NULL, *jit_lib = NULL;
    char tmpdir[PATH_MAX] = "", tmpout[PATH_MAX + 32] = "", meta_obj[PATH_MAX + 16] = "";
    uint64_t *entries = NULL;
    LLVMValueRef *fns = NULL;
    size_t *order = NULL, *schedule = NULL, *func_ir = NULL, *fobj = NULL;
    char (*keys)[33] = NULL;
    char (*sopath)[PATH_MAX + 64] = NULL;   /* --shared-libs: each library's shared object */
    const char **shared = NULL;             /* ... as MetaInput.shared wants it */
    bool *so_ready = NULL;                  /* ... there already */
    ObjCache cache;
    unsigned *func_unit = NULL;
    FuncUntranslated *func_untr = NULL;
    unsigned *func_bind = NULL;
    int *tier = NULL;
    Unit *units = NULL;
    size_t nunits = 0;
    Worker *workers = NULL;
    unsigned nworkers = 0;
    UnitReport *ureps = NULL;
    const char **objs = NULL;
    LLVMContextRef mctx = NULL;
    LLVMModuleRef mmod = NULL;
    Lifter *mlift = NULL;
    Profile prof = {0};
    GuestLines *lines = NULL;
    Report rep = {.input = base_name(o->input), .opt_level = o->opt_level};
    double t0 = now_s(), t;
    unsigned char bind_on[BIND_COUNT];
    size_t bad_len;
    if (bind_parse(o->bind, true, bind_on, &bad_len) != NULL)
        return diag_error(d, "--bind: unknown library or function");

    if (o->profile != NULL && profile_load(&prof, o->profile, d) != 0)
        return -1;
    if (objects_load(&gobj, o->input, o->sysroot, o->recorded, d) != 0)
        goto out;
    if (o->verbose && gobj.n > 1)
        for (size_t i = 1; i < gobj.n; i++)
            fprintf(stderr, "dbt-aot: %s needs %s (%s), translated for 0x%llx\n", o->input, gobj.paths[i],
                    gobj.files[i], (unsigned long long)gobj.imgs[i].bias);
    runtime_dir = link_find_runtime_dir(d);
    if (runtime_dir == NULL)
        goto out;

    /* Claim the output's temporary now: an unwritable destination fails fast. */
    snprintf(tmpout, sizeof tmpout, "%s.tmp.%ld", o->output, (long)getpid());
    snprintf(cleanup.out, sizeof cleanup.out, "%s", tmpout);
    catch_interrupts();
    int fd = open(tmpout, O_WRONLY | O_CREAT | O_EXCL, 0755);
    if (fd < 0) {
        diag_error(d, "cannot write %s: %s", o->output, strerror(errno));
        tmpout[0] = '\0';
        goto out;
    }
    close(fd);
    rep.load_s = now_s() - t0;

    t = now_s();
    /* Every function of a shared object may be called from another one
     * (through its GOT, bound at run time): all its symbols are roots. */
    for (size_t i = 0; i < gobj.n; i++) {
        Cfg *c = i == 0 ? &cfg : &ocfg;
        if (cfg_recover(c, &gobj.imgs[i], i == 0 ? o->all_functions : true, o->verbose, d) != 0)
            goto out;
        if (i > 0 && cfg_merge(&cfg, &ocfg) != 0) {
            diag_error(d, "out of memory");
            goto out;
        }
    }
    for (size_t i = 0; o->keep_flags && i < cfg.nfuncs; i++) {
        free(cfg.funcs[i].flagfree_calls);
        cfg.funcs[i].flagfree_calls = NULL;
        cfg.funcs[i].nflagfree_calls = 0;
        cfg.funcs[i].flags_dead_at_return = false;
        free(cfg.funcs[i].flagfree_headers);
        cfg.funcs[i].flagfree_headers = NULL;
        cfg.funcs[i].nflagfree_headers = 0;
    }
    rep.cfg_s = now_s() - t;
    if (o->debug_info) {
        size_t with = 0;
        lines = calloc(gobj.n, sizeof *lines);
        if (lines == NULL) {
            diag_error(d, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < gobj.n; i++) {
            if (guest_lines_read(&lines[i], gobj.files[i], gobj.imgs[i].bias, d) != 0)
                goto out;
            with += lines[i].nrows > 0;
        }
        if (with == 0)
            fprintf(stderr, "dbt-aot: warning: -g: %s has no DWARF line table (compile it with -g); no debug "
                            "information\n", o->input);
        else if (o->verbose)
            fprintf(stderr, "dbt-aot: -g: line tables of %zu of %zu objects, %zu rows in the program's\n", with,
                    gobj.n, lines[0].nrows);
    }
    if (o->verbose) {
        size_t ffc = 0, ffr = 0, ffl = 0, loops = 0;
        for (size_t i = 0; i < cfg.nfuncs; i++)
            ffc += cfg.funcs[i].nflagfree_calls, ffr += cfg.funcs[i].flags_dead_at_return,
                ffl += cfg.funcs[i].nflagfree_headers, loops += cfg.funcs[i].nsafepoints;
        fprintf(stderr,
                "dbt-aot: %s: %zu functions, %zu instructions, %zu jump tables, %zu unresolved BR, %zu functions "
                "that never return (%.2fs)\n",
                o->input, cfg.nfuncs, cfg.ninsns, cfg.njumptables, cfg.nunresolved, cfg.nnoreturn, now_s() - t0);
        fprintf(stderr,
                "dbt-aot: flags: %zu calls, the returns of %zu functions and %zu of %zu loop headers need not "
                "store them\n",
                ffc, ffr, ffl, loops);
        if (cfg.flags_off_at != 0) {
            const CfgFunc *in = cfg_containing(&cfg, cfg.flags_off_at);
            fprintf(stderr,
                    "dbt-aot: flags: the analysis is off for an image: code at the landing 0x%llx%s%s may read "
                    "them (docs/architecture.md, \"Flags at calls and returns\")\n",
                    (unsigned long long)cfg.flags_off_at, in && in->name ? " in " : "", in && in->name ? in->name : "");
        }
    }

    /* Refuse what would not fit rather than be killed by the OOM killer
     * halfway (--memory-limit; an estimate, see needed_mb). */
    {
        unsigned threads = job_threads(o);
        uint64_t need = needed_mb(cfg.ninsns, threads);
        uint64_t have = o->memory_limit_mb ? o->memory_limit_mb : available_mb();
        if (o->memory_limit_mb != UINT64_MAX && have != 0 && need > have) {
            diag_error(d, "translating %zu guest instructions on %u threads needs about %" PRIu64 " MB, %s %" PRIu64
                          " MB (fewer threads with -j, or --memory-limit)",
                       cfg.ninsns, threads, need, o->memory_limit_mb ? "--memory-limit allows" : "this machine has",
                       have);
            goto out;
        }
    }

    const char *td = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/dbt-aot.XXXXXX", td && *td ? td : "/tmp");
    if (mkdtemp(tmpdir) == NULL) {
        diag_error(d, "cannot create a temporary directory %s: %s", tmpdir, strerror(errno));
        tmpdir[0] = '\0';
        goto out;
    }
    snprintf(cleanup.dir, sizeof cleanup.dir, "%s", tmpdir);
    codegen_init();

    /* Tiers, then units of consecutive functions of one tier. */
    size_t nf = cfg.nfuncs;
    order = malloc((nf ? nf : 1) * sizeof *order);
    tier = malloc((nf ? nf : 1) * sizeof *tier);
    func_ir = calloc(nf ? nf : 1, sizeof *func_ir);
    func_unit = calloc(nf ? nf : 1, sizeof *func_unit);
    func_untr = calloc(nf ? nf : 1, sizeof *func_untr);
    func_bind = calloc(nf ? nf : 1, sizeof *func_bind);
    for (size_t i = 0; func_bind && i < nf; i++)
        func_bind[i] = bound_as(&gobj, bind_on, cfg.funcs[i].entry);
    units = calloc(nf ? nf : 1, sizeof *units);
    fobj = calloc(nf ? nf : 1, sizeof *fobj);
    keys = calloc(gobj.n, sizeof *keys);
    if (!order || !tier || !func_ir || !func_unit || !func_untr || !func_bind || !units || !fobj || !keys) {
        diag_error(d, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nf; i++) {
        order[i] = i;
        const GuestImage *img = objects_at(&gobj, cfg.funcs[i].entry);
        fobj[i] = img ? (size_t)(img - gobj.imgs) : 0;
        if (o->profile != NULL)
            tier[i] = profile_has(&prof, cfg.funcs[i].entry) ? TIER_HOT : TIER_COLD;
        else
            tier[i] = cfg.funcs[i].nsafepoints > 0 || cfg.funcs[i].ninsns <= SMALL_IS_HOT ? TIER_HOT
                      : cfg.funcs[i].ninsns <= WARM_INSNS                                 ? TIER_WARM
                                                                                          : TIER_COLD;
        if (tier[i] == TIER_HOT && cfg.funcs[i].ninsns > HUGE_INSNS)
            tier[i] = TIER_HUGE;
        /* A bound function's body runs only with its binding switched
         * off at run time (DBT_BIND): compiled the cheapest way. */
        if (func_bind[i] != BIND_NONE)
            tier[i] = TIER_COLD;
        rep.tier_funcs[tier[i]]++;
        rep.tier_insns[tier[i]] += cfg.funcs[i].ninsns;
    }
    OrderKey ok = {tier, fobj};
    qsort_r(order, nf, sizeof *order, cmp_by_tier, &ok);
    for (size_t i = 0; i < nf; i++) {
        const CfgFunc *f = &cfg.funcs[order[i]];
        Unit *u = nunits ? &units[nunits - 1] : NULL;
        if (u == NULL || u->ninsns >= UNIT_INSNS || tier[order[i]] != tier[u->funcs[0]] ||
            fobj[order[i]] != u->object) {
            u = &units[nunits];
            u->funcs = &order[i];
            u->object = fobj[order[i]];
            u->tier = &tiers[o->opt_level][tier[order[i]]];
            snprintf(u->obj, sizeof u->obj, "%s/unit%zu.o", tmpdir, nunits);
            nunits++;
        }
        u->nfuncs++;
        u->ninsns += f->ninsns;
    }
    if (o->verbose)
        fprintf(stderr,
                "dbt-aot: %zu units; cold tier %zu functions (%zu instructions), warm %zu (%zu), hot %zu (%zu), "
                "huge %zu (%zu)\n",
                nunits, rep.tier_funcs[TIER_COLD], rep.tier_insns[TIER_COLD], rep.tier_funcs[TIER_WARM],
                rep.tier_insns[TIER_WARM], rep.tier_funcs[TIER_HOT], rep.tier_insns[TIER_HOT],
                rep.tier_funcs[TIER_HUGE], rep.tier_insns[TIER_HUGE]);
    cleanup.nunits = nunits;

    /* Libraries translated before with the same options: their units are
     * linked from the cache (objcache.h). */
    /* Only libraries are cached: a static program leaves the cache alone. */
    /* Each library's key names its cache entry and its --shared-libs
     * object; made with the cache off too. */
    if (gobj.n > 1)
        objcache_init(&cache, o->cache_dir);
    else
        memset(&cache, 0, sizeof cache);
    for (size_t k = 1; k < gobj.n; k++)
        objcache_key(&cache, &gobj.imgs[k], o->opt_level, o->cpu_level, o->profile ? &prof : NULL,
                     (unsigned)o->debug_info | (unsigned)o->keep_flags << 1, bind_on, keys[k]);
    for (size_t k = 1; cache.on && k < gobj.n; k++) {
        size_t first = nunits, n = 0;
        for (size_t i = 0; i < nunits; i++)
            if (units[i].object == k) {
                first = i < first ? i : first;
                n++;
            }
        if (n == 0 || objcache_units(&cache, keys[k]) != n)
            continue;
        for (size_t j = 0; j < n; j++) {
            units[first + j].cached = true;
            objcache_unit_path(&cache, keys[k], j, units[first + j].obj, sizeof units[first + j].obj);
        }
        if (o->verbose)
            fprintf(stderr, "dbt-aot: %s: %zu units from the cache %s/%s\n", gobj.paths[k], n, cache.dir, keys[k]);
    }
    /* --shared-libs: each library is a shared object of its own in that
     * directory, named by the same key as the cache's; one that is there
     * already is neither compiled nor linked again. */
    bool shared_libs = o->shared_dir != NULL && gobj.n > 1;
    if (shared_libs) {
        char dir[PATH_MAX];
        sopath = calloc(gobj.n, sizeof *sopath);
        shared = calloc(gobj.n, sizeof *shared);
        so_ready = calloc(gobj.n, sizeof *so_ready);
        if (!sopath || !shared || !so_ready) {
            diag_error(d, "out of memory");
            goto out;
        }
        if ((mkdir(o->shared_dir, 0755) != 0 && errno != EEXIST) || realpath(o->shared_dir, dir) == NULL) {
            diag_error(d, "--shared-libs=%s: %s", o->shared_dir, strerror(errno));
            goto out;
        }
        for (size_t k = 1; k < gobj.n; k++) {
            snprintf(sopath[k], sizeof sopath[k], "%s/%s-%s.so", dir, base_name(gobj.paths[k]), keys[k]);
            shared[k] = sopath[k];
            if (access(sopath[k], R_OK) != 0)
                continue;   /* linked after the compile, from its units (compiled or cached) */
            so_ready[k] = true;
            for (size_t i = 0; i < nunits; i++)
                if (units[i].object == k)
                    units[i].cached = true;
            if (o->verbose)
                fprintf(stderr, "dbt-aot: %s: translated before, %s\n", gobj.paths[k], sopath[k]);
        }
    }
    schedule = malloc((nunits ? nunits : 1) * sizeof *schedule);
    ureps = calloc(nunits ? nunits : 1, sizeof *ureps);
    if (!schedule || !ureps) {
        diag_error(d, "out of memory");
        goto out;
    }
    size_t nsched = 0, cached_insns = 0, cached_funcs = 0;
    for (size_t i = 0; i < nunits; i++) {
        if (!units[i].cached)
            schedule[nsched++] = i;
        else
            cached_insns += units[i].ninsns, cached_funcs += units[i].nfuncs;
    }
    qsort_r(schedule, nsched, sizeof *schedule, cmp_unit_size, units);

    /* Lift and compile the units on -j threads, by default as many as
     * there are CPUs this process may run on (taskset, cgroups' cpusets).
     * The output does not depend on it. */
    unsigned ncpu = job_threads(o);
    nworkers = ncpu > nsched ? (unsigned)(nsched ? nsched : 1) : ncpu;
    workers = calloc(nworkers, sizeof *workers);
    if (workers == NULL) {
        diag_error(d, "out of memory");
        goto out;
    }
    Progress progress;
    progress_init(&progress, base_name(o->input), cfg.ninsns - cached_insns, nf - cached_funcs, !o->verbose);
    Work w = {.objs = &gobj, .cfg = &cfg, .o = o, .units = units, .nunits = nsched, .schedule = schedule,
              .func_ir = func_ir, .func_unit = func_unit, .progress = &progress, .lines = lines,
              .func_untr = func_untr, .func_bind = func_bind};
    for (unsigned k = 0; k < nworkers; k++) {
        workers[k].w = &w;
        if (dec_open(&workers[k].dec) != 0) {
            diag_error(d, "cannot initialize capstone");
            progress_end(&progress);
            goto out;
        }
    }
    unsigned started = 0;
    for (; started < nworkers; started++)
        if (pthread_create(&workers[started].th, NULL, worker, &workers[started]) != 0)
            break;
    if (started == 0)
        worker(&workers[0]);
    for (unsigned j = 0; j < started; j++)
        pthread_join(workers[j].th, NULL);
    progress_end(&progress);
    rep.threads = started ? started : 1;
    for (size_t k = 0; k < nunits; k++) {
        if (units[k].rc != 0) {
            *d = units[k].diag;
            goto out;
        }
        ureps[k] = units[k].rep;
        rep.untranslated += units[k].untranslated;
        rep.lift_s += units[k].rep.lift_s;
        rep.opt_s += units[k].rep.opt_s;
        rep.emit_s += units[k].rep.emit_s;
        rep.ir_lifted += units[k].rep.ir_lifted;
        rep.ir_after += units[k].rep.ir_after;
    }
    if (o->verbose)
        fprintf(stderr, "dbt-aot: %zu units compiled (%.2fs), %zu from the cache%s; %zu instructions untranslated (SIGILL if reached)\n",
                nsched, now_s() - t0, nunits - nsched, shared_libs ? " or --shared-libs" : "", rep.untranslated);
    /* Libraries compiled now go into the cache for the next program. */
    for (size_t k = 1; cache.on && k < gobj.n; k++) {
        const char *paths[nunits ? nunits : 1];
        size_t n = 0;
        bool fresh = true;
        for (size_t i = 0; i < nunits; i++)
            if (units[i].object == k) {
                fresh = fresh && !units[i].cached;
                paths[n++] = units[i].obj;
            }
        char name[PATH_MAX * 2 + 8];
        snprintf(name, sizeof name, "%s (%s)", gobj.paths[k], gobj.files[k]);
        if (n > 0 && fresh)
            objcache_store(&cache, keys[k], name, paths, n);
    }

    /* --shared-libs: the libraries compiled now become their shared objects. */
    for (size_t k = 1; shared_libs && k < gobj.n; k++) {
        if (!so_ready[k] && link_library_so(o, &gobj, &cfg, fobj, units, nunits, k, sopath[k], runtime_dir, tmpdir, d) != 0)
            goto out;
    }

    /* The metadata module: function table, guest image, DbtMeta. */
    t = now_s();
    mctx = LLVMContextCreate();
    mmod = LLVMModuleCreateWithNameInContext("dbt-meta", mctx);
    LLVMSetSourceFileName(mmod, "dbt-meta", 8);
    LiftEnv menv = {NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, false};
    mlift = lift_new(mmod, &menv);
    /* The dispatcher's table: the function entries (cfg.funcs is sorted). */
    entries = malloc((cfg.nfuncs ? cfg.nfuncs : 1) * sizeof *entries);
    fns = malloc((cfg.nfuncs ? cfg.nfuncs : 1) * sizeof *fns);
    if (entries == NULL || fns == NULL) {
        diag_error(d, "out of memory");
        goto out;
    }
    size_t ntable = 0;
    for (size_t i = 0; i < cfg.nfuncs; i++) {
        if (shared_libs && fobj[i] != 0)
            continue;   /* in its library's shared object */
        entries[ntable] = cfg.funcs[i].entry;
        fns[ntable++] = declare_guest_fn(mlift, cfg.funcs[i].entry);
    }
    jit_lib = link_jit_lib_path();
    if (jit_lib == NULL)
        diag_warn(o->input, "no libdbt_jit.so next to dbt-aot or in its %s: code found only at run time will "
                  "stop the output (unless DBT_JIT_LIB names a JIT library)", DBT_INSTALL_JIT_DIR);
    MetaInput mi = {&gobj, base_name(o->input), entries, fns, ntable, codegen_level_number(o->cpu_level), jit_lib,
                    shared};
    meta_emit(mmod, &mi);
    snprintf(meta_obj, sizeof meta_obj, "%s/meta.o", tmpdir);
    CodegenOptions co = {0, 0, o->cpu_level, NULL};
    if (codegen_emit_object(mmod, &co, meta_obj, NULL, d) != 0)
        goto out;
    rep.meta_s = now_s() - t;

    t = now_s();
    objs = malloc((nunits + 2) * sizeof *objs);
    if (objs == NULL) {
        diag_error(d, "out of memory");
        goto out;
    }
    objs[0] = meta_obj;
    size_t nlink = 1;
    for (size_t k = 0; k < nunits; k++)
        if (!shared_libs || units[k].object == 0)
            objs[nlink++] = units[k].obj;
    objs[nlink] = NULL;
    LinkInput li = {objs, runtime_dir, tmpout, o->verbose, shared_libs};
    if (link_output(&li, d) != 0 || finish_linked(tmpout, &cfg, fobj, SIZE_MAX, shared_libs, d) != 0)
        goto out;
    struct stat sb;
    if (stat(tmpout, &sb) == 0)
        rep.output_bytes = (uint64_t)sb.st_size;
    rep.link_s = now_s() - t;
    if (rename(tmpout, o->output) != 0) {
        diag_error(d, "cannot write %s: %s", o->output, strerror(errno));
        goto out;
    }
    tmpout[0] = '\0';
    rep.wall_s = now_s() - t0;
    rep.nfuncs = cfg.nfuncs;
    rep.ninsns = cfg.ninsns;
    rep.njumptables = cfg.njumptables;
    rep.nnoreturn = cfg.nnoreturn;
    for (size_t i = 0; i < cfg.nfuncs; i++) {
        rep.nnoreturn_calls += cfg.funcs[i].nnoreturn_calls;
        rep.nflagfree_calls += cfg.funcs[i].nflagfree_calls;
        rep.nflagfree_returns += cfg.funcs[i].flags_dead_at_return;
        rep.nflagfree_loops += cfg.funcs[i].nflagfree_headers;
    }
    rep.nunresolved = cfg.nunresolved;
    rep.units = ureps;
    rep.nunits = nunits;
    rep.cfg = &cfg;
    rep.func_ir = func_ir;
    rep.func_unit = func_unit;
    rep.func_untr = func_untr;
    rep.func_bind = func_bind;
    report_sample_process(&rep);
    if (o->verbose) {
        fprintf(stderr, "dbt-aot: wrote %s (%.2fs)\n", o->output, now_s() - t0);
        report_print(&rep, stderr);
    }
    if (o->time_report && report_write_json(&rep, o->time_report, d) != 0)
        goto out;
    rc = 0;
out:
    cleanup.out[0] = cleanup.dir[0] = '\0'; /* from here on, ours to remove */
    if (tmpout[0])
        unlink(tmpout);
    for (size_t k = 0; k < nunits; k++)
        if (units[k].obj[0] && !units[k].cached)
            unlink(units[k].obj);
    for (unsigned k = 0; workers && k < nworkers; k++)
        dec_close(workers[k].dec);
    if (meta_obj[0])
        unlink(meta_obj);
    lift_free(mlift);
    if (mmod)
        LLVMDisposeModule(mmod);
    if (mctx)
        LLVMContextDispose(mctx);
    if (tmpdir[0])
        rmdir(tmpdir);
    free(objs);
    free(workers);
    free(ureps);
    free(schedule);
    free(units);
    free(func_unit);
    free(func_untr);
    free(func_bind);
    free(func_ir);
    free(tier);
    free(order);
    free(fobj);
    free(keys);
    free(sopath);
    free(shared);
    free(so_ready);
    for (size_t i = 0; lines && i < gobj.n; i++)
        guest_lines_free(&lines[i]);
    free(lines);
    free(entries);
    free(fns);
    cfg_free(&cfg);
    cfg_free(&ocfg);
    profile_free(&prof);
    free(runtime_dir);
    free(jit_lib);
    objects_free(&gobj);
    return rc;
}
