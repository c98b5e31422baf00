/*
 * dt_stub.S - the prologue and epilogue the runner copies around each
 * sequence in its code slot (dt_proto.h has the slot layout).
 *
 * Neither contains a PC-relative reference: they work at any address.  The
 * prologue is entered by a C call; it saves the callee-saved registers on the
 * host stack and the host SP and TPIDR_EL0 at DT_STATE_SAVED, loads FPCR,
 * FPSR, NZCV, V0-V31, SP and X0-X30 from the DtState at DT_STATE_ADDR, clears
 * the exclusive monitor and falls through into the sequence.  The epilogue
 * (right after the last word; forward branches to "the end" land on it) parks
 * X30 in TPIDR_EL0, stores the whole state at DT_STATE_OUT, restores the host
 * and returns to the C caller.
 */
#include "../dt_proto.h"

/* x = 64-bit constant whose bits 63:32 are zero */
.macro movabs reg, x
    movz \reg, #((\x) >> 16) & 0xffff, lsl #16
    movk \reg, #(\x) & 0xffff
.endm

    .text
    .p2align 2
    .global dt_prologue, dt_prologue_end, dt_epilogue, dt_epilogue_end
dt_prologue:
    stp x29, x30, [sp, #-176]!
    mov x29, sp
    stp x19, x20, [sp, #16]
    stp x21, x22, [sp, #32]
    stp x23, x24, [sp, #48]
    stp x25, x26, [sp, #64]
    stp x27, x28, [sp, #80]
    stp d8, d9, [sp, #96]
    stp d10, d11, [sp, #112]
    stp d12, d13, [sp, #128]
    stp d14, d15, [sp, #144]
    movabs x9, DT_STATE_SAVED
    mov x10, sp
    str x10, [x9]
    mrs x10, tpidr_el0
    str x10, [x9, #8]
    movabs x30, DT_STATE_ADDR
    ldr w0, [x30, #264]
    msr fpcr, x0
    ldr w0, [x30, #268]
    msr fpsr, x0
    ldr x0, [x30, #256]
    msr nzcv, x0
    ldp q0, q1, [x30, #272]
    ldp q2, q3, [x30, #304]
    ldp q4, q5, [x30, #336]
    ldp q6, q7, [x30, #368]
    ldp q8, q9, [x30, #400]
    ldp q10, q11, [x30, #432]
    ldp q12, q13, [x30, #464]
    ldp q14, q15, [x30, #496]
    ldp q16, q17, [x30, #528]
    ldp q18, q19, [x30, #560]
    ldp q20, q21, [x30, #592]
    ldp q22, q23, [x30, #624]
    ldp q24, q25, [x30, #656]
    ldp q26, q27, [x30, #688]
    ldp q28, q29, [x30, #720]
    ldp q30, q31, [x30, #752]
    ldr x0, [x30, #248]
    mov sp, x0
    clrex
    ldp x0, x1, [x30, #0]
    ldp x2, x3, [x30, #16]
    ldp x4, x5, [x30, #32]
    ldp x6, x7, [x30, #48]
    ldp x8, x9, [x30, #64]
    ldp x10, x11, [x30, #80]
    ldp x12, x13, [x30, #96]
    ldp x14, x15, [x30, #112]
    ldp x16, x17, [x30, #128]
    ldp x18, x19, [x30, #144]
    ldp x20, x21, [x30, #160]
    ldp x22, x23, [x30, #176]
    ldp x24, x25, [x30, #192]
    ldp x26, x27, [x30, #208]
    ldp x28, x29, [x30, #224]
    ldr x30, [x30, #240]
dt_prologue_end:

dt_epilogue:
    msr tpidr_el0, x30
    movabs x30, DT_STATE_OUT
    stp x0, x1, [x30, #0]
    stp x2, x3, [x30, #16]
    stp x4, x5, [x30, #32]
    stp x6, x7, [x30, #48]
    stp x8, x9, [x30, #64]
    stp x10, x11, [x30, #80]
    stp x12, x13, [x30, #96]
    stp x14, x15, [x30, #112]
    stp x16, x17, [x30, #128]
    stp x18, x19, [x30, #144]
    stp x20, x21, [x30, #160]
    stp x22, x23, [x30, #176]
    stp x24, x25, [x30, #192]
    stp x26, x27, [x30, #208]
    stp x28, x29, [x30, #224]
    mrs x0, tpidr_el0
    str x0, [x30, #240]
    mov x0, sp
    str x0, [x30, #248]
    mrs x0, nzcv
    str x0, [x30, #256]
    mrs x0, fpcr
    str w0, [x30, #264]
    mrs x0, fpsr
    str w0, [x30, #268]
    stp q0, q1, [x30, #272]
    stp q2, q3, [x30, #304]
    stp q4, q5, [x30, #336]
    stp q6, q7, [x30, #368]
    stp q8, q9, [x30, #400]
    stp q10, q11, [x30, #432]
    stp q12, q13, [x30, #464]
    stp q14, q15, [x30, #496]
    stp q16, q17, [x30, #528]
    stp q18, q19, [x30, #560]
    stp q20, q21, [x30, #592]
    stp q22, q23, [x30, #624]
    stp q24, q25, [x30, #656]
    stp q26, q27, [x30, #688]
    stp q28, q29, [x30, #720]
    stp q30, q31, [x30, #752]
    movabs x9, DT_STATE_SAVED
    ldr x10, [x9]
    mov sp, x10
    ldr x10, [x9, #8]
    msr tpidr_el0, x10
    msr fpcr, xzr
    ldp d14, d15, [sp, #144]
    ldp d12, d13, [sp, #128]
    ldp d10, d11, [sp, #112]
    ldp d8, d9, [sp, #96]
    ldp x27, x28, [sp, #80]
    ldp x25, x26, [sp, #64]
    ldp x23, x24, [sp, #48]
    ldp x21, x22, [sp, #32]
    ldp x19, x20, [sp, #16]
    ldp x29, x30, [sp], #176
    ret
dt_epilogue_end:

    .section .note.GNU-stack,"",%progbits
