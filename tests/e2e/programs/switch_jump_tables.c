/* Dense switches (GCC jump tables: ldrb/ldrh + adr + add sxtb/sxth #2 + br)
 * and a computed goto, whose BR targets control-flow recovery must find. */
#include <stdio.h>

__attribute__((noinline)) static int small(int x)
{
    switch (x) {
    case 0: return 11; case 1: return 23; case 2: return 37; case 3: return 41;
    case 4: return 59; case 5: return 61; case 6: return 73; case 7: return 89;
    default: return -1;
    }
}

__attribute__((noinline)) static long wide(unsigned x, long a)
{
    switch (x) {
    case 0: a += 3; break;   case 1: a *= 5; break;   case 2: a -= 7; break;
    case 3: a ^= 0x55; break; case 4: a <<= 2; break; case 5: a >>= 1; break;
    case 6: a = -a; break;   case 7: a |= 0x100; break; case 8: a &= 0xff0; break;
    case 9: a += a; break;   case 10: a -= 1000; break; case 11: a *= -3; break;
    case 12: a += 12; break; case 13: a ^= 13; break;  case 14: a *= 14; break;
    case 15: a -= 15; break; case 40: a = 40; break;   case 77: a = 77 * a; break;
    case 120: a /= 3; break; case 250: a %= 1000; break;
    default: a = 0; break;
    }
    return a;
}

__attribute__((noinline)) static int interp(const unsigned char *code)
{
    static void *const ops[] = {&&op_inc, &&op_dbl, &&op_neg, &&op_end};
    int acc = 1;
    goto *ops[*code++];
op_inc: acc++; goto *ops[*code++];
op_dbl: acc *= 2; goto *ops[*code++];
op_neg: acc = -acc; goto *ops[*code++];
op_end: return acc;
}

int main(void)
{
    long sum = 0;
    for (int i = -2; i < 10; i++)
        sum = sum * 3 + small(i);
    for (unsigned i = 0; i < 260; i++)
        sum += wide(i, (long)i * 7 - 100);
    static const unsigned char prog[] = {0, 1, 1, 0, 2, 1, 0, 0, 1, 3};
    int r = interp(prog);
    printf("sum=%ld interp=%d\n", sum, r);
    return 0;
}
