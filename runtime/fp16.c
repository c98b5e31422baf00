/*
 * fp16.c - FEAT_FP16 scalar half-precision arithmetic in software (the
 * contract is in include/fp16.h).
 *
 * Every finite half is an integer multiple of 2^-24 below 2^16, so sums,
 * products and fused multiply-adds are computed exactly with integers (a
 * product of two halves is a multiple of 2^-48 below 2^32: 128 bits hold
 * it), quotients and square roots with 29+ quotient bits and a sticky bit.
 * round16() then is the manual's FPRoundBase for N = 16: FZ16 flushing of
 * results that are tiny before rounding (UFC, no IXC), UFC for inexact
 * results that are tiny before rounding, overflow to infinity or the
 * largest normal by rounding mode.  The special cases and NaN rules are
 * those of FPAdd, FPMulAdd, FPMax, FPToFixed... in that pseudocode.
 *
 * Integer arithmetic only: the host's MXCSR flags are the guest's FPSR
 * (include/fpenv.h) and must not see anything from here.
 */
#include "fp16.h"

#include <stdbool.h>

#include "fpenv.h"

typedef unsigned __int128 u128;
typedef __int128 i128;

enum { T_ZERO, T_FINITE, T_INF, T_QNAN, T_SNAN };

enum {
    H_DEFAULT_NAN = 0x7e00,
    H_INF = 0x7c00,
    H_MAX_NORMAL = 0x7bff,
    H_QUIET = 0x0200,
};

/* An unpacked operand: value = (-1)^sign * m * 2^e when T_FINITE. */
typedef struct {
    int type;
    uint32_t sign;
    uint64_t m;
    int e;
} Unp;

typedef struct {
    uint32_t fpcr;
    uint32_t flags; /* FPSR bits raised */
} Env;

/* FPUnpack: FZ16 makes a denormal a zero, without IDC (half precision
 * never raises IDC).  AHP does not apply to arithmetic. */
static Unp unpack(const Env *env, uint32_t x)
{
    Unp u = {T_FINITE, x >> 15 & 1, 0, 0};
    uint32_t exp = x >> 10 & 31, frac = x & 0x3ff;
    if (exp == 0) {
        if (frac == 0 || (env->fpcr & A64_FPCR_FZ16))
            u.type = T_ZERO;
        else
            u.m = frac, u.e = -24;
    } else if (exp == 31) {
        u.type = frac == 0 ? T_INF : (frac & H_QUIET) ? T_QNAN : T_SNAN;
    } else {
        u.m = frac | 0x400, u.e = (int)exp - 25;
    }
    return u;
}

static bool is_nan(const Unp *u) { return u->type == T_QNAN || u->type == T_SNAN; }

static uint32_t h_zero(uint32_t sign) { return sign << 15; }
static uint32_t h_inf(uint32_t sign) { return sign << 15 | H_INF; }

static uint32_t default_nan(Env *env)
{
    env->flags |= A64_FPSR_IOC;
    return H_DEFAULT_NAN;
}

/* FPProcessNaN. */
static uint32_t process_nan(Env *env, uint32_t x, const Unp *u)
{
    if (u->type == T_SNAN) {
        env->flags |= A64_FPSR_IOC;
        x |= H_QUIET;
    }
    return (env->fpcr & A64_FPCR_DN) ? H_DEFAULT_NAN : x;
}

/* FPProcessNaNs / FPProcessNaNs3: the first signalling NaN in operand
 * order, else the first quiet one.  True (and *RES) if there is one. */
static bool process_nans(Env *env, const uint32_t *x, const Unp *u, int n, uint32_t *res)
{
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++)
            if (u[i].type == (pass == 0 ? T_SNAN : T_QNAN)) {
                *res = process_nan(env, x[i], &u[i]);
                return true;
            }
    return false;
}

static int fpcr_rounding(const Env *env) { return (int)(env->fpcr >> A64_FPCR_RMODE_SHIFT & 3); }

static int highest_bit(u128 m)
{
    uint64_t hi = (uint64_t)(m >> 64);
    return hi ? 127 - __builtin_clzll(hi) : 63 - __builtin_clzll((uint64_t)m);
}

/* Whether a magnitude with fraction (GT: above one half, EQ: exactly one
 * half, INEXACT: not zero) is rounded away from zero; ODD: the truncated
 * magnitude is odd. */
static bool round_up(int rounding, uint32_t sign, bool gt, bool eq, bool inexact, bool odd)
{
    switch (rounding) {
    case F16_RN: return gt || (eq && odd);
    case F16_RA: return gt || eq;
    case F16_RP: return inexact && !sign;
    case F16_RM: return inexact && sign;
    default: return false;
    }
}

/* M * 2^S rounded to an integer by ROUNDING (SIGN: the value's sign, for
 * the directed modes); *INEXACT: whether that changed the value.  M is
 * below 2^100 when S is negative. */
static u128 scale_round(u128 m, int s, int rounding, uint32_t sign, bool *inexact)
{
    *inexact = false;
    if (s >= 0)
        return m << s;
    if (s <= -120) { /* far below one */
        *inexact = m != 0;
        return round_up(rounding, sign, false, false, *inexact, false);
    }
    u128 rem = m & (((u128)1 << -s) - 1), half = (u128)1 << (-s - 1), q = m >> -s;
    *inexact = rem != 0;
    return q + round_up(rounding, sign, rem > half, rem == half, *inexact, (q & 1) != 0);
}

/* FPRoundBase for half precision: (-1)^sign * (M + STICKY * epsilon) *
 * 2^E, M != 0.  With STICKY, M must have 12 or more significant bits (the
 * sticky bit then lies below every rounding point). */
static uint32_t round16(Env *env, uint32_t sign, u128 m, int e, bool sticky, int rounding)
{
    if (sticky)
        m = m << 1 | 1, e -= 1;
    int exponent = highest_bit(m) + e; /* the value is in [2^exponent, 2^(exponent+1)) */
    if ((env->fpcr & A64_FPCR_FZ16) && exponent < -14) {
        env->flags |= A64_FPSR_UFC;
        return h_zero(sign);
    }
    int lsb = (exponent < -14 ? -14 : exponent) - 10; /* weight of the result's last bit */
    bool inexact;
    uint64_t q = (uint64_t)scale_round(m, e - lsb, rounding, sign, &inexact);
    if (exponent < -14 && inexact)
        env->flags |= A64_FPSR_UFC; /* tiny before rounding */
    if (q == 0x800) /* rounded up to the next binade */
        q >>= 1, lsb++;
    if (inexact)
        env->flags |= A64_FPSR_IXC;
    if (q < 0x400) /* denormal (lsb is -24); 0x400 is the smallest normal */
        return sign << 15 | (uint32_t)q;
    int biased = lsb + 10 + 15;
    if (biased >= 31) {
        env->flags |= A64_FPSR_OFC | A64_FPSR_IXC;
        bool to_inf = rounding == F16_RN || rounding == F16_RA || (rounding == F16_RP && !sign) ||
                      (rounding == F16_RM && sign);
        return sign << 15 | (to_inf ? H_INF : H_MAX_NORMAL);
    }
    return sign << 15 | (uint32_t)biased << 10 | ((uint32_t)q & 0x3ff);
}

/* A signed exact value with 2^-SCALE units (finite operands only). */
static i128 fixed(const Unp *u, int scale)
{
    i128 v = (i128)((u128)u->m << (u->e + scale));
    return u->sign ? -v : v;
}

/* An exact nonzero signed sum with 2^-SCALE units, or the zero of an
 * exact-zero sum (negative only when rounding towards -infinity). */
static uint32_t round_fixed(Env *env, i128 v, int scale, int rounding)
{
    if (v == 0)
        return h_zero(rounding == F16_RM);
    uint32_t sign = v < 0;
    return round16(env, sign, (u128)(sign ? -v : v), -scale, false, rounding);
}

/* Order of two non-NaN operands: -1, 0, 1. */
static int compare(const Unp *a, const Unp *b)
{
    i128 big = (i128)1 << 100;
    i128 va = a->type == T_INF ? (a->sign ? -big : big) : fixed(a, 24);
    i128 vb = b->type == T_INF ? (b->sign ? -big : big) : fixed(b, 24);
    return va < vb ? -1 : va > vb;
}

/* Unpack X and Y into U; true (and *R) if a NaN operand is the result. */
static bool unpack2(Env *env, uint32_t x, uint32_t y, Unp u[2], uint32_t *r)
{
    uint32_t ops[2] = {x, y};
    u[0] = unpack(env, x);
    u[1] = unpack(env, y);
    return process_nans(env, ops, u, 2, r);
}

static uint32_t add(Env *env, uint32_t x, uint32_t y, bool sub, int rounding)
{
    Unp u[2];
    uint32_t r;
    if (unpack2(env, x, y, u, &r))
        return r;
    if (sub)
        u[1].sign ^= 1;
    if (u[0].type == T_INF && u[1].type == T_INF && u[0].sign != u[1].sign)
        return default_nan(env);
    if (u[0].type == T_INF || u[1].type == T_INF)
        return h_inf(u[0].type == T_INF ? u[0].sign : u[1].sign);
    if (u[0].type == T_ZERO && u[1].type == T_ZERO && u[0].sign == u[1].sign)
        return h_zero(u[0].sign);
    return round_fixed(env, fixed(&u[0], 24) + fixed(&u[1], 24), 24, rounding);
}

static uint32_t mul(Env *env, uint32_t x, uint32_t y, int rounding)
{
    Unp u[2];
    uint32_t r;
    if (unpack2(env, x, y, u, &r))
        return r;
    uint32_t sign = u[0].sign ^ u[1].sign;
    bool inf = u[0].type == T_INF || u[1].type == T_INF, zero = u[0].type == T_ZERO || u[1].type == T_ZERO;
    if (inf && zero)
        return default_nan(env);
    if (inf)
        return h_inf(sign);
    if (zero)
        return h_zero(sign);
    return round16(env, sign, (u128)u[0].m * u[1].m, u[0].e + u[1].e, false, rounding);
}

static uint32_t divide(Env *env, uint32_t x, uint32_t y, int rounding)
{
    Unp u[2];
    uint32_t r;
    if (unpack2(env, x, y, u, &r))
        return r;
    uint32_t sign = u[0].sign ^ u[1].sign;
    bool inf1 = u[0].type == T_INF, inf2 = u[1].type == T_INF;
    bool zero1 = u[0].type == T_ZERO, zero2 = u[1].type == T_ZERO;
    if ((inf1 && inf2) || (zero1 && zero2))
        return default_nan(env);
    if (inf1 || zero2) {
        if (!inf1)
            env->flags |= A64_FPSR_DZC;
        return h_inf(sign);
    }
    if (zero1 || inf2)
        return h_zero(sign);
    uint64_t num = u[0].m << 40; /* a quotient of 29 or more bits */
    uint64_t q = num / u[1].m;
    return round16(env, sign, q, u[0].e - u[1].e - 40, num % u[1].m != 0, rounding);
}

/* FPMax / FPMin; NM: FPMaxNum / FPMinNum (a quiet NaN loses to a number). */
static uint32_t maxmin(Env *env, uint32_t x, uint32_t y, bool max, bool nm)
{
    uint32_t ops[2] = {x, y}, r;
    Unp u[2] = {unpack(env, x), unpack(env, y)};
    if (nm && !(u[0].type == T_QNAN && u[1].type == T_QNAN)) {
        uint32_t loser = max ? h_inf(1) : h_inf(0);
        for (int i = 0; i < 2; i++)
            if (u[i].type == T_QNAN) {
                ops[i] = loser;
                u[i] = unpack(env, loser);
            }
    }
    if (process_nans(env, ops, u, 2, &r))
        return r;
    int c = compare(&u[0], &u[1]);
    int pick = (max ? c > 0 : c < 0) ? 0 : 1;
    if (u[pick].type == T_ZERO) /* +0 is the larger zero */
        return h_zero(max ? (u[0].sign & u[1].sign) : (u[0].sign | u[1].sign));
    return ops[pick]; /* exact: FPRound changes nothing, raises nothing */
}

static uint32_t sqrt16(Env *env, uint32_t x, int rounding)
{
    Unp u = unpack(env, x);
    if (is_nan(&u))
        return process_nan(env, x, &u);
    if (u.type == T_ZERO)
        return h_zero(u.sign);
    if (u.sign)
        return default_nan(env);
    if (u.type == T_INF)
        return h_inf(0);
    uint64_t m = u.m;
    int e = u.e;
    if (e & 1)
        m <<= 1, e -= 1;
    uint64_t n = m << 40, root = 0; /* a root of 26 or more bits */
    for (int bit = 31; bit >= 0; bit--) {
        uint64_t t = root | 1ull << bit;
        if (t * t <= n)
            root = t;
    }
    return round16(env, 0, root, (e - 40) / 2, root * root != n, rounding);
}

/* FPMulAdd(addend, op1, op2) = addend + op1 * op2. */
static uint32_t muladd(Env *env, uint32_t a, uint32_t x, uint32_t y, int rounding)
{
    uint32_t ops[3] = {a, x, y}, r = 0;
    Unp u[3] = {unpack(env, a), unpack(env, x), unpack(env, y)};
    bool done = process_nans(env, ops, u, 3, &r);
    bool inf1 = u[1].type == T_INF, inf2 = u[2].type == T_INF;
    bool zero1 = u[1].type == T_ZERO, zero2 = u[2].type == T_ZERO;
    bool inf_zero = (inf1 && zero2) || (zero1 && inf2);
    if (u[0].type == T_QNAN && inf_zero)
        return default_nan(env);
    if (done)
        return r;
    uint32_t signp = u[1].sign ^ u[2].sign;
    bool infa = u[0].type == T_INF, infp = inf1 || inf2, zerop = zero1 || zero2;
    if (inf_zero || (infa && infp && u[0].sign != signp))
        return default_nan(env);
    if ((infa && !u[0].sign) || (infp && !signp))
        return h_inf(0);
    if (infa || infp)
        return h_inf(1);
    if (u[0].type == T_ZERO && zerop && u[0].sign == signp)
        return h_zero(signp);
    i128 p = zerop ? 0 : (i128)((u128)(u[1].m * u[2].m) << (u[1].e + u[2].e + 48));
    return round_fixed(env, fixed(&u[0], 48) + (signp ? -p : p), 48, rounding);
}

/* FPRoundInt. */
static uint32_t rint16(Env *env, uint32_t x, int rounding, bool exact)
{
    Unp u = unpack(env, x);
    if (is_nan(&u))
        return process_nan(env, x, &u);
    if (u.type == T_INF)
        return h_inf(u.sign);
    if (u.type == T_ZERO)
        return h_zero(u.sign);
    if (u.e >= 0)
        return x; /* an integer already */
    bool changed;
    uint64_t i = (uint64_t)scale_round(u.m, u.e, rounding, u.sign, &changed);
    if (exact && changed)
        env->flags |= A64_FPSR_IXC;
    if (i == 0)
        return h_zero(u.sign);
    return round16(env, u.sign, i, 0, false, F16_RZ); /* exact */
}

/* FPCompare: NZCV. */
static uint32_t cmp16(Env *env, uint32_t x, uint32_t y, bool signal)
{
    Unp a = unpack(env, x), b = unpack(env, y);
    if (is_nan(&a) || is_nan(&b)) {
        if (signal || a.type == T_SNAN || b.type == T_SNAN)
            env->flags |= A64_FPSR_IOC;
        return 0x3;
    }
    int c = compare(&a, &b);
    return c == 0 ? 0x6 : c < 0 ? 0x8 : 0x2;
}

/* FPToFixed: an IBITS-bit integer, saturating (IOC), IXC if inexact. */
static uint64_t to_int(Env *env, uint32_t x, unsigned fbits, bool is_signed, unsigned ibits, int rounding)
{
    Unp u = unpack(env, x);
    if (is_nan(&u)) {
        env->flags |= A64_FPSR_IOC;
        return 0;
    }
    if (u.type == T_ZERO)
        return 0;
    u128 mag = 0;
    bool inexact = false, over = u.type == T_INF;
    if (!over) /* below 2^80 */
        mag = scale_round(u.m, u.e + (int)fbits, rounding, u.sign, &inexact);
    u128 lim_pos = is_signed ? ((u128)1 << (ibits - 1)) - 1 : ((u128)1 << ibits) - 1;
    u128 lim_neg = is_signed ? (u128)1 << (ibits - 1) : 0;
    uint64_t mask = ibits == 64 ? ~0ull : (1ull << ibits) - 1;
    if (over || mag > (u.sign ? lim_neg : lim_pos)) {
        env->flags |= A64_FPSR_IOC;
        return u.sign ? (uint64_t)-(i128)lim_neg & mask : (uint64_t)lim_pos;
    }
    if (inexact)
        env->flags |= A64_FPSR_IXC;
    return (u.sign ? (uint64_t)-(i128)mag : (uint64_t)mag) & mask;
}

/* FixedToFP: A is an IBITS-bit integer with FBITS fraction bits. */
static uint32_t from_int(Env *env, uint64_t a, unsigned fbits, bool is_signed, unsigned ibits, int rounding)
{
    if (ibits == 32)
        a = is_signed ? (uint64_t)(int64_t)(int32_t)a : (uint32_t)a;
    uint32_t sign = is_signed && (int64_t)a < 0;
    uint64_t mag = sign ? 0 - a : a;
    if (mag == 0)
        return h_zero(0);
    return round16(env, sign, mag, -(int)fbits, false, rounding);
}

uint64_t dbt_rt_f16(CpuState *s, uint32_t op, uint64_t a, uint64_t b, uint64_t c)
{
    Env env = {s->fpcr, 0};
    int rounding = (int)(op >> 8 & 15);
    if (rounding == F16_RFPCR)
        rounding = fpcr_rounding(&env);
    unsigned ibits = op >> 16 & 0xff, fbits = op >> 24;
    uint32_t x = (uint32_t)a & 0xffff, y = (uint32_t)b & 0xffff, z = (uint32_t)c & 0xffff;
    uint64_t r;
    switch ((enum F16Kind)(op & 0xff)) {
    case F16_ADD: r = add(&env, x, y, false, rounding); break;
    case F16_SUB: r = add(&env, x, y, true, rounding); break;
    case F16_MUL: r = mul(&env, x, y, rounding); break;
    case F16_NMUL: r = mul(&env, x, y, rounding) ^ 0x8000; break;
    case F16_DIV: r = divide(&env, x, y, rounding); break;
    case F16_MAX: r = maxmin(&env, x, y, true, false); break;
    case F16_MIN: r = maxmin(&env, x, y, false, false); break;
    case F16_MAXNM: r = maxmin(&env, x, y, true, true); break;
    case F16_MINNM: r = maxmin(&env, x, y, false, true); break;
    case F16_SQRT: r = sqrt16(&env, x, rounding); break;
    case F16_MULADD: r = muladd(&env, x, y, z, rounding); break;
    case F16_RINT: r = rint16(&env, x, rounding, (op & F16_EXACT) != 0); break;
    case F16_CMP: r = cmp16(&env, x, y, (op & F16_SIGNAL) != 0); break;
    case F16_TO_INT: r = to_int(&env, x, fbits, (op & F16_SIGNED) != 0, ibits, rounding); break;
    case F16_FROM_INT: r = from_int(&env, a, fbits, (op & F16_SIGNED) != 0, ibits, rounding); break;
    default: r = 0; break;
    }
    s->fpsr |= env.flags;
    return r;
}
