/*
 * scan.c - one basic block's scan (lifter.h: lift_scan_block), shared by
 * the offline recovery (aot/cfg.c: explore) and the JIT's region
 * discovery (jit/region.c: region_discover).  What each does with a
 * block's end - follow a branch, start a function at a call's target,
 * analyse a jump table, leave the region - stays with it; where a block
 * ends is decided here only.
 */
#include "lifter.h"

enum A64Flow lift_scan_block(const LiftBlockScan *s, uint64_t pc, uint64_t *end, uint64_t *target)
{
    *target = 0;
    for (uint64_t a = pc;; a += 4) {
        uint32_t w;
        if ((a != pc && s->is_leader(s->ctx, a)) || !s->may_scan(s->ctx, a)) {
            *end = a;
            return FLOW_NONE;
        }
        if (!s->read(s->ctx, a, &w)) {
            *end = s->keep_unreadable ? a + 4 : a;
            return FLOW_NONE;
        }
        if (s->word != NULL)
            s->word(s->ctx, a, w);
        enum A64Flow flow = a64_classify(w, a, target);
        if (flow != FLOW_NONE) {
            *end = a + 4;
            return flow;
        }
    }
}
