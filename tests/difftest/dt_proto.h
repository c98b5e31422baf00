/*
 * dt_proto.h - what the differential tester (host, x86-64) and its oracle
 * runner (AArch64, under qemu-aarch64) agree on: the guest memory map, the
 * records they exchange and the window's pseudo-random contents.
 *
 * Both compilers build this file (the runner with aarch64-linux-gnu-gcc);
 * both targets are LP64 little-endian, so the records are plain structs.
 *
 * Guest memory map (the same addresses in the runner's process and, by the
 * identity mapping, in the tester's process for the translated code):
 *
 *   0x10000000 +0x10000  scratch area = tests/lifter's (CASE_SCRATCH_BASE):
 *                        every byte holds the lifter tests' pattern ...
 *   0x10007800 +0x1000   ... except the window: random per sequence; all
 *                        generated loads and stores stay inside it
 *   0x1f000000           runner only: state in / out, the host's saved SP
 *   0x20000000 +4 MiB    runner only: code slots, DT_SLOT_SIZE each:
 *
 *       slot + 0x200 - P   prologue: save the host, load the state (P bytes)
 *       slot + 0x200       the sequence's words   <- guest address of word 0
 *       slot + 0x200 + 4N  epilogue: store the state, back to the host
 *
 * The translated side lifts sequence k of a batch at the same address as
 * the runner's slot k (dt_entry), so PC-relative instructions (ADR, ADRP,
 * LDR literal) give the same results on both sides.
 *
 * Protocol: the host writes a batch (DtBatchHeader, then per run a
 * DtRequest and its DtPatch records); the runner reads the whole batch,
 * runs it, then writes per run a DtReply and its changed-byte runs (so the
 * pipes cannot deadlock).  EOF on stdin ends the runner.
 */
#ifndef DT_PROTO_H
#define DT_PROTO_H

#define DT_SCRATCH_BASE 0x10000000ull
#define DT_SCRATCH_SIZE 0x10000ull
#define DT_WINDOW_BASE 0x10007800ull
#define DT_WINDOW_SIZE 0x1000ull
#define DT_STATE_ADDR 0x1f000000ull    /* runner: DtState in */
#define DT_STATE_OUT 0x1f000400ull     /* runner: DtState out */
#define DT_STATE_SAVED 0x1f000800ull   /* runner: host sp, tpidr_el0 */
#define DT_CODE_BASE 0x20000000ull
#define DT_SLOT_SIZE 0x400ull
#define DT_WORDS_OFF 0x200ull
#define DT_MAX_SLOTS 4096
#define DT_MAX_WORDS 32
#define DT_MAX_PATCH 16
#define DT_PATCH_BYTES 64

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/* Guest address of word 0 of the sequence in SLOT. */
static inline uint64_t dt_entry(unsigned slot)
{
    return DT_CODE_BASE + (uint64_t)slot * DT_SLOT_SIZE + DT_WORDS_OFF;
}

/* The architectural state exchanged with the runner (the oracle's struct
 * Regs in tests/lifter/oracle/fill_expected.py has the same layout). */
typedef struct DtState {
    uint64_t x[31];           /* X0-X30 */
    uint64_t sp;              /* SP */
    uint64_t nzcv;            /* NZCV as in the register: bits 31:28 */
    uint32_t fpcr, fpsr;      /* FPCR, FPSR */
    _Alignas(16) uint8_t v[32][16]; /* V0-V31, little endian */
} DtState;
_Static_assert(offsetof(DtState, sp) == 248, "sp");
_Static_assert(offsetof(DtState, nzcv) == 256, "nzcv");
_Static_assert(offsetof(DtState, fpcr) == 264, "fpcr");
_Static_assert(offsetof(DtState, v) == 272, "v");
_Static_assert(sizeof(DtState) == 784, "size");

#define DT_MAGIC_BATCH 0x31425444u  /* "DTB1" */
#define DT_MAGIC_REQ 0x31515444u    /* "DTQ1" */
#define DT_MAGIC_REPLY 0x31525444u  /* "DTR1" */

typedef struct DtBatchHeader {
    uint32_t magic;           /* DT_MAGIC_BATCH */
    uint32_t count;           /* DtRequests that follow */
} DtBatchHeader;

/* One run: a state, words, and how to initialize the window. */
typedef struct DtRequest {
    DtState in;               /* registers before the words */
    uint32_t magic;           /* DT_MAGIC_REQ */
    uint32_t slot;            /* code slot (< DT_MAX_SLOTS) */
    uint32_t nwords;          /* <= DT_MAX_WORDS */
    uint32_t npatch;          /* DtPatch records following this one */
    uint64_t mem_seed;        /* window: 0 = the lifter tests' pattern, else dt_fill_window(seed) */
    uint32_t words[DT_MAX_WORDS];
} DtRequest;

/* Bytes written over the initialized window (inputs of a minimized case). */
typedef struct DtPatch {
    uint64_t addr;            /* guest address, the patch inside the window */
    uint32_t len;             /* 1..DT_PATCH_BYTES */
    uint8_t bytes[DT_PATCH_BYTES];
} DtPatch;

/* The result of one run; DtRun records follow (nruns of them). */
typedef struct DtReply {
    DtState out;              /* registers after (at the faulting word on a signal) */
    uint32_t magic;           /* DT_MAGIC_REPLY */
    int32_t sig;              /* 0, or the signal the words raised */
    int32_t fault_idx;        /* index of the word that raised it, -1 if not one of the words */
    uint32_t nruns;           /* changed-byte runs of the window that follow */
} DtReply;

/* A run of changed window bytes: header, then LEN bytes, padded to 4. */
typedef struct DtRun {
    uint16_t off;             /* from DT_WINDOW_BASE */
    uint16_t len;
} DtRun;

/* ---- the window's contents ------------------------------------------------ */

/* splitmix64: the one generator both sides use. */
static inline uint64_t dt_mix(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* The lifter tests' scratch pattern (tests/lifter/case_file.c). */
static inline uint8_t dt_pattern_byte(uint64_t addr)
{
    return (uint8_t)((uint32_t)((addr - DT_SCRATCH_BASE) * 0x9e3779b1u) >> 24);
}

/* Window contents for SEED (0: the pattern): random 64-bit words, one in
 * eight an edge value (0, -1, sign bits, small numbers). */
static inline void dt_fill_window(uint64_t seed, uint8_t *w)
{
    if (seed == 0) {
        for (uint64_t i = 0; i < DT_WINDOW_SIZE; i++)
            w[i] = dt_pattern_byte(DT_WINDOW_BASE + i);
        return;
    }
    static const uint64_t edges[8] = {
        0, ~0ull, 0x8000000000000000ull, 0x7fffffffffffffffull,
        0x80000000ull, 0x7fffffffull, 1, 0xffffffff00000000ull,
    };
    uint64_t st = seed;
    for (uint64_t i = 0; i < DT_WINDOW_SIZE; i += 8) {
        uint64_t r = dt_mix(&st), v;
        if ((r & 7) == 0)
            v = edges[(r >> 3) & 7];
        else
            v = dt_mix(&st);
        for (unsigned b = 0; b < 8; b++)
            w[i + b] = (uint8_t)(v >> (8 * b));
    }
}
#endif

#endif
