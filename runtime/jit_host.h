/*
 * jit_host.h - the runtime's side of the JIT fallback (jit_host.c): loading
 * libdbt_jit.so on the first miss, the cache of its translations, and
 * their invalidation.
 */
#ifndef DBT_JIT_HOST_H
#define DBT_JIT_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime.h"

typedef struct JitHost JitHost;

/* A cached JIT translation for PC, or NULL.  Cheap when the JIT never ran. */
GuestFn jit_lookup(Runtime *rt, uint64_t pc);
/* Translate the code at PC (loading the library first if needed) and cache
 * the result; NULL with the reason in WHY when it cannot. */
GuestFn jit_translate(CpuState *s, uint64_t pc, char *why, size_t n);
/* Guest code in [lo, hi) may have changed: forget translations made from it. */
void jit_invalidate(Runtime *rt, uint64_t lo, uint64_t hi);

/* The guest entry of the live region whose code starts closest below
 * HOST_PC (MCJIT does not tell where a region's code ends: an
 * approximation, for a fault's frame and the log), or 0. */
uint64_t jit_guest_at(Runtime *rt, uint64_t host_pc);

/* Whether the JIT holds more memory than DBT_JIT_MAX_MB allows
 * (jit_limit.c); if so the reason is in WHY and nothing more is compiled. */
bool jit_limit_reached(char *why, size_t n);

/* Held across fork, so the child never inherits it locked mid-compile. */
void jit_lock(void);
void jit_unlock(void);

#endif
