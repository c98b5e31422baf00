/*
 * memory_exhaustion.c - a program that takes all the memory it can get:
 * anonymous mmaps of 4 GiB (MAP_NORESERVE, never touched) until mmap
 * fails, then the program break by 16 GiB steps until sbrk fails, then
 * (unless the argument is "no-malloc") malloc of 1 GiB blocks until it
 * returns NULL.  Each must fail with ENOMEM, as on Linux; after giving
 * everything back the program allocates, prints and exits 0.  The counts
 * depend on the address space (and on `ulimit -v`), so only whether ENOMEM
 * was seen and the program recovered is printed.
 *
 * Without a limit the mmap loop takes the whole address space (128 TiB on
 * x86-64); the malloc loop would touch a page of every block, hence
 * "no-malloc" for that run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHUNK (4ul << 30)
#define BRK_STEP (16ul << 30)
#define BLOCK (1ul << 30)
#define MAX_CHUNKS (1ul << 16) /* 256 TiB of chunks: more than any address space */

static void *chunks[MAX_CHUNKS];

int main(int argc, char **argv)
{
    size_t n = 0;
    int err = 0;
    while (n < MAX_CHUNKS) {
        void *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) {
            err = errno;
            break;
        }
        chunks[n++] = p;
    }
    /* What the program can still do with the address space full. */
    int out = printf("mmap: %s\n", err == ENOMEM ? "ENOMEM" : err ? strerror(err) : "never failed");
    for (size_t i = 0; i < n; i++)
        if (munmap(chunks[i], CHUNK) != 0)
            return 2;
    printf("mmap: %s, all unmapped\n", n > 0 && out > 0 ? "recovered" : "nothing mapped");

    void *start = sbrk(0);
    err = 0;
    while (err == 0)
        if (sbrk((intptr_t)BRK_STEP) == (void *)-1)
            err = errno;
    if (brk(start) != 0)
        return 3;
    printf("sbrk: %s, break restored\n", err == ENOMEM ? "ENOMEM" : strerror(err));

    if (argc < 2 || strcmp(argv[1], "no-malloc") != 0) {
        n = 0;
        while (n < MAX_CHUNKS && (chunks[n] = malloc(BLOCK)) != NULL)
            n++;
        err = errno;
        for (size_t i = 0; i < n; i++)
            free(chunks[i]);
        printf("malloc: %s after some blocks: %s\n", err == ENOMEM ? "ENOMEM" : strerror(err), n > 0 ? "yes" : "no");
    }

    char *small = malloc(1 << 20);
    if (small == NULL)
        return 4;
    memset(small, 'x', 1 << 20);
    printf("after: %s\n", small[12345] == 'x' ? "1 MiB allocated and used" : "wrong");
    free(small);
    return 0;
}
