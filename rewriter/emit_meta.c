/*
 * meta.c - emitting the runtime's metadata into the lifted module.
 *
 *   .dbt.guest    the guest ELF files (the program, its interpreter and
 *                 libraries), page aligned (runtime/loader.c maps the
 *                 program's and the interpreter's segments; the guest's
 *                 ld.so opens the libraries, runtime/sys_proc.c serves them)
 *   .rodata       dbt_objects: DbtObject per file
 *   .rodata       dbt_fn_table: {guest_pc, fn} sorted by guest_pc
 *   .data.rel.ro  dbt_meta: DbtMeta (include/meta.h)
 *   .rodata       the guest's name and the JIT library's path (strings)
 *
 * With dbt-aot --shared-libs, a library's file and function table go into
 * a host shared object of its own instead (lib_meta_emit: dbt_lib_meta,
 * include/meta.h), and the output's DbtObject only names it.
 */
#include "emit_meta.h"

#include <stdlib.h>
#include <string.h>

#include "meta.h" /* include/: the DbtMeta layout */

static LLVMValueRef private_const(LLVMModuleRef mod, LLVMValueRef init, const char *name)
{
    LLVMValueRef g = LLVMAddGlobal(mod, LLVMTypeOf(init), name);
    LLVMSetInitializer(g, init);
    LLVMSetGlobalConstant(g, 1);
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    return g;
}

static LLVMValueRef string_const(LLVMModuleRef mod, const char *s, const char *name)
{
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    return private_const(mod, LLVMConstStringInContext(ctx, s, (unsigned)strlen(s), 0), name);
}

/* A guest file, whole, page aligned in .dbt.guest. */
static LLVMValueRef image_const(LLVMModuleRef mod, const GuestImage *img, const char *name)
{
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    const uint8_t *bytes = img->file ? img->file : img->data;
    LLVMValueRef g = private_const(mod, LLVMConstStringInContext(ctx, (const char *)bytes, (unsigned)img->size, 1), name);
    LLVMSetSection(g, ".dbt.guest");
    LLVMSetAlignment(g, 4096);
    return g;
}

/* The DbtObject type, and one row. */
static LLVMTypeRef object_type(LLVMContextRef ctx)
{
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0), i64 = LLVMInt64TypeInContext(ctx);
    LLVMTypeRef f[] = {ptr, ptr, i64, i64, ptr};
    return LLVMStructTypeInContext(ctx, f, 5, 0);
}

static LLVMValueRef object_row(LLVMModuleRef mod, const char *path, LLVMValueRef image, const GuestImage *img,
                               const char *shared)
{
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0), i64 = LLVMInt64TypeInContext(ctx);
    LLVMValueRef f[] = {string_const(mod, path, "dbt_guest_object_path"), image ? image : LLVMConstNull(ptr),
                        LLVMConstInt(i64, image ? img->size : 0, 0), LLVMConstInt(i64, img->bias, 0),
                        shared ? string_const(mod, shared, "dbt_shared_path") : LLVMConstNull(ptr)};
    return LLVMConstNamedStruct(object_type(ctx), f, 5);
}

/* {guest_pc, fn} sorted by guest_pc. */
static LLVMValueRef fn_table(LLVMModuleRef mod, const uint64_t *entries, LLVMValueRef *fns, size_t n)
{
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0), i64 = LLVMInt64TypeInContext(ctx);
    LLVMTypeRef ety_fields[] = {i64, ptr};
    LLVMTypeRef ety = LLVMStructTypeInContext(ctx, ety_fields, 2, 0);
    LLVMValueRef *rows = malloc((n ? n : 1) * sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        LLVMValueRef f[] = {LLVMConstInt(i64, entries[i], 0), fns[i]};
        rows[i] = LLVMConstNamedStruct(ety, f, 2);
    }
    LLVMValueRef table = private_const(mod, LLVMConstArray(ety, rows, (unsigned)n), "dbt_fn_table");
    free(rows);
    LLVMSetAlignment(table, 16);
    return table;
}

void meta_emit(LLVMModuleRef mod, const MetaInput *in)
{
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    LLVMTypeRef i32 = LLVMInt32TypeInContext(ctx), i64 = LLVMInt64TypeInContext(ctx);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0);

    /* The guest objects, each file as it is: the guest relocates itself,
     * and execve compares a file with the program's bytes
     * (runtime/exec.c).  A library in a shared object of its own is only
     * named. */
    LLVMValueRef image = NULL;
    size_t nobj = in->objs->n;
    LLVMValueRef *orows = malloc((nobj ? nobj : 1) * sizeof *orows);
    for (size_t i = 0; i < nobj; i++) {
        const GuestImage *img = &in->objs->imgs[i];
        const char *shared = in->shared ? in->shared[i] : NULL;
        LLVMValueRef g = shared ? NULL : image_const(mod, img, i == 0 ? "dbt_guest_image" : "dbt_guest_object");
        if (i == 0)
            image = g;
        /* The program by its file name only: the path it was given by
         * does not belong in the output (the same input from another
         * directory gives the same bytes). */
        orows[i] = object_row(mod, i == 0 ? in->guest_name : in->objs->paths[i], g, img, shared);
    }
    LLVMValueRef objects = private_const(mod, LLVMConstArray(object_type(ctx), orows, (unsigned)nobj), "dbt_objects");
    free(orows);
    LLVMSetAlignment(objects, 16);
    const GuestImage *prog = &in->objs->imgs[0];
    LLVMValueRef table = fn_table(mod, in->entries, in->fns, in->n);
    LLVMValueRef name = string_const(mod, in->guest_name, "dbt_guest_name");
    /* Where the runtime finds the JIT. */
    LLVMValueRef jit = in->jit_lib ? string_const(mod, in->jit_lib, "dbt_jit_lib") : LLVMConstNull(ptr);

    /* DbtMeta, field by field as in include/meta.h. */
    LLVMTypeRef mfields[] = {i64, i32, i32, ptr, i64, i64, ptr, i64, ptr, ptr, ptr, i64};
    LLVMTypeRef mty = LLVMStructTypeInContext(ctx, mfields, 12, 0);
    LLVMValueRef mv[] = {
        LLVMConstInt(i64, DBT_META_MAGIC, 0), LLVMConstInt(i32, DBT_META_VERSION, 0),
        LLVMConstInt(i32, (unsigned)in->host_level, 0), image, LLVMConstInt(i64, prog->size, 0),
        LLVMConstInt(i64, prog->bias, 0), table, LLVMConstInt(i64, in->n, 0), name, jit,
        objects, LLVMConstInt(i64, nobj, 0),
    };
    LLVMValueRef meta = LLVMAddGlobal(mod, mty, DBT_META_SYMBOL);
    LLVMSetInitializer(meta, LLVMConstNamedStruct(mty, mv, 12));
    LLVMSetGlobalConstant(meta, 1);
    LLVMSetVisibility(meta, LLVMHiddenVisibility);
    LLVMSetAlignment(meta, 16);
}

/* A bound of a section the linker brackets (lld's __start_/__stop_ for a
 * section named like a C identifier): weak, 0 when there is no section. */
static LLVMValueRef section_bound(LLVMModuleRef mod, const char *name)
{
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    LLVMValueRef g = LLVMAddGlobal(mod, LLVMInt8TypeInContext(ctx), name);
    LLVMSetLinkage(g, LLVMExternalWeakLinkage);
    LLVMSetVisibility(g, LLVMHiddenVisibility);
    return g;
}

void lib_meta_emit(LLVMModuleRef mod, const LibMetaInput *in)
{
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    LLVMTypeRef i32 = LLVMInt32TypeInContext(ctx), i64 = LLVMInt64TypeInContext(ctx);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0);
    LLVMValueRef image = image_const(mod, in->img, "dbt_guest_object");
    LLVMValueRef object = object_row(mod, in->path, image, in->img, NULL);
    LLVMValueRef table = fn_table(mod, in->entries, in->fns, in->n);
    LLVMTypeRef mfields[] = {i64, i32, i32, object_type(ctx), ptr, i64, ptr, ptr, ptr, ptr};
    LLVMTypeRef mty = LLVMStructTypeInContext(ctx, mfields, 10, 0);
    LLVMValueRef mv[] = {
        LLVMConstInt(i64, DBT_META_MAGIC, 0), LLVMConstInt(i32, DBT_META_VERSION, 0),
        LLVMConstInt(i32, (unsigned)in->host_level, 0), object, table, LLVMConstInt(i64, in->n, 0),
        LLVMConstNull(ptr), LLVMConstNull(ptr),   /* the runtime finds its code segment */
        section_bound(mod, "__start_" DBT_PCMAP_SECTION), section_bound(mod, "__stop_" DBT_PCMAP_SECTION),
    };
    LLVMValueRef meta = LLVMAddGlobal(mod, mty, DBT_LIB_META_SYMBOL);
    LLVMSetInitializer(meta, LLVMConstNamedStruct(mty, mv, 10));
    LLVMSetGlobalConstant(meta, 1);
    LLVMSetAlignment(meta, 16);
}
