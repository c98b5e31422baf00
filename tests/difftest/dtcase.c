/*
 * dtcase.c - small helpers on DtCase and DtState shared by both sides.
 */
#include <string.h>

#include "difftest.h"

void dt_initial_window(const DtCase *c, uint8_t *w)
{
    dt_fill_window(c->mem_seed, w);
    for (unsigned k = 0; k < c->npatch; k++)
        memcpy(w + (c->patch[k].addr - DT_WINDOW_BASE), c->patch[k].bytes, c->patch[k].len);
}

void dt_to_cpu(const DtState *d, CpuState *s)
{
    memset(s, 0, sizeof *s);
    memcpy(s->x, d->x, sizeof s->x);
    s->sp = d->sp;
    cpu_set_nzcv(s, (uint32_t)d->nzcv);
    s->fpcr = d->fpcr;
    s->fpsr = d->fpsr;
    memcpy(s->vreg, d->v, sizeof s->vreg);
}

void dt_from_cpu(const CpuState *s, DtState *d)
{
    memset(d, 0, sizeof *d);
    memcpy(d->x, s->x, sizeof d->x);
    d->sp = s->sp;
    d->nzcv = cpu_get_nzcv(s);
    d->fpcr = s->fpcr;
    d->fpsr = s->fpsr;
    memcpy(d->v, s->vreg, sizeof d->v);
}
