# dbt-gdb.py - gdb commands for programs translated by dbt-aot.
#
#     gdb -x scripts/dbt-gdb.py ./prog.x86
#     (gdb) break prog.c:42        # with dbt-aot -g: guest source lines
#     (gdb) run
#     (gdb) dbt-regs               # the guest's X0-X30, SP, PC, NZCV, FPCR, FPSR
#     (gdb) dbt-regs v             # and V0-V31
#
# The registers come from the CpuState of the guest thread the selected
# host thread runs (include/cpu_state.h), found through the runtime's
# thread-local cur_thread (read by gdb, no code run in the program), else
# by calling the runtime's dbt_gdb_cpu() in the stopped program (gdb 13
# cannot call functions in a program on CPUs with AMX state: "Couldn't
# write extended state status").  They are exact at every guest
# source line of code translated with -O0 (registers in memory); with
# -O1 and above, registers the translated code holds in host registers
# show their value at the last call, system call or branch out of the
# function (docs/debugging.md).  dbt-regs also sets the convenience
# variables $gx0..$gx30, $gsp and $gpc.
#
# Backtraces leave out the two-instruction stubs every call of translated
# code went through in outputs of dbt-aot before session 21 (g_<entry>.call,
# dbt.icall.<n>: docs/architecture.md, "Calls"), so that they show the
# guest's frames only; calls are made in place now.
import struct

import gdb

# include/cpu_state.h (offsets pinned there by _Static_assert).
OFF_X, OFF_SP, OFF_PC, OFF_NZCV, OFF_FPCR, OFF_FPSR, OFF_VREG = 0, 248, 256, 264, 268, 272, 320
CPU_STATE_SIZE = 864


# runtime/runtime.h: Thread.cpu (pinned by a _Static_assert in runtime/signal.c).
OFF_THREAD_CPU = 8


def thread_cpu():
    """The CpuState address from the thread's cur_thread, or None if gdb cannot read it."""
    try:
        t = int(gdb.parse_and_eval("*(unsigned long *)&cur_thread"))
        if t == 0:
            return 0
        return struct.unpack("<Q", bytes(gdb.selected_inferior().read_memory(t + OFF_THREAD_CPU, 8)))[0]
    except (gdb.error, gdb.MemoryError):
        return None


def guest_cpu():
    cpu = thread_cpu()
    if cpu is None:
        try:
            cpu = int(gdb.parse_and_eval("((unsigned long (*)(void)) dbt_gdb_cpu)()"))
        except gdb.error as e:
            raise gdb.GdbError("dbt-regs: cannot find the guest thread's registers (is it a dbt-aot output, "
                               "and running?): %s" % e)
    if cpu == 0:
        raise gdb.GdbError("dbt-regs: this thread runs no guest code")
    return bytes(gdb.selected_inferior().read_memory(cpu, CPU_STATE_SIZE))


class DbtRegs(gdb.Command):
    """dbt-regs [v]: the guest registers of the selected thread (X0-X30, SP, PC, NZCV, FPCR, FPSR; 'v': V0-V31 too)."""

    def __init__(self):
        super().__init__("dbt-regs", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        mem = guest_cpu()
        x = struct.unpack_from("<31Q", mem, OFF_X)
        sp, pc = struct.unpack_from("<QQ", mem, OFF_SP)
        n, z, c, v = mem[OFF_NZCV:OFF_NZCV + 4]
        fpcr, fpsr = struct.unpack_from("<II", mem, OFF_FPCR)
        for i in range(0, 31, 2):
            cols = ["x%-2d 0x%016x %20d" % (j, x[j], x[j] - (1 << 64) if x[j] >> 63 else x[j])
                    for j in (i, i + 1) if j < 31]
            gdb.write("   ".join(cols) + "\n")
        gdb.write("sp  0x%016x   pc  0x%016x (the last exit of translated code)\n" % (sp, pc))
        gdb.write("nzcv %s%s%s%s   fpcr 0x%08x   fpsr 0x%08x\n" % (
            "N" if n else "-", "Z" if z else "-", "C" if c else "-", "V" if v else "-", fpcr, fpsr))
        if arg.strip() == "v":
            for i in range(32):
                lo, hi = struct.unpack_from("<QQ", mem, OFF_VREG + 16 * i)
                gdb.write("v%-2d 0x%016x%016x\n" % (i, hi, lo))
        for i in range(31):
            gdb.set_convenience_variable("gx%d" % i, x[i])
        gdb.set_convenience_variable("gsp", sp)
        gdb.set_convenience_variable("gpc", pc)


DbtRegs()


def is_call_stub(name):
    """A stub of the calling convention of older outputs (before session 21)?"""
    return isinstance(name, str) and (name.endswith(".call") or name.endswith("[call]") or
                                      name.startswith("dbt.icall"))


class DbtStubFilter:
    """Frame filter: drops the frames of call stubs."""

    def __init__(self):
        self.name = "dbt-call-stubs"
        self.priority = 100
        self.enabled = True
        gdb.frame_filters[self.name] = self

    def filter(self, frames):
        return (f for f in frames if not is_call_stub(f.inferior_frame().name()))


DbtStubFilter()
