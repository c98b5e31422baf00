/*
 * gen.h - random but valid AArch64 instruction sequences, per class.
 *
 * A class is a group of the architecture manual's encoding groups (dp_imm,
 * dp_reg, ldst, ...).  Its forms are written as the manual's encoding
 * diagrams, bit 31 first:
 *
 *     {"ADD/SUB (immediate)", "sf op S 100010 sh imm12:12 Rn:5 Rd:5", 4, NULL}
 *
 * 0/1 runs are fixed bits, NAME or NAME:WIDTH a field.  A word is made by
 * filling every field at random (register fields R* from the sequence's
 * registers, biased to a few "hot" ones so instructions depend on each
 * other), then the form's make() callback enforces what the diagram cannot
 * say (reserved values, register constraints, addresses inside the window,
 * forward branch targets), then capstone 4 must decode the word (except for
 * forms it does not know, GF_NOCS: the LSE atomics).
 *
 * Memory classes keep a pool of registers out of reach of random writes:
 *
 *     X28, X27, SP   base registers, pointing into the window (dt_proto.h);
 *                    written only by writeback, which the generator tracks
 *     X26, X25, X24  index registers: small values (X25 with random upper
 *                    32 bits, for the W extends); never written
 *
 * so the generator knows every address and keeps each access inside the
 * window (and naturally aligned where the architecture requires it).  It
 * records the accesses per word: a minimized case lists those bytes.
 *
 * Reproducible: the sequence is a pure function of (class, seed, index).
 */
#ifndef DT_GEN_H
#define DT_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "difftest.h"

/* Class flags. */
enum {
    GC_MEMORY = 1,    /* accesses memory: the register pool is in force */
    GC_VREGS = 2,     /* uses V registers: FP edge values, listed in reports */
    GC_HALF = 4,      /* half-precision operands: V registers mostly hold halves, and
                         FPCR is random in every sequence (as with --fpcr) */
};

/* Form flags. */
enum {
    GF_NOCS = 1,      /* capstone 4 cannot decode it: no validity filter */
    GF_POSDEP = 2,    /* the result depends on the word's address (ADR, LDR literal) */
    GF_COMPOUND = 4,  /* make(g, f, NULL) emits one or more words itself */
};

typedef struct Gen Gen;
typedef struct GenForm GenForm;
typedef struct GenEnc GenEnc;

/* Enforce the form's constraints on the randomly filled word *W; false to
 * reject it (another random word is tried). */
typedef bool (*GenMake)(Gen *g, const GenForm *f, uint32_t *w);

struct GenForm {
    const char *name;     /* the manual's name of the form */
    const char *enc;      /* its encoding diagram, bit 31 first */
    unsigned weight;      /* relative frequency within the class */
    GenMake make;         /* constraints; NULL: none */
    unsigned flags;       /* GF_* */
    GenEnc *parsed;       /* the diagram, parsed on first use */
};

/* A table of forms and how often the class picks from it. */
typedef struct GenTable {
    GenForm *forms;       /* terminated by a {NULL} entry */
    unsigned scale;       /* multiplies the forms' weights */
} GenTable;

typedef struct GenClass {
    const char *name;     /* --class NAME */
    const char *what;     /* one line for --help */
    unsigned flags;       /* GC_* */
    GenTable tables[6];   /* the forms; terminated by {NULL} */
} GenClass;

/* One memory access of a word. */
typedef struct GenAccess {
    uint64_t addr;        /* guest address, inside the window */
    uint32_t len;         /* bytes */
} GenAccess;

enum { GEN_MAX_ACC = 2 };

/* A generated sequence: the run, and what the generator knows of it. */
typedef struct GenSeq {
    DtCase c;                               /* words, initial state, window seed */
    const GenClass *cls;                    /* its class */
    uint64_t index;                         /* its number within the class */
    const char *form[DT_MAX_WORDS];         /* the form of each word */
    GenAccess acc[DT_MAX_WORDS][GEN_MAX_ACC]; /* memory each word touches */
    uint8_t nacc[DT_MAX_WORDS];
    bool posdep[DT_MAX_WORDS];              /* the word's result depends on its address */
} GenSeq;

/* Every class, terminated by {NULL}. */
extern const GenClass *const gen_classes[];
const GenClass *gen_find_class(const char *name);

/* Generator options. */
enum {
    GEN_EXT = 1,      /* also optional extensions dbt-aot does not implement (crypto PMULL) */
    GEN_FPCR = 2,     /* random FPCR (rounding mode, FZ, DN, AHP, FZ16) in FP/SIMD classes */
};

/* Make sequence INDEX of class CLS for SEED; LEN words (0: 8 to 16);
 * OPTS: GEN_*. */
void gen_sequence(const GenClass *cls, uint64_t seed, uint64_t index, unsigned len, unsigned opts, GenSeq *out);

/* "add x0, x1, x2" for W (capstone, or the LSE decoder); "?" if neither knows it. */
void gen_disasm(uint32_t w, uint64_t pc, char *buf, size_t n);

/* ---- for the form tables (gen_*.c) ------------------------------------------- */

/* Field NAME of W in form F (the field must exist). */
uint32_t fget(const GenForm *f, uint32_t w, const char *name);
uint32_t fset(const GenForm *f, uint32_t w, const char *name, uint32_t v);
bool fhas(const GenForm *f, const char *name);

uint64_t gen_rand(Gen *g);
uint64_t gen_below(Gen *g, uint64_t n);            /* 0 .. n-1 */
int64_t gen_range(Gen *g, int64_t lo, int64_t hi); /* lo .. hi */
bool gen_chance(Gen *g, unsigned percent);
/* A register for a data operand: any (hot-biased), outside the pool in memory classes. */
unsigned gen_data_reg(Gen *g);
/* Any register number, hot-biased (V registers, or where the pool does not matter). */
unsigned gen_any_reg(Gen *g);
/* A base register of the pool (27, 28 or 31 = SP) and its current value. */
unsigned gen_base_reg(Gen *g, uint64_t *value);
/* An index register of the pool (24, 25, 26) and its value. */
unsigned gen_index_reg(Gen *g, uint64_t *value);
bool gen_in_pool(unsigned r);
/* GEN_EXT: optional extensions are wanted too. */
bool gen_ext(const Gen *g);
/* Position of the word being made and the sequence length. */
unsigned gen_pos(const Gen *g);
unsigned gen_len(const Gen *g);
/* Words still free after the one being made. */
unsigned gen_room(const Gen *g);

/* Side effects of the word being made, applied if it is accepted. */
/* The word reads/writes LEN bytes at ADDR: true if inside the window and aligned to ALIGN. */
bool gen_access(Gen *g, uint64_t addr, unsigned len, unsigned align);
/* Base register R becomes VALUE (writeback): true if it stays in the window (SP: 16-aligned). */
bool gen_writeback(Gen *g, unsigned r, uint64_t value);
/* An offset OFF = IMM * SCALE with IMM in [LO, HI] such that BASE + OFF + [0, LEN)
 * is in the window; false if there is none. */
bool gen_offset(Gen *g, uint64_t base, unsigned len, int64_t lo, int64_t hi, unsigned scale, int64_t *imm);

/* The exclusive monitor as the generator models it. */
bool gen_excl_open(const Gen *g, uint64_t *addr, unsigned *len);
void gen_excl_set(Gen *g, bool open, uint64_t addr, unsigned len);

/* Compound forms (GF_COMPOUND: a load that sets up a CAS, an exclusive
 * pair) emit their words themselves: build each with fbuild, declare its
 * side effects, emit it.  gen_emit applies the pending side effects; false if
 * the sequence is full. */
bool gen_emit(Gen *g, uint32_t w, const char *form);
/* The word of form F with the named fields set (name, value pairs ending
 * with NULL), every other field zero. */
uint32_t fbuild(const GenForm *f, ...);

/* Form tables. */
extern GenForm gen_dp_imm_forms[], gen_dp_reg_forms[], gen_branch_forms[];
extern GenForm gen_ldst_forms[], gen_ldst_excl_forms[], gen_lse_forms[], gen_simd_ldst_forms[];
extern GenForm gen_fp_forms[], gen_fp16_forms[], gen_simd_int_forms[], gen_simd_fp_forms[];

#endif
