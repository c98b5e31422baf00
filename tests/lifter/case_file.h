/*
 * case_file.h - lifter test cases as data: parsing and the initial state.
 *
 * One case per line (see README.md for the full format):
 *
 *     <word>[; <word>...] | <inputs> | <expected outputs>   # comment
 *     8b020020 | x1=5 x2=7 | x0=0xc
 *
 * The same grammar and the same default register pattern are implemented by
 * the oracle (oracle/fill_expected.py); `lifter_test --print-defaults` and
 * `fill_expected.py --print-defaults` must print the same text, which a ctest
 * checks.
 */
#ifndef DBT_TEST_CASE_FILE_H
#define DBT_TEST_CASE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu_state.h"

/* Guest address the case's words are placed at (followed by RET). */
#define CASE_CODE_BASE 0x400000ull
/* Scratch memory every case may load from and store to. */
#define CASE_SCRATCH_BASE 0x10000000ull
#define CASE_SCRATCH_SIZE 0x10000ull
/* Most words in one case, not counting the RET the runner appends. */
#define CASE_MAX_WORDS 32
/* Most mem[...] items on one side of a case, and bytes in one item. */
#define CASE_MAX_MEM 8
#define CASE_MAX_MEM_BYTES 64

/* A register-like item a case can name, in the order reports list them. */
enum CaseRegKind {
    CR_X,     /* x0-x30: 64 bits */
    CR_SP,    /* sp */
    CR_NZCV,  /* nzcv: 4 bits, N Z C V from bit 3 to bit 0 */
    CR_FPCR,  /* fpcr: 32 bits */
    CR_FPSR,  /* fpsr: 32 bits */
    CR_V,     /* v0-v31 / q0-q31: 128 bits */
    CR_D,     /* d0-d31: the low 64 bits of Vn */
    CR_S,     /* s0-s31: the low 32 bits of Vn */
    CR_TRAP,  /* trap: 0 none, else the TrapKind the runtime was asked for */
};

/* One `name=value` item. */
typedef struct CaseItem {
    enum CaseRegKind kind; /* which register file */
    unsigned idx;          /* register number (x, v, d, s) */
    uint64_t lo, hi;       /* value; hi only for CR_V */
} CaseItem;

/* One `mem[0xADDR]=bytes` item. */
typedef struct CaseMem {
    uint64_t addr;                     /* guest address, inside the scratch area */
    size_t len;                        /* number of bytes */
    uint8_t bytes[CASE_MAX_MEM_BYTES]; /* in memory order */
} CaseMem;

/* One side (inputs or expected outputs) of a case. */
typedef struct CaseSide {
    CaseItem items[80];         /* registers, in the order written */
    size_t nitems;
    CaseMem mem[CASE_MAX_MEM];  /* memory */
    size_t nmem;
} CaseSide;

typedef struct TestCase {
    const char *file;              /* case file, for reports */
    unsigned line;                 /* 1-based line number */
    uint32_t words[CASE_MAX_WORDS];/* the instructions */
    size_t nwords;
    CaseSide in;                   /* inputs */
    CaseSide out;                  /* expected outputs */
    char text[512];                /* the line as written, for reports */
} TestCase;

/* Parse one line.  Returns 1 for a case, 0 for a blank or comment line,
 * -1 for a syntax error (message in ERR). */
int case_parse_line(const char *line, TestCase *tc, char *err, size_t errlen);

/* The deterministic initial state (the registers a case does not list). */
void case_default_state(CpuState *s);
/* Byte of the initial scratch memory at guest address ADDR. */
uint8_t case_scratch_byte(uint64_t addr);
/* Apply a side's registers to S (inputs). */
void case_apply_inputs(const CaseSide *in, CpuState *s);
/* Print the default state in the format shared with the oracle. */
void case_print_defaults(void);

/* Read item IT's register from S (the same width as the item). */
void case_read_item(const CpuState *s, const CaseItem *it, uint64_t *lo, uint64_t *hi);
/* Format an item's name ("x3", "v0", "nzcv") into BUF. */
void case_item_name(const CaseItem *it, char *buf, size_t n);
/* Format a value of item IT's kind ("0xc", "0b0110", 32 hex digits). */
void case_format_value(const CaseItem *it, uint64_t lo, uint64_t hi, char *buf, size_t n);

#endif
