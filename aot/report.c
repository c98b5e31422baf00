/* report.c - the translation's report (see report.h). */
#include "report.h"

#include "bind_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

enum { TOP = 10 };

void report_sample_process(Report *r)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return;
    r->cpu_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
    r->peak_rss_mb = ru.ru_maxrss / 1024.0; /* KiB on Linux */
}

/* Indices 0..n-1 of the TOP largest values of KEY (descending, ties by
 * index), into OUT; returns how many. */
static size_t top_indices(size_t n, double (*key)(const Report *, size_t), const Report *r, size_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double v = key(r, i);
        if (k == TOP && v <= key(r, out[TOP - 1]))
            continue;
        size_t j = k < TOP ? k++ : TOP - 1; /* full: the last one drops out */
        while (j > 0 && key(r, out[j - 1]) < v) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = i;
    }
    return k;
}

static double func_size(const Report *r, size_t i) { return (double)r->cfg->funcs[i].ninsns; }

static double unit_cost(const Report *r, size_t i)
{
    return r->units[i].lift_s + r->units[i].opt_s + r->units[i].emit_s;
}

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0.0; }

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void count_sources(const Cfg *cfg, size_t by[CFG_NSOURCES])
{
    memset(by, 0, CFG_NSOURCES * sizeof *by);
    for (size_t i = 0; i < cfg->nfuncs; i++)
        if (cfg->funcs[i].source < CFG_NSOURCES)
            by[cfg->funcs[i].source]++;
}

/* "function": "0x...", "name": "..." of FN (empty when NULL). */
static void json_function(FILE *f, const CfgFunc *fn)
{
    if (fn == NULL) {
        fprintf(f, "\"function\": \"\", \"name\": \"\"");
        return;
    }
    fprintf(f, "\"function\": \"0x%llx\", \"name\": ", (unsigned long long)fn->entry);
    json_string(f, fn->name ? fn->name : "");
}

static void write_json(const Report *r, FILE *f)
{
    fprintf(f, "{\n  \"input\": ");
    json_string(f, r->input);
    fprintf(f, ",\n  \"opt_level\": %d,\n  \"threads\": %u,\n", r->opt_level, r->threads);
    fprintf(f, "  \"functions\": %zu,\n  \"guest_instructions\": %zu,\n  \"units\": %zu,\n", r->nfuncs, r->ninsns,
            r->nunits);
    fprintf(f, "  \"jump_tables\": %zu,\n  \"unresolved_br\": %zu,\n  \"untranslated\": %zu,\n", r->njumptables,
            r->nunresolved, r->untranslated);
    fprintf(f, "  \"noreturn_functions\": %zu,\n  \"noreturn_calls\": %zu,\n", r->nnoreturn, r->nnoreturn_calls);
    fprintf(f, "  \"flagfree_calls\": %zu,\n  \"flagfree_returns\": %zu,\n  \"flagfree_loops\": %zu,\n",
            r->nflagfree_calls, r->nflagfree_returns, r->nflagfree_loops);
    fprintf(f,
            "  \"tiers\": {\"cold\": {\"functions\": %zu, \"guest_instructions\": %zu}, "
            "\"hot\": {\"functions\": %zu, \"guest_instructions\": %zu}, "
            "\"huge\": {\"functions\": %zu, \"guest_instructions\": %zu}, "
            "\"warm\": {\"functions\": %zu, \"guest_instructions\": %zu}},\n",
            r->tier_funcs[0], r->tier_insns[0], r->tier_funcs[1], r->tier_insns[1], r->tier_funcs[2],
            r->tier_insns[2], r->tier_funcs[3], r->tier_insns[3]);
    fprintf(f, "  \"wall_seconds\": %.3f,\n  \"cpu_seconds\": %.3f,\n  \"peak_rss_mb\": %.1f,\n", r->wall_s, r->cpu_s,
            r->peak_rss_mb);
    fprintf(f, "  \"guest_instructions_per_cpu_second\": %.0f,\n", r->cpu_s > 0 ? r->ninsns / r->cpu_s : 0.0);
    fprintf(f, "  \"output_bytes\": %llu,\n", (unsigned long long)r->output_bytes);
    fprintf(f,
            "  \"stages\": {\"load\": %.3f, \"cfg\": %.3f, \"lift\": %.3f, \"optimize\": %.3f, \"codegen\": %.3f, "
            "\"meta\": %.3f, \"link\": %.3f},\n",
            r->load_s, r->cfg_s, r->lift_s, r->opt_s, r->emit_s, r->meta_s, r->link_s);
    fprintf(f,
            "  \"ir\": {\"lifted\": %zu, \"optimized\": %zu, \"lifted_per_guest_instruction\": %.2f, "
            "\"optimized_per_guest_instruction\": %.2f},\n",
            r->ir_lifted, r->ir_after, ratio(r->ir_lifted, r->ninsns), ratio(r->ir_after, r->ninsns));
    size_t idx[TOP];
    size_t n = top_indices(r->cfg->nfuncs, func_size, r, idx);
    fprintf(f, "  \"largest_functions\": [");
    for (size_t k = 0; k < n; k++) {
        const CfgFunc *fn = &r->cfg->funcs[idx[k]];
        fprintf(f, "%s\n    {\"entry\": \"0x%llx\", \"name\": ", k ? "," : "", (unsigned long long)fn->entry);
        json_string(f, fn->name ? fn->name : "");
        fprintf(f, ", \"guest_instructions\": %zu, \"ir_lifted\": %zu, \"unit\": %u}", fn->ninsns,
                r->func_ir[idx[k]], r->func_unit[idx[k]]);
    }
    fprintf(f, "\n  ],\n  \"slowest_units\": [");
    n = top_indices(r->nunits, unit_cost, r, idx);
    for (size_t k = 0; k < n; k++) {
        const UnitReport *u = &r->units[idx[k]];
        fprintf(f,
                "%s\n    {\"unit\": %u, \"functions\": %zu, \"guest_instructions\": %zu, \"tier\": \"%s\", "
                "\"lift\": %.3f, \"optimize\": %.3f, \"codegen\": %.3f, \"ir_lifted\": %zu, \"ir_optimized\": %zu}",
                k ? "," : "", u->index, u->nfuncs, u->ninsns, u->tier, u->lift_s, u->opt_s, u->emit_s,
                u->ir_lifted, u->ir_after);
    }
    fprintf(f, "\n  ],\n  \"tier_costs\": {");
    const char *const tiers[] = {"cold", "warm", "hot", "huge"};
    for (size_t t = 0; t < sizeof tiers / sizeof *tiers; t++) {
        size_t nu = 0, ni = 0;
        double cpu = 0;
        for (size_t k = 0; k < r->nunits; k++)
            if (r->units[k].tier && strcmp(r->units[k].tier, tiers[t]) == 0) {
                nu++;
                ni += r->units[k].ninsns;
                cpu += unit_cost(r, k);
            }
        fprintf(f, "%s\"%s\": {\"units\": %zu, \"guest_instructions\": %zu, \"cpu_seconds\": %.3f}", t ? ", " : "",
                tiers[t], nu, ni, cpu);
    }
    fprintf(f, "},\n  \"functions_by_source\": {");
    size_t by[CFG_NSOURCES];
    count_sources(r->cfg, by);
    for (int k = 0; k < CFG_NSOURCES; k++)
        fprintf(f, "%s\"%s\": %zu", k ? ", " : "", cfg_source_name((enum CfgSource)k), by[k]);
    fprintf(f, "},\n  \"jump_table_list\": [");
    size_t m = 0;
    for (size_t i = 0; i < r->cfg->nfuncs; i++) {
        const CfgFunc *fn = &r->cfg->funcs[i];
        for (size_t k = 0; k < fn->nindirect; k++) {
            fprintf(f, "%s\n    {\"br\": \"0x%llx\", ", m++ ? "," : "", (unsigned long long)fn->indirect[k].br_pc);
            json_function(f, fn);
            fprintf(f, ", \"targets\": %zu}", fn->indirect[k].ntargets);
        }
    }
    fprintf(f, "\n  ],\n  \"unresolved_branches\": [");
    for (size_t k = 0; k < r->cfg->nunresolved; k++) {
        uint64_t br = r->cfg->unresolved[k];
        fprintf(f, "%s\n    {\"br\": \"0x%llx\", ", k ? "," : "", (unsigned long long)br);
        json_function(f, cfg_containing(r->cfg, br));
        fputc('}', f);
    }
    fprintf(f, "\n  ],\n  \"untranslated_instructions\": [");
    m = 0;
    for (size_t i = 0; r->func_untr && i < r->cfg->nfuncs; i++) {
        const FuncUntranslated *u = &r->func_untr[i];
        if (u->count == 0)
            continue;
        fprintf(f, "%s\n    {", m++ ? "," : "");
        json_function(f, &r->cfg->funcs[i]);
        fprintf(f, ", \"count\": %zu, \"first\": \"0x%llx\", \"word\": \"0x%08x\", \"text\": ", u->count,
                (unsigned long long)u->first, u->word);
        json_string(f, u->text);
        fputc('}', f);
    }
    fprintf(f, "\n  ],\n  \"bound_functions\": [");
    m = 0;
    for (size_t i = 0; r->func_bind && i < r->cfg->nfuncs; i++) {
        if (r->func_bind[i] == BIND_NONE)
            continue;
        fprintf(f, "%s\n    {", m++ ? "," : "");
        json_function(f, &r->cfg->funcs[i]);
        fprintf(f, ", \"binding\": ");
        json_string(f, bind_rows[r->func_bind[i]].name);
        fputc('}', f);
    }
    fprintf(f, "\n  ]\n}\n");
}

int report_write_json(const Report *r, const char *path, Diag *d)
{
    if (strcmp(path, "-") == 0) {
        write_json(r, stdout);
        fflush(stdout);
        return 0;
    }
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return diag_error(d, "cannot write the report %s: %s", path, strerror(errno));
    write_json(r, f);
    if (fclose(f) != 0)
        return diag_error(d, "cannot write the report %s: %s", path, strerror(errno));
    return 0;
}

void report_print(const Report *r, FILE *f)
{
    fprintf(f,
            "dbt-aot: %zu guest instructions in %.2f CPU-s (%.0f per CPU-s), %.2f s wall, %u threads, "
            "peak RSS %.0f MB\n",
            r->ninsns, r->cpu_s, r->cpu_s > 0 ? r->ninsns / r->cpu_s : 0.0, r->wall_s, r->threads, r->peak_rss_mb);
    fprintf(f,
            "dbt-aot: stages: load %.2f s, cfg %.2f s, lift %.2f CPU-s, IR passes %.2f CPU-s, "
            "codegen %.2f CPU-s, meta %.2f s, link %.2f s\n",
            r->load_s, r->cfg_s, r->lift_s, r->opt_s, r->emit_s, r->meta_s, r->link_s);
    fprintf(f, "dbt-aot: IR: %zu instructions lifted (%.2f per guest instruction), %zu after the passes (%.2f)\n",
            r->ir_lifted, ratio(r->ir_lifted, r->ninsns), r->ir_after, ratio(r->ir_after, r->ninsns));
    fprintf(f,
            "dbt-aot: tiers: cold %zu functions (%zu instructions), hot %zu functions (%zu instructions), "
            "huge %zu functions (%zu instructions), warm %zu functions (%zu instructions)\n",
            r->tier_funcs[0], r->tier_insns[0], r->tier_funcs[1], r->tier_insns[1], r->tier_funcs[2],
            r->tier_insns[2], r->tier_funcs[3], r->tier_insns[3]);
    size_t idx[TOP];
    size_t n = top_indices(r->cfg->nfuncs, func_size, r, idx);
    for (size_t k = 0; k < n && k < 5; k++) {
        const CfgFunc *fn = &r->cfg->funcs[idx[k]];
        fprintf(f, "dbt-aot:   largest: 0x%llx %s: %zu instructions, %zu IR\n", (unsigned long long)fn->entry,
                fn->name ? fn->name : "?", fn->ninsns, r->func_ir[idx[k]]);
    }
    size_t by[CFG_NSOURCES];
    count_sources(r->cfg, by);
    fprintf(f, "dbt-aot: functions by source:");
    for (int k = 0; k < CFG_NSOURCES; k++)
        fprintf(f, " %s %zu%s", cfg_source_name((enum CfgSource)k), by[k], k + 1 < CFG_NSOURCES ? "," : "\n");
    fprintf(f, "dbt-aot: %zu jump tables, %zu BR left to the run-time lookup", r->njumptables, r->cfg->nunresolved);
    for (size_t k = 0; k < r->cfg->nunresolved && k < 5; k++) {
        const CfgFunc *fn = cfg_containing(r->cfg, r->cfg->unresolved[k]);
        fprintf(f, "%s0x%llx%s%s", k ? ", " : ": ", (unsigned long long)r->cfg->unresolved[k],
                fn && fn->name ? " in " : "", fn && fn->name ? fn->name : "");
    }
    fprintf(f, "%s\n", r->cfg->nunresolved > 5 ? ", ..." : "");
    size_t nf = 0;
    for (size_t i = 0; r->func_untr && i < r->cfg->nfuncs; i++)
        nf += r->func_untr[i].count > 0;
    fprintf(f, "dbt-aot: %zu instructions untranslated (SIGILL if reached) in %zu functions%s\n", r->untranslated, nf,
            nf ? " (--report lists them)" : "");
    size_t nb = 0;
    for (size_t i = 0; r->func_bind && i < r->cfg->nfuncs; i++)
        nb += r->func_bind[i] != BIND_NONE;
    fprintf(f, "dbt-aot: %zu functions bound to the host's libraries", nb);
    for (size_t i = 0, k = 0; nb && i < r->cfg->nfuncs; i++) {
        if (r->func_bind[i] == BIND_NONE)
            continue;
        const CfgFunc *fn = &r->cfg->funcs[i];
        if (k++ < 8)
            fprintf(f, "%s%s (%s 0x%llx)", k > 1 ? ", " : ": ", bind_rows[r->func_bind[i]].name,
                    fn->name ? fn->name : "?", (unsigned long long)fn->entry);
    }
    fprintf(f, "%s\n", nb > 8 ? ", ... (--report lists them)" : "");
}
