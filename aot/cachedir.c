/*
 * cachedir.c - the cache's directory (cachedir.h).
 */
#include "cachedir.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cachedir_mkdirs(const char *path)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST)
                return -1;
            *s = '/';
        }
    return mkdir(p, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

bool cachedir_find(const char *dir, char *out, size_t size)
{
    const char *env = dir ? dir : getenv("DBT_AOT_CACHE"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (env != NULL && (strcmp(env, "off") == 0 || strcmp(env, "0") == 0))
        return false;
    if (env != NULL && *env)
        snprintf(out, size, "%s", env);
    else if (xdg != NULL && *xdg == '/')
        snprintf(out, size, "%s/dbt-aot", xdg);
    else if (home != NULL && *home == '/')
        snprintf(out, size, "%s/.cache/dbt-aot", home);
    else
        return false;
    return cachedir_mkdirs(out) == 0;
}
