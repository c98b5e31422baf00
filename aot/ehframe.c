/*
 * ehframe.c - function extents from .eh_frame (see ehframe.h).
 *
 * .eh_frame holds the call-frame information the program's own unwinder
 * reads (C++ exceptions, backtrace(), pthread_cancel), so strip keeps it:
 * in a stripped program it is the best record of where functions begin
 * and end.  It is a sequence of records, each a 4-byte length (0xffffffff:
 * an 8-byte length follows; 0: the terminator) and a 4-byte id: 0 for a
 * CIE, else an FDE whose CIE lies that many bytes before the id field.
 *
 *   CIE  length | 0 | version (1, 3 or 4) | augmentation "zR"... | [v4:
 *        address and segment size] | code align (uleb) | data align (sleb)
 *        | return register | augmentation data: 'R' the FDEs' pointer
 *        encoding, 'P' personality encoding and pointer, 'L' the LSDA
 *        encoding; 'S', 'B', 'G' carry no data
 *   FDE  length | CIE pointer | pc_begin (the CIE's encoding) | pc_range
 *        (the same format, no base) | ...
 *
 *     .eh_frame  |CIE|FDE main|FDE f|...|CIE|FDE g|...|0|
 *                      [pc_begin, pc_begin + pc_range) = main's extent
 *
 * Pointer encodings (DW_EH_PE_*): the low nibble is the format - absptr,
 * udata2/4/8, sdata2/4/8, uleb128, sleb128 are read - bits 4-6 the base,
 * of which only absolute (0) and pc-relative (0x10) occur in executables
 * and are read, bit 7 an indirection, which is not followed.
 *
 * The LSDA an FDE points at (augmentation 'L': GCC's .gcc_except_table)
 * gives the function's landing pads (ehframe_landing_pads):
 *
 *   LSDA  LPStart encoding | [LPStart: else the function's start] | TType
 *         encoding | [TType offset (uleb)] | call-site encoding | call-site
 *         table length (uleb) | records: start, length, landing pad (the
 *         call-site encoding, offsets: landing pad 0 = none), action (uleb)
 *
 * Ignored: the call-frame instructions, personality routines, the LSDAs'
 * action and type tables, .eh_frame_hdr's binary-search table (the
 * records are walked instead), .debug_frame (strip removes it).  An FDE
 * whose CIE is unreadable or uses an unknown augmentation or encoding is
 * skipped; a record whose length runs past the section ends the walk, the
 * FDEs before it stand.  Every read is bounds-checked (Cursor): garbage
 * gives fewer extents, never a crash.
 *
 * Without section headers (sstrip), PT_GNU_EH_FRAME points at
 * .eh_frame_hdr, whose eh_frame_ptr leads to .eh_frame; its end is then
 * unknown, so the walk goes to the terminator or the end of the segment.
 */
#include "ehframe.h"

#include <stdlib.h>
#include <string.h>

enum {
    PE_ABSPTR = 0x00, PE_ULEB128 = 0x01, PE_UDATA2 = 0x02, PE_UDATA4 = 0x03, PE_UDATA8 = 0x04,
    PE_SLEB128 = 0x09, PE_SDATA2 = 0x0a, PE_SDATA4 = 0x0b, PE_SDATA8 = 0x0c,
    PE_PCREL = 0x10, PE_INDIRECT = 0x80, PE_OMIT = 0xff,
};

/* Bytes of the section being read; every read checks the end and clears
 * ok past it. */
typedef struct Cursor {
    const uint8_t *p, *end;  /* next byte, end of the readable bytes */
    const uint8_t *base;     /* the section's first byte */
    uint64_t vaddr;          /* its guest address */
    bool ok;                 /* no read went past end */
} Cursor;

static uint64_t cur_uint(Cursor *r, unsigned n)
{
    if (!r->ok || (size_t)(r->end - r->p) < n) {
        r->ok = false;
        return 0;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)r->p[i] << (8 * i);
    r->p += n;
    return v;
}

static uint64_t cur_leb(Cursor *r, bool is_signed)
{
    uint64_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = (uint8_t)cur_uint(r, 1);
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    } while (r->ok && (b & 0x80));
    if (is_signed && shift < 64 && (b & 0x40))
        v |= ~0ull << shift;
    return v;
}

static int64_t sext_bits(uint64_t v, unsigned bits) { return (int64_t)(v << (64 - bits)) >> (64 - bits); }

/* A pointer in encoding ENC; with APPLY, its base is added (pc_range has
 * none).  Encodings this reader does not know clear ok. */
static uint64_t cur_pointer(Cursor *r, uint8_t enc, bool apply)
{
    uint64_t field = r->vaddr + (uint64_t)(r->p - r->base), v;
    switch (enc & 0x0f) {
    case PE_ABSPTR: case PE_UDATA8: case PE_SDATA8: v = cur_uint(r, 8); break;
    case PE_UDATA2: v = cur_uint(r, 2); break;
    case PE_UDATA4: v = cur_uint(r, 4); break;
    case PE_SDATA2: v = (uint64_t)sext_bits(cur_uint(r, 2), 16); break;
    case PE_SDATA4: v = (uint64_t)sext_bits(cur_uint(r, 4), 32); break;
    case PE_ULEB128: v = cur_leb(r, false); break;
    case PE_SLEB128: v = cur_leb(r, true); break;
    default: r->ok = false; return 0;
    }
    if (!apply)
        return v;
    if (enc & PE_INDIRECT)
        r->ok = false;
    else if ((enc & 0x70) == PE_PCREL)
        v += field;
    else if ((enc & 0x70) != 0)
        r->ok = false;
    return v;
}

/* What an FDE needs of its CIE: the encoding of its pointers, whether it
 * has augmentation data ('z') and the encoding of its LSDA pointer
 * (PE_OMIT: none). */
typedef struct CieInfo {
    int fde_enc;      /* -1: the CIE cannot be read */
    bool has_aug;
    uint8_t lsda_enc;
} CieInfo;

/* The CIE at P (inside SEC's bytes). */
static CieInfo cie_info(const Cursor *sec, const uint8_t *p)
{
    CieInfo bad = {-1, false, PE_OMIT}, ci = {PE_ABSPTR, false, PE_OMIT};
    Cursor r = *sec;
    r.p = p;
    uint64_t len = cur_uint(&r, 4);
    if (len == 0xffffffffu)
        len = cur_uint(&r, 8);
    if (!r.ok || len > (size_t)(r.end - r.p))
        return bad;
    r.end = r.p + len;
    if (cur_uint(&r, 4) != 0)  /* a CIE's id */
        return bad;
    unsigned version = (unsigned)cur_uint(&r, 1);
    const char *aug = (const char *)r.p;
    const uint8_t *nul = memchr(r.p, 0, (size_t)(r.end - r.p));
    if (!r.ok || nul == NULL || (version != 1 && version != 3 && version != 4))
        return bad;
    r.p = nul + 1;
    if (version == 4)
        cur_uint(&r, 2);  /* address_size, segment_selector_size */
    cur_leb(&r, false);   /* code alignment */
    cur_leb(&r, true);    /* data alignment */
    if (version == 1)
        cur_uint(&r, 1);  /* return address register */
    else
        cur_leb(&r, false);
    if (aug[0] != 'z')
        return aug[0] == '\0' && r.ok ? ci : bad;
    ci.has_aug = true;
    cur_leb(&r, false);   /* augmentation data length */
    for (const char *a = aug + 1; *a != '\0' && r.ok; a++) {
        switch (*a) {
        case 'R':
            ci.fde_enc = (int)cur_uint(&r, 1);
            break;
        case 'L':
            ci.lsda_enc = (uint8_t)cur_uint(&r, 1);
            break;
        case 'P': {
            uint8_t penc = (uint8_t)cur_uint(&r, 1);
            cur_pointer(&r, penc & 0x7f, false);
            break;
        }
        case 'S': case 'B': case 'G':
            break;
        default:
            return bad;  /* unknown data: what follows cannot be found */
        }
    }
    return r.ok ? ci : bad;
}

static bool pads_push(LandingPads *p, uint64_t fn, uint64_t pad);

/* The bytes of the file behind guest address V (see below). */
static const uint8_t *image_bytes(const GuestImage *img, uint64_t v, size_t *n);

/* The landing pads of the LSDA at guest address LSDA of the function
 * starting at FN, added to PADS.  False if out of memory. */
static bool read_lsda(const GuestImage *img, const GuestSections *sec, uint64_t fn, uint64_t lsda,
                      LandingPads *pads)
{
    size_t n;
    const uint8_t *p = image_bytes(img, lsda, &n);
    if (p == NULL)
        return true;
    Cursor r = {p, p + n, p, lsda, true};
    uint8_t lp_enc = (uint8_t)cur_uint(&r, 1);
    uint64_t lpstart = lp_enc == PE_OMIT ? fn : cur_pointer(&r, lp_enc, true);
    uint8_t tt_enc = (uint8_t)cur_uint(&r, 1);
    if (tt_enc != PE_OMIT)
        cur_leb(&r, false);   /* offset of the type table */
    uint8_t cs_enc = (uint8_t)cur_uint(&r, 1);
    uint64_t cs_len = cur_leb(&r, false);
    if (!r.ok || cs_len > (size_t)(r.end - r.p))
        return true;
    r.end = r.p + cs_len;
    while (r.ok && r.p < r.end) {
        cur_pointer(&r, cs_enc & 0x0f, false);   /* start of the call-site range */
        cur_pointer(&r, cs_enc & 0x0f, false);   /* its length */
        uint64_t lp = cur_pointer(&r, cs_enc & 0x0f, false);
        cur_leb(&r, false);                      /* action */
        if (r.ok && lp != 0 && sections_is_code(sec, img, lpstart + lp) && !pads_push(pads, fn, lpstart + lp))
            return false;
    }
    return true;
}

/* Appends to OUT the extent of every FDE in the .eh_frame bytes [P, P+N)
 * at guest address VADDR whose start is code, and to PADS (if not NULL)
 * the landing pads of its LSDA.  A record that cannot be read ends the
 * walk (the earlier ones stand).  False if out of memory. */
static bool read_eh_frame(const GuestImage *img, const GuestSections *sec, const uint8_t *p, size_t n,
                          uint64_t vaddr, RangeVec *out, LandingPads *pads)
{
    Cursor r = {p, p + n, p, vaddr, true};
    while (r.ok && r.p < r.end) {
        uint64_t len = cur_uint(&r, 4);
        if (len == 0xffffffffu)
            len = cur_uint(&r, 8);
        if (!r.ok || len == 0 || len > (size_t)(r.end - r.p))
            break;
        Cursor rec = r;
        rec.end = r.p + len;
        r.p += len;
        const uint8_t *id_field = rec.p;
        uint64_t id = cur_uint(&rec, 4);
        if (!rec.ok || id == 0)
            continue;  /* a CIE */
        if (id > (size_t)(id_field - p))
            break;
        CieInfo ci = cie_info(&r, id_field - id);
        if (ci.fde_enc < 0 || ci.fde_enc == PE_OMIT)
            continue;
        uint64_t begin = cur_pointer(&rec, (uint8_t)ci.fde_enc, true);
        uint64_t range = cur_pointer(&rec, (uint8_t)ci.fde_enc & 0x0f, false);
        if (!rec.ok || range == 0 || begin + range <= begin || !sections_is_code(sec, img, begin))
            continue;
        if (out != NULL && !ranges_push(out, begin, begin + range))
            return false;
        if (pads != NULL && ci.has_aug && ci.lsda_enc != PE_OMIT) {
            cur_leb(&rec, false);   /* augmentation data length */
            uint64_t lsda = cur_pointer(&rec, ci.lsda_enc, true);
            if (rec.ok && lsda != 0 && !read_lsda(img, sec, begin, lsda, pads))
                return false;
        }
    }
    return true;
}

/* The bytes of the file behind guest address V, up to the end of its
 * segment's file-backed part; *N is set to their count (NULL: none).
 * elf_load has checked that the segments lie inside the file. */
static const uint8_t *image_bytes(const GuestImage *img, uint64_t v, size_t *n)
{
    for (size_t i = 0; i < img->nsegs; i++) {
        const GuestSegment *s = &img->segs[i];
        if (v >= s->vaddr && v - s->vaddr < s->filesz) {
            *n = (size_t)(s->filesz - (v - s->vaddr));
            return img->data + s->offset + (v - s->vaddr);
        }
    }
    *n = 0;
    return NULL;
}

/* .eh_frame_hdr at HDR_ADDR: version 1, then the encodings of eh_frame_ptr,
 * fde_count and the table, then eh_frame_ptr, the address of .eh_frame.
 * False if out of memory. */
static bool read_eh_frame_hdr(const GuestImage *img, const GuestSections *sec, uint64_t hdr_addr, RangeVec *out,
                              LandingPads *pads)
{
    size_t n;
    const uint8_t *hdr = image_bytes(img, hdr_addr, &n);
    if (hdr == NULL || n < 4 || hdr[0] != 1)
        return true;
    Cursor r = {hdr + 4, hdr + n, hdr, hdr_addr, true};
    uint64_t eh = cur_pointer(&r, hdr[1], true);
    const uint8_t *p = r.ok ? image_bytes(img, eh, &n) : NULL;
    return p == NULL || read_eh_frame(img, sec, p, n, eh, out, pads);
}

/* Walks the program's .eh_frame (see ehframe_ranges). */
static bool walk(const GuestImage *img, const GuestSections *sec, RangeVec *out, LandingPads *pads)
{
    if (sec->has_eh_frame) {
        /* sections_read checked this; a GuestSections made by hand may not */
        if (sec->eh_frame_offset <= img->size && sec->eh_frame_size <= img->size - sec->eh_frame_offset)
            return read_eh_frame(img, sec, img->data + sec->eh_frame_offset, (size_t)sec->eh_frame_size,
                                 sec->eh_frame_addr, out, pads);
    } else if (sec->has_eh_frame_hdr) {
        return read_eh_frame_hdr(img, sec, sec->eh_frame_hdr_addr, out, pads);
    }
    return true;
}

int ehframe_ranges(const GuestImage *img, const GuestSections *sec, RangeVec *out)
{
    if (!walk(img, sec, out, NULL)) {
        ranges_free(out);
        return -1;
    }
    ranges_normalize(out);
    return 0;
}

static bool pads_push(LandingPads *p, uint64_t fn, uint64_t pad)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        LandingPad *v = realloc(p->v, cap * sizeof *v);
        if (v == NULL)
            return false;
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n++] = (LandingPad){fn, pad};
    return true;
}

static int cmp_pad(const void *a, const void *b)
{
    const LandingPad *x = a, *y = b;
    if (x->fn != y->fn)
        return x->fn < y->fn ? -1 : 1;
    return x->pad < y->pad ? -1 : x->pad > y->pad;
}

int ehframe_landing_pads(const GuestImage *img, const GuestSections *sec, LandingPads *out)
{
    if (!walk(img, sec, NULL, out)) {
        ehframe_pads_free(out);
        return -1;
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_pad);
    size_t k = 0;
    for (size_t i = 0; i < out->n; i++)
        if (k == 0 || out->v[i].fn != out->v[k - 1].fn || out->v[i].pad != out->v[k - 1].pad)
            out->v[k++] = out->v[i];
    out->n = k;
    return 0;
}

void ehframe_pads_free(LandingPads *p)
{
    free(p->v);
    *p = (LandingPads){0};
}
