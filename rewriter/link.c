/*
 * link.c - running lld to produce the output ELF.
 *
 * The output is a non-PIE, dynamically linked x86-64 executable (against the
 * host's glibc, whose start files the build found; see CMakeLists.txt) at
 * image base 0x200000000000, laid out by linker-scripts/x86_64-output.ld.
 */
#include "link.h"

#include <errno.h>
#include <limits.h>
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

/* Runs ARGV (lld), NULL-terminated; 0 or -1 with D set. */
static int run_lld(const char *const *argv, bool verbose, Diag *d)
{
    if (verbose) {
        fprintf(stderr, "dbt-aot: link:");
        for (const char *const *a = argv; *a; a++)
            fprintf(stderr, " %s", *a);
        fputc('\n', stderr);
    }
    pid_t pid = fork();
    if (pid < 0)
        return diag_error(d, "cannot run the linker: %s", strerror(errno));
    if (pid == 0) {
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "dbt-aot: error: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return diag_error(d, "waiting for the linker: %s", strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return diag_error(d, "linking failed (%s exited with status %d; lld's messages are above)", DBT_LLD,
                          WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}

/* HEAD, then OBJECTS (NULL-terminated), then TAIL (NULL-terminated), run. */
static int link_with(const char *const *head, size_t nh, const char *const *objects, const char *const *tail,
                     bool verbose, Diag *d)
{
    size_t nobj = 0, nt = 0;
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
    int rc = run_lld(argv, verbose, d);
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
    return link_with(head, sizeof head / sizeof *head, in->objects, tail, in->verbose, d);
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
    return link_with(head, sizeof head / sizeof *head, in->objects, tail, in->verbose, d);
}
