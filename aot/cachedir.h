/*
 * cachedir.h - where dbt-aot and dbt-run keep translations between runs:
 *
 *     DIR given (dbt-aot --cache=DIR), else $DBT_AOT_CACHE, else
 *     $XDG_CACHE_HOME/dbt-aot, else ~/.cache/dbt-aot; "off" or "0" (either
 *     way): no cache.
 *
 * The library cache (objcache.h) holds its entries at the top, dbt-run its
 * whole programs under programs/ (docs/launcher.md).
 */
#ifndef DBT_CACHEDIR_H
#define DBT_CACHEDIR_H

#include <stdbool.h>
#include <stddef.h>

/* The cache directory into OUT (SIZE bytes), made if missing; false if the
 * cache is off or cannot be made. */
bool cachedir_find(const char *dir, char *out, size_t size);
/* mkdir -p PATH (mode 0755); 0, or -1 with errno set. */
int cachedir_mkdirs(const char *path);

#endif
