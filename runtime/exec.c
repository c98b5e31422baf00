/*
 * exec.c - execve, and running another AArch64 program through the JIT.
 *
 * The guest's execve(path, argv, envp) becomes a host execve:
 *
 *   - a file that is not an AArch64 ELF (an x86-64 program, a script, this
 *     very output as /proc/self/exe) is the host kernel's business: passed
 *     through, with its errors (ENOENT, EACCES, ENOEXEC) as they come;
 *   - the AArch64 program this output was translated from (same bytes as
 *     the embedded image) runs as this output: execve("/proc/self/exe") -
 *     busybox running its applets, a program restarting itself;
 *   - any other static AArch64 program (static-pie too: loaded at
 *     DBT_PIE_BASE) runs as this output too, told by
 *     DBT_EXEC_GUEST=PATH in its environment to load PATH instead of its
 *     embedded guest and to run all of it through the JIT (no static
 *     table: the translated functions belong to the other program).
 *     Slower - every region is compiled when first reached - but it runs;
 *     a translated output for PATH, when there is one, is the fast way
 *     (the translation cache of issue 13 will find it).
 *
 * exec_setup, at start-up, takes DBT_EXEC_GUEST out of the environment the
 * guest sees, reads PATH and points Runtime.meta at a copy of the metadata
 * with that image and no functions.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime.h"

#define EXEC_GUEST_VAR "DBT_EXEC_GUEST"

static const char *foreign_path;   /* the program run through the JIT, or NULL */

const char *exec_guest_path(void) { return foreign_path; }

/* ---- start-up ------------------------------------------------------------ */

static DbtMeta foreign_meta;

void exec_setup(Runtime *rt, char **envp)
{
    const size_t n = sizeof EXEC_GUEST_VAR;   /* with the '=' */
    const char *path = NULL;
    char **out = envp;
    for (char **e = envp; *e; e++) {
        if (strncmp(*e, EXEC_GUEST_VAR "=", n) == 0)
            path = *e + n;
        else
            *out++ = *e;
    }
    *out = NULL;
    if (path == NULL || *path == '\0')
        return;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof(Elf64_Ehdr))
        rt_fatal("%s=%s: cannot read it: %s", EXEC_GUEST_VAR, path, strerror(errno ? errno : EINVAL));
    void *img = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (img == MAP_FAILED)
        rt_fatal("%s=%s: cannot map it: %s", EXEC_GUEST_VAR, path, strerror(errno));
    mem_host_add(rt, (uint64_t)img, (uint64_t)img + (uint64_t)st.st_size);
    foreign_meta = *rt->meta;
    foreign_meta.image = img;
    foreign_meta.image_size = (uint64_t)st.st_size;
    foreign_meta.load_bias = ((const Elf64_Ehdr *)img)->e_type == ET_DYN ? DBT_PIE_BASE : 0;
    foreign_meta.objects = NULL;   /* this output's libraries are not that program's */
    foreign_meta.nobjects = 0;
    foreign_meta.fns = NULL;
    foreign_meta.nfns = 0;
    foreign_meta.guest_name = path;
    rt->meta = &foreign_meta;
    foreign_path = path;
    rt_log(rt, LOG_LOAD, "running %s through the JIT (%s)", path, EXEC_GUEST_VAR);
}

/* ---- execve -------------------------------------------------------------- */

/* Is the file open at FD the AArch64 image embedded in this output? */
static int is_own_guest(int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || (uint64_t)st.st_size != dbt_meta.image_size)
        return 0;
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED)
        return 0;
    int same = memcmp(p, dbt_meta.image, (size_t)st.st_size) == 0;
    munmap(p, (size_t)st.st_size);
    return same;
}

/* The guest's environment without DBT_EXEC_GUEST, plus SET if not NULL. */
static char **with_exec_var(char **envp, char *set)
{
    size_t n = 0;
    for (char **e = envp; e && *e; e++)
        n++;
    char **out = malloc((n + 2) * sizeof *out);
    if (out == NULL)
        return NULL;
    size_t k = 0;
    for (char **e = envp; e && *e; e++)
        if (strncmp(*e, EXEC_GUEST_VAR "=", sizeof EXEC_GUEST_VAR) != 0)
            out[k++] = *e;
    if (set)
        out[k++] = set;
    out[k] = NULL;
    return out;
}

static int64_t exec_self(Runtime *rt, char **argv, char **envp, const char *guest)
{
    char *set = NULL;
    if (guest != NULL) {
        size_t len = sizeof EXEC_GUEST_VAR + strlen(guest) + 1;
        set = malloc(len);
        if (set == NULL)
            return -ENOMEM;
        strcpy(set, EXEC_GUEST_VAR "=");
        strcat(set, guest);
    }
    char **env = with_exec_var(envp, set);
    if (env == NULL) {
        free(set);
        return -ENOMEM;
    }
    rt_log(rt, LOG_SYSCALL, "execve: this output again%s%s", guest ? ", through the JIT for " : "",
           guest ? guest : "");
    rt_exit_reports();
    int64_t r = host_syscall6(SYS_execve, (uint64_t)"/proc/self/exe", (uint64_t)argv, (uint64_t)env, 0, 0, 0);
    free(env);
    free(set);
    return r;
}

/* A PT_INTERP in the file open at FD: the program needs a dynamic loader. */
static int has_interp(int fd, const Elf64_Ehdr *eh)
{
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;
        if (pread(fd, &ph, sizeof ph, (off_t)(eh->e_phoff + (uint64_t)i * eh->e_phentsize)) != (ssize_t)sizeof ph)
            return 0;
        if (ph.p_type == PT_INTERP)
            return 1;
    }
    return 0;
}

int64_t sys_execve(Runtime *rt, CpuState *s, const uint64_t *a)
{
    const char *path = (const char *)a[0];
    char **argv = (char **)a[1], **envp = (char **)a[2];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    Elf64_Ehdr eh;
    int aarch64 = fd >= 0 && pread(fd, &eh, sizeof eh, 0) == (ssize_t)sizeof eh &&
                  memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_machine == EM_AARCH64;
    if (!aarch64) {
        if (fd >= 0)
            close(fd);
        /* /proc/self/exe of a program run through the JIT is that program. */
        if (foreign_path != NULL && strcmp(path, "/proc/self/exe") == 0)
            return exec_self(rt, argv, envp, foreign_path);
        rt_exit_reports();
        return host_syscall6(SYS_execve, (uint64_t)path, (uint64_t)argv, (uint64_t)envp, 0, 0, 0);
    }
    int own = is_own_guest(fd);
    int loadable = (eh.e_type == ET_EXEC || eh.e_type == ET_DYN) && !has_interp(fd, &eh);
    close(fd);
    if (access(path, X_OK) != 0)
        return -errno;   /* as the kernel: EACCES for a file without x */
    if (own)
        return exec_self(rt, argv, envp, NULL);
    if (!loadable) {
        rt_log(rt, LOG_SYSCALL, "execve: %s is a dynamically linked AArch64 program: not supported yet", path);
        return -ENOEXEC;
    }
    char abs[PATH_MAX];
    if (realpath(path, abs) == NULL)
        return -errno;
    return exec_self(rt, argv, envp, abs);
}
