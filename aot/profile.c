/* profile.c - reading a profile file (see profile.h; format in
 * runtime/profile.c). */
#include "profile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int profile_load(Profile *p, const char *path, Diag *d)
{
    memset(p, 0, sizeof *p);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return diag_error(d, "cannot read the profile %s: %s", path, strerror(errno));
    char line[256];
    size_t cap = 0, lineno = 0;
    int rc = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        lineno++;
        if (lineno == 1) {
            if (strncmp(line, "# dbt-aot profile 1:", 20) != 0) {
                rc = diag_error(d, "%s is not a dbt-aot profile (written by DBT_PROFILE=FILE)", path);
                break;
            }
            continue;
        }
        uint64_t entry, samples;
        char extra;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (sscanf(line, "%" SCNx64 " %" SCNu64 " %c", &entry, &samples, &extra) != 2) {
            rc = diag_error(d, "profile %s, line %zu: expected \"0xADDR SAMPLES\"", path, lineno);
            break;
        }
        if (p->n == cap) {
            cap = cap ? cap * 2 : 256;
            uint64_t *v = realloc(p->entries, cap * sizeof *v);
            if (v == NULL) {
                rc = diag_error(d, "out of memory");
                break;
            }
            p->entries = v;
        }
        p->entries[p->n++] = entry;
    }
    if (rc == 0 && ferror(f))
        rc = diag_error(d, "cannot read the profile %s: %s", path, strerror(errno));
    if (rc == 0 && lineno == 0)
        rc = diag_error(d, "the profile %s is empty", path);
    fclose(f);
    if (rc != 0) {
        profile_free(p);
        return rc;
    }
    qsort(p->entries, p->n, sizeof *p->entries, cmp_u64);
    return 0;
}

int profile_has(const Profile *p, uint64_t entry)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->entries[mid] < entry)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->n && p->entries[lo] == entry;
}

void profile_free(Profile *p)
{
    free(p->entries);
    memset(p, 0, sizeof *p);
}
