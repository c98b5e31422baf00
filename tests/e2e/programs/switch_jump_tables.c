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

/* Switches whose table address is not computed next to the BR, as in
 * big interpreter loops (sqlite3VdbeExec keeps it in a stack slot stored
 * once at the entry, lua's str_format in a callee-saved register): more
 * than 48 instructions and a call lie between the table's ADRP/ADD and
 * its use.  cfg_jumptable.c finds both ahead of time, and cfg.c gives a
 * third function's second BR the targets of its first; tests/e2e/cli.sh
 * runs this program with the JIT unavailable to prove it. */
static long scramble(long x) { return x * 2654435761u ^ (x >> 3); }
long (*volatile scramble_ptr)(long) = scramble;
long slot_switch(unsigned x), reg_switch(unsigned x), shared_switch(unsigned x, long second), split_address(long x),
    ool_switch(unsigned x);
__asm__(".text\n"
        ".globl slot_switch\n.type slot_switch, %function\n"
        "slot_switch:\n"
        "  stp x29, x30, [sp, #-32]!\n  mov x29, sp\n"
        "  adrp x1, slot_table\n  add x1, x1, :lo12:slot_table\n"
        "  str x1, [sp, #16]\n  str x0, [sp, #24]\n"
        "  .rept 56\n  add x0, x0, #1\n  .endr\n"
        "  adrp x1, scramble_ptr\n  ldr x1, [x1, :lo12:scramble_ptr]\n  blr x1\n"
        "  ldr x0, [sp, #24]\n  cmp w0, #5\n  b.hi .Ls9\n"
        "  ldr x1, [sp, #16]\n  ldrb w2, [x1, w0, uxtw]\n"
        "  adr x3, .Ls1\n  add x2, x3, w2, sxtb #2\n  br x2\n"
        ".Ls1: mov x0, #101\n  b .Ls8\n"
        ".Ls2: mov x0, #202\n  b .Ls8\n"
        ".Ls3: mov x0, #303\n  b .Ls8\n"
        ".Ls4: mov x0, #404\n  b .Ls8\n"
        ".Ls9: mov x0, #-1\n"
        ".Ls8: ldp x29, x30, [sp], #32\n  ret\n"
        ".size slot_switch, .-slot_switch\n"
        ".globl reg_switch\n.type reg_switch, %function\n"
        "reg_switch:\n"
        "  stp x29, x30, [sp, #-32]!\n  mov x29, sp\n  stp x19, x20, [sp, #16]\n"
        "  adrp x19, reg_table\n  add x19, x19, :lo12:reg_table\n  mov w20, w0\n"
        "  .rept 56\n  add x0, x0, #3\n  .endr\n"
        "  adrp x1, scramble_ptr\n  ldr x1, [x1, :lo12:scramble_ptr]\n  blr x1\n"
        "  cmp w20, #3\n  b.hi .Lr19\n"
        "  ldrh w2, [x19, w20, uxtw #1]\n"
        "  adr x3, .Lr11\n  add x2, x3, w2, sxth #2\n  br x2\n"
        ".Lr11: add x0, x0, #11\n  b .Lr18\n"
        ".Lr12: eor x0, x0, #0xff\n  b .Lr18\n"
        ".Lr13: lsr x0, x0, #2\n  b .Lr18\n"
        ".Lr14: neg x0, x0\n  b .Lr18\n"
        ".Lr19: mov x0, #0\n"
        ".Lr18: ldp x19, x20, [sp, #16]\n  ldp x29, x30, [sp], #32\n  ret\n"
        ".size reg_switch, .-reg_switch\n"
        /* Two BRs over one table, the second's address computed in another
         * block (glibc's vfprintf): it gets the first one's targets. */
        ".globl shared_switch\n.type shared_switch, %function\n"
        "shared_switch:\n"
        "  and x0, x0, #3\n"
        "  adrp x2, shared_table\n  add x2, x2, :lo12:shared_table\n  adr x3, .Lh0\n"
        "  ldrb w4, [x2, w0, uxtw]\n  add x5, x3, w4, sxtb #2\n"
        "  cbnz x1, .Lsecond\n  mov x6, #100\n  br x5\n"
        ".Lsecond: mov x6, #200\n  br x5\n"
        ".Lh0: add x0, x6, #1\n  ret\n"
        ".Lh1: add x0, x6, #2\n  ret\n"
        ".Lh2: add x0, x6, #3\n  ret\n"
        ".Lh3: add x0, x6, #4\n  ret\n"
        ".size shared_switch, .-shared_switch\n"
        /* Function addresses taken by an ADRP and an ADD that other code
         * separates: a call (the ADRP's register is callee-saved: lua's
         * luaopen_io and io_noclose) or a store whose bits 4:0 name the
         * ADRP's register number as a SIMD&FP register (sqlite's fts5 code
         * and fts5CreateAux).  Only these take hidden_a's and hidden_b's
         * addresses: cfg.c must find them, or the BLRs need the JIT. */
        ".type hidden_a, %function\n"
        "hidden_a:\n  add x0, x0, #1000\n  ret\n"
        ".size hidden_a, .-hidden_a\n"
        ".type hidden_b, %function\n"
        "hidden_b:\n  lsl x0, x0, #4\n  ret\n"
        ".size hidden_b, .-hidden_b\n"
        ".globl split_address\n.type split_address, %function\n"
        "split_address:\n"
        "  stp x29, x30, [sp, #-64]!\n  mov x29, sp\n  stp x19, x20, [sp, #16]\n"
        "  mov x20, x0\n"
        "  adrp x19, hidden_a\n"
        "  adrp x1, scramble_ptr\n  ldr x1, [x1, :lo12:scramble_ptr]\n  blr x1\n"
        "  add x19, x19, :lo12:hidden_a\n"
        "  mov x0, x20\n  blr x19\n  mov x20, x0\n"
        "  movi v0.2d, #0\n"
        "  adrp x0, hidden_b\n"
        "  stp q0, q0, [sp, #32]\n"
        "  add x0, x0, :lo12:hidden_b\n"
        "  mov x1, x0\n  mov x0, x20\n  blr x1\n"
        "  ldp x19, x20, [sp, #16]\n  ldp x29, x30, [sp], #64\n  ret\n"
        ".size split_address, .-split_address\n"
        /* The dispatch block out of line, after a call and a `b`, reached by
         * a forward conditional branch (Debian libc's setlocale internals):
         * the straight-line window passes the call, which clobbers x5, but
         * the table's base is what it was at the branch.  x5 is written
         * twice, so the function's summary does not know it. */
        ".globl ool_switch\n.type ool_switch, %function\n"
        "ool_switch:\n"
        "  stp x29, x30, [sp, #-16]!\n  mov x29, sp\n"
        "  adrp x5, ool_table\n  add x5, x5, :lo12:ool_table\n  mov w4, w0\n"
        "  cmp w4, #3\n  b.ls .Lodispatch\n"
        "  mov x5, x0\n"
        "  adrp x1, scramble_ptr\n  ldr x1, [x1, :lo12:scramble_ptr]\n  blr x1\n"
        "  b .Loend\n"
        ".Lodispatch: ldrb w7, [x5, w4, uxtw]\n"
        "  adr x8, .Lo0\n  add x7, x8, w7, sxtb #2\n  br x7\n"
        ".Lo0: mov x0, #7\n  b .Loend\n"
        ".Lo1: mov x0, #17\n  b .Loend\n"
        ".Lo2: mov x0, #27\n  b .Loend\n"
        ".Lo3: mov x0, #37\n"
        ".Loend: ldp x29, x30, [sp], #16\n  ret\n"
        ".size ool_switch, .-ool_switch\n"
        ".section .rodata\n"
        "ool_table: .byte (.Lo0-.Lo0)/4, (.Lo2-.Lo0)/4, (.Lo1-.Lo0)/4, (.Lo3-.Lo0)/4\n"
        "shared_table: .byte (.Lh0-.Lh0)/4, (.Lh3-.Lh0)/4, (.Lh1-.Lh0)/4, (.Lh2-.Lh0)/4\n"
        "slot_table: .byte (.Ls1-.Ls1)/4, (.Ls2-.Ls1)/4, (.Ls3-.Ls1)/4, (.Ls4-.Ls1)/4, (.Ls2-.Ls1)/4, (.Ls1-.Ls1)/4\n"
        ".balign 2\n"
        "reg_table: .hword (.Lr11-.Lr11)/4, (.Lr12-.Lr11)/4, (.Lr13-.Lr11)/4, (.Lr14-.Lr11)/4\n"
        ".text\n");

int main(void)
{
    long sum = 0;
    for (int i = -2; i < 10; i++)
        sum = sum * 3 + small(i);
    for (unsigned i = 0; i < 260; i++)
        sum += wide(i, (long)i * 7 - 100);
    static const unsigned char prog[] = {0, 1, 1, 0, 2, 1, 0, 0, 1, 3};
    int r = interp(prog);
    long sw = 0;
    for (unsigned i = 0; i < 8; i++)
        sw = sw * 7 + slot_switch(i) + reg_switch(i) + shared_switch(i, i & 1) * 3 + ool_switch(i);
    printf("sum=%ld interp=%d switches=%ld split=%ld\n", sum, r, sw, split_address(7));
    return 0;
}
