#!/usr/bin/env python3
"""asm_to_case.py - write lifter test cases in assembly, get case lines.

Reads lines of the form

    add x0, x1, x2 | x1=5 x2=7 | x0=?
    cmp x1, x2; cset w0, lt | x1=5 x2=7 | x0=? nzcv=?

(instructions separated by ';') and prints them as case lines, with the
instruction words assembled by aarch64-linux-gnu-as and the assembly kept as
the comment:

    8b020020 | x1=5 x2=7 | x0=?  # add x0, x1, x2

Lines starting with '#' and blank lines are copied unchanged.  Then run
fill_expected.py on the result.  Usage: asm_to_case.py [FILE] (default stdin).
"""

import os
import subprocess
import sys
import tempfile


def assemble(insns):
    """Assemble INSNS (one instruction each); their words."""
    as_ = os.environ.get("AARCH64_AS", "aarch64-linux-gnu-as")
    objcopy = os.environ.get("AARCH64_OBJCOPY", "aarch64-linux-gnu-objcopy")
    with tempfile.TemporaryDirectory(prefix="asm-to-case-") as d:
        src, obj, raw = (os.path.join(d, n) for n in ("a.s", "a.o", "a.bin"))
        with open(src, "w") as f:
            f.write("".join("    %s\n" % i for i in insns))
        try:
            subprocess.run([as_, "-march=armv8.6-a+crc+crypto+sve", "-o", obj, src], check=True)
            subprocess.run([objcopy, "-O", "binary", "-j", ".text", obj, raw], check=True)
        except subprocess.CalledProcessError:
            raise SystemExit("asm_to_case: the assembler failed (line N above is the Nth instruction)")
        data = open(raw, "rb").read()
    words = [int.from_bytes(data[i:i + 4], "little") for i in range(0, len(data), 4)]
    if len(words) != len(insns):
        raise SystemExit("asm_to_case: %d instructions gave %d words (a macro-instruction?)"
                         % (len(insns), len(words)))
    return words


def main():
    src = open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin
    lines = src.read().splitlines()
    cases, insns = [], []
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            cases.append((line, None))
            continue
        asm, bar, rest = line.partition("|")
        parts = [p.strip() for p in asm.split(";") if p.strip()]
        cases.append(((asm.strip(), rest), (len(insns), len(parts))))
        insns += parts
    words = assemble(insns) if insns else []
    for item, span in cases:
        if span is None:
            print(item)
            continue
        (asm, rest), (first, n) = item, span
        ws = " ; ".join("%08x" % w for w in words[first:first + n])
        print("%s |%s  # %s" % (ws, rest.rstrip(), "; ".join(p.strip() for p in asm.split(";"))))


if __name__ == "__main__":
    main()
