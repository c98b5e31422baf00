/*
 * link.c - running lld to produce the output ELF.
 *
 * The output is a non-PIE, dynamically linked x86-64 executable (against the
 * host's glibc, whose start files the build found; see CMakeLists.txt) at
 * image base 0x200000000000, laid out by linker-scripts/x86_64-output.ld.
 */
#define _GNU_SOURCE /* pipe2, sigabbrev_np */
#include "link.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tooldir.h"

#define DBT_IMAGE_BASE "0x200000000000"
#define JIT_LIB "libdbt_jit.so" /* DBT_JIT_LIB_NAME of include/dbt_jit.h */

/*
 * Where the files dbt-aot needs live.  The build tree keeps them all next
 * to dbt-aot; an installed tree (cmake --install, the Debian package) in
 * directories relative to its bin/, DBT_INSTALL_JIT_DIR and
 * DBT_INSTALL_RUNTIME_DIR, which cmake/install.cmake derives from the same
 * layout its install rules use.  Both are looked up relative to the
 * running executable, so any prefix works and nothing of the build tree is
 * compiled in.
 */

char *link_jit_lib_path(void)
{
    char dir[PATH_MAX], p[PATH_MAX + 64];
    if (!tooldir_self(dir, sizeof dir))
        return NULL;
    /* Resolved ("prefix/lib/...", not "prefix/bin/../lib/..."): the output
     * dlopens it by this path from wherever it runs. */
    const char *const subdirs[] = {".", DBT_INSTALL_JIT_DIR};
    for (size_t i = 0; i < sizeof subdirs / sizeof *subdirs; i++) {
        snprintf(p, sizeof p, "%s/%s/%s", dir, subdirs[i], JIT_LIB);
        char *real = realpath(p, NULL);
        if (real != NULL)
            return real;
    }
    return NULL;
}

char *link_find_runtime_dir(Diag *d)
{
    char exe[PATH_MAX], dir[PATH_MAX + 32];
    if (!tooldir_self(exe, sizeof exe)) {
        diag_error(d, "cannot find my own executable: %s", strerror(errno));
        return NULL;
    }
    if (tooldir_runtime(exe, dir, sizeof dir))
        return strdup(dir);
    const char *env = getenv("DBT_RUNTIME_DIR");
    if (env && *env)
        diag_error(d, "DBT_RUNTIME_DIR=%s does not hold %s and %s", env, TOOLDIR_RUNTIME_ARCHIVE,
                   TOOLDIR_LINKER_SCRIPT);
    else
        diag_error(d, "cannot find the runtime (%s, %s) next to %s or in %s", TOOLDIR_RUNTIME_ARCHIVE,
                   TOOLDIR_LINKER_SCRIPT, exe, dir);
    return NULL;
}

/* What lld wrote on stderr.  The tool's error is one line, so a failure is
 * reported by lld's first "error:" line; the rest (more errors, and the
 * stack dump LLVM prints when lld dies by a signal or a write raises
 * SIGXFSZ) is shown only with -v. */
typedef struct LldOutput {
    char text[16384];   /* the first bytes, NUL-terminated */
    size_t len;         /* bytes in text */
    size_t lines;       /* lines in all of it, those past text too */
} LldOutput;

static void read_lld_output(int fd, LldOutput *o)
{
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (ssize_t i = 0; i < n; i++)
            o->lines += buf[i] == '\n';
        size_t keep = sizeof o->text - 1 - o->len;
        keep = (size_t)n < keep ? (size_t)n : keep;
        memcpy(o->text + o->len, buf, keep);
        o->len += keep;
    }
    o->text[o->len] = '\0';
}

/* The text after "error: " on lld's first error line, or "". */
static const char *first_error(LldOutput *o)
{
    char *e = strstr(o->text, "error: ");
    if (e == NULL)
        return "";
    e += strlen("error: ");
    e[strcspn(e, "\n")] = '\0';
    return e;
}

/* lld writes OUTPUT through a temporary of its own, "OUTPUT.tmpXXXXXXX" in
 * the same directory, which it removes when it fails - but not always when
 * it dies by a signal (SIGBUS on a full file system).  OUTPUT is this
 * run's own temporary (translate.c: "NAME.tmp.PID"), so whatever starts
 * with its name is ours to remove. */
static void remove_lld_temporaries(const char *output)
{
    const char *slash = strrchr(output, '/'), *base = slash ? slash + 1 : output;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - output + 1) : 1, slash ? output : ".");
    DIR *dp = opendir(dir);
    if (dp == NULL)
        return;
    size_t n = strlen(base);
    struct dirent *e;
    while ((e = readdir(dp)) != NULL)
        if (strncmp(e->d_name, base, n) == 0 && strncmp(e->d_name + n, ".tmp", 4) == 0)
            unlinkat(dirfd(dp), e->d_name, 0);
    closedir(dp);
}

/* Runs ARGV (lld), NULL-terminated, which writes OUTPUT; 0 or -1 with D
 * set. */
static int run_lld(const char *const *argv, const char *output, bool verbose, Diag *d)
{
    if (verbose) {
        fprintf(stderr, "dbt-aot: link:");
        for (const char *const *a = argv; *a; a++)
            fprintf(stderr, " %s", *a);
        fputc('\n', stderr);
    }
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0)
        return diag_error(d, "cannot run the linker: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return diag_error(d, "cannot run the linker: %s", strerror(errno));
    }
    if (pid == 0) {
        dup2(pfd[1], STDERR_FILENO);
        /* lld dying by a signal would run llvm-symbolizer on its stack
         * dump, which leaves an input file of its own in TMPDIR. */
        setenv("LLVM_DISABLE_SYMBOLIZATION", "1", 1);
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "dbt-aot: error: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(pfd[1]);
    LldOutput *out = calloc(1, sizeof *out);
    if (out != NULL)
        read_lld_output(pfd[0], out);
    close(pfd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            free(out);
            return diag_error(d, "waiting for the linker: %s", strerror(errno));
        }
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    /* lld's warnings, or everything with -v. */
    if (out != NULL && (ok || verbose))
        fwrite(out->text, 1, out->len, stderr);
    if (ok) {
        free(out);
        return 0;
    }
    remove_lld_temporaries(output);
    const char *what = out != NULL ? first_error(out) : "";
    const char *more = verbose ? "its messages are above" : out != NULL && out->lines > 1 ? "-v shows all it said" : "";
    char why[256];
    if (WIFSIGNALED(status))
        /* lld writes its output through a shared mapping of the file: on a
         * full file system a store to it raises SIGBUS. */
        snprintf(why, sizeof why, "%s was killed by SIG%s%s", DBT_LLD, sigabbrev_np(WTERMSIG(status)),
                 WTERMSIG(status) == SIGBUS ? ": is the file system full?" : "");
    else
        snprintf(why, sizeof why, "%s exited with status %d", DBT_LLD, WEXITSTATUS(status));
    diag_error(d, "linking failed%s%s (%s%s%s)", *what ? ": " : "", what, why, *more ? "; " : "", more);
    free(out);
    return -1;
}

/* HEAD, then OBJECTS (NULL-terminated), then TAIL (NULL-terminated), run. */
static int link_with(const char *const *head, size_t nh, const LinkInput *in, const char *const *tail, Diag *d)
{
    size_t nobj = 0, nt = 0;
    const char *const *objects = in->objects;
    while (objects[nobj])
        nobj++;
    while (tail[nt++])
        ;
    const char **argv = malloc((nh + nobj + nt) * sizeof *argv);
    if (argv == NULL)
        return diag_error(d, "out of memory");
    memcpy(argv, head, nh * sizeof *argv);
    memcpy(argv + nh, objects, nobj * sizeof *argv);
    memcpy(argv + nh + nobj, tail, nt * sizeof *argv);
    int rc = run_lld(argv, in->output, in->verbose, d);
    free(argv);
    return rc;
}

int link_output(const LinkInput *in, Diag *d)
{
    char archive[PATH_MAX], script[PATH_MAX], libdir[PATH_MAX + 8];
    snprintf(archive, sizeof archive, "%s/%s", in->runtime_dir, TOOLDIR_RUNTIME_ARCHIVE);
    snprintf(script, sizeof script, "%s/%s", in->runtime_dir, TOOLDIR_LINKER_SCRIPT);
    snprintf(libdir, sizeof libdir, "-L%s", DBT_HOST_LIBC_DIR);
    /* With libraries in shared objects of their own, their code calls the
     * runtime's hooks in this executable. */
    const char *head[] = {
        DBT_LLD, "-o", in->output, "--image-base=" DBT_IMAGE_BASE,
        "-dynamic-linker", "/lib64/ld-linux-x86-64.so.2", "--hash-style=gnu", "-z", "noexecstack",
        "-z", "relro", "-z", "now", "-T", script,
        DBT_HOST_SCRT1, DBT_HOST_CRTI, DBT_HOST_CRTBEGIN,
        in->export_hooks ? "--export-dynamic-symbol=dbt_rt_*" : "--no-export-dynamic",
    };
    /* libm and libgcc: below x86-64-v3 the code calls fma() and the
     * half-precision conversion helpers (--as-needed: no dependency when
     * unused). */
    const char *tail[] = {archive, libdir, "--as-needed", "-lm", "-lc", "--no-as-needed", DBT_HOST_LIBGCC,
                          DBT_HOST_CRTEND, DBT_HOST_CRTN, NULL};
    return link_with(head, sizeof head / sizeof *head, in, tail, d);
}

int link_library(const LinkInput *in, const char *version_script, Diag *d)
{
    /* lld's own layout: the only executable code is the translation (and
     * the PLT), the runtime takes the executable segment for its bounds. */
    char vs[PATH_MAX + 32], libdir[PATH_MAX + 8];
    snprintf(vs, sizeof vs, "--version-script=%s", version_script);
    snprintf(libdir, sizeof libdir, "-L%s", DBT_HOST_LIBC_DIR);
    const char *head[] = {
        DBT_LLD, "-shared", "-o", in->output, "--hash-style=gnu", "-z", "noexecstack",
        "-z", "relro", "-z", "now", vs,
    };
    const char *tail[] = {libdir, "--as-needed", "-lm", "-lc", "--no-as-needed", DBT_HOST_LIBGCC, NULL};
    return link_with(head, sizeof head / sizeof *head, in, tail, d);
}
