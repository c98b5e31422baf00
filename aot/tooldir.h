/*
 * tooldir.h - where the translator's own files are: the directory of the
 * running executable, and the runtime every output is linked with
 * (libdbt_runtime.a and x86_64-output.ld):
 *
 *     $DBT_RUNTIME_DIR, else next to the executable (build tree), else
 *     DBT_INSTALL_RUNTIME_DIR ("../share/dbt-aot", cmake/install.cmake)
 *     relative to it (installed)
 *
 * dbt-aot links with what it finds there; dbt-run, installed next to
 * dbt-aot, hashes the same files into its programs' keys.
 */
#ifndef DBT_TOOLDIR_H
#define DBT_TOOLDIR_H

#include <stdbool.h>
#include <stddef.h>

#define TOOLDIR_RUNTIME_ARCHIVE "libdbt_runtime.a"
#define TOOLDIR_LINKER_SCRIPT "x86_64-output.ld"

/* The directory of the running executable into DIR; false if unknown. */
bool tooldir_self(char *dir, size_t size);
/* The runtime's directory for a translator in EXE_DIR into OUT; false if
 * neither $DBT_RUNTIME_DIR (when set) nor the two defaults hold it. */
bool tooldir_runtime(const char *exe_dir, char *out, size_t size);

#endif
