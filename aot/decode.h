/*
 * decode.h - the capstone wrapper: AArch64 word -> mnemonic text and class.
 *
 * Capstone 4.0.2 decodes the base A64 instruction set but not the ARMv8.1
 * LSE atomics; for those the wrapper asks the supplementary decoder
 * (lifter/a64_lse_decode.c).  The lifter reads operand fields from the
 * instruction bits itself; this wrapper is what the tool uses to name
 * instructions in diagnostics and -v listings and to tell undefined words
 * from valid ones.
 */
#ifndef DBT_DECODE_H
#define DBT_DECODE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct Decoder Decoder;

typedef struct DecInsn {
    uint64_t addr;       /* guest address */
    uint32_t word;       /* the instruction word */
    bool valid;          /* decodable by capstone or the LSE decoder */
    char text[208];      /* "mnemonic operands", or ".inst 0x..." if invalid */
} DecInsn;

/* 0, or -1 if capstone cannot be opened. */
int dec_open(Decoder **out);
void dec_close(Decoder *dec);
/* Decode one word.  Returns out->valid. */
bool dec_one(Decoder *dec, uint32_t word, uint64_t addr, DecInsn *out);

#endif
