# python_workload.py - the script tests/bench/workloads.sh runs in
# programs/python_driver.c (its argv[1] is "scale = N" and then this file).
# Function calls, a class with __slots__, dicts, str formatting and
# methods, sorting with key functions, generators, big integers and floats;
# its random numbers come from a 64-bit LCG, and it prints nothing in an
# order that the hash seed could change, so the output depends only on
# scale.  Only built-in modules: the guest's stdlib is the sysroot's
# libpython3.11-minimal.
import math
import sys

try:
    scale
except NameError:
    scale = 1


def lcg(seed):
    while True:
        seed = (seed * 6364136223846793005 + 1442695040888963407) % 2**64
        yield seed >> 33


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


class Account:
    __slots__ = ('name', 'balance', 'history')

    def __init__(self, name):
        self.name, self.balance, self.history = name, 0, []

    def deposit(self, amount):
        self.balance += amount
        self.history.append(amount)

    def __repr__(self):
        return f'Account({self.name!r}, {self.balance}, {len(self.history)} ops)'


words = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu'.split()
rng = lcg(42)
print('python', '.'.join(map(str, sys.version_info[:3])), 'scale', scale)

# Calls.
print('fib:', sum(fib(18 + i % 3) for i in range(scale)), fib(22))

# Objects and dicts.
accounts = {w: Account(w) for w in words}
for i in range(40000 * scale):
    r = next(rng)
    accounts[words[r % len(words)]].deposit((r >> 8) % 1000 - 300)
print('richest:', max(accounts.values(), key=lambda a: (a.balance, a.name)))
print('total:', sum(a.balance for a in accounts.values()))

# Strings.
text = ' '.join(words[next(rng) % len(words)] for _ in range(20000 * scale))
counts = {}
for w in text.split():
    counts[w] = counts.get(w, 0) + 1
print('top words:', sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:4])
lines = ['{:06d}|{:<8}|{:>10.3f}|{:x}'.format(i, words[i % 12], i / 7.0, i * 2654435761)
         for i in range(10000 * scale)]
joined = '\n'.join(lines)
print('format:', len(joined), joined.count('|a'), lines[-1], joined.upper().replace('A', '4')[-24:])

# Sorting.
records = [(next(rng) % 100000, words[next(rng) % 12], i) for i in range(30000 * scale)]
records.sort(key=lambda t: (t[0], t[1]))
h = 0
for _, _, i in records:
    h = (h * 31 + i) & 0xffffffff
print('sort:', len(records), records[0], records[-1], f'{h:08x}')

# Numbers.
print('squares:', sum(1.0 / (k * k) for k in range(1, 20000 * scale)))
# str() of an int stops at 4300 digits (sys.int_info.default_max_str_digits).
print('factorial:', len(str(math.factorial(1000))), math.factorial(300 * scale).bit_length())
print('powers:', pow(3, 10**4 * scale, 2**521 - 1) % 10**12)
