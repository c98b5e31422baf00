/*
 * objcache.h - translated shared objects kept between runs: translate
 * libc once, not for every program that needs it.
 *
 * A shared object's translation (its units' object files) depends only on
 * the object's bytes, the base it is translated for, the options that
 * shape code (level, x86-64 level, the profile) and the translator itself
 * (its executable's bytes stand for the lifter and the pipeline) - not on
 * the program that needs it: its functions' roots are its own symbols and
 * pointers, and its calls to other objects go through its GOT.  So the
 * unit objects are stored under a key hashed from all of these and linked
 * again as they are:
 *
 *     the cache directory (cachedir.h: --cache=DIR, else $DBT_AOT_CACHE,
 *     else $XDG_CACHE_HOME/dbt-aot, else ~/.cache/dbt-aot)
 *       <key>/units         the number of unit objects
 *       <key>/unit<k>.o     its units, in unit order
 *       <key>/name          what it is: the guest path and the file it was read from
 *
 * "off" (either way) disables it.  An entry is written to a temporary
 * directory and renamed into place, so a reader never sees half of one;
 * two translators racing for the same key both succeed, one rename wins.
 * Using an entry touches its directory; after a store, the least recently
 * used entries go until the cache is under $DBT_AOT_CACHE_MAX_MB (default
 * 4096) megabytes.  `dbt-aot --cache-info` lists the entries.  The
 * launcher's whole programs (programs/, dbt_run.c) are not entries: they
 * are neither listed nor evicted.
 */
#ifndef DBT_OBJCACHE_H
#define DBT_OBJCACHE_H

#include <limits.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bind_table.h"
#include "elf_input.h"
#include "hash.h"
#include "profile.h"

typedef struct ObjCache {
    bool on;
    char dir[PATH_MAX];
    uint64_t tool[2];        /* the hash of this translator's executable */
} ObjCache;

/* Where the cache is: DIR if not NULL, else from the environment; off if
 * it cannot be made. */
void objcache_init(ObjCache *c, const char *dir);
/* Print the entries to F (for --cache-info); 0, or -1 if there is no cache. */
int objcache_info(const ObjCache *c, FILE *f);
/* The key of IMG translated with these options, as 32 hex digits
 * (VARIANT: -g as bit 0, --keep-flags as bit 1). */
void objcache_key(const ObjCache *c, const GuestImage *img, int opt_level, const char *cpu_level,
                  const Profile *prof, unsigned variant, const unsigned char bind_on[BIND_COUNT], char key[33]);
/* The number of unit objects stored under KEY, or 0 if there is no entry. */
size_t objcache_units(const ObjCache *c, const char *key);
/* The path of unit K of KEY's entry. */
void objcache_unit_path(const ObjCache *c, const char *key, size_t k, char *out, size_t n);
/* Store the N files in OBJS under KEY, described by NAME (errors only
 * cost the next run); then keep the cache within its size. */
void objcache_store(const ObjCache *c, const char *key, const char *name, const char *const *objs, size_t n);

#endif
