/*
 * dbt_run.c - dbt-run, the launcher: run an AArch64 Linux program by name
 * on x86-64, translating it with dbt-aot the first time.
 *
 *     dbt-run [-v] [--sysroot DIR] PROGRAM [ARGS...]
 *
 * PROGRAM is a path, or a name looked up in PATH (the first executable
 * AArch64 ELF file there: the host's own x86-64 `ls` earlier in PATH is
 * passed over).  Its translation is kept in the cache directory
 * (cachedir.h) under a key hashed from everything it depends on:
 *
 *     <cache>/programs/<basename>-<key>         the translated program
 *     <cache>/programs/.<basename>-<key>.lock   held while it is made
 *
 *     key = hash(dbt-aot's path and bytes, the runtime it links with
 *                (libdbt_runtime.a, x86_64-output.ld), PROGRAM's bytes,
 *                the sysroot's real path, $DBT_RUN_FLAGS)
 *
 * so a new translator, another program under the same name or other
 * options never find a stale output.  When the output is there it is
 * exec'd at once; otherwise dbt-aot (found next to this executable, as an
 * installation puts both into bin/) translates it first - before the
 * program starts, with dbt-aot's progress line on a terminal; the program
 * does not start under the JIT while it is translated.  dbt-aot writes
 * OUTPUT.tmp.PID and renames it into place, so a reader never sees half an
 * output; the lock file makes a second dbt-run of the same program wait
 * for the first translation instead of repeating it.  With the cache off
 * ($DBT_AOT_CACHE=off) the output goes to $TMPDIR, is opened, unlinked and
 * run through its descriptor (fexecve): nothing stays behind.
 *
 * The program then replaces dbt-run (execv, no child): its argv is the
 * one dbt-run got from PROGRAM on - argv[0] as the user gave it - its
 * environment is dbt-run's, and its exit status and signals are the
 * caller's to see directly.
 *
 * binfmt_misc (scripts/binfmt.sh) registers dbt-run as the interpreter of
 * AArch64 executables with the P flag (preserve argv[0]); the kernel then
 * runs `dbt-run FILE ARGV0 ARGS...`.  dbt-run knows it was started so by
 * its auxiliary vector: AT_EXECFN, the file the kernel was asked to run,
 * is an AArch64 ELF file rather than dbt-run itself.
 *
 * Options: --sysroot DIR (else $DBT_SYSROOT) for dynamically linked
 * programs; $DBT_RUN_FLAGS, more dbt-aot options separated by spaces
 * (e.g. -O0); -v or $DBT_RUN_LOG=1 report on stderr whether the
 * translation came from the cache or was made now, and its path.
 *
 * Exit status: the program's; 127 if it is missing or could not be
 * translated, 126 if it is not an AArch64 executable or could not be run,
 * 2 for a usage error.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cachedir.h"
#include "hash.h"
#include "tooldir.h"

/* The shell's convention: 127 not found, 126 found but not runnable. */
#define EXIT_NOT_FOUND 127
#define EXIT_NO_TRANSLATION 127
#define EXIT_NO_RUN 126
#define MAX_FLAGS 32

/* What one run of dbt-run does. */
typedef struct Launch {
    char program[PATH_MAX];  /* the AArch64 file to run */
    char **argv;             /* its argv, argv[0] as the user gave it */
    const char *sysroot;     /* --sysroot or $DBT_SYSROOT, or NULL */
    char sysroot_real[PATH_MAX]; /* its real path (part of the key) */
    char *flags[MAX_FLAGS];  /* $DBT_RUN_FLAGS, split */
    int nflags;
    char *flags_buf;         /* the copy FLAGS point into */
    bool log;                /* -v or $DBT_RUN_LOG */
    char aot[PATH_MAX + 16]; /* dbt-aot, next to this executable */
    char runtime_dir[PATH_MAX + 32]; /* the runtime dbt-aot links with */
} Launch;

static void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

static void die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dbt-run: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(status);
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: dbt-run [-v] [--sysroot DIR] PROGRAM [ARGS...]\n"
            "Run a Linux AArch64 program on x86-64: translated by dbt-aot on first use,\n"
            "from the cache (~/.cache/dbt-aot/programs, $DBT_AOT_CACHE) after that.\n"
            "\n"
            "  PROGRAM          a path, or a name looked up in PATH (the first AArch64\n"
            "                   executable there)\n"
            "  --sysroot DIR    the AArch64 root of a dynamically linked program's\n"
            "                   libraries (default $DBT_SYSROOT)\n"
            "  -v               say on stderr whether the translation came from the\n"
            "                   cache or was made now (also $DBT_RUN_LOG=1)\n"
            "  -h, --help       show this help and exit\n"
            "\n"
            "$DBT_RUN_FLAGS: more dbt-aot options for the translation (e.g. -O0).\n"
            "Exit status: the program's; 127 missing or translation failed, 126 not an\n"
            "AArch64 executable or cannot run; 2 usage.\n");
}

/* Why the file at PATH is not an AArch64 Linux executable, or NULL if it
 * is one. */
static const char *not_aarch64(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return strerror(errno);
    Elf64_Ehdr eh;
    ssize_t n = pread(fd, &eh, sizeof eh, 0);
    close(fd);
    if (n != (ssize_t)sizeof eh || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
        return "not an ELF file";
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_AARCH64)
        return "not an AArch64 (64-bit little-endian) ELF file";
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
        return "not an executable (an object file or a core dump)";
    return NULL;
}

/* PROGRAM as execvp would find it, but only an AArch64 executable: a path
 * is taken as it is, a name is looked up in PATH. */
static void find_program(Launch *l, const char *name)
{
    if (strchr(name, '/') != NULL) {
        snprintf(l->program, sizeof l->program, "%s", name);
        if (access(name, F_OK) != 0)
            die(EXIT_NOT_FOUND, "%s: %s", name, strerror(errno));
        const char *why = not_aarch64(name);
        if (why != NULL)
            die(EXIT_NO_RUN, "%s: %s", name, why);
        return;
    }
    const char *path = getenv("PATH");
    char *dirs = strdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
    char other[PATH_MAX] = "";
    bool found = false;
    for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d != NULL && !found; d = strtok_r(NULL, ":", &save)) {
        char p[PATH_MAX];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", *d ? d : ".", name);
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode) || access(p, X_OK) != 0)
            continue;
        if (not_aarch64(p) == NULL) {
            snprintf(l->program, sizeof l->program, "%s", p);
            found = true;
        } else if (!other[0]) {
            snprintf(other, sizeof other, "%s", p);
        }
    }
    free(dirs);
    if (found)
        return;
    if (other[0])
        die(EXIT_NO_RUN, "%s: no AArch64 executable of that name in PATH (%s is %s)", name, other,
            not_aarch64(other));
    die(EXIT_NOT_FOUND, "%s: not found in PATH", name);
}

/* Were we started by binfmt_misc for an AArch64 file (scripts/binfmt.sh)?
 * Then the kernel's AT_EXECFN names that file, not dbt-run. */
static bool started_by_binfmt(int argc, char **argv)
{
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    return argc >= 3 && execfn != NULL && not_aarch64(execfn) == NULL;
}

/* The options of the command line (or binfmt_misc's fixed form) and the
 * environment into L. */
static void parse(Launch *l, int argc, char **argv)
{
    const char *log = getenv("DBT_RUN_LOG");
    l->log = log != NULL && *log && strcmp(log, "0") != 0;
    const char *sysroot = getenv("DBT_SYSROOT");
    l->sysroot = sysroot && *sysroot ? sysroot : NULL;
    if (started_by_binfmt(argc, argv)) {
        /* dbt-run FILE ARGV0 ARGS...: FILE is the path the kernel ran. */
        snprintf(l->program, sizeof l->program, "%s", argv[1]);
        l->argv = argv + 2;
    } else {
        int i = 1;
        for (; i < argc && argv[i][0] == '-'; i++) {
            if (strcmp(argv[i], "--") == 0) {
                i++;
                break;
            } else if (strcmp(argv[i], "-v") == 0) {
                l->log = true;
            } else if (strcmp(argv[i], "--sysroot") == 0 && i + 1 < argc) {
                l->sysroot = argv[++i];
            } else if (strncmp(argv[i], "--sysroot=", 10) == 0) {
                l->sysroot = argv[i] + 10;
            } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
                usage(stdout);
                exit(0);
            } else {
                fprintf(stderr, "dbt-run: error: unknown option '%s' (see dbt-run --help)\n", argv[i]);
                exit(2);
            }
        }
        if (i >= argc) {
            fprintf(stderr, "dbt-run: error: no program (usage: dbt-run [--sysroot DIR] PROGRAM [ARGS...])\n");
            exit(2);
        }
        find_program(l, argv[i]);
        l->argv = argv + i;
    }
    const char *why = not_aarch64(l->program);
    if (why != NULL)
        die(EXIT_NO_RUN, "%s: %s", l->program, why);
    if (l->sysroot != NULL) {
        struct stat st;
        if (realpath(l->sysroot, l->sysroot_real) == NULL || stat(l->sysroot_real, &st) != 0 || !S_ISDIR(st.st_mode))
            die(EXIT_NO_TRANSLATION, "sysroot %s: not a directory", l->sysroot);
    }
    const char *flags = getenv("DBT_RUN_FLAGS");
    l->flags_buf = strdup(flags ? flags : "");
    for (char *save = NULL, *f = strtok_r(l->flags_buf, " \t", &save); f != NULL; f = strtok_r(NULL, " \t", &save)) {
        if (l->nflags == MAX_FLAGS)
            die(2, "DBT_RUN_FLAGS: more than %d options", MAX_FLAGS);
        l->flags[l->nflags++] = f;
    }
}

/* dbt-aot and its runtime, next to this executable. */
static void find_translator(Launch *l)
{
    char dir[PATH_MAX];
    if (!tooldir_self(dir, sizeof dir))
        die(EXIT_NO_TRANSLATION, "cannot find my own executable: %s", strerror(errno));
    snprintf(l->aot, sizeof l->aot, "%s/dbt-aot", dir);
    if (access(l->aot, X_OK) != 0)
        die(EXIT_NO_TRANSLATION, "%s: %s (dbt-run runs the dbt-aot next to it)", l->aot, strerror(errno));
    if (!tooldir_runtime(dir, l->runtime_dir, sizeof l->runtime_dir))
        die(EXIT_NO_TRANSLATION, "cannot find the runtime (%s, %s) dbt-aot links with", TOOLDIR_RUNTIME_ARCHIVE,
            TOOLDIR_LINKER_SCRIPT);
}

static void hash_string(Hash *h, const char *s)
{
    hash_u64(h, strlen(s));
    hash_bytes(h, s, strlen(s));
}

/* The key of L's translation, as 32 hex digits. */
static void program_key(const Launch *l, char key[33])
{
    Hash h;
    hash_init(&h);
    hash_string(&h, "dbt-run 1");
    /* Its path too: every output records where its JIT library is. */
    hash_string(&h, l->aot);
    if (hash_file(&h, l->aot) != 0)
        die(EXIT_NO_TRANSLATION, "%s: %s", l->aot, strerror(errno));
    const char *const runtime[] = {TOOLDIR_RUNTIME_ARCHIVE, TOOLDIR_LINKER_SCRIPT};
    for (size_t i = 0; i < sizeof runtime / sizeof *runtime; i++) {
        char p[PATH_MAX * 2];
        snprintf(p, sizeof p, "%s/%s", l->runtime_dir, runtime[i]);
        if (hash_file(&h, p) != 0)
            die(EXIT_NO_TRANSLATION, "%s: %s", p, strerror(errno));
    }
    if (hash_file(&h, l->program) != 0)
        die(EXIT_NO_RUN, "%s: %s", l->program, strerror(errno));
    hash_string(&h, l->sysroot ? l->sysroot_real : "");
    for (int i = 0; i < l->nflags; i++)
        hash_string(&h, l->flags[i]);
    hash_hex(&h, key);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Runs dbt-aot on L's program into OUT; its stdout goes to our stderr (the
 * program's stdout is for the program alone).  Dies if it fails: dbt-aot
 * has then said why and left no OUT. */
static void translate(const Launch *l, const char *out)
{
    char sysroot_opt[PATH_MAX + 16];
    const char *argv[MAX_FLAGS + 8];
    int n = 0;
    argv[n++] = l->aot;
    for (int i = 0; i < l->nflags; i++)
        argv[n++] = l->flags[i];
    if (l->sysroot != NULL) {
        snprintf(sysroot_opt, sizeof sysroot_opt, "--sysroot=%s", l->sysroot_real);
        argv[n++] = sysroot_opt;
    }
    argv[n++] = l->program;
    argv[n++] = "-o";
    argv[n++] = out;
    argv[n] = NULL;
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        die(EXIT_NO_TRANSLATION, "fork: %s", strerror(errno));
    if (pid == 0) {
        dup2(STDERR_FILENO, STDOUT_FILENO);
        execv(l->aot, (char *const *)argv);
        fprintf(stderr, "dbt-run: error: %s: %s\n", l->aot, strerror(errno));
        _exit(EXIT_NO_TRANSLATION);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            die(EXIT_NO_TRANSLATION, "waitpid: %s", strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return;
    if (WIFSIGNALED(status))
        die(EXIT_NO_TRANSLATION, "%s: translation failed (dbt-aot killed by signal %d)", l->program,
            WTERMSIG(status));
    die(EXIT_NO_TRANSLATION, "%s: translation failed (dbt-aot exit status %d)", l->program, WEXITSTATUS(status));
}

/* Replaces this process with the translated program at PATH. */
static void run(const Launch *l, const char *path)
{
    execv(path, l->argv);
    die(EXIT_NO_RUN, "%s: %s", path, strerror(errno));
}

/* With no cache: translate into $TMPDIR, open, unlink, run the open file. */
static void run_uncached(const Launch *l, const char *base)
{
    const char *tmp = getenv("TMPDIR");
    char out[PATH_MAX + 64];
    snprintf(out, sizeof out, "%s/dbt-run-%s.%ld", tmp && *tmp ? tmp : "/tmp", base, (long)getpid());
    double t0 = now_s();
    translate(l, out);
    int fd = open(out, O_RDONLY | O_CLOEXEC);
    unlink(out);
    if (fd < 0)
        die(EXIT_NO_RUN, "%s: %s", out, strerror(errno));
    if (l->log)
        fprintf(stderr, "dbt-run: %s: translated now (%.1f s), no cache: %s (deleted)\n", l->program, now_s() - t0,
                out);
    fexecve(fd, l->argv, environ);
    die(EXIT_NO_RUN, "%s: %s", out, strerror(errno));
}

int main(int argc, char **argv)
{
    Launch l = {0};
    parse(&l, argc, argv);
    find_translator(&l);
    const char *base = strrchr(l.program, '/') ? strrchr(l.program, '/') + 1 : l.program;
    char cache[PATH_MAX], dir[PATH_MAX + 16];
    if (!cachedir_find(NULL, cache, sizeof cache))
        run_uncached(&l, base);
    snprintf(dir, sizeof dir, "%s/programs", cache);
    if (cachedir_mkdirs(dir) != 0)
        die(EXIT_NO_TRANSLATION, "%s: %s", dir, strerror(errno));
    char key[33], out[PATH_MAX * 2 + 64], lock[PATH_MAX * 2 + 64];
    program_key(&l, key);
    snprintf(out, sizeof out, "%s/%s-%s", dir, base, key);
    if (access(out, X_OK) == 0) {
        if (l.log)
            fprintf(stderr, "dbt-run: %s: translation from the cache: %s\n", l.program, out);
        run(&l, out);
    }
    /* One translation at a time per key: a second dbt-run waits here and
     * then finds the output.  The lock goes with the process (CLOEXEC). */
    snprintf(lock, sizeof lock, "%s/.%s-%s.lock", dir, base, key);
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || flock(fd, LOCK_EX) != 0)
        die(EXIT_NO_TRANSLATION, "%s: %s", lock, strerror(errno));
    bool made = access(out, X_OK) != 0;
    double t0 = now_s();
    if (made)
        translate(&l, out);
    if (l.log) {
        if (made)
            fprintf(stderr, "dbt-run: %s: translated now (%.1f s): %s\n", l.program, now_s() - t0, out);
        else
            fprintf(stderr, "dbt-run: %s: translation from the cache (made by another dbt-run meanwhile): %s\n",
                    l.program, out);
    }
    run(&l, out);
}
