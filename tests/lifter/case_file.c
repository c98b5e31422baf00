/*
 * case_file.c - parsing case lines and the deterministic initial state.
 *
 * The initial state of every case, before its inputs are applied:
 *
 *   xN    = 0x1111111111111111 * (N + 1)   (mod 2^64: x0 = 0x1111...1,
 *           x13 = 0xeeee...e, x14 = 0xffff...f, x15 = 0x1111...10, ...)
 *   sp    = 0x10008000                      (the middle of the scratch area)
 *   vN    = high 64 bits 0x1111111111111111 * (N + 64),
 *           low 64 bits  0x1111111111111111 * (N + 32)   (mod 2^64)
 *   nzcv = 0, fpcr = 0, fpsr = 0
 *   scratch byte at address A = ((A - 0x10000000) * 0x9e3779b1 mod 2^32) >> 24
 *
 * oracle/fill_expected.py implements the same; keep them in step (the ctest
 * lifter_defaults_agree compares their --print-defaults).
 */
#include "case_file.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define PATTERN 0x1111111111111111ull

void case_default_state(CpuState *s)
{
    memset(s, 0, sizeof *s);
    for (unsigned r = 0; r < 31; r++)
        s->x[r] = PATTERN * (r + 1);
    s->sp = CASE_SCRATCH_BASE + CASE_SCRATCH_SIZE / 2;
    for (unsigned r = 0; r < 32; r++) {
        uint64_t lo = PATTERN * (r + 32), hi = PATTERN * (r + 64);
        memcpy(cpu_vreg(s, r), &lo, 8);
        memcpy(cpu_vreg(s, r) + 8, &hi, 8);
    }
}

uint8_t case_scratch_byte(uint64_t addr)
{
    return (uint8_t)((uint32_t)((addr - CASE_SCRATCH_BASE) * 0x9e3779b1u) >> 24);
}

/* ---- values ---------------------------------------------------------------- */

/* Bits a value of this kind has (0 for CR_V, which is parsed as hex). */
static unsigned kind_width(enum CaseRegKind k)
{
    switch (k) {
    case CR_X: case CR_SP: case CR_D: return 64;
    case CR_FPCR: case CR_FPSR: case CR_S: return 32;
    case CR_NZCV: return 4;
    case CR_TRAP: return 8;
    case CR_V: return 0;
    }
    return 0;
}

/* Decimal, -decimal, 0x hex or 0b binary, '_' ignored; fits in WIDTH bits
 * (negative values wrap to WIDTH bits). */
static bool parse_num(const char *s, unsigned width, uint64_t *out)
{
    bool neg = false;
    if (*s == '-') {
        neg = true;
        s++;
    }
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    } else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
        base = 2;
        s += 2;
    }
    unsigned __int128 v = 0;
    unsigned ndigits = 0;
    for (; *s; s++) {
        if (*s == '_')
            continue;
        unsigned d;
        if (isdigit((unsigned char)*s))
            d = (unsigned)(*s - '0');
        else if (isxdigit((unsigned char)*s))
            d = (unsigned)(tolower((unsigned char)*s) - 'a' + 10);
        else
            return false;
        if (d >= base)
            return false;
        v = v * base + d;
        if (v >> 64)
            return false;
        ndigits++;
    }
    if (ndigits == 0)
        return false;
    uint64_t mask = width == 64 ? ~0ull : (1ull << width) - 1;
    uint64_t x = (uint64_t)v;
    if (neg) {
        if (width < 64 && x > (1ull << (width - 1)))
            return false;
        x = (0 - x) & mask;
    } else if (x & ~mask) {
        return false;
    }
    *out = x;
    return true;
}

/* Up to 32 hex digits ("0x" optional, '_' ignored) as a 128-bit value. */
static bool parse_hex128(const char *s, uint64_t *lo, uint64_t *hi)
{
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    unsigned __int128 v = 0;
    unsigned n = 0;
    for (; *s; s++) {
        if (*s == '_')
            continue;
        if (!isxdigit((unsigned char)*s) || ++n > 32)
            return false;
        unsigned d = isdigit((unsigned char)*s) ? (unsigned)(*s - '0')
                                                : (unsigned)(tolower((unsigned char)*s) - 'a' + 10);
        v = v << 4 | d;
    }
    *lo = (uint64_t)v;
    *hi = (uint64_t)(v >> 64);
    return n > 0;
}

/* "x3" -> CR_X 3 etc.; false for an unknown name. */
static bool parse_name(const char *s, size_t len, CaseItem *it)
{
    static const struct { const char *name; enum CaseRegKind kind; } fixed[] = {
        {"sp", CR_SP}, {"nzcv", CR_NZCV}, {"fpcr", CR_FPCR}, {"fpsr", CR_FPSR}, {"trap", CR_TRAP},
    };
    for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
        if (strlen(fixed[k].name) == len && memcmp(fixed[k].name, s, len) == 0) {
            it->kind = fixed[k].kind;
            it->idx = 0;
            return true;
        }
    if (len < 2 || len > 3 || !isdigit((unsigned char)s[1]) || (len == 3 && !isdigit((unsigned char)s[2])))
        return false;
    if (len == 3 && s[1] == '0')
        return false; /* "x05" */
    unsigned n = (unsigned)(s[1] - '0');
    if (len == 3)
        n = n * 10 + (unsigned)(s[2] - '0');
    switch (s[0]) {
    case 'x': it->kind = CR_X; if (n > 30) return false; break;
    case 'v': case 'q': it->kind = CR_V; break;
    case 'd': it->kind = CR_D; break;
    case 's': it->kind = CR_S; break;
    default: return false;
    }
    if (n > 31)
        return false;
    it->idx = n;
    return true;
}

static bool in_scratch(uint64_t addr, size_t len)
{
    return addr >= CASE_SCRATCH_BASE && len <= CASE_SCRATCH_SIZE &&
           addr - CASE_SCRATCH_BASE <= CASE_SCRATCH_SIZE - len;
}

/* "mem[0xADDR]=hexbytes" (TOK is NUL-terminated). */
static bool parse_mem(const char *tok, CaseMem *m, char *err, size_t errlen)
{
    const char *close = strchr(tok, ']');
    if (close == NULL || close[1] != '=') {
        snprintf(err, errlen, "bad memory item '%s' (want mem[0xADDR]=hexbytes)", tok);
        return false;
    }
    char addr[32];
    size_t alen = (size_t)(close - (tok + 4));
    if (alen == 0 || alen >= sizeof addr) {
        snprintf(err, errlen, "bad address in '%s'", tok);
        return false;
    }
    memcpy(addr, tok + 4, alen);
    addr[alen] = 0;
    if (strchr(addr, ':') != NULL) {
        snprintf(err, errlen, "'%s' is a request for the oracle: run oracle/fill_expected.py", tok);
        return false;
    }
    if (!parse_num(addr, 64, &m->addr)) {
        snprintf(err, errlen, "bad address in '%s'", tok);
        return false;
    }
    m->len = 0;
    int half = -1;
    for (const char *p = close + 2; *p; p++) {
        if (*p == '_')
            continue;
        if (!isxdigit((unsigned char)*p) || m->len >= CASE_MAX_MEM_BYTES) {
            snprintf(err, errlen, "bad bytes in '%s' (even number of hex digits, at most %d bytes)", tok,
                     CASE_MAX_MEM_BYTES);
            return false;
        }
        int d = isdigit((unsigned char)*p) ? *p - '0' : tolower((unsigned char)*p) - 'a' + 10;
        if (half < 0) {
            half = d;
        } else {
            m->bytes[m->len++] = (uint8_t)(half << 4 | d);
            half = -1;
        }
    }
    if (half >= 0 || m->len == 0) {
        snprintf(err, errlen, "bad bytes in '%s' (even number of hex digits)", tok);
        return false;
    }
    if (!in_scratch(m->addr, m->len)) {
        snprintf(err, errlen, "'%s' is outside the scratch area 0x%llx+0x%llx", tok,
                 (unsigned long long)CASE_SCRATCH_BASE, (unsigned long long)CASE_SCRATCH_SIZE);
        return false;
    }
    return true;
}

/* Parse the space-separated items of one side, in place. */
static bool parse_side(char *s, bool is_input, CaseSide *side, char *err, size_t errlen)
{
    memset(side, 0, sizeof *side);
    for (char *tok = strtok(s, " \t"); tok != NULL; tok = strtok(NULL, " \t")) {
        if (strcmp(tok, "?") == 0) {
            snprintf(err, errlen, "expected outputs not filled in: run oracle/fill_expected.py");
            return false;
        }
        if (strncmp(tok, "mem[", 4) == 0) {
            if (side->nmem == CASE_MAX_MEM) {
                snprintf(err, errlen, "more than %d memory items", CASE_MAX_MEM);
                return false;
            }
            if (!parse_mem(tok, &side->mem[side->nmem], err, errlen))
                return false;
            side->nmem++;
            continue;
        }
        char *eq = strchr(tok, '=');
        CaseItem it = {0};
        if (eq == NULL || !parse_name(tok, (size_t)(eq - tok), &it)) {
            snprintf(err, errlen, "bad item '%s' (want NAME=VALUE: x0-x30 sp nzcv fpcr fpsr v0-v31 "
                                  "q0-q31 d0-d31 s0-s31 trap mem[ADDR])", tok);
            return false;
        }
        const char *val = eq + 1;
        if (strcmp(val, "?") == 0) {
            snprintf(err, errlen, "'%s' not filled in: run oracle/fill_expected.py", tok);
            return false;
        }
        if (is_input && it.kind == CR_TRAP) {
            snprintf(err, errlen, "trap is an output only");
            return false;
        }
        bool ok = it.kind == CR_V ? parse_hex128(val, &it.lo, &it.hi) : parse_num(val, kind_width(it.kind), &it.lo);
        if (!ok) {
            snprintf(err, errlen, "bad value in '%s'", tok);
            return false;
        }
        if (side->nitems == sizeof side->items / sizeof side->items[0]) {
            snprintf(err, errlen, "too many items");
            return false;
        }
        side->items[side->nitems++] = it;
    }
    return true;
}

int case_parse_line(const char *line, TestCase *tc, char *err, size_t errlen)
{
    char buf[4096];
    size_t len = strcspn(line, "#\r\n");
    if (len >= sizeof buf) {
        snprintf(err, errlen, "line too long");
        return -1;
    }
    memcpy(buf, line, len);
    buf[len] = 0;
    while (len > 0 && isspace((unsigned char)buf[len - 1]))
        buf[--len] = 0;
    char *start = buf;
    while (isspace((unsigned char)*start))
        start++;
    if (*start == 0)
        return 0;
    snprintf(tc->text, sizeof tc->text, "%.*s", (int)sizeof tc->text - 1, start);

    char *parts[3] = {start, NULL, NULL};
    unsigned nparts = 1;
    for (char *p = start; *p; p++)
        if (*p == '|') {
            if (nparts == 3) {
                snprintf(err, errlen, "more than three '|'-separated parts");
                return -1;
            }
            *p = 0;
            parts[nparts++] = p + 1;
        }
    if (nparts < 3 || parts[2][strspn(parts[2], " \t")] == 0) {
        snprintf(err, errlen, "no expected outputs: write them, or '?' and run oracle/fill_expected.py");
        return -1;
    }

    tc->nwords = 0;
    for (char *w = strtok(parts[0], "; \t"); w != NULL; w = strtok(NULL, "; \t")) {
        uint64_t v;
        const char *hex = (w[0] == '0' && (w[1] == 'x' || w[1] == 'X')) ? w + 2 : w;
        char tmp[24];
        snprintf(tmp, sizeof tmp, "0x%s", hex);
        if (strlen(hex) > 8 || !parse_num(tmp, 32, &v)) {
            snprintf(err, errlen, "bad instruction word '%s' (8 hex digits)", w);
            return -1;
        }
        if (tc->nwords == CASE_MAX_WORDS) {
            snprintf(err, errlen, "more than %d words", CASE_MAX_WORDS);
            return -1;
        }
        tc->words[tc->nwords++] = (uint32_t)v;
    }
    if (tc->nwords == 0) {
        snprintf(err, errlen, "no instruction words");
        return -1;
    }
    if (!parse_side(parts[1], true, &tc->in, err, errlen) || !parse_side(parts[2], false, &tc->out, err, errlen))
        return -1;
    if (tc->out.nitems == 0 && tc->out.nmem == 0) {
        snprintf(err, errlen, "no expected outputs");
        return -1;
    }
    return 1;
}

/* ---- state access ------------------------------------------------------------ */

void case_apply_inputs(const CaseSide *in, CpuState *s)
{
    for (size_t k = 0; k < in->nitems; k++) {
        const CaseItem *it = &in->items[k];
        uint8_t *v = it->kind == CR_V || it->kind == CR_D || it->kind == CR_S ? cpu_vreg(s, it->idx) : NULL;
        switch (it->kind) {
        case CR_X: s->x[it->idx] = it->lo; break;
        case CR_SP: s->sp = it->lo; break;
        case CR_NZCV: cpu_set_nzcv(s, (uint32_t)it->lo << 28); break;
        case CR_FPCR: s->fpcr = (uint32_t)it->lo; break;
        case CR_FPSR: s->fpsr = (uint32_t)it->lo; break;
        case CR_V: memcpy(v, &it->lo, 8); memcpy(v + 8, &it->hi, 8); break;
        /* A scalar write zeroes the rest of the register, as an FP load does. */
        case CR_D: memset(v, 0, 16); memcpy(v, &it->lo, 8); break;
        case CR_S: memset(v, 0, 16); memcpy(v, &it->lo, 4); break;
        case CR_TRAP: break;
        }
    }
}

void case_read_item(const CpuState *s, const CaseItem *it, uint64_t *lo, uint64_t *hi)
{
    const uint8_t *v = &s->vreg[it->idx * 16];
    *lo = *hi = 0;
    switch (it->kind) {
    case CR_X: *lo = s->x[it->idx]; break;
    case CR_SP: *lo = s->sp; break;
    case CR_NZCV: *lo = cpu_get_nzcv(s) >> 28; break;
    case CR_FPCR: *lo = s->fpcr; break;
    case CR_FPSR: *lo = s->fpsr; break;
    case CR_V: memcpy(lo, v, 8); memcpy(hi, v + 8, 8); break;
    case CR_D: memcpy(lo, v, 8); break;
    case CR_S: memcpy(lo, v, 4); break;
    case CR_TRAP: break;
    }
}

void case_item_name(const CaseItem *it, char *buf, size_t n)
{
    switch (it->kind) {
    case CR_X: snprintf(buf, n, "x%u", it->idx); break;
    case CR_SP: snprintf(buf, n, "sp"); break;
    case CR_NZCV: snprintf(buf, n, "nzcv"); break;
    case CR_FPCR: snprintf(buf, n, "fpcr"); break;
    case CR_FPSR: snprintf(buf, n, "fpsr"); break;
    case CR_V: snprintf(buf, n, "v%u", it->idx); break;
    case CR_D: snprintf(buf, n, "d%u", it->idx); break;
    case CR_S: snprintf(buf, n, "s%u", it->idx); break;
    case CR_TRAP: snprintf(buf, n, "trap"); break;
    }
}

void case_format_value(const CaseItem *it, uint64_t lo, uint64_t hi, char *buf, size_t n)
{
    switch (it->kind) {
    case CR_NZCV:
        snprintf(buf, n, "0b%u%u%u%u", (unsigned)(lo >> 3 & 1), (unsigned)(lo >> 2 & 1), (unsigned)(lo >> 1 & 1),
                 (unsigned)(lo & 1));
        break;
    case CR_V:
        snprintf(buf, n, "0x%016llx_%016llx", (unsigned long long)hi, (unsigned long long)lo);
        break;
    case CR_TRAP:
        snprintf(buf, n, "%llu", (unsigned long long)lo);
        break;
    default:
        snprintf(buf, n, "0x%llx", (unsigned long long)lo);
        break;
    }
}

void case_print_defaults(void)
{
    CpuState s;
    case_default_state(&s);
    char name[16], val[64];
    CaseItem it = {0};
    static const enum CaseRegKind order[] = {CR_X, CR_SP, CR_NZCV, CR_FPCR, CR_FPSR, CR_V};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        it.kind = order[k];
        unsigned count = it.kind == CR_X ? 31 : it.kind == CR_V ? 32 : 1;
        for (it.idx = 0; it.idx < count; it.idx++) {
            uint64_t lo, hi;
            case_read_item(&s, &it, &lo, &hi);
            case_item_name(&it, name, sizeof name);
            case_format_value(&it, lo, hi, val, sizeof val);
            printf("%s=%s\n", name, val);
        }
    }
    static const uint64_t probes[] = {0, 0x100, 0x8000, CASE_SCRATCH_SIZE - 16};
    for (size_t k = 0; k < sizeof probes / sizeof probes[0]; k++) {
        uint64_t a = CASE_SCRATCH_BASE + probes[k];
        printf("mem[0x%llx]=", (unsigned long long)a);
        for (unsigned i = 0; i < 16; i++)
            printf("%02x", case_scratch_byte(a + i));
        printf("\n");
    }
}
