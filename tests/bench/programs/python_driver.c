/*
 * python_driver.c - a CPython 3.11 interpreter embedded in a static program,
 * for the translation benchmark (tests/bench/translate.sh).
 *
 *   python_driver ['PYTHON SOURCE']
 *
 * Built for AArch64 against Debian's static libpython3.11.a, it makes the
 * largest guest of the benchmark: the whole interpreter (compiler, eval
 * loop, object model, the built-in modules) is linked in.  It starts the
 * interpreter, runs the source given as argv[1] (or a default script:
 * loops, dicts, string operations, generators, a small class, big integers
 * and floats), which prints its results, and finalizes.
 *
 * The interpreter still reads its pure-Python start-up modules (encodings)
 * from PREFIX/lib/python3.11, PREFIX being $PYTHONHOME or else /usr; the
 * benchmark points PYTHONHOME at the arm64 sysroot.  Everything that could
 * make two runs differ is switched off: the string hash seed is fixed, site
 * is not imported, no user site directory, no .pyc files written.  So the
 * same binary under qemu-aarch64 and translated must print the same bytes.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>

static const char default_script[] =
    "import sys\n"
    "\n"
    "class Account:\n"
    "    __slots__ = ('name', 'balance', 'history')\n"
    "    def __init__(self, name):\n"
    "        self.name, self.balance, self.history = name, 0, []\n"
    "    def deposit(self, amount):\n"
    "        self.balance += amount\n"
    "        self.history.append(amount)\n"
    "    def __repr__(self):\n"
    "        return f'Account({self.name!r}, {self.balance}, {len(self.history)} ops)'\n"
    "\n"
    "def lcg(seed):\n"
    "    while True:\n"
    "        seed = (seed * 6364136223846793005 + 1442695040888963407) % 2**64\n"
    "        yield seed >> 33\n"
    "\n"
    "words = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu'.split()\n"
    "rng = lcg(42)\n"
    "accounts = {w: Account(w) for w in words}\n"
    "for i in range(20000):\n"
    "    r = next(rng)\n"
    "    accounts[words[r % len(words)]].deposit((r >> 8) % 1000 - 300)\n"
    "text = ' '.join(words[next(rng) % len(words)] for _ in range(5000))\n"
    "counts = {}\n"
    "for w in text.split():\n"
    "    counts[w] = counts.get(w, 0) + 1\n"
    "top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]\n"
    "print('python', '.'.join(map(str, sys.version_info[:3])))\n"
    "print('top words:', top)\n"
    "print('richest:', max(accounts.values(), key=lambda a: (a.balance, a.name)))\n"
    "print('total:', sum(a.balance for a in accounts.values()))\n"
    "print('text:', text[:48].upper().replace('A', '4').title())\n"
    "print('squares:', sum(1.0 / (k * k) for k in range(1, 20000)))\n"
    "print('factorial digits:', len(str(__import__('math').factorial(600))))\n"
    "print('format: {:>9.4f}|{:<6}|{:^7}|{:x}'.format(3.14159265, 'ab', 'mid', 3**40))\n";

int main(int argc, char **argv)
{
    const char *script = argc > 1 ? argv[1] : default_script;
    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    config.parse_argv = 0;
    config.site_import = 0;
    config.user_site_directory = 0;
    config.write_bytecode = 0;
    config.use_hash_seed = 1;
    config.hash_seed = 0;
    PyStatus st = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(st))
        Py_ExitStatusException(st);

    int rc = PyRun_SimpleString(script) == 0 ? 0 : 1;
    if (Py_FinalizeEx() < 0)
        rc = 120;
    fflush(stdout);
    return rc;
}
