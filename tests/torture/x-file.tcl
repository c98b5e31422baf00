#!/usr/bin/env tclsh
# x-file.tcl - evaluate the .x file of a gcc.c-torture test (its Tcl "alternate
# driver", e.g. execute/ieee/compare-fp-3.x) for aarch64-linux-gnu and say how
# to build the test, in the format of dg-directives.pl:
#
#   x-file.tcl TEST.x FLAGS...
#
# FLAGS are the driver's additional_flags (ieee.exp: -fno-inline).  Prints
#     flags<TAB>FLAGS and what the .x file appended to additional_flags
#     skip<TAB>WHY          the .x file returned 1 (it handled the test itself:
#                           DejaGnu then neither builds nor runs it)
#
# As c-torture.exp does, the file is sourced inside a procedure that holds
# additional_flags.  istarget matches the target triple; the effective-target
# checks the .x files of execute/ and execute/ieee/ call are answered for
# aarch64-linux-gnu with glibc; any other check is false.  torture_*_xfail and
# compiler_conditional_xfail_data only mark expected failures: ignored (a test
# that fails under qemu is left out of the comparison anyway).
set triple aarch64-unknown-linux-gnu
set target_triplet $triple
set CFLAGS ""

proc istarget {pattern} {
  global triple
  return [string match $pattern $triple]
}

# Effective targets that hold (as in dg-directives.pl's %HOLDS).
foreach et {c99_runtime signal int32plus lp64 large_double double64plus} {
  proc check_effective_target_$et {} { return 1 }
}
proc unknown {name args} {
  if {[string match check_effective_target_* $name] || [string match check_*_available $name]} {
    return 0
  }
  error "x-file.tcl: unknown command $name"
}

proc run_x {file flags} {
  set additional_flags $flags
  if {[catch {source $file} done]} {
    return [list skip "cannot evaluate [file tail $file]: $done"]
  }
  if {$done == 1} {
    return [list skip "[file tail $file] returns 1 for $::triple"]
  }
  return [list flags $additional_flags]
}

if {[llength $argv] < 1} {
  puts stderr "usage: x-file.tcl TEST.x FLAGS..."
  exit 2
}
lassign [run_x [lindex $argv 0] [lrange $argv 1 end]] kind what
puts "$kind\t[join $what { }]"
