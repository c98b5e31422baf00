/*
 * difftest.c - the random differential instruction tester.
 *
 *     difftest --class CLASS|all --count N --seed S [--seq L] [--jobs J]
 *
 * For each class, N random but valid instruction sequences (gen.h) run
 * under qemu-aarch64 (oracle.c: a static AArch64 runner fed through a pipe)
 * and through the lifter and the JIT (translated.c), from the same random
 * state: X0-X30, SP, NZCV, V0-V31 biased to edge values, a random window of
 * scratch memory.  Everything afterwards is compared: the registers, NZCV,
 * FPCR, V0-V31, the whole scratch area, the trap (with --fpsr also FPSR).
 * A failing sequence is printed with its disassembly, its inputs and both
 * results, then minimized (minimize.c) to the first failing instruction as
 * a tests/lifter case line with qemu's expected values.
 *
 * Work is cut into batches (--batch sequences: one runner round trip, one
 * LLVM module); batch i of the run goes to worker i mod J, a process with
 * its own runner.  The coordinator prints the workers' reports in batch
 * order, so the output does not depend on J.  Sequence K of a class is a
 * function of (class, seed, K) alone: `--only K` reruns one.
 *
 * Output: one block per failing sequence, a summary per class, and the last
 * line "N passed, N failed" (sequences).  Exit status 1 if any failed, 2 on
 * a usage or setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "difftest.h"
#include "pipeline.h"
#include "gen.h"
#include "minimize.h"
#include "oracle.h"
#include "translated.h"

#ifndef DT_RUNNER_PATH
#define DT_RUNNER_PATH "dt_runner"
#endif

typedef struct Options {
    const GenClass *classes[16]; /* the classes to run */
    unsigned nclasses;
    unsigned long count;         /* sequences per class */
    unsigned long seed;
    unsigned seqlen;             /* words per sequence, 0: 8-16 at random */
    unsigned jobs;               /* worker processes */
    unsigned batch;              /* sequences per batch */
    long only;                   /* run only this sequence (-1: all) */
    unsigned cmp;                /* CMP_* */
    const char *pipeline;        /* translated side: LLVM pipeline (NULL: none) */
    int tool_level;              /* -1, or the tool -O level whose pipeline runs */
    enum LiftRegs regs;          /* translated side: where the registers live */
    bool minimize;               /* minimize failures */
    unsigned max_reports;        /* detailed reports per class and worker */
    bool print_only;             /* print the sequences, run nothing */
    unsigned gen_opts;           /* GEN_* */
    bool verbose;                /* print passing sequences too */
    bool progress;               /* a progress line on stderr after each batch */
    const char *qemu, *runner;
} Options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: difftest [options]\n"
            "  --class CLASS|all   instruction class (default all; --list shows them)\n"
            "  --count N           sequences per class (default 1000)\n"
            "  --seed S            random seed (default 1)\n"
            "  --seq L             words per sequence, 1..%d (default: 8 to 16 at random)\n"
            "  --jobs J            worker processes, each with its own qemu (default 1)\n"
            "  --batch B           sequences per batch: one qemu round trip, one LLVM module (default 500)\n"
            "  --only K            run only sequence K of each class (and print it)\n"
            "  --fpsr              compare FPSR too\n"
            "  --ext               also generate optional extensions dbt-aot does not implement (crypto PMULL)\n"
            "  --tool-ON           translated side: dbt-aot's own -ON pipeline (lifter/pipeline.c) instead of default<O2>\n"
            "  --fpcr              random FPCR (rounding mode, FZ, DN) in the FP/SIMD classes (default 0)\n"
            "  -O0                 translate without the default<O2> pipeline\n"
            "  --regs-in-memory    translated side: registers kept in the CpuState (dbt-aot's cold tier)\n"
            "  --no-minimize       do not reduce failures to a case line\n"
            "  --max-reports N     detailed reports per class and worker (default 10)\n"
            "  --print             print the generated sequences, run nothing\n"
            "  --list              list the classes\n"
            "  -v                  also print passing sequences\n"
            "  --progress          a progress line on stderr after each batch (default when stderr is a terminal)\n"
            "  --qemu PATH         qemu-aarch64 (default $QEMU_AARCH64 or qemu-aarch64)\n"
            "  --runner PATH       the AArch64 runner (default %s)\n",
            DT_MAX_WORDS, DT_RUNNER_PATH);
}

static bool parse_ulong(const char *s, unsigned long *v)
{
    char *end;
    errno = 0;
    *v = strtoul(s, &end, 0);
    return errno == 0 && *s && *end == 0;
}

static int parse_options(int argc, char **argv, Options *o)
{
    memset(o, 0, sizeof *o);
    o->count = 1000;
    o->seed = 1;
    o->jobs = 1;
    o->batch = 500;
    o->only = -1;
    o->pipeline = "default<O2>";
    o->tool_level = -1;
    o->minimize = true;
    o->max_reports = 10;
    o->progress = isatty(2);
    o->qemu = getenv("QEMU_AARCH64") ? getenv("QEMU_AARCH64") : "qemu-aarch64";
    o->runner = getenv("DIFFTEST_RUNNER") ? getenv("DIFFTEST_RUNNER") : DT_RUNNER_PATH;
    const char *cls = "all";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long n;
        bool takes = true;
        if (strcmp(a, "--class") == 0 && val)
            cls = val;
        else if (strcmp(a, "--count") == 0 && val && parse_ulong(val, &n))
            o->count = n;
        else if (strcmp(a, "--seed") == 0 && val && parse_ulong(val, &n))
            o->seed = n;
        else if (strcmp(a, "--seq") == 0 && val && parse_ulong(val, &n) && n >= 1 && n <= DT_MAX_WORDS)
            o->seqlen = (unsigned)n;
        else if (strcmp(a, "--jobs") == 0 && val && parse_ulong(val, &n) && n >= 1 && n <= 64)
            o->jobs = (unsigned)n;
        else if (strcmp(a, "--batch") == 0 && val && parse_ulong(val, &n) && n >= 1 && n <= DT_MAX_SLOTS)
            o->batch = (unsigned)n;
        else if (strcmp(a, "--only") == 0 && val && parse_ulong(val, &n))
            o->only = (long)n;
        else if (strcmp(a, "--max-reports") == 0 && val && parse_ulong(val, &n))
            o->max_reports = (unsigned)n;
        else if (strcmp(a, "--qemu") == 0 && val)
            o->qemu = val;
        else if (strcmp(a, "--runner") == 0 && val)
            o->runner = val;
        else {
            takes = false;
            if (strcmp(a, "--fpsr") == 0)
                o->cmp |= CMP_FPSR;
            else if (strcmp(a, "-O0") == 0)
                o->pipeline = NULL;
            else if (strcmp(a, "--regs-in-memory") == 0)
                o->regs = LIFT_REGS_MEMORY;
            else if (strncmp(a, "--tool-O", 8) == 0 && a[8] >= '0' && a[8] <= '3' && a[9] == 0) {
                o->tool_level = a[8] - '0';
                o->pipeline = dbt_opt_pipeline(o->tool_level);
            }
            else if (strcmp(a, "--no-minimize") == 0)
                o->minimize = false;
            else if (strcmp(a, "--print") == 0)
                o->print_only = true;
            else if (strcmp(a, "--ext") == 0)
                o->gen_opts |= GEN_EXT;
            else if (strcmp(a, "--fpcr") == 0)
                o->gen_opts |= GEN_FPCR;
            else if (strcmp(a, "-v") == 0)
                o->verbose = true;
            else if (strcmp(a, "--progress") == 0)
                o->progress = true;
            else if (strcmp(a, "--list") == 0) {
                for (size_t k = 0; gen_classes[k] != NULL; k++)
                    printf("%-10s %s\n", gen_classes[k]->name, gen_classes[k]->what);
                exit(0);
            } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                usage(stdout);
                exit(0);
            } else {
                fprintf(stderr, "difftest: bad option or value: %s%s%s\n", a, val ? " " : "", val ? val : "");
                usage(stderr);
                return -1;
            }
        }
        if (takes)
            i++;
    }
    /* --class takes a comma-separated list too. */
    char list[256];
    snprintf(list, sizeof list, "%s", cls);
    for (char *c = strtok(list, ","); c != NULL; c = strtok(NULL, ",")) {
        if (strcmp(c, "all") == 0) {
            for (size_t k = 0; gen_classes[k] != NULL && o->nclasses < 16; k++)
                o->classes[o->nclasses++] = gen_classes[k];
            continue;
        }
        const GenClass *gc = gen_find_class(c);
        if (gc == NULL) {
            fprintf(stderr, "difftest: unknown class '%s' (--list shows them)\n", c);
            return -1;
        }
        if (o->nclasses < 16)
            o->classes[o->nclasses++] = gc;
    }
    if (o->only >= 0) {
        o->verbose = true;
        o->jobs = 1;
    }
    return 0;
}

/* ---- the work: (class, batch) items --------------------------------------------------- */

typedef struct Item {
    unsigned cls;            /* index into Options.classes */
    unsigned long first, n;  /* sequences [first, first + n) of the class */
} Item;

static size_t make_items(const Options *o, Item **out)
{
    size_t cap = 16, n = 0;
    Item *it = malloc(cap * sizeof *it);
    for (unsigned c = 0; c < o->nclasses; c++) {
        unsigned long first = o->only >= 0 ? (unsigned long)o->only : 0;
        unsigned long end = o->only >= 0 ? first + 1 : o->count;
        for (unsigned long f = first; f < end; f += o->batch) {
            if (n == cap)
                it = realloc(it, (cap *= 2) * sizeof *it);
            it[n++] = (Item){c, f, end - f < o->batch ? end - f : o->batch};
        }
    }
    *out = it;
    return n;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_words(FILE *f, const GenSeq *s)
{
    for (unsigned i = 0; i < s->c.nwords; i++) {
        char dis[128];
        gen_disasm(s->c.words[i], dt_entry(0) + 4 * i, dis, sizeof dis);
        fprintf(f, "      #%-2u %08x  %-40s %s\n", i, s->c.words[i], dis, s->form[i]);
    }
}

static void print_sequence(FILE *f, const GenSeq *s, bool vregs)
{
    fprintf(f, "    words (word 0 at 0x%llx, in every slot's place):\n", (unsigned long long)dt_entry(0));
    print_words(f, s);
    fprintf(f, "    inputs:\n");
    dt_print_state(f, "      ", &s->c.in, vregs);
    fprintf(f, "      window 0x%llx+0x%llx: random, seed 0x%llx\n", (unsigned long long)DT_WINDOW_BASE,
            (unsigned long long)DT_WINDOW_SIZE, (unsigned long long)s->c.mem_seed);
}

/* The first word of a disassembly, the key of the summary. */
static void mnemonic(uint32_t w, char *buf, size_t n)
{
    char dis[128];
    gen_disasm(w, 0, dis, sizeof dis);
    size_t len = strcspn(dis, " ");
    snprintf(buf, n, "%.*s", (int)len, dis);
}

typedef struct Worker {
    const Options *o;
    Oracle oracle;
    unsigned reports[16];   /* detailed reports so far, per class */
    double t_gen, t_oracle, t_trans; /* seconds spent */
} Worker;

/* Run one item; write its message ("@B ...", "@K ...", report text, "@E") to OUT. */
static int run_item(Worker *w, const Item *it, size_t idx, FILE *out)
{
    const Options *o = w->o;
    const GenClass *cls = o->classes[it->cls];
    size_t n = it->n;
    GenSeq *seqs = malloc(n * sizeof *seqs);
    const DtCase **cases = malloc(n * sizeof *cases);
    DtOutcome *q = malloc(n * sizeof *q), *t = malloc(n * sizeof *t);
    char *text = NULL;
    size_t textlen = 0;
    FILE *rep = open_memstream(&text, &textlen);
    char err[512];
    int rc = -1;
    unsigned long insns = 0, passed = 0, failed = 0;

    double t0 = now();
    for (size_t i = 0; i < n; i++) {
        gen_sequence(cls, o->seed, it->first + i, o->seqlen, o->gen_opts, &seqs[i]);
        cases[i] = &seqs[i].c;
        insns += seqs[i].c.nwords;
    }
    double t1 = now();
    w->t_gen += t1 - t0;
    if (oracle_run(&w->oracle, cases, n, q, err, sizeof err) != 0) {
        fprintf(stderr, "difftest: %s\n", err);
        goto out;
    }
    double t2 = now();
    w->t_oracle += t2 - t1;
    if (trans_run(cases, n, o->pipeline, o->regs, t, err, sizeof err) != 0) {
        fprintf(stderr, "difftest: %s\n", err);
        goto out;
    }
    w->t_trans += now() - t2;

    bool vregs = (cls->flags & GC_VREGS) != 0;
    MinCtx mctx = {&w->oracle, o->pipeline, o->regs, o->cmp, o->seed};
    char *keys = NULL;
    size_t klen = 0;
    FILE *kf = open_memstream(&keys, &klen);
    for (size_t i = 0; i < n; i++) {
        const GenSeq *s = &seqs[i];
        enum DtVerdict v = dt_compare(&s->c, &q[i], &t[i], o->cmp);
        if (v == DT_SAME) {
            passed++;
            if (o->verbose) {
                fprintf(rep, "ok   %s #%llu\n", cls->name, (unsigned long long)s->index);
                print_sequence(rep, s, vregs);
                fprintf(rep, "    result:\n");
                dt_print_state(rep, "      ", &q[i].out, vregs);
            }
            continue;
        }
        failed++;
        char key[64] = "?";
        bool detailed = w->reports[it->cls] < o->max_reports;
        if (v == DT_UNTRANSLATED || ((v == DT_MISMATCH || v == DT_CRASH) && t[i].fault_idx >= 0 &&
                                     t[i].sig == SIGILL && t[i].untranslated))
            mnemonic(s->c.words[t[i].fault_idx], key, sizeof key);
        if (detailed) {
            w->reports[it->cls]++;
            fprintf(rep, "FAIL %s #%llu: %s\n", cls->name, (unsigned long long)s->index, dt_verdict_name(v));
            print_sequence(rep, s, vregs);
            fprintf(rep, "    qemu's result%s:\n", q[i].sig ? " (at the signal)" : "");
            dt_print_state(rep, "      ", &q[i].out, vregs);
            fprintf(rep, "    the translation's result differs in:\n");
            dt_print_diff(rep, &q[i], &t[i], o->cmp);
            if (v == DT_UNTRANSLATED) {
                char dis[128];
                gen_disasm(s->c.words[t[i].fault_idx], 0, dis, sizeof dis);
                fprintf(rep, "    untranslated word: #%d %08x  %s  (%s)\n", t[i].fault_idx,
                        s->c.words[t[i].fault_idx], dis, s->form[t[i].fault_idx]);
            }
            if (o->minimize && v != DT_ORACLE_FAULT) {
                fflush(rep);
                int k = min_sequence(&mctx, s, rep);
                if (k >= 0 && v != DT_UNTRANSLATED)
                    mnemonic(s->c.words[k], key, sizeof key);
            }
            fprintf(rep, "    reproduce: difftest --class %s --seed %lu --only %llu%s", cls->name, o->seed,
                    (unsigned long long)s->index, o->seqlen ? " --seq" : "");
            if (o->seqlen)
                fprintf(rep, " %u", o->seqlen);
            char lvl[32] = "";
            if (o->tool_level >= 0)
                snprintf(lvl, sizeof lvl, " --tool-O%d", o->tool_level);
            fprintf(rep, "%s%s%s%s%s%s\n", o->cmp & CMP_FPSR ? " --fpsr" : "", o->gen_opts & GEN_EXT ? " --ext" : "",
                    o->gen_opts & GEN_FPCR ? " --fpcr" : "", o->pipeline ? "" : " -O0", lvl,
                    o->regs == LIFT_REGS_MEMORY ? " --regs-in-memory" : "");
        }
        fprintf(kf, "@K %s %s\n", dt_verdict_name(v), key);
    }
    fclose(rep);
    rep = NULL;
    fclose(kf);
    fprintf(out, "@B %zu %lu %lu %lu %.3f %.3f %.3f\n", idx, passed, failed, insns, w->t_gen, w->t_oracle,
            w->t_trans);
    fwrite(keys, 1, klen, out);
    free(keys);
    fwrite(text, 1, textlen, out);
    fprintf(out, "@E\n");
    fflush(out);
    rc = ferror(out) ? -1 : 0; /* the coordinator is gone */
out:
    if (rep != NULL)
        fclose(rep);
    free(text);
    free(seqs);
    free(cases);
    free(q);
    free(t);
    return rc;
}

static void worker_main(const Options *o, const Item *items, size_t nitems, unsigned id, int fd)
{
    FILE *out = fdopen(fd, "w");
    Worker w;
    memset(&w, 0, sizeof w);
    w.o = o;
    char err[512];
    if (trans_map_scratch(err, sizeof err) != 0 || oracle_start(&w.oracle, o->qemu, o->runner, err, sizeof err) != 0) {
        fprintf(stderr, "difftest: %s\n", err);
        _exit(2);
    }
    for (size_t i = id; i < nitems; i += o->jobs)
        if (run_item(&w, &items[i], i, out) != 0)
            _exit(2);
    oracle_stop(&w.oracle);
    fclose(out);
    _exit(0);
}

/* ---- the coordinator --------------------------------------------------------------------- */

typedef struct KeyCount {
    char key[96];
    unsigned long n;
} KeyCount;

typedef struct ClassTotals {
    unsigned long seqs, insns, passed, failed;
    KeyCount keys[64];
    unsigned nkeys;
} ClassTotals;

static void count_key(ClassTotals *ct, const char *key)
{
    for (unsigned k = 0; k < ct->nkeys; k++)
        if (strcmp(ct->keys[k].key, key) == 0) {
            ct->keys[k].n++;
            return;
        }
    if (ct->nkeys < 64) {
        snprintf(ct->keys[ct->nkeys].key, sizeof ct->keys[0].key, "%s", key);
        ct->keys[ct->nkeys++].n = 1;
    }
}

static int print_only(const Options *o)
{
    for (unsigned c = 0; c < o->nclasses; c++) {
        unsigned long first = o->only >= 0 ? (unsigned long)o->only : 0;
        unsigned long end = o->only >= 0 ? first + 1 : o->count;
        for (unsigned long k = first; k < end; k++) {
            GenSeq s;
            gen_sequence(o->classes[c], o->seed, k, o->seqlen, o->gen_opts, &s);
            printf("%s #%lu\n", o->classes[c]->name, k);
            print_sequence(stdout, &s, (o->classes[c]->flags & GC_VREGS) != 0);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    Options o;
    if (parse_options(argc, argv, &o) != 0)
        return 2;
    if (o.print_only)
        return print_only(&o);
    if (access(o.runner, R_OK) != 0) {
        fprintf(stderr, "difftest: the runner %s is missing (build the target difftest_runner, or --runner PATH)\n",
                o.runner);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    Item *items;
    size_t nitems = make_items(&o, &items);
    if (o.jobs > nitems)
        o.jobs = nitems ? (unsigned)nitems : 1;

    double start = now();
    FILE *from[64];
    pid_t pids[64];
    for (unsigned j = 0; j < o.jobs; j++) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) != 0) {
            perror("difftest: pipe");
            return 2;
        }
        fflush(stdout);
        pids[j] = fork();
        if (pids[j] < 0) {
            perror("difftest: fork");
            return 2;
        }
        if (pids[j] == 0) {
            close(p[0]);
            for (unsigned k = 0; k < j; k++)
                fclose(from[k]);
            worker_main(&o, items, nitems, j, p[1]);
        }
        close(p[1]);
        from[j] = fdopen(p[0], "r");
    }

    ClassTotals *tot = calloc(o.nclasses, sizeof *tot);
    double t_gen[64] = {0}, t_oracle[64] = {0}, t_trans[64] = {0};
    char *line = NULL;
    size_t cap = 0;
    bool broken = false;
    for (size_t i = 0; i < nitems && !broken; i++) {
        unsigned j = (unsigned)(i % o.jobs);
        ClassTotals *ct = &tot[items[i].cls];
        bool ended = false;
        while (!ended) {
            if (getline(&line, &cap, from[j]) < 0) {
                fprintf(stderr, "difftest: worker %u stopped before batch %zu\n", j, i);
                broken = true;
                break;
            }
            if (strncmp(line, "@B ", 3) == 0) {
                size_t idx;
                unsigned long p, f, ins;
                double a, b, c;
                if (sscanf(line + 3, "%zu %lu %lu %lu %lf %lf %lf", &idx, &p, &f, &ins, &a, &b, &c) == 7) {
                    ct->seqs += p + f;
                    ct->passed += p;
                    ct->failed += f;
                    ct->insns += ins;
                    t_gen[j] = a;
                    t_oracle[j] = b;
                    t_trans[j] = c;
                }
            } else if (strncmp(line, "@K ", 3) == 0) {
                line[strcspn(line, "\n")] = 0;
                count_key(ct, line + 3);
            } else if (strcmp(line, "@E\n") == 0) {
                ended = true;
            } else {
                fputs(line, stdout);
            }
        }
        fflush(stdout);
        if (o.progress)
            fprintf(stderr, "difftest: %s: %lu/%lu sequences, %lu failed, %.0f s\n", o.classes[items[i].cls]->name,
                    ct->seqs, o.only >= 0 ? 1 : o.count, ct->failed, now() - start);
    }
    free(line);
    int status = 0;
    for (unsigned j = 0; j < o.jobs; j++) {
        fclose(from[j]);
        int st;
        waitpid(pids[j], &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            status = 2;
    }

    double elapsed = now() - start, sg = 0, so = 0, st = 0;
    for (unsigned j = 0; j < o.jobs; j++) {
        sg += t_gen[j];
        so += t_oracle[j];
        st += t_trans[j];
    }
    unsigned long passed = 0, failed = 0, insns = 0;
    for (unsigned c = 0; c < o.nclasses; c++) {
        ClassTotals *ct = &tot[c];
        printf("class %-10s %8lu sequences %9lu instructions: %lu passed, %lu failed\n", o.classes[c]->name,
               ct->seqs, ct->insns, ct->passed, ct->failed);
        for (unsigned k = 0; k < ct->nkeys; k++)
            printf("    %6lu x %s\n", ct->keys[k].n, ct->keys[k].key);
        passed += ct->passed;
        failed += ct->failed;
        insns += ct->insns;
    }
    printf("%lu instructions in %.1f s with %u job(s): %.0f instructions/s; worker time: generate %.1f s, "
           "qemu %.1f s, translate+run %.1f s\n",
           insns, elapsed, o.jobs, elapsed > 0 ? insns / elapsed : 0.0, sg, so, st);
    printf("%lu passed, %lu failed\n", passed, failed);
    free(tot);
    free(items);
    if (broken || status != 0)
        return 2;
    return failed ? 1 : 0;
}
