/*
 * diag.h - diagnostics of the offline tool.
 *
 * Errors are values: a failing function fills a Diag and returns -1; main()
 * prints it once, as
 *
 *     dbt-aot: error: FILE: 0xADDR: what went wrong
 *
 * (the address part only when the problem has a guest address).
 */
#ifndef DBT_DIAG_H
#define DBT_DIAG_H

#include <stdbool.h>
#include <stdint.h>

typedef struct Diag {
    char msg[512];       /* the message, without prefix */
    uint64_t addr;       /* guest address it concerns, if has_addr */
    bool has_addr;       /* whether addr is meaningful */
    bool set;            /* whether an error was recorded */
} Diag;

/* Record an error (first one wins).  Returns -1 so callers can write
 * `return diag_error(d, ...)`. */
int diag_error(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int diag_error_at(Diag *d, uint64_t addr, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Print "dbt-aot: error: FILE: [0xADDR: ]msg" to stderr. */
void diag_print(const Diag *d, const char *file);
/* For the few places that cannot return an error (the set and work-list
 * helpers of control-flow recovery): print "dbt-aot: error: out of memory"
 * and exit 1.  Recovery runs before any file is written, so nothing is
 * left behind. */
_Noreturn void diag_out_of_memory(void);
/* Print a warning / a -v progress line to stderr. */
void diag_warn(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
