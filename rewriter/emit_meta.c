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
 */
#include "emit_meta.h"

#include <stdlib.h>
#include <string.h>

#include "meta.h" /* include/: the DbtMeta layout */

void meta_emit(LLVMModuleRef mod, const MetaInput *in)
{
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    LLVMTypeRef i32 = LLVMInt32TypeInContext(ctx), i64 = LLVMInt64TypeInContext(ctx);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0);

    /* The guest objects, each file as it is: the guest relocates itself,
     * and execve compares a file with the program's bytes
     * (runtime/exec.c). */
    LLVMValueRef image = NULL;
    LLVMTypeRef oty_fields[] = {ptr, ptr, i64, i64};
    LLVMTypeRef oty = LLVMStructTypeInContext(ctx, oty_fields, 4, 0);
    size_t nobj = in->objs->n;
    LLVMValueRef *orows = malloc((nobj ? nobj : 1) * sizeof *orows);
    for (size_t i = 0; i < nobj; i++) {
        const GuestImage *img = &in->objs->imgs[i];
        const uint8_t *bytes = img->file ? img->file : img->data;
        LLVMValueRef data = LLVMConstStringInContext(ctx, (const char *)bytes, (unsigned)img->size, 1);
        LLVMValueRef g = LLVMAddGlobal(mod, LLVMTypeOf(data), i == 0 ? "dbt_guest_image" : "dbt_guest_object");
        LLVMSetInitializer(g, data);
        LLVMSetGlobalConstant(g, 1);
        LLVMSetLinkage(g, LLVMPrivateLinkage);
        LLVMSetSection(g, ".dbt.guest");
        LLVMSetAlignment(g, 4096);
        if (i == 0)
            image = g;
        const char *path = in->objs->paths[i];
        LLVMValueRef ps = LLVMConstStringInContext(ctx, path, (unsigned)strlen(path), 0);
        LLVMValueRef pg = LLVMAddGlobal(mod, LLVMTypeOf(ps), "dbt_guest_object_path");
        LLVMSetInitializer(pg, ps);
        LLVMSetGlobalConstant(pg, 1);
        LLVMSetLinkage(pg, LLVMPrivateLinkage);
        LLVMValueRef f[] = {pg, g, LLVMConstInt(i64, img->size, 0), LLVMConstInt(i64, img->bias, 0)};
        orows[i] = LLVMConstNamedStruct(oty, f, 4);
    }
    LLVMValueRef oarr = LLVMConstArray(oty, orows, (unsigned)nobj);
    free(orows);
    LLVMValueRef objects = LLVMAddGlobal(mod, LLVMTypeOf(oarr), "dbt_objects");
    LLVMSetInitializer(objects, oarr);
    LLVMSetGlobalConstant(objects, 1);
    LLVMSetLinkage(objects, LLVMPrivateLinkage);
    LLVMSetAlignment(objects, 16);
    const GuestImage *prog = &in->objs->imgs[0];

    /* The function table. */
    LLVMTypeRef ety_fields[] = {i64, ptr};
    LLVMTypeRef ety = LLVMStructTypeInContext(ctx, ety_fields, 2, 0);
    LLVMValueRef *rows = malloc((in->n ? in->n : 1) * sizeof *rows);
    for (size_t i = 0; i < in->n; i++) {
        LLVMValueRef f[] = {LLVMConstInt(i64, in->entries[i], 0), in->fns[i]};
        rows[i] = LLVMConstNamedStruct(ety, f, 2);
    }
    LLVMValueRef arr = LLVMConstArray(ety, rows, (unsigned)in->n);
    free(rows);
    LLVMValueRef table = LLVMAddGlobal(mod, LLVMTypeOf(arr), "dbt_fn_table");
    LLVMSetInitializer(table, arr);
    LLVMSetGlobalConstant(table, 1);
    LLVMSetLinkage(table, LLVMPrivateLinkage);
    LLVMSetAlignment(table, 16);

    /* The guest's name. */
    LLVMValueRef nm = LLVMConstStringInContext(ctx, in->guest_name, (unsigned)strlen(in->guest_name), 0);
    LLVMValueRef name = LLVMAddGlobal(mod, LLVMTypeOf(nm), "dbt_guest_name");
    LLVMSetInitializer(name, nm);
    LLVMSetGlobalConstant(name, 1);
    LLVMSetLinkage(name, LLVMPrivateLinkage);

    /* Where the runtime finds the JIT. */
    LLVMValueRef jit = LLVMConstNull(ptr);
    if (in->jit_lib != NULL) {
        LLVMValueRef jl = LLVMConstStringInContext(ctx, in->jit_lib, (unsigned)strlen(in->jit_lib), 0);
        jit = LLVMAddGlobal(mod, LLVMTypeOf(jl), "dbt_jit_lib");
        LLVMSetInitializer(jit, jl);
        LLVMSetGlobalConstant(jit, 1);
        LLVMSetLinkage(jit, LLVMPrivateLinkage);
    }

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
