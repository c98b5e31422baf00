/*
 * main.c - the dbt-aot command line.
 *
 *     dbt-aot [options] in.elf -o out.elf
 *
 * Exit status: 0 success, 1 error (one "dbt-aot: error: ..." line), 2 usage.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Core.h>

#include "bind_table.h"
#include "codegen.h"
#include "objcache.h"
#include "translate.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: dbt-aot [options] INPUT -o OUTPUT\n"
            "Translate a Linux AArch64 executable into a Linux x86-64 executable.\n"
            "\n"
            "Options:\n"
            "  -o FILE            write the translated executable to FILE (required)\n"
            "  -O0, -O1, -O2, -O3 optimization level (default -O2).  Hot code - functions\n"
            "                     with a loop or of at most 64 instructions, or those a\n"
            "                     --profile saw run - gets the level's pipeline (above\n"
            "                     8,192 instructions with registers in memory); cold code\n"
            "                     the cheapest one (registers in memory, fast code\n"
            "                     generation).  -O0: everything cheapest; -O3: LLVM's\n"
            "                     default<O3>, nothing cheap\n"
            "  --profile=FILE     hot code is what this profile saw run: FILE written by\n"
            "                     a translated run with DBT_PROFILE=FILE in its environment\n"
            "  --march=LEVEL      x86-64 level the output needs: x86-64, x86-64-v2,\n"
            "                     x86-64-v3 (default), x86-64-v4; the output refuses\n"
            "                     to start on a CPU without it\n"
            "  --sysroot=DIR      a dynamically linked program's AArch64 root file system:\n"
            "                     its interpreter and DT_NEEDED libraries are read from\n"
            "                     there, translated and embedded in the output\n"
            "  --recorded=FILE    also translate the libraries a run of an earlier\n"
            "                     translation opened through DBT_SYSROOT (recorded\n"
            "                     with DBT_RECORD=FILE: what it dlopened)\n"
            "  --cache=DIR        where translated libraries are kept between runs\n"
            "                     (default $DBT_AOT_CACHE, else ~/.cache/dbt-aot;\n"
            "                     'off': none); a library translated before with the\n"
            "                     same options is not translated again\n"
            "  --cache-info       list the cache's entries and exit\n"
            "  --shared-libs=DIR  put each translated library in a shared object of its\n"
            "                     own in DIR (named by content, options and translator,\n"
            "                     reused by every program translated with the same DIR)\n"
            "                     instead of embedding it: small outputs that need DIR\n"
            "                     at the same absolute path when they run\n"
            "  --bind=SPEC        which guest library functions may run as the host's own\n"
            "                     code (docs/bindings.md): comma-separated items applied\n"
            "                     to the default (all but qsort and bsearch): all,\n"
            "                     none, libc, zlib, memcpy, ...; -ITEM turns one off\n"
            "                     (--bind=-memcpy, --bind=none,strlen, --bind=+qsort).\n"
            "                     At run time DBT_BIND=SPEC switches the bound ones\n"
            "                     off and on\n"
            "  --keep-flags       store the flags N Z C V at every call and return, as if\n"
            "                     any caller or callee could read them (by default an\n"
            "                     analysis of the guest code leaves them out where none\n"
            "                     can, assuming functions are entered only through\n"
            "                     addresses the recovery sees: docs/architecture.md)\n"
            "  --all-functions    translate every function symbol, not only the code\n"
            "                     reachable from the entry point and address-taken functions\n"
            "  --emit-llvm=FILE   also write the optimized LLVM IR to FILE.0, FILE.1, ...\n"
            "                     (one file per unit of translation)\n"
            "  --report=FILE      write what the translation found and where its time\n"
            "                     and memory went as JSON to FILE ('-' for stdout):\n"
            "                     functions by source, jump tables, branches left to\n"
            "                     run time, untranslated instructions, time per stage,\n"
            "                     IR sizes (--time-report=FILE: the same); -v prints\n"
            "                     a summary\n"
            "  -g                 debug information for the translated code from the\n"
            "                     guest's DWARF line tables (compile the guest with -g):\n"
            "                     gdb breaks at guest source lines, perf and addr2line\n"
            "                     show them; with -O0 the guest registers in memory are\n"
            "                     exact at every line (docs/debugging.md)\n"
            "  --memory-limit=MB  refuse a translation estimated to need more memory than\n"
            "                     MB (default: what the machine has available; 'none':\n"
            "                     no check) instead of being killed halfway\n"
            "  -j, --jobs=N       compile on N threads (default: one per CPU this process\n"
            "                     may use); the output is the same whatever N\n"
            "  -v, --verbose      report progress and statistics on stderr\n"
            "  -h, --help         show this help and exit\n"
            "  --version          show the version and exit\n"
            "\n"
            "Supported input: AArch64 ELF executables, static (aarch64-linux-gnu-gcc\n"
            "-static, -static-pie) or dynamically linked with --sysroot (experimental).\n"
            "At run time, DBT_LOG=syscall,trap,...\n"
            "makes the runtime log to stderr (see docs/).\n");
}

int main(int argc, char **argv)
{
    TranslateOptions o = {.opt_level = 2, .cpu_level = DBT_HOST_LEVEL};
    enum { OPT_VERSION = 256, OPT_MARCH, OPT_EMIT_LLVM, OPT_ALL_FUNCTIONS, OPT_TIME_REPORT, OPT_PROFILE, OPT_SYSROOT,
           OPT_CACHE, OPT_CACHE_INFO, OPT_RECORDED, OPT_SHARED_LIBS, OPT_BIND, OPT_MEMORY_LIMIT, OPT_KEEP_FLAGS };
    static const struct option longs[] = {
        {"help", no_argument, NULL, 'h'},          {"version", no_argument, NULL, OPT_VERSION},
        {"verbose", no_argument, NULL, 'v'},       {"march", required_argument, NULL, OPT_MARCH},
        {"emit-llvm", required_argument, NULL, OPT_EMIT_LLVM}, {"all-functions", no_argument, NULL, OPT_ALL_FUNCTIONS},
        {"output", required_argument, NULL, 'o'},  {"time-report", required_argument, NULL, OPT_TIME_REPORT},
        {"report", required_argument, NULL, OPT_TIME_REPORT},
        {"jobs", required_argument, NULL, 'j'},
        {"profile", required_argument, NULL, OPT_PROFILE},
        {"sysroot", required_argument, NULL, OPT_SYSROOT},
        {"cache", required_argument, NULL, OPT_CACHE},
        {"cache-info", no_argument, NULL, OPT_CACHE_INFO},
        {"recorded", required_argument, NULL, OPT_RECORDED},
        {"shared-libs", required_argument, NULL, OPT_SHARED_LIBS},
        {"bind", required_argument, NULL, OPT_BIND},
        {"keep-flags", no_argument, NULL, OPT_KEEP_FLAGS},
        {"memory-limit", required_argument, NULL, OPT_MEMORY_LIMIT},
        {NULL, 0, NULL, 0},
    };
    int c;
    bool cache_info = false;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:O:vhgj:", longs, NULL)) != -1) {
        switch (c) {
        case 'o': o.output = optarg; break;
        case 'O':
            if (strlen(optarg) != 1 || optarg[0] < '0' || optarg[0] > '3') {
                fprintf(stderr, "dbt-aot: error: invalid optimization level -O%s (use -O0 to -O3)\n", optarg);
                return 2;
            }
            o.opt_level = optarg[0] - '0';
            break;
        case 'v': o.verbose = true; break;
        case 'g': o.debug_info = true; break;
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end != '\0' || n < 1 || n > 1024) {
                fprintf(stderr, "dbt-aot: error: invalid -j %s (use a number of threads from 1 to 1024)\n", optarg);
                return 2;
            }
            o.jobs = (int)n;
            break;
        }
        case 'h': usage(stdout); return 0;
        case OPT_VERSION: {
            unsigned major, minor, patch;
            LLVMGetVersion(&major, &minor, &patch);
            printf("dbt-aot %s (AArch64 -> x86-64), LLVM %u.%u.%u, default --march=%s\n", DBT_VERSION, major, minor,
                   patch, DBT_HOST_LEVEL);
            return 0;
        }
        case OPT_MARCH:
            if (codegen_level_number(optarg) == 0) {
                fprintf(stderr, "dbt-aot: error: unknown --march=%s (use x86-64, x86-64-v2, x86-64-v3 or x86-64-v4)\n",
                        optarg);
                return 2;
            }
            o.cpu_level = optarg;
            break;
        case OPT_EMIT_LLVM: o.dump_ir = optarg; break;
        case OPT_ALL_FUNCTIONS: o.all_functions = true; break;
        case OPT_TIME_REPORT: o.time_report = optarg; break;
        case OPT_PROFILE: o.profile = optarg; break;
        case OPT_SYSROOT: o.sysroot = optarg; break;
        case OPT_CACHE: o.cache_dir = optarg; break;
        case OPT_CACHE_INFO: cache_info = true; break;
        case OPT_RECORDED: o.recorded = optarg; break;
        case OPT_SHARED_LIBS: o.shared_dir = optarg; break;
        case OPT_KEEP_FLAGS: o.keep_flags = true; break;
        case OPT_MEMORY_LIMIT: {
            char *end;
            unsigned long long mb = strtoull(optarg, &end, 10);
            if (strcmp(optarg, "none") == 0) {
                o.memory_limit_mb = UINT64_MAX;
            } else if (*optarg < '0' || *optarg > '9' || *end != '\0' || mb == 0 || mb >= UINT64_MAX) {
                fprintf(stderr, "dbt-aot: error: invalid --memory-limit %s (use megabytes, or none)\n", optarg);
                return 2;
            } else {
                o.memory_limit_mb = mb;
            }
            break;
        }
        case OPT_BIND: {
            unsigned char on[BIND_COUNT];
            size_t n;
            const char *bad = bind_parse(optarg, true, on, &n);
            if (bad != NULL) {
                fprintf(stderr, "dbt-aot: error: --bind: unknown library or function '%.*s' (docs/bindings.md lists them)\n",
                        (int)n, bad);
                return 2;
            }
            o.bind = optarg;
            break;
        }
        default:
            if (optopt && optopt < 256)
                fprintf(stderr, "dbt-aot: error: unknown or incomplete option '-%c' (see dbt-aot --help)\n", optopt);
            else
                fprintf(stderr, "dbt-aot: error: unknown option '%s' (see dbt-aot --help)\n", argv[optind - 1]);
            return 2;
        }
    }
    if (cache_info) {
        ObjCache cache;
        objcache_init(&cache, o.cache_dir);
        if (objcache_info(&cache, stdout) != 0) {
            fprintf(stderr, "dbt-aot: error: no cache (%s)\n",
                    cache.dir[0] ? "it cannot be created" : "turned off, or no HOME");
            return 1;
        }
        return 0;
    }
    if (optind >= argc) {
        fprintf(stderr, "dbt-aot: error: no input file (usage: dbt-aot INPUT -o OUTPUT; see --help)\n");
        return 2;
    }
    if (optind + 1 < argc) {
        fprintf(stderr, "dbt-aot: error: more than one input file ('%s', '%s')\n", argv[optind], argv[optind + 1]);
        return 2;
    }
    o.input = argv[optind];
    if (o.output == NULL) {
        fprintf(stderr, "dbt-aot: error: no output file (use -o OUTPUT)\n");
        return 2;
    }
    /* Past the file size limit (ulimit -f) a write fails with EFBIG once
     * SIGXFSZ is ignored, instead of the signal killing the tool before it
     * can remove its temporaries and say what happened.  (lld installs a
     * handler of its own and fails with EFBIG too; link.c reports it.) */
    signal(SIGXFSZ, SIG_IGN);
    Diag d = {0};
    int rc = translate(&o, &d);
    /* Flushes what LLVM reports at shutdown (DBT_LLVM_ARGS=-time-passes). */
    LLVMShutdown();
    if (rc != 0) {
        diag_print(&d, o.input);
        return 1;
    }
    return 0;
}
