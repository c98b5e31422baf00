#!/usr/bin/env python3
"""Sum LLVM's -time-passes reports over all units of a translation.

    DBT_LLVM_ARGS=-time-passes dbt-aot -j1 IN -o OUT 2> passes.txt
    scripts/sum-time-passes.py passes.txt [N]

dbt-aot compiles each unit of translation separately, and LLVM prints a
timing report per unit (IR passes, analyses, then the code generator's
passes), numbering repeated names "Name #2", "Name #3"...  This adds the
user times of every row with the same name, numbers dropped, and prints
the N largest (default 30) with their share of the total.  Some rows are
timers nested inside others ("Global Splitting", "Evict" and "Spiller"
inside the greedy register allocator; "DAG Combining", "Instruction
Selection", "Instruction Scheduling" inside "X86 DAG->DAG Instruction
Selection"), so the shares add up to more than 100%; they are marked.
"""
import re
import sys
from collections import Counter

ROW = re.compile(r'^\s+([\d.]+) \(\s*[\d.]+%\)(?:\s+[\d.]+ \(\s*[\d.]+%\)){3}\s+(.*\S)\s*$')
NESTED = ('Global Splitting', 'Evict', 'Spiller', 'Seed Live Regs', 'Local Splitting', 'Region Splitting',
          'DAG Combining', 'Instruction Selection', 'Instruction Scheduling', 'Instruction Creation',
          'DAG Legalization', 'Type Legalization', 'Vector Legalization')


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    times = Counter()
    with open(sys.argv[1], errors='replace') as f:
        for line in f:
            m = ROW.match(line)
            if m and m.group(2) != 'Total':
                times[re.sub(r' #\d+$', '', m.group(2))] += float(m.group(1))
    outer = sum(t for name, t in times.items() if not name.startswith(NESTED))
    print(f'{outer:9.2f} s  user time of the outermost passes')
    for name, t in times.most_common(top):
        nested = ' (nested)' if name.startswith(NESTED) else ''
        print(f'{t:9.2f} s {100 * t / outer if outer else 0:5.1f}%  {name}{nested}')


if __name__ == '__main__':
    main()
