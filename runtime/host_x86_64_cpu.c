/*
 * host_x86_64_cpu.c - does this x86-64 CPU run the code we were compiled for?
 *
 * The offline tool compiles the lifted code for one x86-64 micro-
 * architecture level (psABI "x86-64-v1".."v4", recorded in
 * DbtMeta.host_level).  Running v3 code on a v2 CPU would die later with a
 * confusing SIGILL inside translated code, so start-up checks the CPU with
 * CPUID first and refuses with one line naming what is missing:
 *
 *     dbt: fatal: this program was translated for x86-64-v3, but this CPU
 *                 lacks AVX2 BMI2 FMA
 *
 * The feature list is one table: level, name, CPUID leaf/subleaf, register
 * and bit.  A level includes every feature of the levels below it.  AVX
 * and AVX-512 also need the OS to save the wider registers: XGETBV(0) must
 * show XMM|YMM (bits 1-2) for v3 and opmask|ZMM_Hi256|Hi16_ZMM (bits 5-7)
 * for v4; those appear as pseudo-features read from XCR0.
 */
#include <cpuid.h>
#include <errno.h>
#include <string.h>

#include "runtime.h"

enum Reg { EAX, EBX, ECX, EDX, XCR0 };

typedef struct Feature {
    unsigned level;      /* first x86-64 level that requires it */
    const char *name;    /* as in the psABI */
    unsigned leaf;       /* CPUID leaf (ignored for XCR0) */
    unsigned subleaf;    /* CPUID subleaf */
    enum Reg reg;        /* register holding the bit(s) */
    uint32_t mask;       /* bit(s) that must all be set */
} Feature;

static const Feature features[] = {
    /* x86-64 baseline (v1) */
    {1, "CMOV", 1, 0, EDX, 1u << 15},
    {1, "CX8", 1, 0, EDX, 1u << 8},
    {1, "FPU", 1, 0, EDX, 1u << 0},
    {1, "FXSR", 1, 0, EDX, 1u << 24},
    {1, "MMX", 1, 0, EDX, 1u << 23},
    {1, "SSE", 1, 0, EDX, 1u << 25},
    {1, "SSE2", 1, 0, EDX, 1u << 26},
    /* x86-64-v2 */
    {2, "CMPXCHG16B", 1, 0, ECX, 1u << 13},
    {2, "LAHF-SAHF", 0x80000001, 0, ECX, 1u << 0},
    {2, "POPCNT", 1, 0, ECX, 1u << 23},
    {2, "SSE3", 1, 0, ECX, 1u << 0},
    {2, "SSE4_1", 1, 0, ECX, 1u << 19},
    {2, "SSE4_2", 1, 0, ECX, 1u << 20},
    {2, "SSSE3", 1, 0, ECX, 1u << 9},
    /* x86-64-v3 */
    {3, "AVX", 1, 0, ECX, 1u << 28},
    {3, "AVX2", 7, 0, EBX, 1u << 5},
    {3, "BMI1", 7, 0, EBX, 1u << 3},
    {3, "BMI2", 7, 0, EBX, 1u << 8},
    {3, "F16C", 1, 0, ECX, 1u << 29},
    {3, "FMA", 1, 0, ECX, 1u << 12},
    {3, "LZCNT", 0x80000001, 0, ECX, 1u << 5},
    {3, "MOVBE", 1, 0, ECX, 1u << 22},
    {3, "OSXSAVE", 1, 0, ECX, 1u << 27},
    {3, "YMM-state(XCR0)", 0, 0, XCR0, 0x6},
    /* x86-64-v4 */
    {4, "AVX512F", 7, 0, EBX, 1u << 16},
    {4, "AVX512BW", 7, 0, EBX, 1u << 30},
    {4, "AVX512CD", 7, 0, EBX, 1u << 28},
    {4, "AVX512DQ", 7, 0, EBX, 1u << 17},
    {4, "AVX512VL", 7, 0, EBX, 1u << 31},
    {4, "ZMM-state(XCR0)", 0, 0, XCR0, 0xe6},
};

static uint32_t read_xcr0(void)
{
    unsigned a, b, c, d;
    /* XGETBV faults unless the OS enabled XSAVE (CPUID.1:ECX.OSXSAVE). */
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)))
        return 0;
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return lo;
}

/* CPUID traps to the hypervisor in a virtual machine (a few microseconds
 * each): each leaf the table names is read once, not once per feature. */
typedef struct Leaf {
    unsigned leaf, subleaf, valid;
    unsigned r[4];
} Leaf;

static int has_feature(const Feature *f, Leaf *seen, unsigned *nseen)
{
    if (f->reg == XCR0)
        return (read_xcr0() & f->mask) == f->mask;
    Leaf *l = NULL;
    for (unsigned i = 0; i < *nseen && l == NULL; i++)
        if (seen[i].leaf == f->leaf && seen[i].subleaf == f->subleaf)
            l = &seen[i];
    if (l == NULL) {
        l = &seen[(*nseen)++];
        *l = (Leaf){f->leaf, f->subleaf, 0, {0, 0, 0, 0}};
        if (__get_cpuid_max(f->leaf & 0x80000000u, NULL) >= f->leaf) {
            __cpuid_count(f->leaf, f->subleaf, l->r[EAX], l->r[EBX], l->r[ECX], l->r[EDX]);
            l->valid = 1;
        }
    }
    return l->valid && (l->r[f->reg] & f->mask) == f->mask;
}

int cpu_check(unsigned level, char *missing, unsigned size)
{
    int ok = 1;
    Leaf seen[sizeof features / sizeof features[0]];
    unsigned nseen = 0;
    if (size)
        missing[0] = '\0';
    for (unsigned i = 0; i < sizeof features / sizeof features[0]; i++) {
        const Feature *f = &features[i];
        if (f->level > level || has_feature(f, seen, &nseen))
            continue;
        ok = 0;
        if (size && strlen(missing) + strlen(f->name) + 2 < size) {
            if (missing[0])
                strcat(missing, " ");
            strcat(missing, f->name);
        }
    }
    return ok ? 0 : -ENOTSUP;
}
