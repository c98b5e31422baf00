/*
 * static_pie.c - a position-independent static executable (ET_DYN, no
 * interpreter): the runtime loads it at the base its translation assumed
 * and the guest's own start-up code (_dl_relocate_static_pie) applies its
 * RELATIVE and IRELATIVE relocations, as on Arm.
 *
 * What must survive relocation: a table of function pointers in data (each
 * slot an R_AARCH64_RELATIVE), a pointer to data in data, a comparator
 * passed to qsort, libc's string functions (IRELATIVE: chosen by ifunc
 * resolvers at start-up), a switch through a jump table, constructors
 * (.init_array, also relocated), setjmp/longjmp, and the auxv's AT_ENTRY
 * pointing at _start in the loaded image.
 *
 * cflags: -static-pie
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

static int twice(int x) { return 2 * x; }
static int square(int x) { return x * x; }
static int negate(int x) { return -x; }

static int (*const ops[])(int) = {twice, square, negate};
static const char *const names[] = {"twice", "square", "negate"};
static int counter = 7;
static int *const counter_ptr = &counter;
static int constructed;

__attribute__((constructor)) static void construct(void) { constructed = 42; }

static int cmp(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

__attribute__((noinline)) static const char *kind(int v)
{
    switch (v) {
    case 0: return "zero";
    case 1: return "one";
    case 2: return "two";
    case 3: return "three";
    case 4: return "four";
    case 5: return "five";
    case 6: return "six";
    default: return "many";
    }
}

static jmp_buf env;

__attribute__((noinline)) static void jump(int v) { longjmp(env, v); }

extern char _start[];

int main(void)
{
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++)
        printf("%s(5) = %d\n", names[i], ops[i](5));
    *counter_ptr += 1;
    printf("counter through a relocated pointer: %d\n", counter);
    printf("constructor ran: %d\n", constructed);
    int v[] = {9, 2, 7, 4, 5, 1, 8};
    qsort(v, sizeof v / sizeof v[0], sizeof v[0], cmp);
    for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++)
        printf("%d%s", v[i], i + 1 < sizeof v / sizeof v[0] ? " " : "\n");
    char buf[64];
    strcpy(buf, "position");
    strcat(buf, "-independent");
    printf("%s (%zu bytes), memchr finds '-' at %ld\n", buf, strlen(buf),
           (long)((char *)memchr(buf, '-', strlen(buf)) - buf));
    for (int i = 0; i < 9; i += 2)
        printf("kind(%d) = %s\n", i, kind(i));
    int r = setjmp(env);
    if (r == 0)
        jump(3);
    printf("longjmp returned %d\n", r);
    printf("AT_ENTRY is _start: %d\n", getauxval(AT_ENTRY) == (unsigned long)_start);
    return 0;
}
