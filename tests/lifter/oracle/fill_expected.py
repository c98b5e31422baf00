#!/usr/bin/env python3
"""fill_expected.py - expected outputs of lifter test cases, from qemu-aarch64.

The expected values in tests/lifter/cases/*.txt must come from an independent
Arm implementation, never from dbt-aot.  This script runs the cases under
qemu-aarch64 and writes what it reports into the case file:

    fill_expected.py cases/int_basic.txt           fill in every '?'
    fill_expected.py --all cases/int_basic.txt     recompute every listed value
    fill_expected.py --check cases/int_basic.txt   compare only; exit 1 on a
                                                   difference (the ctest)
    fill_expected.py -o OUT cases/int_basic.txt    write the result to OUT
    fill_expected.py --print-defaults              the initial state (must match
                                                   lifter_test --print-defaults)

What is filled in (format: tests/lifter/README.md):

    8b020020 | x1=5 x2=7 | x0=?            -> x0=0xc
    eb02003f | x1=5 x2=7 | nzcv=? x0=?     -> every listed item
    b9000020 | x1=0x10000000 x0=3 | mem[0x10000000:4]=?
                                           -> mem[0x10000000]=03000000
    8b020020 | x1=5 x2=7 | ?               (or an empty expected part)
        -> every x register, sp, V register and FPSR that changed, every
           changed run of scratch bytes, and always nzcv

A case that raises SIGILL gets trap=1 and one that raises SIGTRAP (BRK)
trap=2; the registers are then those the signal frame reports, i.e. the
state before the trapping instruction.

How: all cases of a run become one static AArch64 program.  Per case, a
generated assembly function saves the host-side state, loads FPCR, FPSR, NZCV, V0-V31,
SP and X0-X30 from the case's input block (default pattern plus the case's
inputs), executes the case's words (.inst), then parks X30 in TPIDR_EL0,
stores every register, NZCV, FPCR, FPSR and V0-V31 to an output block and
restores the host state.  The C driver maps the scratch area, initializes it,
runs each case (a signal handler on an alternate stack catches traps) and
prints the results; this script compiles it with aarch64-linux-gnu-gcc
-static and runs it under qemu-aarch64.

Branches inside a case may target another word of the case or the end of it
(the word after the last one).  Not supported: branches out of a case, calls,
system calls, and results that depend on where the code or the process is
(ADR, ADRP, LDR literal, MRS of TPIDR_EL0 or counters).

Standard library only.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

# --- shared with tests/lifter/case_file.c: keep them in step ----------------
SCRATCH_BASE = 0x10000000
SCRATCH_SIZE = 0x10000
PATTERN = 0x1111111111111111
M64 = (1 << 64) - 1
MAX_MEM_BYTES = 64


def default_state():
    """The initial state of every case before its inputs (case_file.c)."""
    return {
        "x": [(PATTERN * (n + 1)) & M64 for n in range(31)],
        "sp": SCRATCH_BASE + SCRATCH_SIZE // 2,
        "nzcv": 0,
        "fpcr": 0,
        "fpsr": 0,
        "v": [((PATTERN * (n + 64)) & M64) << 64 | ((PATTERN * (n + 32)) & M64) for n in range(32)],
    }


def scratch_byte(addr):
    return (((addr - SCRATCH_BASE) * 0x9E3779B1) & 0xFFFFFFFF) >> 24


# --- values and names --------------------------------------------------------
WIDTH = {"x": 64, "sp": 64, "d": 64, "fpcr": 32, "fpsr": 32, "s": 32, "nzcv": 4, "trap": 8}


class CaseError(Exception):
    pass


def parse_num(text, width):
    """Decimal, -decimal, 0x hex or 0b binary, '_' ignored (as case_file.c)."""
    t = text.replace("_", "")
    neg = t.startswith("-")
    if neg:
        t = t[1:]
    base = 10
    if t[:2].lower() == "0x":
        base, t = 16, t[2:]
    elif t[:2].lower() == "0b":
        base, t = 2, t[2:]
    if not t or not re.fullmatch(r"[0-9a-fA-F]+", t):
        raise CaseError("bad number '%s'" % text)
    v = int(t, base)
    mask = (1 << width) - 1
    if neg:
        if v > (1 << (width - 1) if width < 64 else mask):
            raise CaseError("'%s' does not fit in %d bits" % (text, width))
        return (-v) & mask
    if v > mask:
        raise CaseError("'%s' does not fit in %d bits" % (text, width))
    return v


def parse_hex128(text):
    t = text.replace("_", "")
    if t[:2].lower() == "0x":
        t = t[2:]
    if not re.fullmatch(r"[0-9a-fA-F]{1,32}", t):
        raise CaseError("bad 128-bit value '%s' (up to 32 hex digits)" % text)
    return int(t, 16)


def parse_name(name):
    """'x3' -> ('x', 3), 'q1' -> ('v', 1), 'nzcv' -> ('nzcv', 0)."""
    if name in ("sp", "nzcv", "fpcr", "fpsr", "trap"):
        return name, 0
    m = re.fullmatch(r"([xvqds])(0|[1-9][0-9]?)", name)
    if not m:
        raise CaseError("unknown register '%s'" % name)
    kind, idx = m.group(1), int(m.group(2))
    kind = "v" if kind == "q" else kind
    if idx > (30 if kind == "x" else 31):
        raise CaseError("unknown register '%s'" % name)
    return kind, idx


def fmt_value(kind, v):
    """As case_format_value in case_file.c."""
    if kind == "nzcv":
        return "0b{:04b}".format(v)
    if kind == "v":
        return "0x{:016x}_{:016x}".format(v >> 64, v & M64)
    if kind == "trap":
        return str(v)
    return "0x{:x}".format(v)


def item_name(kind, idx):
    return kind + str(idx) if kind in ("x", "v", "d", "s") else kind


def parse_mem(tok):
    """mem[ADDR]=hexbytes or mem[ADDR:LEN]=? -> (addr, len, bytes or None)."""
    m = re.fullmatch(r"mem\[([^]:]+)(?::([^]]+))?\]=(\S+)", tok)
    if not m:
        raise CaseError("bad memory item '%s'" % tok)
    addr = parse_num(m.group(1), 64)
    if m.group(3) == "?":
        if m.group(2) is None:
            raise CaseError("'%s': say how many bytes: mem[0xADDR:LEN]=?" % tok)
        n, data = parse_num(m.group(2), 16), None
    else:
        if m.group(2) is not None:
            raise CaseError("'%s': a length only goes with '?'" % tok)
        h = m.group(3).replace("_", "")
        if not re.fullmatch(r"([0-9a-fA-F]{2})+", h):
            raise CaseError("bad bytes in '%s'" % tok)
        data = bytes.fromhex(h)
        n = len(data)
    if n < 1 or n > MAX_MEM_BYTES:
        raise CaseError("'%s': 1 to %d bytes" % (tok, MAX_MEM_BYTES))
    if addr < SCRATCH_BASE or addr + n > SCRATCH_BASE + SCRATCH_SIZE:
        raise CaseError("'%s' is outside the scratch area 0x%x+0x%x" % (tok, SCRATCH_BASE, SCRATCH_SIZE))
    return addr, n, data


class Case:
    """One case line: words, inputs, and the outputs to fill in."""

    def __init__(self, path, lineno, line):
        self.path, self.lineno = path, lineno
        body, hash_, comment = line.rstrip("\r\n").partition("#")
        self.comment = hash_ + comment
        parts = body.split("|")
        if len(parts) not in (2, 3):
            raise CaseError("want 'words | inputs | outputs'")
        if len(parts) == 2:
            parts.append("")
        self.raw_words, self.raw_inputs, raw_out = parts
        self.words = []
        for w in re.split(r"[;\s]+", self.raw_words.strip()):
            h = w[2:] if w[:2].lower() == "0x" else w
            if not re.fullmatch(r"[0-9a-fA-F]{1,8}", h):
                raise CaseError("bad instruction word '%s'" % w)
            self.words.append(int(h, 16))
        self.check_branches()
        self.state = default_state()
        self.mem_in = []
        for tok in self.raw_inputs.split():
            if tok.startswith("mem["):
                addr, n, data = parse_mem(tok)
                if data is None:
                    raise CaseError("'?' in an input")
                self.mem_in.append((addr, data))
                continue
            name, eq, val = tok.partition("=")
            kind, idx = parse_name(name)
            if not eq or kind == "trap":
                raise CaseError("bad input '%s'" % tok)
            self.set_input(kind, idx, val)
        out = raw_out.strip()
        self.auto = out in ("", "?")
        self.outs = []  # [kind, idx, value or None]; kind 'mem': idx = (addr, len)
        if not self.auto:
            for tok in out.split():
                if tok.startswith("mem["):
                    addr, n, data = parse_mem(tok)
                    self.outs.append(["mem", (addr, n), data])
                    continue
                name, eq, val = tok.partition("=")
                if not eq:
                    raise CaseError("bad output '%s'" % tok)
                kind, idx = parse_name(name)
                if val == "?":
                    value = None
                elif kind == "v":
                    value = parse_hex128(val)
                else:
                    value = parse_num(val, WIDTH[kind])
                self.outs.append([kind, idx, value])

    def where(self):
        return "%s:%d" % (self.path, self.lineno)

    def check_branches(self):
        """Branch targets must stay inside the case (0 .. len(words))."""
        for i, w in enumerate(self.words):
            if w & 0x7C000000 == 0x14000000:          # B, BL
                off, bits = w & 0x3FFFFFF, 26
                if w >> 31:
                    raise CaseError("BL is not supported")
            elif w & 0xFF000010 == 0x54000000 or w & 0x7E000000 == 0x34000000:  # B.cond, CB(N)Z
                off, bits = (w >> 5) & 0x7FFFF, 19
            elif w & 0x7E000000 == 0x36000000:        # TB(N)Z
                off, bits = (w >> 5) & 0x3FFF, 14
            else:
                continue
            if off >> (bits - 1):
                off -= 1 << bits
            if not 0 <= i + off <= len(self.words):
                raise CaseError("word %d branches out of the case" % i)

    def set_input(self, kind, idx, val):
        s = self.state
        if kind == "v":
            s["v"][idx] = parse_hex128(val)
        elif kind in ("d", "s"):
            s["v"][idx] = parse_num(val, WIDTH[kind])  # the rest of the register is zeroed
        elif kind == "x":
            s["x"][idx] = parse_num(val, 64)
        else:
            s[kind] = parse_num(val, WIDTH[kind])

    def mem_requests(self):
        return [o[1] for o in self.outs if o[0] == "mem"]


# --- the generated AArch64 program --------------------------------------------
# struct Regs: x[31] @0, sp @248, nzcv @256 (as in the register, bits 31:28),
# fpcr @264, fpsr @268, v[32] @272 (16 bytes each, little endian); 784 bytes.

def case_prologue(n):
    """Save the host state, load the case's inputs from *x0 (struct Regs)."""
    a = ["    .text", "    .p2align 4", "    .global case_%d" % n, "    .type case_%d, %%function" % n,
         "case_%d:" % n,
         "    stp x29, x30, [sp, #-176]!", "    mov x29, sp"]
    a += ["    stp x%d, x%d, [sp, #%d]" % (r, r + 1, 16 + 8 * (r - 19)) for r in range(19, 29, 2)]
    a += ["    stp d%d, d%d, [sp, #%d]" % (r, r + 1, 96 + 8 * (r - 8)) for r in range(8, 16, 2)]
    a += ["    adrp x9, g_saved", "    add x9, x9, :lo12:g_saved", "    mov x10, sp", "    str x10, [x9]",
          "    mrs x10, tpidr_el0", "    str x10, [x9, #8]",
          "    mov x30, x0",
          "    ldr w0, [x30, #264]", "    msr fpcr, x0",
          "    ldr w0, [x30, #268]", "    msr fpsr, x0",
          "    ldr x0, [x30, #256]", "    msr nzcv, x0"]
    a += ["    ldp q%d, q%d, [x30, #%d]" % (r, r + 1, 272 + 16 * r) for r in range(0, 32, 2)]
    a += ["    ldr x0, [x30, #248]", "    mov sp, x0"]
    a += ["    ldp x%d, x%d, [x30, #%d]" % (r, r + 1, 8 * r) for r in range(0, 30, 2)]
    a += ["    ldr x30, [x30, #240]", "    .global case_%d_insn" % n, "case_%d_insn:" % n]
    return a


def case_epilogue():
    """Park x30 in TPIDR_EL0, store the state to *g_out, restore the host state."""
    a = ["    msr tpidr_el0, x30", "    adrp x30, g_out", "    ldr x30, [x30, :lo12:g_out]"]
    a += ["    stp x%d, x%d, [x30, #%d]" % (r, r + 1, 8 * r) for r in range(0, 30, 2)]
    a += ["    mrs x0, tpidr_el0", "    str x0, [x30, #240]",
          "    mov x0, sp", "    str x0, [x30, #248]",
          "    mrs x0, nzcv", "    str x0, [x30, #256]",
          "    mrs x0, fpcr", "    str w0, [x30, #264]",
          "    mrs x0, fpsr", "    str w0, [x30, #268]"]
    a += ["    stp q%d, q%d, [x30, #%d]" % (r, r + 1, 272 + 16 * r) for r in range(0, 32, 2)]
    a += ["    adrp x9, g_saved", "    add x9, x9, :lo12:g_saved", "    ldr x10, [x9]", "    mov sp, x10",
          "    ldr x10, [x9, #8]", "    msr tpidr_el0, x10", "    msr fpcr, xzr"]
    a += ["    ldp d%d, d%d, [sp, #%d]" % (r, r + 1, 96 + 8 * (r - 8)) for r in range(14, 7, -2)]
    a += ["    ldp x%d, x%d, [sp, #%d]" % (r, r + 1, 16 + 8 * (r - 19)) for r in range(27, 18, -2)]
    a += ["    ldp x29, x30, [sp], #176", "    ret"]
    return a


DRIVER = r"""
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#define SCRATCH_BASE 0x%(base)xul
#define SCRATCH_SIZE 0x%(size)xul
#define NCASES %(ncases)d

struct Regs {
    uint64_t x[31], sp, nzcv;
    uint32_t fpcr, fpsr;
    _Alignas(16) uint64_t v[64]; /* lo, hi per register */
};
_Static_assert(offsetof(struct Regs, sp) == 248, "sp");
_Static_assert(offsetof(struct Regs, fpcr) == 264, "fpcr");
_Static_assert(offsetof(struct Regs, v) == 272, "v");
struct Span { int c; uint64_t addr; size_t len, off; };

%(decls)s

struct Regs *g_out;         /* used by CASE_END */
uint64_t g_saved[2];        /* host sp and tpidr_el0, used by the cases */
static sigjmp_buf g_jb;
static int g_sig;
static uint64_t g_pc;

/* A signal frame's FP/SIMD record (the kernel's struct fpsimd_context). */
struct fpsimd_rec { uint32_t magic, size, fpsr, fpcr; _Alignas(16) uint64_t v[64]; };

static void on_signal(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    for (int i = 0; i < 31; i++)
        g_out->x[i] = uc->uc_mcontext.regs[i];
    g_out->sp = uc->uc_mcontext.sp;
    g_out->nzcv = uc->uc_mcontext.pstate & 0xf0000000u;
    for (size_t off = 0; off + 8 <= sizeof uc->uc_mcontext.__reserved;) {
        struct fpsimd_rec *r = (void *)&uc->uc_mcontext.__reserved[off];
        if (r->magic == 0 || r->size == 0)
            break;
        if (r->magic == 0x46508001u) {
            g_out->fpsr = r->fpsr;
            g_out->fpcr = r->fpcr;
            memcpy(g_out->v, r->v, sizeof g_out->v);
        }
        off += r->size;
    }
    g_sig = sig;
    g_pc = uc->uc_mcontext.pc;
    siglongjmp(g_jb, 1);
}

static void hexbytes(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%%02x", p[i]);
}

int main(void)
{
    uint8_t *mem = mmap((void *)SCRATCH_BASE, SCRATCH_SIZE, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (mem != (uint8_t *)SCRATCH_BASE) {
        perror("oracle: mmap scratch");
        return 2;
    }
    static uint8_t altstack[1 << 16];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    sigaltstack(&ss, NULL);
    struct sigaction sa = {.sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_ONSTACK};
    int sigs[] = {SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
    static uint8_t initial[SCRATCH_SIZE];
    for (int c = 0; c < NCASES; c++) {
        for (size_t i = 0; i < SCRATCH_SIZE; i++)
            mem[i] = (uint8_t)((uint32_t)(i * 0x9e3779b1u) >> 24);
        for (size_t k = 0; k < sizeof mem_in / sizeof mem_in[0]; k++)
            if (mem_in[k].c == c)
                memcpy(mem + (mem_in[k].addr - SCRATCH_BASE), mem_bytes + mem_in[k].off, mem_in[k].len);
        memcpy(initial, mem, SCRATCH_SIZE);
        static struct Regs out;
        memset(&out, 0, sizeof out);
        g_out = &out;
        g_sig = 0;
        g_pc = 0;
        if (sigsetjmp(g_jb, 1) == 0)
            case_fn[c](&case_in[c]);
        __asm__ volatile("msr fpcr, xzr");
        long idx = g_sig ? (long)(g_pc - (uint64_t)case_insn[c]) / 4 : -1;
        printf("R %%d %%d %%ld", c, g_sig, idx);
        for (int i = 0; i < 31; i++)
            printf(" %%llx", (unsigned long long)out.x[i]);
        printf(" %%llx %%llx %%x %%x", (unsigned long long)out.sp, (unsigned long long)(out.nzcv >> 28),
               out.fpcr, out.fpsr);
        for (int i = 0; i < 32; i++)
            printf(" %%016llx%%016llx", (unsigned long long)out.v[2 * i + 1], (unsigned long long)out.v[2 * i]);
        printf("\n");
        for (size_t k = 0; k < sizeof mem_dump / sizeof mem_dump[0]; k++)
            if (mem_dump[k].c == c) {
                printf("M %%d %%llx ", c, (unsigned long long)mem_dump[k].addr);
                hexbytes(mem + (mem_dump[k].addr - SCRATCH_BASE), mem_dump[k].len);
                printf("\n");
            }
        for (size_t i = 0; i < SCRATCH_SIZE;) {
            if (mem[i] == initial[i]) {
                i++;
                continue;
            }
            size_t j = i;
            while (j < SCRATCH_SIZE && j - i < %(maxmem)d && mem[j] != initial[j])
                j++;
            printf("C %%d %%llx ", c, (unsigned long long)(SCRATCH_BASE + i));
            hexbytes(mem + i, j - i);
            printf("\n");
            i = j;
        }
    }
    return 0;
}
"""


def c_array(vals, fmt="0x%x"):
    return ", ".join(fmt % v for v in vals) if vals else "0"


def generate(cases, workdir):
    """Write oracle.S and driver.c for CASES into WORKDIR."""
    asm = []
    for n, c in enumerate(cases):
        asm += case_prologue(n)
        asm += ["    .inst 0x%08x" % w for w in c.words]
        asm += case_epilogue()
    with open(os.path.join(workdir, "oracle.S"), "w") as f:
        f.write("\n".join(asm) + "\n    .section .note.GNU-stack,\"\",%progbits\n")

    decls = []
    decls.append("typedef void (*CaseFn)(const struct Regs *);")
    decls.append("\n".join("void case_%d(const struct Regs *); extern const char case_%d_insn[];" % (n, n)
                           for n in range(len(cases))))
    decls.append("static const CaseFn case_fn[] = {%s};" % ", ".join("case_%d" % n for n in range(len(cases))))
    decls.append("static const char *const case_insn[] = {%s};"
                 % ", ".join("case_%d_insn" % n for n in range(len(cases))))
    regs = []
    for c in cases:
        s = c.state
        v = []
        for q in s["v"]:
            v += [q & M64, q >> 64]
        regs.append("  {{%s}, 0x%x, 0x%x, 0x%x, 0x%x, {%s}}" % (
            c_array(s["x"], "0x%xull"), s["sp"], s["nzcv"] << 28, s["fpcr"], s["fpsr"], c_array(v, "0x%xull")))
    decls.append("static const struct Regs case_in[] = {\n%s\n};" % ",\n".join(regs))
    mem_bytes, mem_in, mem_dump = [], [], []
    for n, c in enumerate(cases):
        for addr, data in c.mem_in:
            mem_in.append("{%d, 0x%x, %d, %d}" % (n, addr, len(data), len(mem_bytes)))
            mem_bytes.extend(data)
        for addr, ln in c.mem_requests():
            mem_dump.append("{%d, 0x%x, %d, 0}" % (n, addr, ln))
    decls.append("static const uint8_t mem_bytes[] = {%s};" % c_array(mem_bytes))
    decls.append("static const struct Span mem_in[] = {%s};" % (", ".join(mem_in) or "{-1, 0, 0, 0}"))
    decls.append("static const struct Span mem_dump[] = {%s};" % (", ".join(mem_dump) or "{-1, 0, 0, 0}"))
    with open(os.path.join(workdir, "driver.c"), "w") as f:
        f.write(DRIVER % {"base": SCRATCH_BASE, "size": SCRATCH_SIZE, "ncases": len(cases),
                          "decls": "\n".join(decls), "maxmem": MAX_MEM_BYTES})


def run_oracle(cases, keep=None):
    """Run CASES under qemu-aarch64; a result dict per case."""
    cc = os.environ.get("AARCH64_CC", "aarch64-linux-gnu-gcc")
    qemu = os.environ.get("QEMU_AARCH64", "qemu-aarch64")
    with tempfile.TemporaryDirectory(prefix="lifter-oracle-") as tmp:
        workdir = keep or tmp
        os.makedirs(workdir, exist_ok=True)
        generate(cases, workdir)
        exe = os.path.join(workdir, "oracle")
        subprocess.run([cc, "-static", "-O1", "-o", exe, os.path.join(workdir, "driver.c"),
                        os.path.join(workdir, "oracle.S")], check=True)
        # qemu's default CPU model in user mode ("max") implements more than
        # ARMv8.0; set QEMU_CPU (qemu reads it) to run the cases on another.
        proc = subprocess.run([qemu, exe], check=True, stdout=subprocess.PIPE, text=True)
    results = [{"mem": {}, "changed": []} for _ in cases]
    for line in proc.stdout.splitlines():
        f = line.split()
        if f[0] == "R":
            r = results[int(f[1])]
            r["sig"], r["idx"] = int(f[2]), int(f[3])
            vals = [int(t, 16) for t in f[4:]]
            r["x"], r["sp"], r["nzcv"], r["fpcr"], r["fpsr"] = vals[:31], vals[31], vals[32], vals[33], vals[34]
            r["v"] = vals[35:67]
        elif f[0] in ("M", "C"):
            r = results[int(f[1])]
            data = bytes.fromhex(f[3]) if len(f) > 3 else b""
            if f[0] == "M":
                r["mem"][(int(f[2], 16), len(data))] = data
            else:
                r["changed"].append((int(f[2], 16), data))
    return results


SIG_TRAP = {4: 1, 5: 2}  # SIGILL -> TRAP_UNDEF, SIGTRAP -> TRAP_BRK (cpu_state.h)


def oracle_value(res, kind, idx):
    if kind == "x":
        return res["x"][idx]
    if kind == "v":
        return res["v"][idx]
    if kind == "d":
        return res["v"][idx] & M64
    if kind == "s":
        return res["v"][idx] & 0xFFFFFFFF
    if kind == "trap":
        return SIG_TRAP.get(res["sig"], 0)
    if kind == "mem":
        return res["mem"][idx]
    return res[kind]


def check_signal(case, res):
    sig = res["sig"]
    if sig == 0:
        return
    if sig not in SIG_TRAP:
        raise CaseError("the case dies with signal %d under qemu (memory outside the scratch area?)" % sig)
    if not 0 <= res["idx"] < len(case.words):
        raise CaseError("signal %d outside the case's words" % sig)


def filled_outputs(case, res, recompute):
    """The case's outputs as [kind, idx, value], values filled in."""
    if case.auto:
        s = case.state
        outs = [["x", i, v] for i, v in enumerate(res["x"]) if v != s["x"][i]]
        if res["sp"] != s["sp"]:
            outs.append(["sp", 0, res["sp"]])
        outs.append(["nzcv", 0, res["nzcv"]])
        outs += [[k, 0, res[k]] for k in ("fpcr", "fpsr") if res[k] != s[k]]
        outs += [["v", i, v] for i, v in enumerate(res["v"]) if v != s["v"][i]]
        outs += [["mem", (addr, len(data)), data] for addr, data in merge_runs(case, res["changed"])]
    else:
        outs = [[k, i, oracle_value(res, k, i) if (v is None or recompute) else v]
                for k, i, v in case.outs]
    if res["sig"] and not any(o[0] == "trap" for o in outs):
        outs.append(["trap", 0, SIG_TRAP[res["sig"]]])
    return outs


def merge_runs(case, runs, gap=8):
    """Join changed runs less than GAP bytes apart (a store of a byte that
    happens to equal the old one would split them), up to MAX_MEM_BYTES."""
    def initial(addr):
        for a, data in reversed(case.mem_in):
            if a <= addr < a + len(data):
                return data[addr - a]
        return scratch_byte(addr)

    merged = []
    for addr, data in runs:
        if merged:
            last_addr, last = merged[-1]
            between = addr - (last_addr + len(last))
            if between < gap and len(last) + between + len(data) <= MAX_MEM_BYTES:
                fill = bytes(initial(a) for a in range(last_addr + len(last), addr))
                merged[-1] = (last_addr, last + fill + data)
                continue
        merged.append((addr, data))
    return merged


def fmt_outputs(outs):
    toks = []
    for kind, idx, v in outs:
        if kind == "mem":
            toks.append("mem[0x%x]=%s" % (idx[0], v.hex()))
        else:
            toks.append("%s=%s" % (item_name(kind, idx), fmt_value(kind, v)))
    return " ".join(toks)


def read_cases(paths, select):
    """Parse every case of PATHS; SELECT(case) says whether the oracle runs it."""
    files, cases, errors = {}, [], []
    for p in paths:
        with open(p) as f:
            lines = f.readlines()
        files[p] = lines
        for n, line in enumerate(lines, 1):
            body = line.split("#", 1)[0].strip()
            if not body:
                continue
            try:
                c = Case(p, n, line)
            except CaseError as e:
                errors.append("%s:%d: %s" % (p, n, e))
                continue
            if select(c):
                cases.append(c)
    return files, cases, errors


def needs_fill(c):
    return c.auto or any(v is None for _, _, v in c.outs)


def print_defaults():
    """The same text as lifter_test --print-defaults."""
    s = default_state()
    for i, v in enumerate(s["x"]):
        print("x%d=%s" % (i, fmt_value("x", v)))
    for k in ("sp", "nzcv", "fpcr", "fpsr"):
        print("%s=%s" % (k, fmt_value(k, s[k])))
    for i, v in enumerate(s["v"]):
        print("v%d=%s" % (i, fmt_value("v", v)))
    for off in (0, 0x100, 0x8000, SCRATCH_SIZE - 16):
        a = SCRATCH_BASE + off
        print("mem[0x%x]=%s" % (a, bytes(scratch_byte(a + i) for i in range(16)).hex()))


def main():
    ap = argparse.ArgumentParser(description="Fill in lifter test expectations from qemu-aarch64.")
    ap.add_argument("files", nargs="*", help="case files")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--all", action="store_true", help="recompute every listed expected value")
    mode.add_argument("--check", action="store_true", help="compare with qemu; change nothing")
    ap.add_argument("-o", "--output", help="write the (single) result file here instead of in place")
    ap.add_argument("--keep", metavar="DIR", help="keep the generated program in DIR")
    ap.add_argument("--print-defaults", action="store_true", help="print the initial state and exit")
    args = ap.parse_args()
    if args.print_defaults:
        print_defaults()
        return 0
    if not args.files:
        ap.error("no case files")
    if args.output and len(args.files) != 1:
        ap.error("-o takes one case file")

    recompute = args.all or args.check
    files, cases, errors = read_cases(args.files, (lambda c: True) if recompute else needs_fill)
    if args.check:
        errors += ["%s: not filled in" % c.where() for c in cases if needs_fill(c)]
    for e in errors:
        print("fill_expected: " + e, file=sys.stderr)
    if errors:
        return 1
    results = run_oracle(cases, args.keep) if cases else []

    new_lines = {p: list(ls) for p, ls in files.items()}
    mismatches = 0
    for c, res in zip(cases, results):
        try:
            check_signal(c, res)
            outs = filled_outputs(c, res, recompute)
        except (CaseError, KeyError) as e:
            print("fill_expected: %s: %s" % (c.where(), e), file=sys.stderr)
            mismatches += 1
            continue
        if args.check:
            listed = {(k, i): v for k, i, v in c.outs}
            for k, i, v in outs:
                if listed.get((k, i)) != v:
                    old = listed.get((k, i))
                    name = "mem[0x%x]" % i[0] if k == "mem" else item_name(k, i)
                    show = (lambda x: "(not listed)" if x is None else
                            (x.hex() if k == "mem" else fmt_value(k, x)))
                    print("%s: %s: the file says %s, qemu says %s" % (c.where(), name, show(old), show(v)))
                    mismatches += 1
            continue
        line = "%s|%s| %s" % (c.raw_words, c.raw_inputs, fmt_outputs(outs))
        if c.comment:
            line += "  " + c.comment
        new_lines[c.path][c.lineno - 1] = line + "\n"

    if args.check:
        print("%d case(s) checked against qemu-aarch64, %d difference(s)" % (len(cases), mismatches))
        return 1 if mismatches else 0
    for p, lines in new_lines.items():
        with open(args.output or p, "w") as f:
            f.writelines(lines)
    print("fill_expected: %d case(s) run under qemu-aarch64" % len(cases), file=sys.stderr)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
