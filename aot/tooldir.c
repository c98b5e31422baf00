/*
 * tooldir.c - the translator's own files (tooldir.h).
 */
#include "tooldir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool tooldir_self(char *dir, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", dir, size - 1);
    if (n <= 0)
        return false;
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    return true;
}

static bool has_runtime(const char *dir)
{
    char p[PATH_MAX];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, TOOLDIR_RUNTIME_ARCHIVE);
    if (stat(p, &st) != 0)
        return false;
    snprintf(p, sizeof p, "%s/%s", dir, TOOLDIR_LINKER_SCRIPT);
    return stat(p, &st) == 0;
}

bool tooldir_runtime(const char *exe_dir, char *out, size_t size)
{
    const char *env = getenv("DBT_RUNTIME_DIR");
    if (env && *env)
        snprintf(out, size, "%s", env);
    else if (has_runtime(exe_dir))
        snprintf(out, size, "%s", exe_dir);
    else
        snprintf(out, size, "%s/%s", exe_dir, DBT_INSTALL_RUNTIME_DIR);
    return has_runtime(out);
}
