/*
 * bind.c - the entry of a bound guest function (include/bind_table.h), and
 * direct calls of one.
 *
 * A function the offline tool found to be, say, glibc's memcpy is lifted as
 * usual, and its entry block ends with
 *
 *     if (dbt_rt_bind_on[BIND_memcpy])            (runtime/bind.c: DBT_BIND)
 *         X0 = memmove(X0, X1, X2); PC = X30; return;   (the host's own)
 *     else
 *         the lifted body
 *
 * The call is derived from the row's signature (bind_table.h's letters):
 * integer and pointer arguments come from X0-X7, floating-point ones from
 * V0-V7, the rest from the guest's stack (AAPCS64: 8 bytes each, in order);
 * LLVM's call puts them where the SysV ABI wants them.  The CpuState holds
 * the truth at the entry, so the thunk reads it there and writes only the
 * result (X0, or V0 with its upper bits zero as a scalar write leaves them)
 * and PC.  The registers the guest's own code would have clobbered (X1-X17,
 * V0-V7, V16-V31, NZCV: AAPCS64's caller-saved ones) keep their values; no
 * caller may read them.  With floating point in the signature the host code
 * runs with MXCSR's default control bits but the guest's rounding mode, and
 * the flags it raises go to the guest's FPSR (a64_fp_util.c:
 * fp_enter_host_env).  CpuState.bound_pc holds the function's guest pc
 * during the host call: a fault there reaches the guest's handler as a
 * fault at that pc (runtime/signal.c).  A callback argument (a guest
 * function pointer) is given to the runtime (dbt_rt_bind_callback,
 * runtime/bind.c), which returns the host trampoline that calls it; after
 * the call the runtime forgets it (dbt_rt_bind_callback_done).
 *
 * A direct call (lift_bound_call) of a bound function without callbacks
 * whose host function is linked in (not one of a library the runtime
 * opens and gates: zlib, libcrypto, libm) makes the same test at the call
 * site and calls the host function there: the state synced out first,
 * then, on the host's path, neither the call of the translated function
 * nor its return check nor a reload - only X0 (or V0) changes.  A tail
 * call then returns to X30 as the entry would.
 */
#include "a64_fp_util.h"
#include "a64_lift.h"
#include "bind_table.h"

enum { MAX_ARGS = 24 };

static bool is_fp(char c) { return c == 'f' || c == 'd'; }

static LLVMTypeRef sig_type(Lifter *l, char c)
{
    switch (c) {
    case 'p': case 'F': return l->ptr;
    case 'l': case 'z': return l->i64;
    case 'i': case 'u': return l->i32;
    case 'h': case 'H': return l->i16;
    case 'b': case 'B': return l->i8;
    case 'f': return l->f32;
    case 'd': return l->f64;
    case 'v': return LLVMVoidTypeInContext(l->ctx);
    default: return NULL;
    }
}

/* The SysV convention for a narrow integer: the caller extends it to 32
 * bits (clang's callees rely on it); 0 for the others. */
static LLVMAttributeRef extension(Lifter *l, char c)
{
    const char *kind = c == 'b' || c == 'h' ? "signext" : c == 'B' || c == 'H' ? "zeroext" : NULL;
    return kind ? LLVMCreateEnumAttribute(l->ctx, LLVMGetEnumAttributeKindForName(kind, strlen(kind)), 0) : NULL;
}

/* The argument at A of a signature: its letter ('F' for a callback, whose
 * kind goes to *CB), and where the next one starts; NULL at the end or on
 * a malformed one (*LETTER = 0). */
static const char *next_arg(const char *a, char *letter, unsigned *cb)
{
    *letter = 0;
    *cb = BIND_CB_NONE;
    if (*a == '\0')
        return NULL;
    if (*a != '{') {
        *letter = *a;
        return a + 1;
    }
    const char *end = strchr(a, '}');
    if (end == NULL || (*cb = bind_callback_kind(a + 1, (size_t)(end - a - 1))) == BIND_CB_NONE)
        return NULL;
    *letter = 'F';
    return end + 1;
}

bool lift_bind_signature_ok(const char *sig)
{
    static const char results[] = "vpblhiuzBHfd", args[] = "pblhiuzBHfdF";
    if (sig[0] == '\0' || strchr(results, sig[0]) == NULL || sig[1] != ':')
        return false;
    unsigned n = 0, callbacks = 0, cb;
    char c;
    for (const char *a = sig + 2; *a; n++) {
        a = next_arg(a, &c, &cb);
        if (a == NULL || c == 0 || strchr(args, c) == NULL)
            return false;
        callbacks += c == 'F';
    }
    return n <= MAX_ARGS && callbacks <= 1;
}

/* Declared once per module: ptr NAME(ARGS...) or void. */
static LLVMValueRef runtime_fn(Lifter *l, const char *name, LLVMTypeRef ret, LLVMTypeRef *params, unsigned n,
                               LLVMTypeRef *fty)
{
    *fty = LLVMFunctionType(ret, params, n, 0);
    LLVMValueRef f = LLVMGetNamedFunction(l->mod, name);
    return f != NULL ? f : LLVMAddFunction(l->mod, name, *fty);
}

/* The LLVM type of ROW's host function into *FTY; its argument letters
 * into LETTERS, their number returned. */
static unsigned host_function_type(Lifter *l, const BindRow *row, LLVMTypeRef *fty, char letters[MAX_ARGS])
{
    LLVMTypeRef params[MAX_ARGS];
    unsigned n = 0, cb;
    for (const char *a = row->sig + 2; n < MAX_ARGS && (a = next_arg(a, &letters[n], &cb)) != NULL; n++)
        params[n] = sig_type(l, letters[n]);
    *fty = LLVMFunctionType(sig_type(l, row->sig[0]), params, n, 0);
    return n;
}

/* The host function of ROW, declared in the module. */
static LLVMValueRef host_function(Lifter *l, const BindRow *row, LLVMTypeRef *fty)
{
    char letters[MAX_ARGS];
    unsigned n = host_function_type(l, row, fty, letters);
    LLVMValueRef f = LLVMGetNamedFunction(l->mod, row->host);
    if (f != NULL)
        return f;
    f = LLVMAddFunction(l->mod, row->host, *fty);
    for (unsigned k = 0; k < n; k++)
        if (extension(l, letters[k]))
            LLVMAddAttributeAtIndex(f, k + 1, extension(l, letters[k]));
    return f;
}

/* Argument K (of letter C) of the guest's call: the NGRN-th integer or
 * NSRN-th FP register, or the next 8-byte slot of the guest's stack. */
static LLVMValueRef guest_arg(Lifter *l, char c, unsigned *ngrn, unsigned *nsrn, unsigned *nslot, LLVMValueRef sp)
{
    LLVMValueRef raw; /* 64 bits: the register or the stack slot */
    if (is_fp(c) && *nsrn < 8) {
        raw = rd_vbits(l, (*nsrn)++, 64);
    } else if (!is_fp(c) && *ngrn < 8) {
        raw = rd_x(l, (*ngrn)++);
    } else {
        LLVMValueRef at = LLVMBuildAdd(l->b, sp, c64(l, 8 * (uint64_t)(*nslot)++), "");
        raw = mem_load(l, l->i64, at);
    }
    switch (c) {
    case 'F': return raw; /* the caller turns it into a trampoline */
    case 'p': return LLVMBuildIntToPtr(l->b, raw, l->ptr, "");
    case 'l': case 'z': return raw;
    case 'f': return LLVMBuildBitCast(l->b, LLVMBuildTrunc(l->b, raw, l->i32, ""), l->f32, "");
    case 'd': return LLVMBuildBitCast(l->b, raw, l->f64, "");
    default: return LLVMBuildTrunc(l->b, raw, sig_type(l, c), "");
    }
}

/* An empty inline asm that reads and writes any memory through the
 * CpuState pointer: the stores before it (the state synced out,
 * bound_pc) happen, and stay on their side of the host call, though the
 * CpuState argument is noalias and the host function does not get it -
 * a fault in the host code reads them (runtime/signal.c). */
static void cpu_barrier(Lifter *l)
{
    LLVMTypeRef t = LLVMFunctionType(LLVMVoidTypeInContext(l->ctx), &l->ptr, 1, 0);
    static const char constraints[] = "r,~{memory}";
    LLVMValueRef a = LLVMGetInlineAsm(t, "", 0, (char *)constraints, sizeof constraints - 1, 1, 0,
                                      LLVMInlineAsmDialectATT, 0);
    LLVMBuildCall2(l->b, t, a, &l->cpu, 1, "");
}

/* Whether ID's switch (dbt_rt_bind_on, runtime/bind.c: DBT_BIND) is off,
 * as an i1 read now. */
static LLVMValueRef bind_off(Lifter *l, unsigned id)
{
    LLVMTypeRef arr = LLVMArrayType(l->i8, BIND_COUNT);
    LLVMValueRef on_table = LLVMGetNamedGlobal(l->mod, "dbt_rt_bind_on");
    if (on_table == NULL)
        on_table = LLVMAddGlobal(l->mod, arr, "dbt_rt_bind_on");
    LLVMValueRef idx[2] = {c64(l, 0), c64(l, id)};
    LLVMValueRef on = LLVMBuildLoad2(l->b, l->i8, LLVMBuildInBoundsGEP2(l->b, arr, on_table, idx, 2, ""), "bound");
    return LLVMBuildICmp(l->b, LLVMIntEQ, on, cint(l->i8, 0), "");
}

/* The call of ROW's host function on the guest's arguments, its result
 * written where the guest function leaves it (X0, or V0 with its upper
 * bits zero as a scalar write leaves them).  The guest's registers are in
 * the CpuState (synced out), which a fault in the host code reports.  A
 * library the runtime opens itself may say no (the library is missing,
 * the gate refuses): then on to REFUSED, nothing changed. */
static void host_call(Lifter *l, unsigned id, uint64_t entry, uint64_t errno_location, LLVMBasicBlockRef refused)
{
    const BindRow *row = &bind_rows[id];
    LLVMTypeRef fty;
    LLVMValueRef host;
    unsigned version_arg;
    enum BindGate gate = bind_gate(id, &version_arg);
    if (bind_library_sonames[row->lib] != NULL) {
        char letters[MAX_ARGS];
        host_function_type(l, row, &fty, letters);
        LLVMTypeRef p[2] = {l->ptr, l->i32}, t;
        LLVMValueRef gf = runtime_fn(l, "dbt_rt_bind_gate", l->ptr, p, 2, &t);
        LLVMValueRef ga[2] = {l->cpu, c32(l, id)};
        host = LLVMBuildCall2(l->b, t, gf, ga, 2, "host");
        LLVMBasicBlockRef go = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "host_go");
        LLVMBuildCondBr(l->b, LLVMBuildIsNull(l->b, host, ""), refused, go);
        LLVMPositionBuilderAtEnd(l->b, go);
    } else {
        host = host_function(l, row, &fty);
    }
    bool fp = is_fp(row->sig[0]), callback = false;
    LLVMValueRef argv[MAX_ARGS];
    char letters[MAX_ARGS];
    unsigned n = 0, ngrn = 0, nsrn = 0, nslot = 0, cb;
    LLVMValueRef sp = rd_xsp(l, 31);
    for (const char *a = row->sig + 2; n < MAX_ARGS && (a = next_arg(a, &letters[n], &cb)) != NULL; n++) {
        fp |= is_fp(letters[n]);
        argv[n] = guest_arg(l, letters[n], &ngrn, &nsrn, &nslot, sp);
        if (letters[n] == 'F') {
            LLVMTypeRef p[3] = {l->ptr, l->i64, l->i32}, t;
            LLVMValueRef enter = runtime_fn(l, "dbt_rt_bind_callback", l->ptr, p, 3, &t);
            LLVMValueRef ea[3] = {l->cpu, argv[n], c32(l, cb)};
            argv[n] = LLVMBuildCall2(l->b, t, enter, ea, 3, "");
            callback = true;
        }
    }
    LLVMValueRef saved = fp ? fp_enter_host_env(l) : NULL;
    LLVMValueRef host_errno = NULL;
    LLVMTypeRef t_errno;
    if (bind_sets_errno(id) && errno_location != 0) { /* the host's errno cleared */
        LLVMValueRef loc = runtime_fn(l, "__errno_location", l->ptr, NULL, 0, &t_errno);
        host_errno = LLVMBuildCall2(l->b, t_errno, loc, NULL, 0, "errno");
        LLVMBuildStore(l->b, c32(l, 0), host_errno);
    }
    /* While the host code runs, CpuState.bound_pc names the guest function:
     * a fault in it is the guest's fault there (runtime/signal.c).  It is 0
     * whenever guest code runs (a callback clears it meanwhile). */
    LLVMBuildStore(l->b, c64(l, entry), cpu_field(l, CPU_OFF_bound_pc));
    cpu_barrier(l);
    LLVMValueRef r = LLVMBuildCall2(l->b, fty, host, argv, n, "");
    for (unsigned k = 0; k < n; k++)
        if (extension(l, letters[k]))
            LLVMAddCallSiteAttribute(r, k + 1, extension(l, letters[k]));
    cpu_barrier(l);
    LLVMBuildStore(l->b, c64(l, 0), cpu_field(l, CPU_OFF_bound_pc));
    /* The registers from the CpuState again: the sync out before the call
     * stored them all, and the host code cannot change them - but a guest
     * callback can, so there they stay as they were.  Without this LLVM
     * kept every register live after the call in a stack slot of its own
     * too (nine stores and nine loads around a comparator's strcmp, the
     * SysV convention keeping only RBX, RBP, R13 and R15 of ours). */
    if (!callback)
        lift_sync_in(l);
    if (saved != NULL)
        fp_leave_host_env(l, saved);
    if (host_errno != NULL) { /* a value the host function set goes to the guest's errno */
        LLVMValueRef e = LLVMBuildLoad2(l->b, l->i32, host_errno, "");
        LLVMBasicBlockRef set = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "set_errno");
        LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "errno_done");
        LLVMBuildCondBr(l->b, LLVMBuildICmp(l->b, LLVMIntNE, e, c32(l, 0), ""), set, done);
        LLVMPositionBuilderAtEnd(l->b, set);
        LLVMTypeRef p[3] = {l->ptr, l->i32, l->i64}, t;
        LLVMValueRef f = runtime_fn(l, "dbt_rt_bind_errno", LLVMVoidTypeInContext(l->ctx), p, 3, &t);
        LLVMValueRef a[3] = {l->cpu, e, c64(l, errno_location)};
        LLVMBuildCall2(l->b, t, f, a, 3, "");
        LLVMBuildBr(l->b, done);
        LLVMPositionBuilderAtEnd(l->b, done);
    }
    if (gate == BIND_GATE_ZINIT || gate == BIND_GATE_ZEND || gate == BIND_GATE_ZCOPY) { /* the runtime notes the stream */
        LLVMTypeRef p[3] = {l->ptr, l->i32, l->i64}, t;
        LLVMValueRef af = runtime_fn(l, "dbt_rt_bind_after", LLVMVoidTypeInContext(l->ctx), p, 3, &t);
        LLVMValueRef aa[3] = {l->cpu, c32(l, id), LLVMBuildSExt(l->b, r, l->i64, "")};
        LLVMBuildCall2(l->b, t, af, aa, 3, "");
    }
    if (callback) {
        LLVMTypeRef t;
        LLVMValueRef done = runtime_fn(l, "dbt_rt_bind_callback_done", LLVMVoidTypeInContext(l->ctx), &l->ptr, 1, &t);
        LLVMBuildCall2(l->b, t, done, &l->cpu, 1, "");
    }
    char res = row->sig[0];
    if (res == 'f' || res == 'd') {
        wr_vscalar(l, 0, r);
    } else if (res != 'v') {
        LLVMValueRef x0;
        switch (res) {
        case 'p': x0 = LLVMBuildPtrToInt(l->b, r, l->i64, ""); break;
        case 'l': case 'z': x0 = r; break;
        case 'b': case 'h': x0 = LLVMBuildZExt(l->b, LLVMBuildSExt(l->b, r, l->i32, ""), l->i64, ""); break;
        default: x0 = LLVMBuildZExt(l->b, r, l->i64, ""); break; /* as a write of W0 */
        }
        wr_x(l, 0, x0);
    }
}

void lift_bound_entry(Lifter *l, unsigned id, uint64_t entry, uint64_t errno_location, LLVMBasicBlockRef body)
{
    l->pc = entry;
    LLVMBasicBlockRef thunk = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "host_call");
    lift_set_cold_weights(l, LLVMBuildCondBr(l->b, bind_off(l, id), body, thunk));
    LLVMPositionBuilderAtEnd(l->b, thunk);
    lift_sync_out(l); /* the passed registers too: a fault in the host code reports them */
    host_call(l, id, entry, errno_location, body);
    lift_indirect_jump(l, rd_x(l, 30), true); /* RET */
}

LLVMBasicBlockRef lift_bound_call(Lifter *l, uint64_t target, bool tail)
{
    uint64_t errno_location = 0;
    unsigned id = l->env.bind_at ? l->env.bind_at(l->env.ctx, target, &errno_location) : 0;
    /* Not bound; with a callback (the guest function runs and calls back);
     * or from a library the runtime opens, whose gate may refuse - then
     * the function's own entry would ask again (and log again). */
    if (id == 0 || id >= BIND_COUNT || strchr(bind_rows[id].sig, '{') != NULL ||
        bind_library_sonames[bind_rows[id].lib] != NULL)
        return NULL;
    LLVMBasicBlockRef host = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "bound_call");
    LLVMBasicBlockRef guest = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "unbound_call");
    lift_set_cold_weights(l, LLVMBuildCondBr(l->b, bind_off(l, id), guest, host));
    LLVMPositionBuilderAtEnd(l->b, host);
    lift_sync_out(l);
    host_call(l, id, target, errno_location, guest);
    LLVMBasicBlockRef join = NULL;
    if (tail) {
        lift_indirect_jump(l, rd_x(l, 30), true); /* RET */
    } else {
        join = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "after_bound_call");
        LLVMBuildBr(l->b, join);
    }
    LLVMPositionBuilderAtEnd(l->b, guest);
    return join;
}
