#!/usr/bin/perl
# dg-directives.pl - read the DejaGnu directives of one GCC torture test and
# say how to build it for aarch64-linux-gnu, or why it does not apply.
#
#   dg-directives.pl TEST.c OPTIONS
#
# OPTIONS are the torture options of this build (e.g. "-O2"), used by the
# option lists of dg-skip-if.  Prints one line:
#     flags<TAB>EXTRA COMPILER OPTIONS          (possibly empty)
#     skip<TAB>WHY
#
# This is a crude reading of what gcc-dg.exp does, enough for
# gcc.c-torture/execute:
#   dg-do WHAT                      anything but "run" is skipped
#   dg-options / dg-additional-options "OPTS" [{ target SEL }]
#                                   OPTS added when SEL holds (or is absent)
#   dg-skip-if "why" { SEL } [INCLUDE [EXCLUDE]]
#                                   skipped when SEL holds, one INCLUDE option
#                                   is among OPTIONS and no EXCLUDE option is
#   dg-require-effective-target T [{ target SEL }]
#                                   skipped unless T is one we know holds
#   dg-add-options, dg-require-stack-size, dg-xfail-*, dg-prune-output,
#   dg-require-alias, dg-require-weak      ignored (nothing to do on Linux)
# A selector is a target triple glob (matched against aarch64-unknown-linux-gnu)
# or an effective-target keyword, combined with !, && and ||.  An unknown
# keyword counts as true in a skip condition and as false in a requirement:
# when in doubt, the test is skipped rather than counted.
use strict;
use warnings;

my $TRIPLE = 'aarch64-unknown-linux-gnu';

# Effective targets that hold for aarch64-linux-gnu with glibc (static).
my %HOLDS = map { $_ => 1 } qw(
  alloca c99_runtime double64plus fileio fpic indirect_jumps int128 int32
  int32plus label_values longlong64 lp64 mmap nonlocal_goto return_address
  signal stdint_types trampolines unwrapped untyped_assembly
  large_double sync_int_long sync_char_short weak alias
);
# Ones that are known not to hold.
my %FAILS = map { $_ => 1 } qw(
  freestanding dfp ia32 ilp32 newlib_nano_io avr int16 ptr32plus_only
  size32plus_only
);

my ($file, $options) = @ARGV;
defined $options or die "usage: dg-directives.pl TEST.c OPTIONS\n";
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
  return ($item->[1]) if $item->[0] ne 'brace';
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

my @flags;
my $skip;
while ($text =~ /\{\s*(dg-[\w-]+)((?:[^{}]|\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\})*)\}/g) {
  my ($dir, $args) = ($1, $2);
  my @it = items($args);
  if ($dir eq 'dg-do') {
    my $what = $it[0] ? $it[0][1] : 'run';
    $skip //= "dg-do $what" if $what ne 'run';
  } elsif ($dir eq 'dg-options' || $dir eq 'dg-additional-options') {
    my $o = $it[0] or next;
    if (target_clause($it[1], 0)) {
      push @flags, map { split ' ' } option_list($o);
    }
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
  print "flags\t@flags\n";
}
