/*
 * translate.c - the offline pipeline (see translate.h).
 *
 * Output files appear atomically: lld writes "<output>.tmp.<pid>" next to
 * the output (created first, so an unwritable destination fails before the
 * long work), which is renamed over the output only when everything
 * succeeded; on any error it is removed.
 */
#include "translate.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <llvm-c/Core.h>
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

typedef struct Env {
    const GuestImage *img;
    const Cfg *cfg;
    Lifter *lifter;
    Decoder *dec;
} Env;

static bool env_read_code(void *ctx, uint64_t pc, uint32_t *w)
{
    const Env *e = ctx;
    uint8_t b[4];
    if (!elf_is_code(e->img, pc) || !elf_read(e->img, pc, b, 4))
        return false;
    *w = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

static bool env_read_data(void *ctx, uint64_t addr, void *buf, size_t n)
{
    const Env *e = ctx;
    return elf_read(e->img, addr, buf, n);
}

static LLVMValueRef env_function_at(void *ctx, uint64_t pc)
{
    const Env *e = ctx;
    return cfg_find(e->cfg, pc) ? lift_declare(e->lifter, pc) : NULL;
}

static void env_describe(void *ctx, uint64_t pc, uint32_t w, char *buf, size_t n)
{
    const Env *e = ctx;
    DecInsn di;
    dec_one(e->dec, w, pc, &di);
    snprintf(buf, n, "%s", di.text);
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

int translate(const TranslateOptions *o, Diag *d)
{
    int rc = -1;
    GuestImage img;
    Cfg cfg = {0};
    Decoder *dec = NULL;
    LLVMContextRef ctx = NULL;
    LLVMModuleRef mod = NULL;
    Lifter *lifter = NULL;
    char *runtime_dir = NULL;
    char tmpdir[PATH_MAX] = "", obj[PATH_MAX + 16] = "", tmpout[PATH_MAX + 32] = "";
    uint64_t *entries = NULL;
    LLVMValueRef *fns = NULL;
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

    if (dec_open(&dec) != 0) {
        diag_error(d, "cannot initialize capstone");
        goto out;
    }
    if (cfg_recover(&cfg, &img, o->verbose, d) != 0)
        goto out;
    if (o->verbose)
        fprintf(stderr, "dbt-aot: %s: %zu functions, %zu instructions, %zu jump tables, %zu unresolved BR (%.2fs)\n",
                o->input, cfg.nfuncs, cfg.ninsns, cfg.njumptables, cfg.nunresolved, now_s() - t0);

    ctx = LLVMContextCreate();
    mod = LLVMModuleCreateWithNameInContext("dbt-guest", ctx);
    LLVMSetSourceFileName(mod, "dbt-guest", 9);
    Env env = {.img = &img, .cfg = &cfg, .dec = dec};
    LiftEnv lenv = {&env, env_read_code, env_read_data, env_function_at, env_describe};
    lifter = lift_new(mod, &lenv);
    env.lifter = lifter;
    entries = malloc(cfg.nfuncs * sizeof *entries);
    fns = malloc(cfg.nfuncs * sizeof *fns);
    for (size_t i = 0; i < cfg.nfuncs; i++) {
        entries[i] = cfg.funcs[i].entry;
        fns[i] = lift_declare(lifter, entries[i]);
        LLVMSetLinkage(fns[i], LLVMInternalLinkage);
    }
    size_t untranslated = 0, reported = 0;
    for (size_t i = 0; i < cfg.nfuncs; i++) {
        const CfgFunc *f = &cfg.funcs[i];
        LiftFunc lf = {f->entry, f->leaders, f->ends, f->nleaders, f->indirect, f->nindirect};
        LiftStats st;
        lift_function(lifter, &lf, &st);
        untranslated += st.untranslated;
        if (o->verbose && st.untranslated && reported < 20) {
            char text[96];
            env_describe(&env, st.first_untranslated, st.first_untranslated_word, text, sizeof text);
            fprintf(stderr, "dbt-aot: %s: 0x%llx: untranslated instruction (SIGILL at run time): %08x %s%s%s\n",
                    o->input, (unsigned long long)st.first_untranslated, st.first_untranslated_word, text,
                    f->name ? " in " : "", f->name ? f->name : "");
            reported++;
        }
        if (o->verbose && (i + 1) % 500 == 0)
            fprintf(stderr, "dbt-aot: lifted %zu/%zu functions\n", i + 1, cfg.nfuncs);
    }
    if (o->verbose)
        fprintf(stderr, "dbt-aot: lifted %zu functions, %zu instructions untranslated (%.2fs)\n", cfg.nfuncs,
                untranslated, now_s() - t0);

    MetaInput mi = {&img, base_name(o->input), entries, fns, cfg.nfuncs, codegen_level_number(o->cpu_level)};
    meta_emit(mod, &mi);

    const char *td = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/dbt-aot.XXXXXX", td && *td ? td : "/tmp");
    if (mkdtemp(tmpdir) == NULL) {
        diag_error(d, "cannot create a temporary directory %s: %s", tmpdir, strerror(errno));
        tmpdir[0] = '\0';
        goto out;
    }
    snprintf(obj, sizeof obj, "%s/guest.o", tmpdir);
    CodegenOptions co = {o->opt_level, o->cpu_level, o->dump_ir};
    if (codegen_emit_object(mod, &co, obj, d) != 0)
        goto out;
    if (o->verbose)
        fprintf(stderr, "dbt-aot: code generated (%.2fs)\n", now_s() - t0);
    LinkInput li = {obj, runtime_dir, tmpout, o->verbose};
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
    if (obj[0])
        unlink(obj);
    if (tmpdir[0])
        rmdir(tmpdir);
    free(entries);
    free(fns);
    lift_free(lifter);
    if (mod)
        LLVMDisposeModule(mod);
    if (ctx)
        LLVMContextDispose(ctx);
    cfg_free(&cfg);
    dec_close(dec);
    free(runtime_dir);
    elf_free(&img);
    return rc;
}
