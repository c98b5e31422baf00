/*
 * dt_runner.c - the oracle side of the differential tester: a static
 * AArch64 program, run under qemu-aarch64, that executes instruction
 * sequences it reads from stdin and writes their results to stdout.
 *
 * Built once (aarch64-linux-gnu-gcc -static); the tester keeps one runner
 * per worker alive and streams batches of thousands of sequences through
 * it, so neither a compiler nor a new qemu process is needed per batch.
 *
 * Per DtRequest (dt_proto.h): initialize the window (random from the seed,
 * or the lifter tests' pattern) and apply the patches; copy prologue, words
 * and epilogue into the request's code slot and clear the instruction cache;
 * put the state at DT_STATE_ADDR; call the slot.  A signal (SIGILL, SIGTRAP,
 * SIGSEGV, SIGBUS, SIGFPE) is caught on an alternate stack: the state is then
 * the signal frame's, i.e. the registers at the faulting instruction.  The
 * reply is the state after, the signal, and the window bytes that changed.
 *
 * Exit status: 0 at EOF, 2 on a protocol or setup error (message on stderr).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "../dt_proto.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

extern const char dt_prologue[], dt_prologue_end[], dt_epilogue[], dt_epilogue_end[];

static sigjmp_buf g_jb;
static volatile int g_sig;
static volatile uint64_t g_pc;

/* The kernel's struct fpsimd_context, inside the signal frame. */
struct fpsimd_rec {
    uint32_t magic, size, fpsr, fpcr;
    _Alignas(16) uint8_t v[32][16];
};

static void on_signal(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    DtState *out = (DtState *)(uintptr_t)DT_STATE_OUT;
    for (int i = 0; i < 31; i++)
        out->x[i] = uc->uc_mcontext.regs[i];
    out->sp = uc->uc_mcontext.sp;
    out->nzcv = uc->uc_mcontext.pstate & 0xf0000000u;
    for (size_t off = 0; off + 8 <= sizeof uc->uc_mcontext.__reserved;) {
        struct fpsimd_rec *r = (void *)&uc->uc_mcontext.__reserved[off];
        if (r->magic == 0 || r->size == 0)
            break;
        if (r->magic == 0x46508001u) {
            out->fpsr = r->fpsr;
            out->fpcr = r->fpcr;
            memcpy(out->v, r->v, sizeof out->v);
        }
        off += r->size;
    }
    g_sig = sig;
    g_pc = uc->uc_mcontext.pc;
    siglongjmp(g_jb, 1);
}

static void die(const char *what)
{
    fprintf(stderr, "dt_runner: %s\n", what);
    exit(2);
}

static void read_all(void *buf, size_t n, int *eof)
{
    uint8_t *p = buf;
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(0, p + got, n - got);
        if (r == 0 && got == 0 && eof != NULL) {
            *eof = 1;
            return;
        }
        if (r <= 0)
            die("short read on stdin");
        got += (size_t)r;
    }
}

/* Output buffer, written once per batch. */
static uint8_t *g_obuf;
static size_t g_olen, g_ocap;

static void put(const void *p, size_t n)
{
    if (g_olen + n > g_ocap) {
        g_ocap = (g_olen + n) * 2;
        g_obuf = realloc(g_obuf, g_ocap);
        if (g_obuf == NULL)
            die("out of memory");
    }
    memcpy(g_obuf + g_olen, p, n);
    g_olen += n;
}

static void flush_out(void)
{
    size_t done = 0;
    while (done < g_olen) {
        ssize_t w = write(1, g_obuf + done, g_olen - done);
        if (w <= 0)
            die("write failed");
        done += (size_t)w;
    }
    g_olen = 0;
}

static void run_one(const DtRequest *rq, const DtPatch *patches)
{
    uint8_t *win = (uint8_t *)(uintptr_t)DT_WINDOW_BASE;
    static uint8_t initial[DT_WINDOW_SIZE];
    dt_fill_window(rq->mem_seed, win);
    for (uint32_t k = 0; k < rq->npatch; k++) {
        const DtPatch *p = &patches[k];
        if (p->addr < DT_WINDOW_BASE || p->len > DT_PATCH_BYTES || p->addr + p->len > DT_WINDOW_BASE + DT_WINDOW_SIZE)
            die("patch outside the window");
        memcpy(win + (p->addr - DT_WINDOW_BASE), p->bytes, p->len);
    }
    memcpy(initial, win, sizeof initial);

    uint8_t *slot = (uint8_t *)(uintptr_t)(DT_CODE_BASE + (uint64_t)rq->slot * DT_SLOT_SIZE);
    size_t plen = (size_t)(dt_prologue_end - dt_prologue), elen = (size_t)(dt_epilogue_end - dt_epilogue);
    uint8_t *words = slot + DT_WORDS_OFF;
    memcpy(words - plen, dt_prologue, plen);
    memcpy(words, rq->words, 4 * rq->nwords);
    memcpy(words + 4 * rq->nwords, dt_epilogue, elen);
    __builtin___clear_cache((char *)(words - plen), (char *)(words + 4 * rq->nwords + elen));

    DtState *in = (DtState *)(uintptr_t)DT_STATE_ADDR, *out = (DtState *)(uintptr_t)DT_STATE_OUT;
    *in = rq->in;
    memset(out, 0, sizeof *out);
    g_sig = 0;
    g_pc = 0;
    void (*entry)(void) = (void (*)(void))(uintptr_t)(words - plen);
    if (sigsetjmp(g_jb, 1) == 0)
        entry();
    __asm__ volatile("msr fpcr, xzr");

    DtReply rp;
    memset(&rp, 0, sizeof rp);
    rp.out = *out;
    rp.magic = DT_MAGIC_REPLY;
    rp.sig = g_sig;
    uint64_t w0 = (uint64_t)(uintptr_t)words;
    rp.fault_idx = g_sig && g_pc >= w0 && g_pc < w0 + 4 * rq->nwords ? (int32_t)((g_pc - w0) / 4) : -1;
    /* Changed runs of the window. */
    uint32_t nruns = 0;
    for (size_t i = 0; i < DT_WINDOW_SIZE;) {
        if (win[i] == initial[i]) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < DT_WINDOW_SIZE && win[j] != initial[j])
            j++;
        nruns++;
        i = j;
    }
    rp.nruns = nruns;
    put(&rp, sizeof rp);
    for (size_t i = 0; i < DT_WINDOW_SIZE;) {
        if (win[i] == initial[i]) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < DT_WINDOW_SIZE && win[j] != initial[j])
            j++;
        DtRun run = {(uint16_t)i, (uint16_t)(j - i)};
        put(&run, sizeof run);
        put(win + i, j - i);
        static const uint8_t zero[4];
        put(zero, (4 - (j - i) % 4) % 4);
        i = j;
    }
}

int main(void)
{
    if (mmap((void *)(uintptr_t)DT_SCRATCH_BASE, DT_SCRATCH_SIZE, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != (void *)(uintptr_t)DT_SCRATCH_BASE)
        die("cannot map the scratch area");
    for (uint64_t a = DT_SCRATCH_BASE; a < DT_SCRATCH_BASE + DT_SCRATCH_SIZE; a++)
        *(uint8_t *)(uintptr_t)a = dt_pattern_byte(a);
    if (mmap((void *)(uintptr_t)DT_STATE_ADDR, 0x1000, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != (void *)(uintptr_t)DT_STATE_ADDR)
        die("cannot map the state page");
    if (mmap((void *)(uintptr_t)DT_CODE_BASE, DT_MAX_SLOTS * DT_SLOT_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != (void *)(uintptr_t)DT_CODE_BASE)
        die("cannot map the code slots");
    if ((size_t)(dt_prologue_end - dt_prologue) > DT_WORDS_OFF ||
        (size_t)(dt_epilogue_end - dt_epilogue) + 4 * DT_MAX_WORDS > DT_SLOT_SIZE - DT_WORDS_OFF)
        die("prologue or epilogue too long for a slot");

    static uint8_t altstack[1 << 16];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    sigaltstack(&ss, NULL);
    struct sigaction sa = {.sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_ONSTACK};
    int sigs[] = {SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);

    DtRequest *reqs = NULL;
    DtPatch *patches = NULL;
    size_t cap_req = 0, cap_patch = 0;
    for (;;) {
        DtBatchHeader h;
        int eof = 0;
        read_all(&h, sizeof h, &eof);
        if (eof)
            return 0;
        if (h.magic != DT_MAGIC_BATCH)
            die("bad batch header");
        if (h.count > cap_req) {
            cap_req = h.count;
            reqs = realloc(reqs, cap_req * sizeof *reqs);
        }
        size_t npatch = 0;
        size_t *first_patch = malloc((h.count + 1) * sizeof *first_patch);
        if (reqs == NULL || first_patch == NULL)
            die("out of memory");
        for (uint32_t i = 0; i < h.count; i++) {
            read_all(&reqs[i], sizeof reqs[i], NULL);
            if (reqs[i].magic != DT_MAGIC_REQ || reqs[i].nwords > DT_MAX_WORDS || reqs[i].slot >= DT_MAX_SLOTS ||
                reqs[i].npatch > DT_MAX_PATCH)
                die("bad request");
            first_patch[i] = npatch;
            if (npatch + reqs[i].npatch > cap_patch) {
                cap_patch = (npatch + reqs[i].npatch) * 2;
                patches = realloc(patches, cap_patch * sizeof *patches);
                if (patches == NULL)
                    die("out of memory");
            }
            for (uint32_t k = 0; k < reqs[i].npatch; k++)
                read_all(&patches[npatch++], sizeof *patches, NULL);
        }
        for (uint32_t i = 0; i < h.count; i++)
            run_one(&reqs[i], patches + first_patch[i]);
        free(first_patch);
        flush_out();
    }
}
