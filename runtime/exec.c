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
 *   - any other AArch64 program (static-pie too: loaded at DBT_PIE_BASE)
 *     runs as this output too, told by DBT_EXEC_GUEST=PATH in its
 *     environment to load PATH instead of its embedded guest and to run
 *     it through the JIT (the translated functions of this output's own
 *     program belong to another program).  Slower - every region is
 *     compiled when first reached - but it runs; a translated output for
 *     PATH, when there is one, is the fast way.
 *   - a dynamically linked one the same way, with its interpreter (the
 *     kernel's ENOENT when there is none): the one this output embeds if
 *     the path is the same, else the file under DBT_SYSROOT or on the
 *     host (mapped at DBT_FOREIGN_INTERP_BASE).  Its libraries come as
 *     in any dynamically linked output (sys_objects.c): the ones this
 *     output embeds run their ahead-of-time translations (a shell
 *     translated with --sysroot runs the libc of the programs it starts
 *     at full speed), others are read from DBT_SYSROOT or the host and
 *     run through the JIT.
 *
 * exec_setup, at start-up, takes DBT_EXEC_GUEST out of the environment the
 * guest sees, reads PATH and points Runtime.meta at a copy of the metadata
 * with that image and only the functions of this output's libraries.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
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

/* The PT_INTERP string of the ELF image IMG (SIZE bytes), or NULL. */
static const char *image_interp(const uint8_t *img, uint64_t size)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
    if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > size ||
        (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > size - eh->e_phoff)
        return NULL;
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(img + eh->e_phoff);
    for (unsigned i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_INTERP && ph[i].p_filesz > 1 && ph[i].p_offset <= size &&
            ph[i].p_filesz <= size - ph[i].p_offset && img[ph[i].p_offset + ph[i].p_filesz - 1] == '\0')
            return (const char *)img + ph[i].p_offset;
    return NULL;
}

/* Map the AArch64 ELF file PATH read-only: 0, or -errno. */
static int map_guest_file(const char *path, const uint8_t **image, uint64_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct stat st;
    Elf64_Ehdr eh;
    int r = 0;
    if (fstat(fd, &st) != 0)
        r = -errno;
    else if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
             eh.e_machine != EM_AARCH64)
        r = -ENOEXEC;
    void *img = r == 0 ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    if (r == 0 && img == MAP_FAILED)
        r = -errno;
    close(fd);
    if (r == 0) {
        *image = img;
        *size = (uint64_t)st.st_size;
    }
    return r;
}

/* Where the interpreter INTERP of a program run through the JIT is read
 * from when this output does not embed it: under DBT_SYSROOT, else at
 * its own path on the host (a multiarch arm64 libc); FULL gets the path. */
static int interp_path(const char *interp, char *full, size_t len)
{
    const char *root = getenv("DBT_SYSROOT");
    if (root != NULL && *root && (size_t)snprintf(full, len, "%s%s", root, interp) < len &&
        access(full, R_OK) == 0)
        return 0;
    if ((size_t)snprintf(full, len, "%s", interp) >= len)
        return -ENAMETOOLONG;
    return access(full, R_OK) == 0 ? 0 : -ENOENT;
}

int exec_interp_file(const char *interp, const uint8_t **image, uint64_t *size)
{
    char full[PATH_MAX];
    int r = interp_path(interp, full, sizeof full);
    return r != 0 ? r : map_guest_file(full, image, size);
}

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
    const uint8_t *img;
    uint64_t size;
    int err = map_guest_file(path, &img, &size);
    if (err != 0 || size < sizeof(Elf64_Ehdr))
        rt_fatal("%s=%s: cannot read it: %s", EXEC_GUEST_VAR, path, strerror(err ? -err : EINVAL));
    mem_host_add(rt, (uint64_t)img, (uint64_t)img + size);
    foreign_meta = *rt->meta;
    foreign_meta.image = img;
    foreign_meta.image_size = size;
    foreign_meta.load_bias = ((const Elf64_Ehdr *)img)->e_type == ET_DYN ? DBT_PIE_BASE : 0;
    foreign_meta.fns = NULL;
    foreign_meta.nfns = 0;
    if (image_interp(img, size) == NULL) {
        foreign_meta.objects = NULL;   /* a static program: this output's libraries are not its own */
        foreign_meta.nobjects = 0;
    } else if (rt->meta->nobjects > 1) {
        /* Dynamically linked: it may load the libraries this output
         * embeds; their translations stay, the program's go. */
        DbtFnEntry *fns = malloc((rt->meta->nfns ? rt->meta->nfns : 1) * sizeof *fns);
        if (fns == NULL)
            rt_fatal("%s=%s: out of memory", EXEC_GUEST_VAR, path);
        for (uint64_t i = 0; i < rt->meta->nfns; i++)
            if (objects_in_library(rt->meta, rt->meta->fns[i].guest_pc))
                fns[foreign_meta.nfns++] = rt->meta->fns[i];
        foreign_meta.fns = fns;
    }
    foreign_meta.guest_name = path;
    rt->meta = &foreign_meta;
    foreign_path = path;
    rt_log(rt, LOG_LOAD, "running %s through the JIT (%s), %llu library functions translated",
           path, EXEC_GUEST_VAR, (unsigned long long)foreign_meta.nfns);
}

/* ---- execve -------------------------------------------------------------- */

/* Is the file IMG (SIZE bytes) the AArch64 image embedded in this output? */
static int is_own_guest(const uint8_t *img, uint64_t size)
{
    return size == dbt_meta.image_size && memcmp(img, dbt_meta.image, (size_t)size) == 0;
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

/* Can a program whose interpreter is INTERP run: this output embeds the
 * interpreter, or it is under DBT_SYSROOT or on the host?  0, or -ENOENT
 * (the kernel's answer for a missing interpreter). */
static int64_t interp_available(const Runtime *rt, const char *interp)
{
    char full[PATH_MAX];
    if (loader_find_object(rt, interp) != NULL)
        return 0;
    return interp_path(interp, full, sizeof full);
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
    /* The file once, mapped: is it this output's own guest, and its
     * interpreter. */
    int loadable = eh.e_type == ET_EXEC || eh.e_type == ET_DYN, own = 0;
    char interp[PATH_MAX] = "";
    struct stat st;
    void *img = fstat(fd, &st) == 0 ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    if (img != MAP_FAILED) {
        own = is_own_guest(img, (uint64_t)st.st_size);
        const char *ip = loadable ? image_interp(img, (uint64_t)st.st_size) : NULL;
        if (ip != NULL && strlen(ip) < sizeof interp)
            strcpy(interp, ip);
        munmap(img, (size_t)st.st_size);
    }
    close(fd);
    if (access(path, X_OK) != 0)
        return -errno;   /* as the kernel: EACCES for a file without x */
    if (own)
        return exec_self(rt, argv, envp, NULL);
    if (!loadable)
        return -ENOEXEC;
    if (interp[0] != '\0') {
        int64_t r = interp_available(rt, interp);
        if (r != 0) {
            rt_log(rt, LOG_SYSCALL, "execve: %s: its interpreter %s is not embedded, nor under DBT_SYSROOT or on the host",
                   path, interp);
            return r;
        }
    }
    char abs[PATH_MAX];
    if (realpath(path, abs) == NULL)
        return -errno;
    return exec_self(rt, argv, envp, abs);
}
