/*
 * debuginfo.c - LLVM debug information for lifted code (-g): the guest's
 * source lines on the host instructions.
 *
 * When the user of the lifter can say where each guest instruction comes
 * from (LiftEnv.line_at, from the guest's DWARF line table), every lifted
 * function gets a DISubprogram under the guest's name and every host
 * instruction the location of the guest instruction it was lifted from.
 * LLVM then writes .debug_info, .debug_line and call-frame information for
 * the output, so gdb can break at a guest source line, and perf and
 * addr2line show guest files and lines.  Lines from another file than the
 * function's (inlined code from a header) get a DILexicalBlockFile scope.
 * Instructions added after lifting (the state sync) carry no location.
 */
#include <llvm-c/DebugInfo.h>
#include <stdlib.h>
#include <string.h>

#include "a64_lift.h"

typedef struct FileRef {
    const char *path;        /* LiftLine.file: compared by pointer */
    LLVMMetadataRef md;      /* its DIFile (module) or scope (function) */
} FileRef;

struct LiftDebug {
    LLVMDIBuilderRef dib;
    LLVMMetadataRef cu;
    LLVMMetadataRef fn_type;  /* void (void): no guest types are known */
    FileRef *files;           /* DIFiles of this module */
    size_t nfiles;
    FileRef *scopes;          /* scopes of the current function per file */
    size_t nscopes;
    LLVMMetadataRef sp;       /* the current function's subprogram */
    const char *sp_file;
};

static LLVMMetadataRef *find(FileRef **v, size_t *n, const char *path, bool *fresh)
{
    for (size_t i = 0; i < *n; i++)
        if ((*v)[i].path == path) {
            *fresh = false;
            return &(*v)[i].md;
        }
    FileRef *nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (nv == NULL)
        abort(); /* out of memory: as inside LLVM, the process ends */
    *v = nv;
    nv[*n] = (FileRef){path, NULL};
    *fresh = true;
    return &nv[(*n)++].md;
}

static LLVMMetadataRef di_file(LiftDebug *g, const char *path)
{
    bool fresh;
    LLVMMetadataRef *md = find(&g->files, &g->nfiles, path, &fresh);
    if (fresh) {
        const char *slash = strrchr(path, '/');
        const char *name = slash ? slash + 1 : path;
        size_t dirlen = slash ? (size_t)(slash - path) : 0;
        *md = LLVMDIBuilderCreateFile(g->dib, name, strlen(name), path, dirlen);
    }
    return *md;
}

/* The module's compile unit, made with the first function that has lines
 * (its file names the unit: one unit per LLVM module). */
static void begin_module(Lifter *l, const char *path)
{
    LiftDebug *g = calloc(1, sizeof *g);
    if (g == NULL)
        abort();
    l->dbg = g;
    g->dib = LLVMCreateDIBuilder(l->mod);
    LLVMMetadataRef file = di_file(g, path);
    static const char producer[] = "dbt-aot (translated from AArch64)";
    g->cu = LLVMDIBuilderCreateCompileUnit(g->dib, LLVMDWARFSourceLanguageC, file, producer, sizeof producer - 1,
                                           true, "", 0, 0, "", 0, LLVMDWARFEmissionFull, 0, false, false, "", 0,
                                           "", 0);
    g->fn_type = LLVMDIBuilderCreateSubroutineType(g->dib, file, NULL, 0, LLVMDIFlagZero);
    LLVMAddModuleFlag(l->mod, LLVMModuleFlagBehaviorWarning, "Debug Info Version", 18,
                      LLVMValueAsMetadata(c32(l, LLVMDebugMetadataVersion())));
    LLVMAddModuleFlag(l->mod, LLVMModuleFlagBehaviorWarning, "Dwarf Version", 13, LLVMValueAsMetadata(c32(l, 5)));
}

void dbg_begin_function(Lifter *l, const LiftFunc *f)
{
    LiftLine at;
    if (l->env.line_at == NULL || !l->env.line_at(l->env.ctx, f->entry, &at))
        return;
    if (l->dbg == NULL)
        begin_module(l, at.file);
    LiftDebug *g = l->dbg;
    char gname[32];
    lift_function_name(f->entry, gname, sizeof gname);
    const char *name = f->name ? f->name : gname;
    LLVMMetadataRef file = di_file(g, at.file);
    g->sp = LLVMDIBuilderCreateFunction(g->dib, file, name, strlen(name), "", 0, file, at.line,
                                        g->fn_type, true, true, at.line, LLVMDIFlagZero, f->regs != LIFT_REGS_MEMORY);
    g->sp_file = at.file;
    g->nscopes = 0;
    LLVMSetSubprogram(l->fn, g->sp);
    LLVMSetCurrentDebugLocation2(l->b, LLVMDIBuilderCreateDebugLocation(l->ctx, at.line, 0, g->sp, NULL));
}

void dbg_at(Lifter *l, uint64_t pc)
{
    LiftDebug *g = l->dbg;
    LiftLine at;
    if (g == NULL || g->sp == NULL || !l->env.line_at(l->env.ctx, pc, &at))
        return;   /* no line: the previous location goes on */
    LLVMMetadataRef scope = g->sp;
    if (at.file != g->sp_file) {
        bool fresh;
        LLVMMetadataRef *md = find(&g->scopes, &g->nscopes, at.file, &fresh);
        if (fresh)
            *md = LLVMDIBuilderCreateLexicalBlockFile(g->dib, g->sp, di_file(g, at.file), 0);
        scope = *md;
    }
    LLVMSetCurrentDebugLocation2(l->b, LLVMDIBuilderCreateDebugLocation(l->ctx, at.line, 0, scope, NULL));
}

void dbg_end_function(Lifter *l)
{
    if (l->dbg == NULL)
        return;
    l->dbg->sp = NULL;
    LLVMSetCurrentDebugLocation2(l->b, NULL);
}

void lift_finish(Lifter *l)
{
    if (l->dbg != NULL)
        LLVMDIBuilderFinalize(l->dbg->dib);
}

void dbg_free(Lifter *l)
{
    LiftDebug *g = l->dbg;
    if (g == NULL)
        return;
    LLVMDisposeDIBuilder(g->dib);
    free(g->files);
    free(g->scopes);
    free(g);
    l->dbg = NULL;
}
