/*
 * lifter_test.c - runs lifter test cases written as data.
 *
 *     lifter_test [options] cases/int_basic.txt ...
 *
 * Each line of a case file is one or more instruction words, the input
 * registers/flags/memory and the expected ones (format: README.md).  For each
 * case the runner lifts the words followed by RET into one guest function,
 * optimizes it with the default O2 pipeline, JIT-compiles it (jit_run.c), runs
 * it on a CpuState holding the inputs over the deterministic default pattern,
 * with the scratch memory mapped at CASE_SCRATCH_BASE, and compares the listed
 * outputs.  Expected values come from qemu-aarch64 (oracle/fill_expected.py),
 * never from the code under test.
 *
 * Every case runs in a child process, so a lifter assertion, an LLVM fatal
 * error or a crash of the lifted code fails that case only.  Exit status is
 * nonzero if any case fails; the last line is "N passed, N failed".
 */
#include <capstone/capstone.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case_file.h"
#include "jit_run.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

enum { CASE_TIMEOUT_SECONDS = 10 };

typedef struct Options {
    bool strict;      /* unlisted x0-x30, sp and scratch bytes must be unchanged */
    bool optimize;    /* default<O2> before codegen (-O0 turns it off) */
    bool show_ir;     /* print the IR of every case run, before running it */
    bool fork_cases;  /* run each case in a child process */
    bool verbose;     /* report passing cases too */
    bool memregs;     /* lift with the registers in the CpuState (LIFT_REGS_MEMORY) */
    volatile int *stage; /* enum JitStage of the running case, shared with the child */
    unsigned only_line; /* run only the cases on this line (0: all) */
} Options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: lifter_test [options] CASEFILE...\n"
            "  --strict          also require every unlisted x0-x30, sp and scratch byte unchanged\n"
            "  -O0               do not run the default<O2> pipeline before code generation\n"
            "  --regs-in-memory  lift with the registers kept in the CpuState (dbt-aot's cold tier)\n"
            "  --ir              print the lifted and the optimized IR of every case run\n"
            "  --line N          run only the case(s) on line N\n"
            "  --no-fork         run cases in this process (for a debugger)\n"
            "  -v                list passing cases too\n"
            "  --print-defaults  print the initial state of unlisted registers and memory\n");
}

/* "add x0, x1, x2; ret" for the case's words, or "?" if capstone cannot. */
static void disassemble(const uint32_t *words, size_t n, char *buf, size_t len)
{
    csh h;
    snprintf(buf, len, "?");
    if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &h) != CS_ERR_OK)
        return;
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t b[4] = {(uint8_t)words[i], (uint8_t)(words[i] >> 8), (uint8_t)(words[i] >> 16),
                        (uint8_t)(words[i] >> 24)};
        cs_insn *insn;
        size_t got = cs_disasm(h, b, 4, CASE_CODE_BASE + 4 * i, 1, &insn);
        int w = got ? snprintf(buf + used, len - used, "%s%s %s", i ? "; " : "", insn[0].mnemonic, insn[0].op_str)
                    : snprintf(buf + used, len - used, "%s.inst 0x%08x", i ? "; " : "", words[i]);
        if (got)
            cs_free(insn, got);
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
    }
    cs_close(&h);
}

static void case_header(const TestCase *tc, const char *verdict)
{
    char dis[512];
    disassemble(tc->words, tc->nwords, dis, sizeof dis);
    printf("%s %s:%u: %s\n", verdict, tc->file, tc->line, dis);
}

/* Compare one memory item with the scratch area; report a mismatch. */
static bool check_mem(FILE *out, const CaseMem *m)
{
    const uint8_t *p = (const uint8_t *)(uintptr_t)m->addr;
    if (memcmp(p, m->bytes, m->len) == 0)
        return true;
    fprintf(out, "    mem[0x%llx]: expected ", (unsigned long long)m->addr);
    for (size_t i = 0; i < m->len; i++)
        fprintf(out, "%02x", m->bytes[i]);
    fprintf(out, ", got ");
    for (size_t i = 0; i < m->len; i++)
        fprintf(out, "%02x", p[i]);
    fprintf(out, "\n");
    return false;
}

/* The scratch area before the case: the default pattern and the inputs. */
static void initial_scratch(const TestCase *tc, uint8_t *p)
{
    for (uint64_t i = 0; i < CASE_SCRATCH_SIZE; i++)
        p[i] = case_scratch_byte(CASE_SCRATCH_BASE + i);
    for (size_t k = 0; k < tc->in.nmem; k++)
        memcpy(p + (tc->in.mem[k].addr - CASE_SCRATCH_BASE), tc->in.mem[k].bytes, tc->in.mem[k].len);
}

/* --strict: every x register, sp and scratch byte the case does not list as
 * an output must still hold its input value. */
static bool check_unlisted(FILE *out, const TestCase *tc, const CpuState *before, const CpuState *after)
{
    bool ok = true;
    bool listed[32] = {false}; /* x0-x30, sp */
    for (size_t k = 0; k < tc->out.nitems; k++) {
        if (tc->out.items[k].kind == CR_X)
            listed[tc->out.items[k].idx] = true;
        else if (tc->out.items[k].kind == CR_SP)
            listed[31] = true;
    }
    for (unsigned r = 0; r < 32; r++) {
        uint64_t b = r < 31 ? before->x[r] : before->sp, a = r < 31 ? after->x[r] : after->sp;
        if (!listed[r] && a != b) {
            char name[8];
            snprintf(name, sizeof name, r < 31 ? "x%u" : "sp", r);
            fprintf(out, "    %s changed but is not listed (--strict): was 0x%llx, now 0x%llx\n", name,
                    (unsigned long long)b, (unsigned long long)a);
            ok = false;
        }
    }
    static uint8_t was[CASE_SCRATCH_SIZE];
    static bool checked[CASE_SCRATCH_SIZE]; /* bytes of listed outputs: check_mem's */
    initial_scratch(tc, was);
    memset(checked, 0, sizeof checked);
    for (size_t k = 0; k < tc->out.nmem; k++)
        memset(checked + (tc->out.mem[k].addr - CASE_SCRATCH_BASE), 1, tc->out.mem[k].len);
    const uint8_t *now = (const uint8_t *)(uintptr_t)CASE_SCRATCH_BASE;
    for (uint64_t i = 0; i < CASE_SCRATCH_SIZE; i++)
        if (!checked[i] && now[i] != was[i]) {
            fprintf(out, "    mem[0x%llx] changed but is not listed (--strict): was %02x, now %02x\n",
                    (unsigned long long)(CASE_SCRATCH_BASE + i), was[i], now[i]);
            ok = false;
            break;
        }
    return ok;
}

/* Compare the state after the case with its expected outputs; print the
 * mismatches to OUT.  True if everything matches. */
static bool check_case(FILE *out, const TestCase *tc, const Options *o, const CpuState *before,
                       const CpuState *s, const RtLog *log, const JitResult *jr)
{
    bool ok = true, trap_listed = false;
    for (size_t k = 0; k < tc->out.nitems; k++) {
        const CaseItem *it = &tc->out.items[k];
        uint64_t lo, hi = 0;
        if (it->kind == CR_TRAP) {
            trap_listed = true;
            lo = log->traps ? log->trap_kind : 0;
        } else {
            case_read_item(s, it, &lo, &hi);
        }
        if (lo != it->lo || hi != it->hi) {
            char name[16], want[64], got[64];
            case_item_name(it, name, sizeof name);
            case_format_value(it, it->lo, it->hi, want, sizeof want);
            case_format_value(it, lo, hi, got, sizeof got);
            fprintf(out, "    %s: expected %s, got %s\n", name, want, got);
            ok = false;
        }
    }
    if (log->traps && !trap_listed) {
        fprintf(out, "    unexpected trap (kind %u) at 0x%llx, word %08x%s\n", log->trap_kind,
                (unsigned long long)log->trap_pc, log->trap_insn,
                jr->untranslated ? ": the lifter did not translate an instruction" : "");
        ok = false;
    }
    if (log->lookups) {
        fprintf(out, "    branched out of the case to 0x%llx (not supported by the oracle)\n",
                (unsigned long long)log->lookup_pc);
        ok = false;
    }
    if (log->syscalls) {
        fprintf(out, "    made %u system call(s) (not supported by the runner)\n", log->syscalls);
        ok = false;
    }
    for (size_t k = 0; k < tc->out.nmem; k++)
        ok &= check_mem(out, &tc->out.mem[k]);
    if (o->strict)
        ok &= check_unlisted(out, tc, before, s);
    if (!ok && (log->cache_ops || log->sysreg_reads))
        fprintf(out, "    note: %u cache op(s), %u system register read(s) went to the runtime stand-ins\n",
                log->cache_ops, log->sysreg_reads);
    return ok;
}

/* Run one case in this process; print its report; true if it passed. */
static bool run_case(const TestCase *tc, const Options *o)
{
    CpuState s, before;
    case_default_state(&s);
    case_apply_inputs(&tc->in, &s);
    before = s;
    initial_scratch(tc, (uint8_t *)(uintptr_t)CASE_SCRATCH_BASE);

    if (o->show_ir)
        case_header(tc, "IR of");
    RtLog log = {0};
    JitOptions jo = {.pipeline = o->optimize ? "default<O2>" : NULL,
                     .ir_out = o->show_ir ? stdout : NULL,
                     .stage = o->stage,
                     .regs = o->memregs ? LIFT_REGS_MEMORY : LIFT_REGS_SSA};
    JitResult jr;
    char err[1024];
    if (jit_run_case(tc->words, tc->nwords, &jo, &s, &log, &jr, err, sizeof err) != 0) {
        case_header(tc, "FAIL");
        printf("    case: %s\n    %s\n", tc->text, err);
        return false;
    }

    char *report = NULL;
    size_t report_len = 0;
    FILE *out = open_memstream(&report, &report_len);
    bool ok = check_case(out, tc, o, &before, &s, &log, &jr);
    fclose(out);
    if (!ok || o->verbose)
        case_header(tc, ok ? "ok  " : "FAIL");
    if (!ok)
        printf("    case: %s\n%s", tc->text, report);
    free(report);
    return ok;
}

/* Run one case in a child; true if it passed. */
static bool run_case_isolated(const TestCase *tc, const Options *o)
{
    if (!o->fork_cases)
        return run_case(tc, o);
    fflush(stdout);
    *o->stage = 0;
    pid_t pid = fork();
    if (pid < 0) {
        perror("lifter_test: fork");
        return false;
    }
    if (pid == 0) {
        alarm(CASE_TIMEOUT_SECONDS);
        bool ok = run_case(tc, o);
        fflush(stdout);
        _exit(ok ? 0 : 1);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            perror("lifter_test: waitpid");
            return false;
        }
    if (WIFEXITED(status))
        return WEXITSTATUS(status) == 0;
    static const char *const stage_what[] = {
        [0] = "setting up",
        [STAGE_LIFT] = "lifting the case (a lifter crash or assertion)",
        [STAGE_OPTIMIZE] = "optimizing the lifted IR (LLVM crashed)",
        [STAGE_CODEGEN] = "compiling the lifted IR (LLVM crashed or a symbol did not resolve)",
        [STAGE_RUN] = "running the lifted code",
        [STAGE_DONE] = "checking the results",
    };
    int st = *o->stage;
    case_header(tc, "FAIL");
    printf("    case: %s\n", tc->text);
    if (WTERMSIG(status) == SIGALRM)
        printf("    timed out after %d s while %s\n", CASE_TIMEOUT_SECONDS, stage_what[st]);
    else
        printf("    the runner died with signal %d (%s) while %s\n", WTERMSIG(status),
               strsignal(WTERMSIG(status)), stage_what[st]);
    return false;
}

static void run_file(const char *path, const Options *o, unsigned *passed, unsigned *failed)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        printf("FAIL %s: cannot open: %s\n", path, strerror(errno));
        (*failed)++;
        return;
    }
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0;
    static TestCase tc;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        if (o->only_line && lineno != o->only_line)
            continue;
        char err[512];
        memset(&tc, 0, sizeof tc);
        int r = case_parse_line(line, &tc, err, sizeof err);
        if (r == 0)
            continue;
        if (r < 0) {
            printf("FAIL %s:%u: %s\n", path, lineno, err);
            (*failed)++;
            continue;
        }
        tc.file = path;
        tc.line = lineno;
        if (run_case_isolated(&tc, o))
            (*passed)++;
        else
            (*failed)++;
    }
    free(line);
    fclose(f);
}

int main(int argc, char **argv)
{
    Options o = {.optimize = true, .fork_cases = true};
    int first_file = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--strict") == 0) {
            o.strict = true;
        } else if (strcmp(a, "-O0") == 0) {
            o.optimize = false;
        } else if (strcmp(a, "--regs-in-memory") == 0) {
            o.memregs = true;
        } else if (strcmp(a, "--ir") == 0) {
            o.show_ir = true;
        } else if (strcmp(a, "--no-fork") == 0) {
            o.fork_cases = false;
        } else if (strcmp(a, "-v") == 0) {
            o.verbose = true;
        } else if (strcmp(a, "--line") == 0 && i + 1 < argc) {
            o.only_line = (unsigned)strtoul(argv[++i], NULL, 10);
        } else if (strcmp(a, "--print-defaults") == 0) {
            case_print_defaults();
            return 0;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "lifter_test: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else {
            first_file = i;
            break;
        }
    }
    if (first_file == argc) {
        usage(stderr);
        return 2;
    }

    void *scratch = mmap((void *)(uintptr_t)CASE_SCRATCH_BASE, CASE_SCRATCH_SIZE, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (scratch != (void *)(uintptr_t)CASE_SCRATCH_BASE) {
        fprintf(stderr, "lifter_test: cannot map the scratch area at 0x%llx: %s\n",
                (unsigned long long)CASE_SCRATCH_BASE, scratch == MAP_FAILED ? strerror(errno) : "address taken");
        return 2;
    }

    /* The children report how far they got here. */
    o.stage = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (o.stage == MAP_FAILED) {
        perror("lifter_test: mmap");
        return 2;
    }

    unsigned passed = 0, failed = 0;
    for (int i = first_file; i < argc; i++)
        run_file(argv[i], &o, &passed, &failed);
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
