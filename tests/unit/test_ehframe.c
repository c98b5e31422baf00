/*
 * test_ehframe.c - unit tests of the .eh_frame reader (aot/ehframe.c) and
 * the section reader it relies on (aot/sections.c).
 *
 * Fixture (built by tests/CMakeLists.txt from fixtures/tiny.c):
 *   DBT_FIXTURE_EXE   aarch64-linux-gnu-gcc -O2 -static
 *
 * main is compiled C: its FDE must give exactly its symbol's extent.
 * tiny_magic is top-level assembly without CFI directives: no FDE may
 * cover it.  The malformed cases write bytes into the fixture's .eh_frame
 * in memory - hand-made records, garbage, truncations - and the reader must
 * return well-formed ranges (sorted, non-overlapping, starting in code)
 * without crashing; what it makes of valid hand-made records is checked
 * exactly.
 */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ehframe.h"
#include "elf_input.h"
#include "sections.h"
#include "slurp.h"

#ifndef DBT_FIXTURE_EXE
#error "DBT_FIXTURE_EXE must name the static AArch64 fixture"
#endif

/* DW_EH_PE_pcrel | DW_EH_PE_sdata4: what GCC uses for pc_begin. */
enum { PCREL_SDATA4 = 0x1b };

/* ---- helpers ---- */

/* The fixture, loaded, with its sections read. */
typedef struct Fixture {
    GuestImage img;
    GuestSections sec;
} Fixture;

static void fixture_load(Fixture *fx, const Blob *b)
{
    Diag d = {0};
    if (elf_load_mem(&fx->img, b->data, b->size, &d) != 0)
        fail_msg("elf_load_mem: %s", d.msg);
    assert_int_equal(sections_read(&fx->sec, &fx->img), 0);
}

static void fixture_free(Fixture *fx)
{
    sections_free(&fx->sec);
    elf_free(&fx->img);
}

/* The byte of IMG's file at guest address V. */
static uint8_t *image_byte(GuestImage *img, uint64_t v)
{
    for (size_t i = 0; i < img->nsegs; i++)
        if (v >= img->segs[i].vaddr && v - img->segs[i].vaddr < img->segs[i].filesz)
            return img->data + img->segs[i].offset + (v - img->segs[i].vaddr);
    fail_msg("0x%llx is not in the file", (unsigned long long)v);
    return NULL;
}

static const GuestSymbol *symbol_named(const GuestImage *img, const char *name)
{
    for (size_t i = 0; i < img->nsyms; i++)
        if (strcmp(img->syms[i].name, name) == 0)
            return &img->syms[i];
    fail_msg("fixture has no symbol %s", name);
    return NULL;
}

/* What every result must be: sorted, non-overlapping, non-empty ranges
 * that start in code. */
static void assert_well_formed(const Fixture *fx, const RangeVec *r)
{
    for (size_t i = 0; i < r->n; i++) {
        assert_true(r->v[i].lo < r->v[i].hi);
        assert_true(sections_is_code(&fx->sec, &fx->img, r->v[i].lo));
        if (i > 0)
            assert_true(r->v[i - 1].hi <= r->v[i].lo);
    }
}

static RangeVec ranges_of(const Fixture *fx)
{
    RangeVec r = {0};
    assert_int_equal(ehframe_ranges(&fx->img, &fx->sec, &r), 0);
    assert_well_formed(fx, &r);
    return r;
}

/* ---- hand-made .eh_frame records ---- */

typedef struct Buf {
    uint8_t b[512];
    size_t n;
} Buf;

static void put8(Buf *x, uint8_t v)
{
    assert_true(x->n < sizeof x->b);
    x->b[x->n++] = v;
}

static void put32(Buf *x, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        put8(x, (uint8_t)(v >> (8 * i)));
}

static void put_str(Buf *x, const char *s)
{
    do
        put8(x, (uint8_t)*s);
    while (*s++ != '\0');
}

/* Starts a record: its length, patched by rec_end. */
static size_t rec_begin(Buf *x)
{
    size_t at = x->n;
    put32(x, 0);
    return at;
}

static void rec_end(Buf *x, size_t at)
{
    uint32_t len = (uint32_t)(x->n - at - 4);
    memcpy(x->b + at, &len, 4);
}

/* A CIE with augmentation AUG and augmentation data DATA[0..N-1] (after
 * the length, if AUG starts with 'z').  Returns its offset. */
static size_t put_cie(Buf *x, uint8_t version, const char *aug, const uint8_t *data, size_t n)
{
    size_t at = rec_begin(x);
    put32(x, 0);       /* CIE id */
    put8(x, version);
    put_str(x, aug);
    if (version == 4) {
        put8(x, 8);    /* address size */
        put8(x, 0);    /* segment selector size */
    }
    put8(x, 4);        /* code alignment 4 (uleb) */
    put8(x, 0x78);     /* data alignment -8 (sleb) */
    put8(x, 30);       /* return address register x30 */
    if (aug[0] == 'z') {
        put8(x, (uint8_t)n);
        for (size_t i = 0; i < n; i++)
            put8(x, data[i]);
    }
    put8(x, 0x0c);     /* DW_CFA_def_cfa sp, 0 */
    put8(x, 31);
    put8(x, 0);
    rec_end(x, at);
    return at;
}

/* An FDE of the CIE at CIE for [BEGIN, BEGIN + RANGE), pc_begin encoded
 * pc-relative sdata4 as if X were placed at guest address BASE. */
static void put_fde(Buf *x, size_t cie, uint64_t base, uint64_t begin, uint32_t range)
{
    size_t at = rec_begin(x);
    put32(x, (uint32_t)(x->n - cie));  /* CIE pointer: back from this field */
    put32(x, (uint32_t)(begin - (base + x->n)));
    put32(x, range);
    put8(x, 0);                        /* augmentation data length */
    rec_end(x, at);
}

/* The same with augmentation data: the LSDA pointer LSDA, pc-relative
 * sdata4 (the CIE's 'L' encoding must say so). */
static void put_fde_lsda(Buf *x, size_t cie, uint64_t base, uint64_t begin, uint32_t range, uint64_t lsda)
{
    size_t at = rec_begin(x);
    put32(x, (uint32_t)(x->n - cie));
    put32(x, (uint32_t)(begin - (base + x->n)));
    put32(x, range);
    put8(x, 4);                        /* augmentation data length */
    put32(x, (uint32_t)(lsda - (base + x->n)));
    rec_end(x, at);
}

/* Replaces the fixture's .eh_frame (in FX's image) with X followed by
 * zeros - the terminator. */
static void install_eh_frame(Fixture *fx, const Buf *x)
{
    assert_true(fx->sec.has_eh_frame);
    assert_true(x->n <= fx->sec.eh_frame_size);
    uint8_t *eh = fx->img.data + fx->sec.eh_frame_offset;
    memset(eh, 0, (size_t)fx->sec.eh_frame_size);
    memcpy(eh, x->b, x->n);
}

/* install_eh_frame, then the ranges of its first SIZE bytes. */
static RangeVec ranges_of_prefix(Fixture *fx, const Buf *x, uint64_t size)
{
    assert_true(size <= fx->sec.eh_frame_size);
    install_eh_frame(fx, x);
    uint64_t all = fx->sec.eh_frame_size;
    fx->sec.eh_frame_size = size;
    RangeVec r = ranges_of(fx);
    fx->sec.eh_frame_size = all;
    return r;
}

static RangeVec ranges_of_bytes(Fixture *fx, const Buf *x)
{
    return ranges_of_prefix(fx, x, fx->sec.eh_frame_size);
}

/* ---- tests ---- */

/* main's FDE is main's symbol; tiny_magic (assembly, no CFI) has none. */
static void fixture_extents_match_symbols(void **state)
{
    (void)state;
    Blob b = slurp(DBT_FIXTURE_EXE);
    Fixture fx;
    fixture_load(&fx, &b);
    assert_true(fx.sec.has_eh_frame);
    assert_true(fx.sec.code.n > 0);
    RangeVec r = ranges_of(&fx);
    assert_true(r.n > 100); /* glibc's functions too */

    const GuestSymbol *m = symbol_named(&fx.img, "main");
    const AddrRange *x = ranges_find(&r, m->addr);
    assert_non_null(x);
    assert_int_equal(x->lo, m->addr);
    assert_int_equal(x->hi, m->addr + m->size);

    const GuestSymbol *t = symbol_named(&fx.img, "tiny_magic");
    assert_int_equal(t->size, 8);
    assert_null(ranges_find(&r, t->addr));
    assert_null(ranges_find(&r, t->addr + 4));

    ranges_free(&r);
    fixture_free(&fx);
    free(b.data);
}

/* Without section headers (sstrip), PT_GNU_EH_FRAME leads to the same
 * .eh_frame and the same extents.  A static program has no .eh_frame_hdr
 * (ld adds one only with --eh-frame-hdr): the fixture's PT_NOTE becomes
 * the PT_GNU_EH_FRAME of a minimal one written over the note. */
static void without_section_headers_uses_eh_frame_hdr(void **state)
{
    (void)state;
    Blob b = slurp(DBT_FIXTURE_EXE);
    Fixture fx;
    fixture_load(&fx, &b);
    RangeVec want = ranges_of(&fx);
    uint64_t eh_frame = fx.sec.eh_frame_addr;
    fixture_free(&fx);

    Elf64_Ehdr eh;
    memcpy(&eh, b.data, sizeof eh);
    bool patched = false;
    for (unsigned i = 0; i < eh.e_phnum && !patched; i++) {
        Elf64_Phdr ph;
        uint8_t *at = b.data + eh.e_phoff + (size_t)i * eh.e_phentsize;
        memcpy(&ph, at, sizeof ph);
        if (ph.p_type != PT_NOTE || ph.p_filesz < 8)
            continue;
        /* version 1, eh_frame_ptr pcrel sdata4, no FDE count, no table */
        uint8_t hdr[8] = {1, PCREL_SDATA4, 0xff, 0xff};
        uint32_t rel = (uint32_t)(eh_frame - (ph.p_vaddr + 4));
        memcpy(hdr + 4, &rel, 4);
        memcpy(b.data + ph.p_offset, hdr, sizeof hdr);
        ph.p_type = PT_GNU_EH_FRAME;
        memcpy(at, &ph, sizeof ph);
        patched = true;
    }
    assert_true(patched);
    eh.e_shoff = 0;
    eh.e_shnum = 0;
    eh.e_shstrndx = 0;
    memcpy(b.data, &eh, sizeof eh);

    fixture_load(&fx, &b);
    assert_false(fx.sec.has_eh_frame);
    assert_true(fx.sec.has_eh_frame_hdr);
    assert_int_equal(fx.sec.code.n, 0);
    RangeVec got = ranges_of(&fx);
    assert_int_equal(got.n, want.n);
    for (size_t i = 0; i < got.n; i++) {
        assert_int_equal(got.v[i].lo, want.v[i].lo);
        assert_int_equal(got.v[i].hi, want.v[i].hi);
    }

    /* An .eh_frame_hdr of another version gives no extents. */
    *image_byte(&fx.img, fx.sec.eh_frame_hdr_addr) = 2;
    RangeVec none = ranges_of(&fx);
    assert_int_equal(none.n, 0);

    ranges_free(&none);
    ranges_free(&got);
    ranges_free(&want);
    fixture_free(&fx);
    free(b.data);
}

/* Whether every address of A is covered by B. */
static bool covered(const RangeVec *a, const RangeVec *b)
{
    for (size_t i = 0; i < a->n; i++)
        for (uint64_t x = a->v[i].lo; x < a->v[i].hi;) {
            const AddrRange *y = ranges_find(b, x);
            if (y == NULL)
                return false;
            x = y->hi;
        }
    return true;
}

/* A .eh_frame cut short anywhere: the FDEs before the cut stand, nothing
 * outside the full extents appears. */
static void truncated_eh_frame_keeps_earlier_fdes(void **state)
{
    (void)state;
    Blob b = slurp(DBT_FIXTURE_EXE);
    Fixture fx;
    fixture_load(&fx, &b);
    RangeVec full = ranges_of(&fx);
    uint64_t size = fx.sec.eh_frame_size;
    RangeVec prev = {0};
    for (uint64_t len = 0; len <= size; len += len < 1024 ? 1 : 53) {
        fx.sec.eh_frame_size = len;
        RangeVec r = ranges_of(&fx);
        assert_true(covered(&r, &full));
        if (!covered(&prev, &r)) /* a longer prefix loses no FDE */
            fail_msg("cut at %llu loses extents", (unsigned long long)len);
        ranges_free(&prev);
        prev = r;
    }
    ranges_free(&prev);
    fx.sec.eh_frame_size = size;
    RangeVec again = ranges_of(&fx);
    assert_int_equal(again.n, full.n);
    ranges_free(&again);
    ranges_free(&full);
    fixture_free(&fx);
    free(b.data);
}

/* Random bytes, all-ones and all-zero .eh_frame contents are survived. */
static void garbage_eh_frame_is_ignored(void **state)
{
    (void)state;
    Blob b = slurp(DBT_FIXTURE_EXE);
    Fixture fx;
    fixture_load(&fx, &b);
    uint8_t *eh = fx.img.data + fx.sec.eh_frame_offset;
    size_t size = (size_t)fx.sec.eh_frame_size;
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (unsigned round = 0; round < 64; round++) {
        for (size_t i = 0; i < size; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            uint8_t v = (uint8_t)(seed >> 56);
            /* Some rounds keep lengths small so that records get parsed. */
            eh[i] = (round & 1) && (i % 16) >= 1 && (i % 16) < 4 ? 0 : v;
        }
        RangeVec r = ranges_of(&fx);
        ranges_free(&r);
    }
    memset(eh, 0xff, size);
    RangeVec ones = ranges_of(&fx);
    assert_int_equal(ones.n, 0);
    memset(eh, 0, size);
    RangeVec zeros = ranges_of(&fx);
    assert_int_equal(zeros.n, 0);
    ranges_free(&ones);
    ranges_free(&zeros);
    fixture_free(&fx);
    free(b.data);
}

/* Valid hand-made records are read exactly; each malformed variant is
 * skipped or ends the walk. */
static void handmade_records(void **state)
{
    (void)state;
    Blob b = slurp(DBT_FIXTURE_EXE);
    Fixture fx;
    fixture_load(&fx, &b);
    uint64_t base = fx.sec.eh_frame_addr;
    uint64_t magic = symbol_named(&fx.img, "tiny_magic")->addr;
    const uint8_t zr[] = {PCREL_SDATA4};
    Buf x;
    RangeVec r;

    /* "zR", version 1: the usual GCC CIE. */
    x = (Buf){0};
    size_t cie = put_cie(&x, 1, "zR", zr, sizeof zr);
    put_fde(&x, cie, base, magic, 8);
    r = ranges_of_bytes(&fx, &x);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.v[0].lo, magic);
    assert_int_equal(r.v[0].hi, magic + 8);
    ranges_free(&r);

    /* "zPLR", version 3: personality and LSDA data before 'R' skipped. */
    const uint8_t zplr[] = {0x00, 1, 2, 3, 4, 5, 6, 7, 8, PCREL_SDATA4, PCREL_SDATA4};
    x = (Buf){0};
    cie = put_cie(&x, 3, "zPLR", zplr, sizeof zplr);
    put_fde(&x, cie, base, magic, 8);
    r = ranges_of_bytes(&fx, &x);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.v[0].lo, magic);
    ranges_free(&r);

    /* Two CIEs, the second with an unknown augmentation: only the first
     * one's FDE counts, and the walk goes on past the skipped one. */
    x = (Buf){0};
    size_t bad = put_cie(&x, 1, "zX", zr, sizeof zr);
    put_fde(&x, bad, base, magic, 8);
    cie = put_cie(&x, 1, "zR", zr, sizeof zr);
    put_fde(&x, cie, base, magic, 4);
    r = ranges_of_bytes(&fx, &x);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.v[0].hi, magic + 4);
    ranges_free(&r);

    struct {
        const char *what;
        uint8_t version;
        const char *aug;
        uint8_t enc;
        uint32_t range;
        uint64_t begin;       /* 0: tiny_magic */
    } skipped[] = {
        {"CIE version 2", 2, "zR", PCREL_SDATA4, 8, 0},
        {"indirect pointer", 1, "zR", 0x80 | PCREL_SDATA4, 8, 0},
        {"data-relative pointer", 1, "zR", 0x30 | 0x0b, 8, 0},
        {"unknown format", 1, "zR", 0x1f, 8, 0},
        {"omitted pointer", 1, "zR", 0xff, 8, 0},
        {"empty range", 1, "zR", PCREL_SDATA4, 0, 0},
        {"start outside code", 1, "zR", PCREL_SDATA4, 8, base},
    };
    for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++) {
        x = (Buf){0};
        uint8_t enc = skipped[i].enc;
        cie = put_cie(&x, skipped[i].version, skipped[i].aug, &enc, 1);
        put_fde(&x, cie, base, skipped[i].begin ? skipped[i].begin : magic, skipped[i].range);
        r = ranges_of_bytes(&fx, &x);
        if (r.n != 0)
            fail_msg("%s: %zu ranges", skipped[i].what, r.n);
        ranges_free(&r);
    }

    /* A CIE pointer before the section's start ends the walk. */
    x = (Buf){0};
    cie = put_cie(&x, 1, "zR", zr, sizeof zr);
    size_t fde = x.n;
    put_fde(&x, cie, base, magic, 8);
    uint32_t far = 0x100000;
    memcpy(x.b + fde + 4, &far, 4);
    put_fde(&x, cie, base, magic, 8);
    r = ranges_of_bytes(&fx, &x);
    assert_int_equal(r.n, 0);
    ranges_free(&r);

    /* A CIE pointer at the FDE itself (not a CIE): skipped. */
    x = (Buf){0};
    cie = put_cie(&x, 1, "zR", zr, sizeof zr);
    fde = x.n;
    put_fde(&x, cie, base, magic, 8);
    uint32_t self = 4;
    memcpy(x.b + fde + 4, &self, 4);
    r = ranges_of_bytes(&fx, &x);
    assert_int_equal(r.n, 0);
    ranges_free(&r);

    /* A CIE whose augmentation string has no terminator in its record. */
    x = (Buf){0};
    size_t at = rec_begin(&x);
    put32(&x, 0);
    put8(&x, 1);
    put8(&x, 'z');
    put8(&x, 'R');
    rec_end(&x, at);
    put_fde(&x, at, base, magic, 8);
    r = ranges_of_bytes(&fx, &x);
    assert_int_equal(r.n, 0);
    ranges_free(&r);

    /* An FDE whose last byte lies past the section's end: the walk ends
     * before it. */
    x = (Buf){0};
    cie = put_cie(&x, 1, "zR", zr, sizeof zr);
    put_fde(&x, cie, base, magic, 8);
    r = ranges_of_prefix(&fx, &x, x.n);
    assert_int_equal(r.n, 1);
    ranges_free(&r);
    r = ranges_of_prefix(&fx, &x, x.n - 1);
    assert_int_equal(r.n, 0);
    ranges_free(&r);

    /* A CIE inside another record (skipped by the walk as a CIE) serves
     * an FDE that points at it - unless its length runs past the section. */
    for (unsigned huge = 0; huge < 2; huge++) {
        x = (Buf){0};
        size_t outer = rec_begin(&x);
        put32(&x, 0);
        size_t inner = put_cie(&x, 1, "zR", zr, sizeof zr);
        rec_end(&x, outer);
        uint32_t len = 0x7ffffff0;
        if (huge)
            memcpy(x.b + inner, &len, 4);
        put_fde(&x, inner, base, magic, 8);
        r = ranges_of_bytes(&fx, &x);
        assert_int_equal(r.n, huge ? 0 : 1);
        ranges_free(&r);
    }

    /* A 64-bit length running past the section, after a good FDE: the
     * good one stands. */
    x = (Buf){0};
    cie = put_cie(&x, 1, "zR", zr, sizeof zr);
    put_fde(&x, cie, base, magic, 8);
    put32(&x, 0xffffffffu);
    put32(&x, 0xfffffff0u);
    put32(&x, 0xffffffffu);
    r = ranges_of_bytes(&fx, &x);
    assert_int_equal(r.n, 1);
    ranges_free(&r);

    /* A section that claims to lie past the end of the file: ignored. */
    fx.sec.eh_frame_offset = fx.img.size - 4;
    r = ranges_of(&fx);
    assert_int_equal(r.n, 0);
    ranges_free(&r);

    fixture_free(&fx);
    free(b.data);
}

/* Landing pads from an LSDA: a CIE "zPLR" whose FDE points at a
 * call-site table (uleb128 offsets from the function's start, LPStart
 * omitted); pads of 0 are no pads, duplicates count once; a table whose
 * length runs past the section gives what was read before, never more. */
static void handmade_lsda(void **state)
{
    (void)state;
    Blob b = slurp(DBT_FIXTURE_EXE);
    Fixture fx;
    fixture_load(&fx, &b);
    uint64_t base = fx.sec.eh_frame_addr;
    uint64_t magic = symbol_named(&fx.img, "tiny_magic")->addr;
    /* personality: absptr 0; LSDA: pcrel sdata4; FDE pointers: pcrel sdata4.
     * The second round says the table is longer than it is. */
    const uint8_t zplr[] = {0x00, 0, 0, 0, 0, 0, 0, 0, 0, PCREL_SDATA4, PCREL_SDATA4};
    for (int truncated = 0; truncated < 2; truncated++) {
        Buf x = {0};
        size_t cie = put_cie(&x, 1, "zPLR", zplr, sizeof zplr);
        size_t fde_at = x.n;
        put_fde_lsda(&x, cie, base, magic, 16, 0);
        put32(&x, 0);                    /* the terminator of .eh_frame */
        uint64_t lsda = base + x.n;
        /* patch the FDE's LSDA pointer (its last 4 bytes) */
        size_t field = fde_at + 4 + 4 + 4 + 4 + 1;
        uint32_t rel = (uint32_t)(lsda - (base + field));
        memcpy(x.b + field, &rel, 4);
        put8(&x, 0xff);                  /* LPStart: omitted, the function's start */
        put8(&x, 0xff);                  /* no type table */
        put8(&x, 0x01);                  /* call sites: uleb128 */
        put8(&x, truncated ? 100 : 16);  /* call-site table length (uleb: below 128) */
        const uint8_t sites[16] = {0, 4, 8, 0,  4, 4, 0, 0,  8, 4, 12, 1,  12, 4, 8, 0};
        for (size_t i = 0; i < sizeof sites; i++)
            put8(&x, sites[i]);
        install_eh_frame(&fx, &x);
        uint64_t all = fx.sec.eh_frame_size;
        if (truncated)
            fx.sec.eh_frame_size = x.n;  /* the image ends the section here */
        LandingPads pads = {0};
        assert_int_equal(ehframe_landing_pads(&fx.img, &fx.sec, &pads), 0);
        fx.sec.eh_frame_size = all;
        if (truncated) {
            /* 100 bytes of table run past the real records into zeros:
             * records of 0, no pads beyond the real ones */
            for (size_t i = 0; i < pads.n; i++)
                if (!(pads.v[i].pad == magic + 8 || pads.v[i].pad == magic + 12)) fail_msg("pad 0x%llx fn 0x%llx magic 0x%llx", (unsigned long long)pads.v[i].pad, (unsigned long long)pads.v[i].fn, (unsigned long long)magic);
        } else {
            assert_int_equal(pads.n, 2);
            assert_int_equal(pads.v[0].fn, magic);
            assert_int_equal(pads.v[0].pad, magic + 8);
            assert_int_equal(pads.v[1].fn, magic);
            assert_int_equal(pads.v[1].pad, magic + 12);
        }
        ehframe_pads_free(&pads);
    }
    fixture_free(&fx);
    free(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixture_extents_match_symbols),
        cmocka_unit_test(without_section_headers_uses_eh_frame_hdr),
        cmocka_unit_test(truncated_eh_frame_keeps_earlier_fdes),
        cmocka_unit_test(garbage_eh_frame_is_ignored),
        cmocka_unit_test(handmade_records),
        cmocka_unit_test(handmade_lsda),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
