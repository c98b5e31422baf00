/*
 * meta.c - emitting the runtime's metadata into the lifted module.
 *
 *   .dbt.guest    the guest ELF file, page aligned (runtime/loader.c maps
 *                 its segments at their guest addresses)
 *   .rodata       dbt_fn_table: {guest_pc, fn} sorted by guest_pc
 *   .data.rel.ro  dbt_meta: DbtMeta (runtime/include/meta.h)
 *   .rodata       the guest's name and the JIT library's path (strings)
 */
#include "emit_meta.h"

#include <stdlib.h>
#include <string.h>

#include "meta.h" /* runtime/include: the DbtMeta layout */

void meta_emit(LLVMModuleRef mod, const MetaInput *in)
{
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    LLVMTypeRef i32 = LLVMInt32TypeInContext(ctx), i64 = LLVMInt64TypeInContext(ctx);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0);

    /* The guest image. */
    /* The file as it is: the guest relocates itself, and execve compares
     * a file with these bytes (runtime/exec.c). */
    const uint8_t *bytes = in->img->file ? in->img->file : in->img->data;
    LLVMValueRef data = LLVMConstStringInContext(ctx, (const char *)bytes, (unsigned)in->img->size, 1);
    LLVMValueRef image = LLVMAddGlobal(mod, LLVMTypeOf(data), "dbt_guest_image");
    LLVMSetInitializer(image, data);
    LLVMSetGlobalConstant(image, 1);
    LLVMSetLinkage(image, LLVMPrivateLinkage);
    LLVMSetSection(image, ".dbt.guest");
    LLVMSetAlignment(image, 4096);

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

    /* DbtMeta, field by field as in runtime/include/meta.h. */
    LLVMTypeRef mfields[] = {i64, i32, i32, ptr, i64, i64, ptr, i64, ptr, ptr};
    LLVMTypeRef mty = LLVMStructTypeInContext(ctx, mfields, 10, 0);
    LLVMValueRef mv[] = {
        LLVMConstInt(i64, DBT_META_MAGIC, 0), LLVMConstInt(i32, DBT_META_VERSION, 0),
        LLVMConstInt(i32, (unsigned)in->host_level, 0), image, LLVMConstInt(i64, in->img->size, 0),
        LLVMConstInt(i64, in->img->bias, 0), table, LLVMConstInt(i64, in->n, 0), name, jit,
    };
    LLVMValueRef meta = LLVMAddGlobal(mod, mty, DBT_META_SYMBOL);
    LLVMSetInitializer(meta, LLVMConstNamedStruct(mty, mv, 10));
    LLVMSetGlobalConstant(meta, 1);
    LLVMSetVisibility(meta, LLVMHiddenVisibility);
    LLVMSetAlignment(meta, 16);
}
