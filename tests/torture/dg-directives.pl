#!/usr/bin/perl
# dg-directives.pl - read the DejaGnu directives of one GCC torture test and
# say how to build it for aarch64-linux-gnu, or why it does not apply.
#
#   dg-directives.pl [--default "FLAGS"] TEST.c OPTIONS
#
# OPTIONS are the torture options of this build (e.g. "-O2"), used by the
# option lists of dg-skip-if.  FLAGS are the driver's default options of the
# test (DejaGnu's default-extra-flags, e.g. gcc.dg/vect's "-ftree-vectorize
# ..."): a dg-options replaces them, as in dg.exp.  Prints one line:
#     flags<TAB>EXTRA COMPILER OPTIONS          (possibly empty)
#     skip<TAB>WHY
#
# This is a crude reading of what gcc-dg.exp does, enough for
# gcc.c-torture/execute and gcc.dg/vect:
#   dg-do WHAT [{ target SEL }]     anything but "run" is skipped, and so is
#                                   a test whose SEL does not hold; no dg-do
#                                   is "run" (the default of both suites on
#                                   aarch64: vect.exp sets dg-do-what-default
#                                   to run for aarch64*-*-*)
#   dg-options "OPTS" [{ target SEL }]
#                                   OPTS replace FLAGS when SEL holds
#   dg-additional-options "OPTS" [{ target SEL }]
#                                   OPTS added when SEL holds (or is absent)
#   dg-add-options NAME             the options of add_options_for_NAME on
#                                   aarch64 (target-supports.exp): -march=
#                                   for arm_v8_2a_i8mm, arm_v8_2a_dotprod_neon,
#                                   arm_v8_3a_complex_neon and
#                                   arm_v8_3a_fp16_complex_neon, none for the
#                                   others (ieee, bind_pic_locally, ...)
#   dg-skip-if "why" { SEL } [INCLUDE [EXCLUDE]]
#                                   skipped when SEL holds, one INCLUDE option
#                                   is among OPTIONS and no EXCLUDE option is
#   dg-require-effective-target T [{ target SEL }]
#                                   skipped unless T is one we know holds
#   dg-require-stack-size, dg-xfail-*, dg-prune-output, dg-final,
#   dg-require-alias, dg-require-weak      ignored (nothing to do on Linux)
# A selector is a target triple glob (matched against aarch64-unknown-linux-gnu)
# or an effective-target keyword, combined with !, && and ||.  An unknown
# keyword counts as true in a skip condition and as false in a requirement:
# when in doubt, the test is skipped rather than counted.
use strict;
use warnings;

my $TRIPLE = 'aarch64-unknown-linux-gnu';

# Effective targets that hold for aarch64-linux-gnu with glibc (static).
# The vect_* ones and the Advanced SIMD extensions are those that
# target-supports.exp (GCC 12) grants aarch64*-*-* without SVE; the *_hw
# ones hold because the oracle, qemu-aarch64's default "max" CPU, has them.
my %HOLDS = map { $_ => 1 } qw(
  alloca c99_runtime double64plus fileio fpic indirect_jumps int128 int32
  int32plus label_values longlong64 lp64 mmap nonlocal_goto return_address
  signal stdint_types trampolines unwrapped untyped_assembly
  large_double sync_int_long sync_char_short weak alias
  size32plus float16 exceptions non_strict_align section_anchors
  scalar_all_fma whole_vector_shift fopenmp
  vect_int vect_float vect_double vect_condition vect_shift vect_pack_trunc
  vect_unpack vect_int_mult vect_long vect_perm vect_perm_short
  vect_cond_mixed vect_hw_misalign vect_usad_char vect_intdouble_cvt
  vect_doubleint_cvt vect_uintfloat_cvt vect_char_add vect_load_lanes
  vect_float_strict
  vect_call_btrunc vect_call_btruncf vect_call_ceil vect_call_ceilf
  vect_call_floor vect_call_floorf vect_call_lceil vect_call_lfloor
  vect_call_nearbyint vect_call_nearbyintf vect_call_round vect_call_roundf
  vect_complex_add_float vect_complex_add_double vect_complex_add_half
  arm_v8_2a_dotprod_neon_hw arm_v8_2a_i8mm_neon_hw
  aarch64_little_endian
);
# Ones that are known not to hold (those of vect: x86, POWER and SVE only,
# or granted to arm32 NEON but not to aarch64: vect_intfloat_cvt,
# vect_floatint_cvt, vect_shift_char).
my %FAILS = map { $_ => 1 } qw(
  freestanding dfp ia32 ilp32 newlib_nano_io avr int16 ptr32plus_only
  size32plus_only
  vect_simd_clones vect_long_long vect_complex_add_long vect_intfloat_cvt
  vect_floatint_cvt vect_shift_char aarch64_sve arm_neon arm32
  sse2 sse2_runtime avx avx2 avx_runtime avx2_runtime avx512f
  avx512f_runtime powerpc_altivec_ok vsx_hw vect_no_align aarch64_tiny
);
# dg-add-options NAME -> the options it adds on aarch64.
my %ADD_OPTIONS = (
  arm_v8_2a_i8mm => '-march=armv8.2-a+i8mm',
  arm_v8_2a_dotprod_neon => '-march=armv8.2-a+dotprod',
  arm_v8_3a_complex_neon => '-march=armv8.3-a',
  arm_v8_3a_fp16_complex_neon => '-march=armv8.3-a+fp16',
);

my $default = '';
if (@ARGV && $ARGV[0] eq '--default') {
  shift @ARGV;
  $default = shift @ARGV // '';
}
my ($file, $options) = @ARGV;
defined $options or die "usage: dg-directives.pl [--default FLAGS] TEST.c OPTIONS\n";
my @opts = split ' ', $options;

open(my $fh, '<', $file) or die "dg-directives.pl: $file: $!\n";
my $text = do { local $/; <$fh> };
close $fh;

# Split a directive's argument text into top-level items: "quoted strings",
# {braced groups} (returned without the braces) and bare words.
sub items {
  my ($s) = @_;
  my @out;
  pos($s) = 0;
  while (pos($s) < length $s) {
    if ($s =~ /\G\s+/gc) { next }
    if ($s =~ /\G"((?:[^"\\]|\\.)*)"/gc) { push @out, ['str', $1]; next }
    if ($s =~ /\G\{/gc) {
      my $depth = 1;
      my $start = pos($s);
      while ($depth > 0 && pos($s) < length $s) {
        if ($s =~ /\G\{/gc) { $depth++ }
        elsif ($s =~ /\G\}/gc) { $depth-- }
        else { $s =~ /\G[^{}]+/gc }
      }
      push @out, ['brace', substr($s, $start, pos($s) - $start - 1)];
      next;
    }
    if ($s =~ /\G([^\s{}"]+)/gc) { push @out, ['word', $1]; next }
    last;
  }
  return @out;
}

# Evaluate a selector; $unknown is the value of an unknown keyword.
sub selector {
  my ($s, $unknown) = @_;
  my @tok = $s =~ /(\|\||&&|!|\{|\}|"[^"]*"|[^\s{}!&|"]+)/g;
  my $i = 0;
  my ($or, $and, $prim);
  $or = sub {
    my $v = $and->();
    while ($i < @tok && $tok[$i] eq '||') { $i++; my $r = $and->(); $v ||= $r }
    return $v;
  };
  $and = sub {
    my $v = $prim->();
    while ($i < @tok && $tok[$i] eq '&&') { $i++; my $r = $prim->(); $v &&= $r }
    return $v;
  };
  $prim = sub {
    return $unknown if $i >= @tok;
    my $t = $tok[$i++];
    return !$prim->() if $t eq '!';
    if ($t eq '{') {
      # A group is an expression, or a list of triples (any one matches).
      my $v = $or->();
      while ($i < @tok && $tok[$i] ne '}') { my $r = $or->(); $v ||= $r }
      $i++;
      return $v;
    }
    $t =~ s/^"|"$//g;
    if ($t =~ /-/ && $t =~ /^[\w.*?\[\]-]+$/ && $t !~ /^-/) {   # a triple glob
      (my $re = quotemeta $t) =~ s/\\\*/.*/g;
      $re =~ s/\\\?/./g;
      return $TRIPLE =~ /^$re$/ ? 1 : 0;
    }
    return 1 if $HOLDS{$t};
    return 0 if $FAILS{$t};
    return $unknown;
  };
  my $v = $or->();
  # Several top-level terms without operators: a list of triples.
  while ($i < @tok) { my $r = $or->(); $v ||= $r }
  return $v ? 1 : 0;
}

# "{ target SEL }" -> does SEL hold?  (No clause: yes.)
sub target_clause {
  my ($item, $unknown) = @_;
  return 1 unless defined $item;
  my $s = $item->[1];
  return selector($1, $unknown) if $s =~ /^\s*target\s+(.*)$/s;
  return 1 if $s =~ /^\s*xfail\b/;
  return selector($s, $unknown);
}

sub option_list {   # an INCLUDE/EXCLUDE list item -> list of patterns
  my ($item) = @_;
  return () unless defined $item;
  if ($item->[0] ne 'brace') {
    # A Tcl "string": \X is X; the quotes left are a shell's (DejaGnu's
    # compile goes through one): --param "a=1" is --param a=1.
    (my $s = $item->[1]) =~ s/\\(.)/$1/g;
    $s =~ tr/"//d;
    return ($s);
  }
  return map { $_->[1] } items($item->[1]);
}

sub opts_match {    # does one pattern of the list match one option?
  my @pats = grep { $_ ne '' } @_;
  for my $p (@pats) {
    return 1 if $p eq '*';
    for my $pw (split ' ', $p) {
      (my $re = quotemeta $pw) =~ s/\\\*/.*/g;
      return 1 if grep { /^$re$/ } @opts;
    }
  }
  return 0;
}

my $base;       # dg-options: replaces $default
my @flags;      # dg-additional-options and dg-add-options, in order
my $skip;
while ($text =~ /\{\s*(dg-[\w-]+)((?:[^{}]|\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\})*)\}/g) {
  my ($dir, $args) = ($1, $2);
  my @it = items($args);
  if ($dir eq 'dg-do') {
    my $what = $it[0] ? $it[0][1] : 'run';
    if (!target_clause($it[1], 0)) {
      $skip //= "dg-do $what for other targets";
    } elsif ($what ne 'run') {
      $skip //= "dg-do $what";
    }
  } elsif ($dir eq 'dg-options') {
    my $o = $it[0] or next;
    $base = join ' ', map { split ' ' } option_list($o) if target_clause($it[1], 0);
  } elsif ($dir eq 'dg-additional-options') {
    my $o = $it[0] or next;
    if (target_clause($it[1], 0)) {
      push @flags, map { split ' ' } option_list($o);
    }
  } elsif ($dir eq 'dg-add-options') {
    my $o = $it[0] or next;
    push @flags, split ' ', $ADD_OPTIONS{$o->[1]} if $ADD_OPTIONS{$o->[1]};
  } elsif ($dir eq 'dg-skip-if') {
    my (undef, $sel, $inc, $exc) = @it;
    next unless $sel;
    next unless selector($sel->[1], 1);
    my @inc = option_list($inc);
    @inc = ('*') unless @inc;
    my @exc = option_list($exc);
    if (opts_match(@inc) && !opts_match(@exc)) {
      my $why = $it[0] ? $it[0][1] : '';
      $skip //= "dg-skip-if \"$why\"";
    }
  } elsif ($dir eq 'dg-require-effective-target') {
    my $t = $it[0] or next;
    next unless target_clause($it[1], 1);
    $skip //= "needs effective target $t->[1]" unless $HOLDS{$t->[1]};
  }
}

if (defined $skip) {
  print "skip\t$skip\n";
} else {
  print "flags\t", join(' ', grep { $_ ne '' } ($base // $default), @flags), "\n";
}
