/*
 * profile.h - reading a run's profile (written by the runtime with
 * DBT_PROFILE=FILE, runtime/profile.c) for `dbt-aot --profile FILE`: the
 * guest functions that the samples saw are the hot tier.
 */
#ifndef DBT_PROFILE_H
#define DBT_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef struct Profile {
    uint64_t *entries;     /* guest entries with at least one sample, sorted */
    size_t n;
} Profile;

/* 0, or -1 with D set (the message names the file and the line). */
int profile_load(Profile *p, const char *path, Diag *d);
/* Did the profile see the function at ENTRY run? */
int profile_has(const Profile *p, uint64_t entry);
void profile_free(Profile *p);

#endif
