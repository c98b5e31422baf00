/*
 * codegen.c - LLVM optimization pipeline and x86-64 object emission.
 *
 * The lifted module is verified, optimized with the -O level's pipeline
 * (lifter/pipeline.c) for the chosen x86-64 level, and written as a
 * position-independent ELF object (small code model: the output image is
 * linked at 0x200000000000, far above 4 GiB, so absolute 32-bit relocations
 * are not an option).
 */
#include "codegen.h"
#include "pipeline.h"

#include <llvm-c/Analysis.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int codegen_level_number(const char *cpu_level)
{
    if (strcmp(cpu_level, "x86-64") == 0)
        return 1;
    if (strcmp(cpu_level, "x86-64-v2") == 0)
        return 2;
    if (strcmp(cpu_level, "x86-64-v3") == 0)
        return 3;
    if (strcmp(cpu_level, "x86-64-v4") == 0)
        return 4;
    return 0;
}

void codegen_init(void)
{
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeX86AsmParser(); /* the module assembly of the lifter's call stubs */
    dbt_llvm_options("dbt-aot"); /* lifter/pipeline.c: branch alignment, DBT_LLVM_ARGS */
}

double codegen_thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

size_t codegen_count_function_ir(LLVMValueRef f)
{
    size_t n = 0;
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(f); b; b = LLVMGetNextBasicBlock(b))
        for (LLVMValueRef i = LLVMGetFirstInstruction(b); i; i = LLVMGetNextInstruction(i))
            n++;
    return n;
}

/* DATA as the file PATH; 0, or -1 with D set and PATH removed.  LLVM's
 * own file writer aborts the whole process on a failed write (a full disk,
 * the file size limit), so the object is written here. */
static int write_object(const char *path, const char *data, size_t size, Diag *d)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return diag_error(d, "cannot write %s: %s", path, strerror(errno));
    size_t done = 0;
    int err = 0;
    while (done < size && err == 0) {
        ssize_t n = write(fd, data + done, size - done);
        if (n > 0)
            done += (size_t)n;
        else if (n == 0)
            err = ENOSPC;   /* no progress and no error: nothing more fits */
        else if (errno != EINTR)
            err = errno;
    }
    if (close(fd) != 0 && err == 0)
        err = errno;
    if (err == 0)
        return 0;
    unlink(path);
    return diag_error(d, "cannot write %s: %s", path, strerror(err));
}

size_t codegen_count_ir(LLVMModuleRef mod)
{
    size_t n = 0;
    for (LLVMValueRef f = LLVMGetFirstFunction(mod); f; f = LLVMGetNextFunction(f))
        n += codegen_count_function_ir(f);
    return n;
}

int codegen_emit_object(LLVMModuleRef mod, const CodegenOptions *opt, const char *obj_path, CodegenStats *st,
                        Diag *d)
{
    int rc = -1;
    double t0 = codegen_thread_cpu_s(), t1 = t0;
    char *err = NULL;
    LLVMTargetMachineRef tm = NULL;
    LLVMPassBuilderOptionsRef pbo = NULL;

    if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &err)) {
        diag_error(d, "internal error: lifted module does not verify: %.300s", err);
        goto out;
    }
    LLVMDisposeMessage(err);
    err = NULL;

    const char *triple = "x86_64-unknown-linux-gnu";
    LLVMTargetRef target;
    if (LLVMGetTargetFromTriple(triple, &target, &err)) {
        diag_error(d, "LLVM has no x86-64 target: %s", err);
        goto out;
    }
    LLVMCodeGenOptLevel cg = opt->cg_level == 0   ? LLVMCodeGenLevelNone
                             : opt->cg_level == 1 ? LLVMCodeGenLevelLess
                             : opt->cg_level == 3 ? LLVMCodeGenLevelAggressive
                                                  : LLVMCodeGenLevelDefault;
    tm = LLVMCreateTargetMachine(target, triple, opt->cpu_level, "", cg, LLVMRelocPIC, LLVMCodeModelSmall);
    if (tm == NULL) {
        diag_error(d, "cannot create the x86-64 target machine for %s", opt->cpu_level);
        goto out;
    }
    LLVMSetTarget(mod, triple);
    LLVMTargetDataRef td = LLVMCreateTargetDataLayout(tm);
    LLVMSetModuleDataLayout(mod, td);
    LLVMDisposeTargetData(td);

    /* lifter/pipeline.c says why these passes */
    const char *pipeline = dbt_opt_pipeline(opt->ir_level);
    pbo = LLVMCreatePassBuilderOptions();
    LLVMErrorRef perr = LLVMRunPasses(mod, pipeline, tm, pbo);
    if (perr) {
        char *m = LLVMGetErrorMessage(perr);
        diag_error(d, "LLVM optimization failed: %s", m);
        LLVMDisposeErrorMessage(m);
        goto out;
    }
    if (opt->ir_level > 0)
        dbt_before_codegen(mod);
    t1 = codegen_thread_cpu_s();
    if (st != NULL)
        st->ir_after = codegen_count_ir(mod);
    if (opt->dump_ir && LLVMPrintModuleToFile(mod, opt->dump_ir, &err)) {
        diag_error(d, "cannot write %s: %s", opt->dump_ir, err);
        goto out;
    }
    LLVMMemoryBufferRef obj;
    if (LLVMTargetMachineEmitToMemoryBuffer(tm, mod, LLVMObjectFile, &err, &obj)) {
        diag_error(d, "code generation failed: %s", err);
        goto out;
    }
    int wrc = write_object(obj_path, LLVMGetBufferStart(obj), LLVMGetBufferSize(obj), d);
    LLVMDisposeMemoryBuffer(obj);
    if (wrc != 0)
        goto out;
    rc = 0;
    if (st != NULL) {
        st->opt_s = t1 - t0;
        st->emit_s = codegen_thread_cpu_s() - t1;
    }
out:
    if (err)
        LLVMDisposeMessage(err);
    if (pbo)
        LLVMDisposePassBuilderOptions(pbo);
    if (tm)
        LLVMDisposeTargetMachine(tm);
    return rc;
}
