/*
 * start.c - main(): from an x86-64 process to a running AArch64 guest.
 *
 * Host glibc's crt starts the output ELF like any program and calls main.
 * By the time the first translated function runs, the process looks to the
 * guest like a fresh AArch64 Linux process:
 *
 *   1. DBT_LOG read from the environment (log.c);
 *   2. the tool's metadata checked (magic, version);
 *   3. the CPU checked for the x86-64 level the code was compiled for;
 *   4. the host's own mappings recorded, so the guest cannot touch them;
 *   5. the guest ELF mapped at its addresses, brk set up (loader.c);
 *   6. inherited signal dispositions recorded (sys_signal.c); with
 *      DBT_PROFILE set, the sampling profiler started (profile.c);
 *   7. the initial stack built: argc, argv, envp, auxv (stack.c);
 *   8. the dispatcher started on its own host stack (dispatch.c); it never
 *      returns - the guest leaves through exit_group or a signal.
 *
 * Any failure before the guest runs prints one "dbt: fatal:" line and
 * exits with status 127.
 *
 * The one Runtime lives in static storage here; everything else reaches
 * it through CpuState.thread -> Thread.rt.
 */
#include <stdlib.h>

#include "runtime.h"

static const char *level_name(unsigned level)
{
    static const char *const names[] = {"x86-64-v?", "x86-64", "x86-64-v2", "x86-64-v3", "x86-64-v4"};
    return level < sizeof names / sizeof names[0] ? names[level] : names[0];
}

static void check_meta(const DbtMeta *m)
{
    if (m->magic != DBT_META_MAGIC)
        rt_fatal("translation metadata is missing or corrupt (bad magic 0x%llx)",
                 (unsigned long long)m->magic);
    if (m->version != DBT_META_VERSION)
        rt_fatal("translation metadata version %u, but this runtime reads version %u: "
                 "re-translate with a matching dbt-aot", m->version, DBT_META_VERSION);
    if (m->host_level < 1 || m->host_level > 4)
        rt_fatal("translation metadata names an unknown x86-64 level %u", m->host_level);
    if (m->nfns && !m->fns)
        rt_fatal("translation metadata has %llu functions but no table",
                 (unsigned long long)m->nfns);
}

static void check_cpu(const DbtMeta *m)
{
    char missing[256];
    if (cpu_check(m->host_level, missing, sizeof missing) < 0)
        rt_fatal("%s was translated for %s, but this CPU lacks: %s",
                 m->guest_name ? m->guest_name : "this program", level_name(m->host_level),
                 missing);
}

int main(int argc, char **argv, char **envp)
{
    static Runtime rt;
    rt.meta = &dbt_meta;
    rt_log_init(&rt, getenv("DBT_LOG"));
    bind_init(&rt, getenv("DBT_BIND"));
    check_meta(rt.meta);
    check_cpu(rt.meta);
    shared_libs_load(&rt);   /* before mem_host_init: their mappings are the host's */
    mem_host_init(&rt);
    exec_setup(&rt, envp);   /* DBT_EXEC_GUEST: another program, through the JIT */
    loader_load(&rt);
    sig_init(&rt);
    profile_start(&rt);
    uint64_t sp = stack_build(&rt, argc, argv, envp);
    dispatch_run(&rt, sp, rt.image.start);
}
