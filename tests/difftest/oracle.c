/*
 * oracle.c - drive the runner under qemu-aarch64 (protocol: dt_proto.h).
 *
 * One runner per worker process, started once.  A batch is written whole
 * (the runner reads it all before it answers, so neither side blocks on a
 * full pipe), then the replies are read back and each reply's changed
 * window runs are applied to the initial window to give the final one.
 */
#define _GNU_SOURCE
#include "oracle.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int oracle_start(Oracle *o, const char *qemu, const char *runner, char *err, size_t errlen)
{
    int in[2], out[2];
    /* Close-on-exec: qemu gets only its stdin and stdout (dup2 clears the flag). */
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execlp(qemu, qemu, runner, (char *)NULL);
        fprintf(stderr, "difftest: cannot run %s: %s\n", qemu, strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    o->pid = pid;
    o->to = in[1];
    o->from = out[0];
    return 0;
}

static int write_all(int fd, const void *buf, size_t n)
{
    const uint8_t *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t n)
{
    uint8_t *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

int oracle_run(Oracle *o, const DtCase *const *cases, size_t n, DtOutcome *out, char *err, size_t errlen)
{
    if (n > DT_MAX_SLOTS) {
        snprintf(err, errlen, "batch of %zu runs: at most %d", n, DT_MAX_SLOTS);
        return -1;
    }
    size_t cap = sizeof(DtBatchHeader) + n * sizeof(DtRequest), len = 0;
    for (size_t i = 0; i < n; i++)
        cap += cases[i]->npatch * sizeof(DtPatch);
    uint8_t *buf = malloc(cap);
    DtBatchHeader h = {DT_MAGIC_BATCH, (uint32_t)n};
    memcpy(buf, &h, sizeof h);
    len += sizeof h;
    for (size_t i = 0; i < n; i++) {
        const DtCase *c = cases[i];
        DtRequest rq;
        memset(&rq, 0, sizeof rq);
        rq.in = c->in;
        rq.magic = DT_MAGIC_REQ;
        rq.slot = (uint32_t)i;
        rq.nwords = c->nwords;
        rq.npatch = c->npatch;
        rq.mem_seed = c->mem_seed;
        memcpy(rq.words, c->words, 4 * c->nwords);
        memcpy(buf + len, &rq, sizeof rq);
        len += sizeof rq;
        memcpy(buf + len, c->patch, c->npatch * sizeof(DtPatch));
        len += c->npatch * sizeof(DtPatch);
    }
    int rc = write_all(o->to, buf, len);
    free(buf);
    if (rc != 0) {
        snprintf(err, errlen, "writing to the runner under qemu failed (did it die?)");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        DtReply rp;
        if (read_all(o->from, &rp, sizeof rp) != 0 || rp.magic != DT_MAGIC_REPLY) {
            snprintf(err, errlen, "bad or missing reply %zu from the runner under qemu", i);
            return -1;
        }
        DtOutcome *oc = &out[i];
        memset(oc, 0, sizeof *oc);
        oc->out = rp.out;
        oc->sig = rp.sig;
        oc->fault_idx = rp.fault_idx;
        dt_initial_window(cases[i], oc->window);
        for (uint32_t k = 0; k < rp.nruns; k++) {
            DtRun run;
            uint8_t bytes[DT_WINDOW_SIZE + 4];
            if (read_all(o->from, &run, sizeof run) != 0 || (size_t)run.off + run.len > DT_WINDOW_SIZE ||
                read_all(o->from, bytes, (run.len + 3u) & ~3u) != 0) {
                snprintf(err, errlen, "bad changed-bytes run in reply %zu", i);
                return -1;
            }
            memcpy(oc->window + run.off, bytes, run.len);
        }
    }
    return 0;
}

void oracle_stop(Oracle *o)
{
    if (o->pid <= 0)
        return;
    close(o->to);
    close(o->from);
    int st;
    while (waitpid(o->pid, &st, 0) < 0 && errno == EINTR)
        ;
    o->pid = 0;
}
