/*
 * link.h - linking the translated object with the runtime into the output
 * ELF, by running lld.
 */
#ifndef DBT_LINK_H
#define DBT_LINK_H

#include <stdbool.h>

#include "diag.h"

typedef struct LinkInput {
    const char *const *objects; /* the translated code + metadata, NULL-terminated */
    const char *runtime_dir; /* holds libdbt_runtime.a and x86_64-output.ld */
    const char *output;      /* the path to write (written by lld directly) */
    bool verbose;            /* print the lld command line */
    bool export_hooks;       /* export the runtime's dbt_rt_* hooks (for
                                libraries linked by link_library) */
} LinkInput;

/* The directory of the runtime files: $DBT_RUNTIME_DIR, else next to the
 * dbt-aot executable (build tree), else DBT_INSTALL_RUNTIME_DIR relative to
 * it (installed: ../share/dbt-aot).  Returns a
 * malloc'ed path or NULL with D set. */
char *link_find_runtime_dir(Diag *d);
int link_output(const LinkInput *in, Diag *d);
/* A library's translation as a host shared object (dbt-aot --shared-libs):
 * its units and lib_meta_emit's object, every symbol local but those the
 * VERSION_SCRIPT exports; the runtime's hooks stay undefined (the
 * executable exports them). */
int link_library(const LinkInput *in, const char *version_script, Diag *d);
/* Where outputs will look for the JIT fallback (runtime/jit_host.c): the
 * absolute, resolved path of the libdbt_jit.so that exists next to the
 * running dbt-aot executable (build tree), else in DBT_INSTALL_JIT_DIR
 * relative to it (installed: ../lib/dbt-aot).  Malloc'ed, NULL if there is
 * none. */
char *link_jit_lib_path(void);

#endif
