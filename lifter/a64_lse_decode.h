/*
 * a64_lse_decode.h - supplementary decoder for the ARMv8.1 LSE atomics,
 * which capstone 4.0.2 does not decode: CAS, CASP, LD<op>, SWP.
 *
 *   CAS{A,L,AL}{B,H}   size 001000 1 L 1 Rs o0 11111 Rn Rt
 *   CASP{A,L,AL}       0 sz 001000 0 L 1 Rs o0 11111 Rn Rt
 *   LD<op>/SWP         size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt
 */
#ifndef DBT_A64_LSE_DECODE_H
#define DBT_A64_LSE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum LseOp {
    LSE_LDADD, LSE_LDCLR, LSE_LDEOR, LSE_LDSET,
    LSE_LDSMAX, LSE_LDSMIN, LSE_LDUMAX, LSE_LDUMIN,
    LSE_SWP, LSE_CAS, LSE_CASP,
};

typedef struct LseInsn {
    enum LseOp op;       /* which instruction */
    unsigned size;       /* log2 of the access size in bytes (CASP: of one register) */
    bool acquire;        /* A/L variant: acquire semantics */
    bool release;        /* L variant: release semantics */
    unsigned rs, rt, rn; /* register fields */
} LseInsn;

bool a64_lse_decode(uint32_t w, LseInsn *out);
/* Render as assembly text; false if W is not an LSE atomic. */
bool a64_lse_format(uint32_t w, char *buf, size_t n);

#endif
