/* diag.c - error values and their one-line rendering (see diag.h). */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int vrecord(Diag *d, bool has_addr, uint64_t addr, const char *fmt, va_list ap)
{
    if (d->set)
        return -1;
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    d->has_addr = has_addr;
    d->addr = addr;
    d->set = true;
    return -1;
}

int diag_error(Diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vrecord(d, false, 0, fmt, ap);
    va_end(ap);
    return -1;
}

int diag_error_at(Diag *d, uint64_t addr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vrecord(d, true, addr, fmt, ap);
    va_end(ap);
    return -1;
}

void diag_print(const Diag *d, const char *file)
{
    if (d->has_addr)
        fprintf(stderr, "dbt-aot: error: %s: 0x%llx: %s\n", file, (unsigned long long)d->addr, d->msg);
    else
        fprintf(stderr, "dbt-aot: error: %s: %s\n", file, d->msg);
}

void diag_warn(const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "dbt-aot: warning: %s: ", file);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void diag_out_of_memory(void)
{
    fprintf(stderr, "dbt-aot: error: out of memory\n");
    exit(1);
}
