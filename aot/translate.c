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
#include <limits.h>
#include <llvm-c/Core.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "codegen.h"
#include "decode.h"
#include "elf_input.h"
#include "emit_meta.h"
#include "lifter.h"
#include "link.h"

/* The module is split into NPARTS partitions, lifted and compiled in
 * parallel, one LLVM context each.  The split depends only on the input (not
 * on the number of CPUs), so the output is the same on every machine. */
enum { NPARTS = 8 };

typedef struct Part {
    const GuestImage *img;      /* shared, read-only */
    const Cfg *cfg;             /* shared, read-only */
    const TranslateOptions *o;  /* shared, read-only */
    size_t *funcs;              /* indices into cfg->funcs lifted here */
    size_t nfuncs, ninsns;
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    Lifter *lifter;
    Decoder *dec;
    char obj[PATH_MAX + 16];    /* object file written */
    size_t untranslated;        /* instructions turned into SIGILL traps */
    unsigned index;             /* which part */
    Diag diag;                  /* this part's error, if any */
    int rc;
} Part;

static bool env_read_code(void *ctx, uint64_t pc, uint32_t *w)
{
    const Part *p = ctx;
    uint8_t b[4];
    if (!elf_is_code(p->img, pc) || !elf_read(p->img, pc, b, 4))
        return false;
    *w = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

static bool env_read_data(void *ctx, uint64_t addr, void *buf, size_t n)
{
    const Part *p = ctx;
    return elf_read(p->img, addr, buf, n);
}

static LLVMValueRef declare_guest_fn(Lifter *l, uint64_t pc)
{
    LLVMValueRef f = lift_declare(l, pc);
    LLVMSetVisibility(f, LLVMHiddenVisibility);
    return f;
}

static LLVMValueRef env_function_at(void *ctx, uint64_t pc)
{
    const Part *p = ctx;
    return cfg_find(p->cfg, pc) ? declare_guest_fn(p->lifter, pc) : NULL;
}

static void env_describe(void *ctx, uint64_t pc, uint32_t w, char *buf, size_t n)
{
    const Part *p = ctx;
    DecInsn di;
    dec_one(p->dec, w, pc, &di);
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

/* Lift a part's functions and compile them to p->obj. */
static void part_run(Part *p)
{
    const TranslateOptions *o = p->o;
    for (size_t k = 0; k < p->nfuncs; k++) {
        const CfgFunc *f = &p->cfg->funcs[p->funcs[k]];
        declare_guest_fn(p->lifter, f->entry);
        LiftFunc lf = {f->entry,  f->leaders, f->ends,       f->nleaders,   f->indirect,
                       f->nindirect, f->resume, f->nresume, f->safepoints, f->nsafepoints};
        LiftStats st;
        lift_function(p->lifter, &lf, &st);
        p->untranslated += st.untranslated;
        if (o->verbose && st.untranslated) {
            char text[96];
            env_describe(p, st.first_untranslated, st.first_untranslated_word, text, sizeof text);
            fprintf(stderr, "dbt-aot: %s: 0x%llx: untranslated instruction (SIGILL if reached): %08x %s%s%s\n",
                    o->input, (unsigned long long)st.first_untranslated, st.first_untranslated_word, text,
                    f->name ? " in " : "", f->name ? f->name : "");
        }
    }
    char ir[PATH_MAX + 16];
    if (o->dump_ir)
        snprintf(ir, sizeof ir, "%s.%u", o->dump_ir, p->index);
    CodegenOptions co = {o->opt_level, o->cpu_level, o->dump_ir ? ir : NULL};
    p->rc = codegen_emit_object(p->mod, &co, p->obj, &p->diag);
}

/* Worker threads take the next part until none is left. */
typedef struct Queue {
    Part *parts;
    _Atomic unsigned next;
    _Atomic unsigned done;
    bool verbose;
    double t0;
} Queue;

static double now_s(void);

static void *worker(void *arg)
{
    Queue *q = arg;
    for (;;) {
        unsigned k = q->next++;
        if (k >= NPARTS)
            return NULL;
        part_run(&q->parts[k]);
        unsigned n = ++q->done;
        if (q->verbose)
            fprintf(stderr, "dbt-aot: compiled %u/%u parts (%.2fs)\n", n, NPARTS, now_s() - q->t0);
    }
}

typedef struct Row {
    uint64_t pc;       /* guest address */
    int kind;          /* 0 = function entry, 1 = resume point */
    size_t func;       /* index into cfg.funcs */
} Row;

static int cmp_row(const void *a, const void *b)
{
    const Row *x = a, *y = b;
    if (x->pc != y->pc)
        return x->pc < y->pc ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    return x->func < y->func ? -1 : x->func > y->func;
}

static int cmp_by_size(const void *a, const void *b, void *arg)
{
    const Cfg *cfg = arg;
    const CfgFunc *x = &cfg->funcs[*(const size_t *)a], *y = &cfg->funcs[*(const size_t *)b];
    if (x->ninsns != y->ninsns)
        return x->ninsns > y->ninsns ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

int translate(const TranslateOptions *o, Diag *d)
{
    int rc = -1;
    GuestImage img;
    Cfg cfg = {0};
    Part parts[NPARTS];
    memset(parts, 0, sizeof parts);
    char *runtime_dir = NULL, *jit_lib = NULL;
    char tmpdir[PATH_MAX] = "", tmpout[PATH_MAX + 32] = "", meta_obj[PATH_MAX + 16] = "";
    uint64_t *entries = NULL;
    LLVMValueRef *fns = NULL;
    size_t *order = NULL;
    LLVMContextRef mctx = NULL;
    LLVMModuleRef mmod = NULL;
    Lifter *mlift = NULL;
    double t0 = now_s();

    if (elf_load(&img, o->input, d) != 0)
        return -1;
    if (img.has_interp) {
        diag_error(d, "dynamically linked executables are not supported yet (the file has PT_INTERP); "
                      "link the guest with -static");
        goto out;
    }
    if (img.type != 2 /* ET_EXEC */) {
        diag_error(d, "position-independent executables are not supported yet; link the guest with -static -no-pie");
        goto out;
    }
    runtime_dir = link_find_runtime_dir(d);
    if (runtime_dir == NULL)
        goto out;

    /* Claim the output's temporary now: an unwritable destination fails fast. */
    snprintf(tmpout, sizeof tmpout, "%s.tmp.%ld", o->output, (long)getpid());
    int fd = open(tmpout, O_WRONLY | O_CREAT | O_EXCL, 0755);
    if (fd < 0) {
        diag_error(d, "cannot write %s: %s", o->output, strerror(errno));
        tmpout[0] = '\0';
        goto out;
    }
    close(fd);

    if (cfg_recover(&cfg, &img, o->all_functions, o->verbose, d) != 0)
        goto out;
    if (o->verbose)
        fprintf(stderr, "dbt-aot: %s: %zu functions, %zu instructions, %zu jump tables, %zu unresolved BR (%.2fs)\n",
                o->input, cfg.nfuncs, cfg.ninsns, cfg.njumptables, cfg.nunresolved, now_s() - t0);

    const char *td = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/dbt-aot.XXXXXX", td && *td ? td : "/tmp");
    if (mkdtemp(tmpdir) == NULL) {
        diag_error(d, "cannot create a temporary directory %s: %s", tmpdir, strerror(errno));
        tmpdir[0] = '\0';
        goto out;
    }
    codegen_init();

    /* Partition: largest functions first, each to the lightest part. */
    order = malloc(cfg.nfuncs * sizeof *order);
    for (size_t i = 0; i < cfg.nfuncs; i++)
        order[i] = i;
    qsort_r(order, cfg.nfuncs, sizeof *order, cmp_by_size, &cfg);
    for (unsigned k = 0; k < NPARTS; k++) {
        Part *p = &parts[k];
        p->index = k;
        p->img = &img;
        p->cfg = &cfg;
        p->o = o;
        p->funcs = malloc((cfg.nfuncs + 1) * sizeof *p->funcs);
        snprintf(p->obj, sizeof p->obj, "%s/part%u.o", tmpdir, k);
        p->ctx = LLVMContextCreate();
        char name[32];
        snprintf(name, sizeof name, "dbt-guest-%u", k);
        p->mod = LLVMModuleCreateWithNameInContext(name, p->ctx);
        LLVMSetSourceFileName(p->mod, name, strlen(name));
        if (dec_open(&p->dec) != 0) {
            diag_error(d, "cannot initialize capstone");
            goto out;
        }
        LiftEnv lenv = {p, env_read_code, env_read_data, env_function_at, env_describe};
        p->lifter = lift_new(p->mod, &lenv);
    }
    for (size_t i = 0; i < cfg.nfuncs; i++) {
        unsigned best = 0;
        for (unsigned k = 1; k < NPARTS; k++)
            if (parts[k].ninsns < parts[best].ninsns)
                best = k;
        parts[best].funcs[parts[best].nfuncs++] = order[i];
        parts[best].ninsns += cfg.funcs[order[i]].ninsns;
    }

    /* Lift and compile the parts on as many threads as there are CPUs. */
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned nthreads = ncpu < 1 ? 1 : ncpu > NPARTS ? NPARTS : (unsigned)ncpu;
    Queue q = {.parts = parts, .verbose = o->verbose, .t0 = t0};
    pthread_t th[NPARTS];
    unsigned started = 0;
    for (; started < nthreads; started++)
        if (pthread_create(&th[started], NULL, worker, &q) != 0)
            break;
    if (started == 0)
        worker(&q);
    for (unsigned j = 0; j < started; j++)
        pthread_join(th[j], NULL);
    size_t untranslated = 0;
    for (unsigned k = 0; k < NPARTS; k++) {
        if (parts[k].rc != 0) {
            *d = parts[k].diag;
            goto out;
        }
        untranslated += parts[k].untranslated;
    }
    if (o->verbose)
        fprintf(stderr, "dbt-aot: %zu instructions untranslated (SIGILL if reached)\n", untranslated);

    /* The metadata module: function table, guest image, DbtMeta. */
    mctx = LLVMContextCreate();
    mmod = LLVMModuleCreateWithNameInContext("dbt-meta", mctx);
    LLVMSetSourceFileName(mmod, "dbt-meta", 8);
    LiftEnv menv = {NULL, NULL, NULL, NULL, NULL};
    mlift = lift_new(mmod, &menv);
    /* The dispatcher's table: function entries, then resume points (which
     * map to the function containing them), sorted, one row per address
     * (a function entry wins). */
    size_t nrows = 0;
    for (size_t i = 0; i < cfg.nfuncs; i++)
        nrows += 1 + cfg.funcs[i].nresume;
    Row *rows = malloc((nrows ? nrows : 1) * sizeof *rows);
    nrows = 0;
    for (size_t i = 0; i < cfg.nfuncs; i++) {
        rows[nrows++] = (Row){cfg.funcs[i].entry, 0, i};
        for (size_t k = 0; k < cfg.funcs[i].nresume; k++)
            rows[nrows++] = (Row){cfg.funcs[i].resume[k], 1, i};
    }
    qsort(rows, nrows, sizeof *rows, cmp_row);
    entries = malloc((nrows ? nrows : 1) * sizeof *entries);
    fns = malloc((nrows ? nrows : 1) * sizeof *fns);
    size_t ntable = 0;
    for (size_t i = 0; i < nrows; i++) {
        if (ntable > 0 && entries[ntable - 1] == rows[i].pc)
            continue;
        entries[ntable] = rows[i].pc;
        fns[ntable++] = declare_guest_fn(mlift, cfg.funcs[rows[i].func].entry);
    }
    free(rows);
    jit_lib = link_jit_lib_path();
    MetaInput mi = {&img, base_name(o->input), entries, fns, ntable, codegen_level_number(o->cpu_level), jit_lib};
    meta_emit(mmod, &mi);
    snprintf(meta_obj, sizeof meta_obj, "%s/meta.o", tmpdir);
    CodegenOptions co = {0, o->cpu_level, NULL};
    if (codegen_emit_object(mmod, &co, meta_obj, d) != 0)
        goto out;

    const char *objs[NPARTS + 2];
    objs[0] = meta_obj;
    for (unsigned k = 0; k < NPARTS; k++)
        objs[k + 1] = parts[k].obj;
    objs[NPARTS + 1] = NULL;
    LinkInput li = {objs, runtime_dir, tmpout, o->verbose};
    if (link_output(&li, d) != 0)
        goto out;
    if (rename(tmpout, o->output) != 0) {
        diag_error(d, "cannot write %s: %s", o->output, strerror(errno));
        goto out;
    }
    tmpout[0] = '\0';
    if (o->verbose)
        fprintf(stderr, "dbt-aot: wrote %s (%.2fs)\n", o->output, now_s() - t0);
    rc = 0;
out:
    if (tmpout[0])
        unlink(tmpout);
    for (unsigned k = 0; k < NPARTS; k++) {
        Part *p = &parts[k];
        if (p->obj[0])
            unlink(p->obj);
        lift_free(p->lifter);
        if (p->mod)
            LLVMDisposeModule(p->mod);
        if (p->ctx)
            LLVMContextDispose(p->ctx);
        dec_close(p->dec);
        free(p->funcs);
    }
    if (meta_obj[0])
        unlink(meta_obj);
    lift_free(mlift);
    if (mmod)
        LLVMDisposeModule(mmod);
    if (mctx)
        LLVMContextDispose(mctx);
    if (tmpdir[0])
        rmdir(tmpdir);
    free(order);
    free(entries);
    free(fns);
    cfg_free(&cfg);
    free(runtime_dir);
    free(jit_lib);
    elf_free(&img);
    return rc;
}
