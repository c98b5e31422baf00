/*
 * log.c - diagnostics on stderr, one write(2) per line.
 *
 * The translated program's stdout and stderr belong to the guest, so the
 * runtime is silent unless asked.  DBT_LOG selects categories:
 *
 *     DBT_LOG=syscall,trap ./out.elf      # or DBT_LOG=all
 *     dbt: syscall write(0x1, 0x4a2b30, 0xd) = 13
 *     dbt: SIGILL at guest pc 0x400a10 (insn 0x0e20d400)
 *
 * Each line is formatted into a buffer and written with one write(2), so
 * lines from several threads (later) do not interleave and the guest's own
 * stdio buffering is never touched.  rt_msg prints unconditionally (for
 * the few messages that explain a death, like a missing translation);
 * rt_fatal prints "dbt: fatal: ..." and exits with status 127.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"

static const struct {
    unsigned flag;
    const char *name;
} categories[] = {
#define LOG_ROW_(flag, name) {flag, name},
    LOG_CATEGORIES(LOG_ROW_)
#undef LOG_ROW_
};

static void write_line(const char *prefix, const char *fmt, va_list ap)
{
    char buf[1024];
    size_t n = (size_t)snprintf(buf, sizeof buf, "dbt: %s", prefix);
    int m = vsnprintf(buf + n, sizeof buf - n - 1, fmt, ap);
    if (m < 0)
        m = 0;
    n += (size_t)m < sizeof buf - n - 1 ? (size_t)m : sizeof buf - n - 2;
    buf[n++] = '\n';
    ssize_t w = write(STDERR_FILENO, buf, n);
    (void)w;
}

void rt_log_init(Runtime *rt, const char *spec)
{
    rt->log_mask = 0;
    if (!spec)
        return;
    while (*spec) {
        size_t len = strcspn(spec, ",");
        unsigned flag = 0;
        if (len == 3 && memcmp(spec, "all", 3) == 0)
            flag = LOG_ALL;
        for (unsigned i = 0; i < ARRAY_LEN(categories); i++)
            if (strlen(categories[i].name) == len && memcmp(spec, categories[i].name, len) == 0)
                flag = categories[i].flag;
        if (len && !flag) {
            char known[256] = "all";
            for (unsigned i = 0; i < ARRAY_LEN(categories); i++) {
                strncat(known, ",", sizeof known - strlen(known) - 1);
                strncat(known, categories[i].name, sizeof known - strlen(known) - 1);
            }
            rt_msg("warning: unknown DBT_LOG category '%.*s' (known: %s)", (int)len, spec, known);
        }
        rt->log_mask |= flag;
        spec += len;
        if (*spec == ',')
            spec++;
    }
}

void rt_log(const Runtime *rt, unsigned category, const char *fmt, ...)
{
    if (!rt_log_on(rt, category))
        return;
    va_list ap;
    va_start(ap, fmt);
    write_line("", fmt, ap);
    va_end(ap);
}

void rt_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    write_line("", fmt, ap);
    va_end(ap);
}

_Noreturn void rt_fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    write_line("fatal: ", fmt, ap);
    va_end(ap);
    _exit(127);
}
