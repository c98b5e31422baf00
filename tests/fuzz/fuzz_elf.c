/*
 * fuzz_elf.c - libFuzzer target: the guest ELF reader and what reads the
 * file after it, on arbitrary bytes.
 *
 * The input is a whole guest file.  elf_load_mem must accept it or fail
 * with a message; when it loads, control-flow recovery runs on it as
 * dbt-aot would (cfg_recover: the section headers, .eh_frame and its
 * landing pads, the relocations and pointer scans, the jump tables), and
 * when the bytes mention a DWARF line table the guest line reader
 * (libdwarf) reads it too, from a memfd.  Any crash, leak, sanitizer
 * report or abort is a bug of the tool; an input it rejects is not.
 *
 * Odd-sized inputs recover with every function symbol as a root (as for
 * a library), even-sized ones from the entry point and the pointers only.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cfg.h"
#include "elf_input.h"
#include "guest_lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The memfd the line reader opens by its /proc path (one per process). */
static int lines_fd = -1;

static void read_lines(const uint8_t *data, size_t size, uint64_t bias)
{
    static const char tag[] = ".debug_line";
    if (memmem(data, size, tag, sizeof tag - 1) == NULL)
        return;   /* libdwarf's start-up costs more than the rest: only when it has work */
    if (lines_fd < 0)
        lines_fd = memfd_create("fuzz_elf", MFD_CLOEXEC);
    if (lines_fd < 0 || ftruncate(lines_fd, 0) != 0 || pwrite(lines_fd, data, size, 0) != (ssize_t)size)
        return;
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", lines_fd);
    GuestLines gl;
    Diag d = {0};
    if (guest_lines_read(&gl, path, bias, &d) == 0) {
        LiftLine ll;
        if (gl.nrows > 0)
            guest_lines_at(&gl, gl.rows[gl.nrows / 2].addr, &ll);
        guest_lines_free(&gl);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    GuestImage img;
    Diag d = {0};
    if (elf_load_mem(&img, data, size, &d) != 0)
        return 0;
    Cfg cfg;
    Diag cd = {0};
    if (cfg_recover(&cfg, &img, size % 2 == 1, false, &cd) == 0)
        cfg_free(&cfg);
    read_lines(data, size, img.bias);
    elf_free(&img);
    return 0;
}
