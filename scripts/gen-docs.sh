#!/usr/bin/env bash
# Regenerate the shell completions and the man pages from an mfactl binary.
#
#   scripts/gen-docs.sh [BINARY [OUTDIR]]
#
# BINARY defaults to the debug build, $(swift build --show-bin-path)/mfactl; OUTDIR to
# the source tree. Writes
#   OUTDIR/completions/mfactl.bash, _mfactl, mfactl.fish
#       mfactl --generate-completion-script bash | zsh | fish
#   OUTDIR/man/mfactl.1
#       man/mfactl.1.in (hand-written: DESCRIPTION, EXIT STATUS, ENVIRONMENT, FILES,
#       SECURITY, EXAMPLES, ...) with its @SYNOPSIS@, @COMMANDS@ and @GLOBAL_OPTIONS@
#       lines replaced by text generated from the ArgumentParser declarations
#   OUTDIR/man/mfactl.<command>.1, one page per subcommand
#       swift-argument-parser's generate-manual tool (what its generate-manual plugin
#       runs), fed `mfactl --experimental-dump-help`, then tidied (see post-processing)
#
# generate-manual is built once from the swift-argument-parser checkout SwiftPM resolved
# for this package (.build*/checkouts), into $GEN_DOCS_SCRATCH (default
# .build/gen-docs-tools); no network is needed once `swift build` has run. It is the tool
# the `swift package generate-manual` plugin uses; the plugin cannot be pointed at a given
# binary, so the tool is run directly.
#
# Post-processing of the generated pages (generate-manual drops non-ASCII characters,
# leaves paragraph macros mandoc warns about, does not show allowed values or defaults,
# and says only ">0 if an error occurs"): non-ASCII characters kept as mdoc escapes; one
# sentence per line; "Values: ...; default: ..." after each option that has them; the
# EXIT STATUS codes; SEE ALSO pointing back at mfactl(1); a subcommand list on group
# pages; the date of man/mfactl.1.in on every page. `mfactl help` gets no page.
#
# Needs bash, perl (with JSON::PP, part of Debian's perl package) and swift.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

bin=${1:-}
if [[ -z $bin ]]; then
  bin="$(swift build --show-bin-path)/mfactl"
fi
out=${2:-$root}
[[ -x $bin ]] || {
  echo "gen-docs: $bin: no such executable; build it first (swift build)" >&2
  exit 66
}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
template=$root/man/mfactl.1.in
[[ -f $template ]] || {
  echo "gen-docs: $template is missing" >&2
  exit 66
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mfactl-gen-docs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# --- the generate-manual tool -------------------------------------------------------
scratch=${GEN_DOCS_SCRATCH:-$root/.build/gen-docs-tools}
find_asp() {
  local want="" d
  if [[ -f $root/Package.resolved ]]; then
    want=$(sed -n '/swift-argument-parser/,/}/s/.*"revision" *: *"\([0-9a-f]*\)".*/\1/p' "$root/Package.resolved" | head -n1)
  fi
  shopt -s nullglob
  local dirs=("$root"/.build/checkouts/swift-argument-parser "$root"/.build*/checkouts/swift-argument-parser)
  shopt -u nullglob
  # Prefer the checkout at the revision Package.resolved pins.
  for d in "${dirs[@]}"; do
    if [[ -n $want && $(git -C "$d" rev-parse HEAD 2>/dev/null) == "$want" ]]; then
      echo "$d"
      return 0
    fi
  done
  for d in "${dirs[@]}"; do
    if [[ -f $d/Tools/generate-manual/GenerateManual.swift ]]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}
asp=$(find_asp) || {
  echo "gen-docs: no swift-argument-parser checkout under .build*/checkouts; run 'swift build' first" >&2
  exit 1
}
if ! swift build --package-path "$asp" --scratch-path "$scratch" --product generate-manual \
  >"$tmp/tool-build.log" 2>&1; then
  cat "$tmp/tool-build.log" >&2
  echo "gen-docs: building generate-manual from $asp failed" >&2
  exit 1
fi
genman="$(swift build --package-path "$asp" --scratch-path "$scratch" --show-bin-path)/generate-manual"

# --- completions --------------------------------------------------------------------
mkdir -p "$tmp/out/completions" "$tmp/out/man"
"$bin" --generate-completion-script bash >"$tmp/out/completions/mfactl.bash"
"$bin" --generate-completion-script zsh >"$tmp/out/completions/_mfactl"
"$bin" --generate-completion-script fish >"$tmp/out/completions/mfactl.fish"

# --- man pages ----------------------------------------------------------------------
"$bin" --experimental-dump-help >"$tmp/dump.json"
# generate-manual drops every non-ASCII character (a "±1" becomes "1"): hand it
# placeholders, QQU<hex>QQ, which the post-processing turns into mdoc escapes.
LC_ALL=C.UTF-8 perl -CSD -pe 's/([^\x00-\x7f])/sprintf("QQU%04XQQ", ord($1))/ge' \
  "$tmp/dump.json" >"$tmp/dump-ascii.json"
# generate-manual runs its TOOL argument with --experimental-dump-help; this stand-in
# prints the placeholder version.
printf '#!/bin/sh\nexec cat "%s"\n' "$tmp/dump-ascii.json" >"$tmp/mfactl"
chmod +x "$tmp/mfactl"
mkdir -p "$tmp/raw"
"$genman" "$tmp/mfactl" --multi-page --date 2000-01-01 --output-directory "$tmp/raw"

cat >"$tmp/post.pl" <<'PERL'
use strict;
use warnings;
use JSON::PP;

my ($dump_file, $raw_dir, $out_dir, $template_file) = @ARGV;

sub slurp {
  my ($f) = @_;
  open(my $fh, '<:raw', $f) or die "gen-docs: $f: $!\n";
  local $/;
  my $s = <$fh>;
  close $fh;
  return $s;
}

sub spew {
  my ($f, $s) = @_;
  open(my $fh, '>:raw', $f) or die "gen-docs: $f: $!\n";
  print $fh $s;
  close $fh or die "gen-docs: $f: $!\n";
}

my $root = JSON::PP->new->utf8->decode(slurp($dump_file))->{command};
my $tpl = slurp($template_file);
utf8::decode($tpl);
my ($date) = $tpl =~ /^(\.Dd [^\n]*)$/m or die "gen-docs: no .Dd line in $template_file\n";

# Commands by their path ("mfactl users list"), in declaration order; `help` is left out.
my (%cmd, @order);
sub walk {
  my ($c, $prefix) = @_;
  my $path = $prefix eq '' ? $c->{commandName} : "$prefix $c->{commandName}";
  $cmd{$path} = $c;
  push @order, $path;
  for my $s (@{ $c->{subcommands} || [] }) {
    next if $s->{commandName} eq 'help';
    next if defined $s->{shouldDisplay} && !$s->{shouldDisplay};
    walk($s, $path);
  }
}
walk($root, '');
my @leaves = grep { !@{ $cmd{$_}{subcommands} || [] } && $_ ne $root->{commandName} } @order;

# --- text helpers ---------------------------------------------------------------------

# Non-ASCII characters (and the placeholders standing for them) as mdoc escapes.
sub uni {
  my ($cp) = @_;
  my %named = (0xB1 => '\(+-', 0x2013 => '\(en', 0x2014 => '\(em', 0x2026 => '\&.\|.\|.',
    0x2018 => '\(oq', 0x2019 => '\(cq', 0x201C => '\(lq', 0x201D => '\(rq', 0xD7 => '\(mu');
  return $named{$cp} // sprintf('\[u%04X]', $cp);
}
sub unplaceholder {
  my ($s) = @_;
  $s =~ s/QQU([0-9A-F]{4,6})QQ/uni(hex $1)/ge;
  return $s;
}

# Plain text as mdoc text lines: escaped, one sentence per line.
sub text_lines {
  my ($s) = @_;
  $s =~ s/\\/\\e/g;
  $s =~ s/([^\x00-\x7f])/uni(ord $1)/ge;
  $s =~ s/\s*\n\s*/ /g;
  my @out;
  for my $line (split /(?<=[.!?])\s+(?=[A-Z])/, $s) {
    $line =~ s/^([.'])/\\&$1/;
    push @out, $line;
  }
  return join("\n", @out) . "\n";
}

# One macro argument: escaped, quoted when it holds a blank.
sub marg {
  my ($s) = @_;
  $s =~ s/\\/\\e/g;
  $s =~ s/"/\\(dq/g;
  $s =~ s/([^\x00-\x7f])/uni(ord $1)/ge;
  return $s =~ /\s/ || $s eq '' ? "\"$s\"" : $s;
}

sub values_note {
  my ($arg) = @_;
  my @parts;
  push @parts, 'Values: ' . join(', ', @{ $arg->{allValues} }) if $arg->{allValues} && @{ $arg->{allValues} };
  push @parts, "Default: $arg->{defaultValue}" if defined $arg->{defaultValue} && $arg->{defaultValue} ne '';
  return @parts ? join(".\n", @parts) . ".\n" : '';
}

sub long_name {
  my ($arg) = @_;
  return $arg->{preferredName} ? $arg->{preferredName}{name} : $arg->{valueName};
}

# "Fl -kdf Ar kdf" / "Fl h , Fl -help" / "Ar user"
sub arg_title {
  my ($arg) = @_;
  return 'Ar ' . marg($arg->{valueName}) if $arg->{kind} eq 'positional';
  my @names = map { ($_->{kind} eq 'short' ? 'Fl ' : 'Fl -') . $_->{name} } @{ $arg->{names} };
  my $t = join(' , ', @names);
  $t .= ' Ar ' . marg($arg->{valueName}) if $arg->{kind} eq 'option';
  return $t;
}

sub arg_synopsis {
  my ($arg) = @_;
  my $t;
  if ($arg->{kind} eq 'positional') {
    $t = 'Ar ' . marg($arg->{valueName});
  } else {
    $t = 'Fl -' . long_name($arg);
    $t .= ' Ar ' . marg($arg->{valueName}) if $arg->{kind} eq 'option';
  }
  $t .= ' No ...' if $arg->{isRepeating};
  return $arg->{isOptional} ? "Op $t" : $t;
}

# Global options: those every leaf command has, in the order they are declared.
my @global;
{
  my %count;
  for my $p (@leaves) {
    for my $arg (@{ $cmd{$p}{arguments} || [] }) {
      next if $arg->{kind} eq 'positional';
      $count{ long_name($arg) }++;
    }
  }
  for my $arg (@{ $cmd{ $leaves[0] }{arguments} || [] }) {
    next if $arg->{kind} eq 'positional';
    my $n = long_name($arg);
    next if $n eq 'help' || $n eq 'version';
    push @global, $arg if ($count{$n} // 0) == @leaves;
  }
}
my %is_global = map { long_name($_) => 1 } @global;

# --- the top page: man/mfactl.1.in with its generated parts -----------------------------
{
  my $synopsis = ".Nm\n.Op Ar global-options\n.Ar command\n.Op Ar arguments\n";
  for my $p (@leaves) {
    my @words = split / /, $p;
    shift @words;
    $synopsis .= ".Nm\n.Cm " . join(' ', @words) . "\n";
    for my $arg (@{ $cmd{$p}{arguments} || [] }) {
      next if $arg->{kind} ne 'positional' && ($is_global{ long_name($arg) } || long_name($arg) eq 'help' || long_name($arg) eq 'version');
      next if defined $arg->{shouldDisplay} && !$arg->{shouldDisplay};
      $synopsis .= '.' . arg_synopsis($arg) . "\n";
    }
  }
  $synopsis .= ".Nm\n.Fl -version\n.Nm\n.Op Ar command No ...\n.Fl -help\n";

  my $commands = ".Bl -tag -width Ds\n";
  for my $p (@leaves) {
    my @words = split / /, $p;
    shift @words;
    $commands .= '.It Cm ' . join(' ', @words) . "\n";
    $commands .= text_lines($cmd{$p}{abstract} // '');
    $commands .= "See\n.Xr " . join('.', split / /, $p) . " 1 .\n";
  }
  $commands .= ".El\n";

  my $options = ".Bl -tag -width Ds\n";
  for my $arg (@global) {
    $options .= '.It ' . arg_title($arg) . "\n" . text_lines($arg->{abstract} // '') . values_note($arg);
  }
  for my $arg (@{ $root->{arguments} || [] }) {
    next if defined $arg->{shouldDisplay} && !$arg->{shouldDisplay};
    $options .= '.It ' . arg_title($arg) . "\n" . text_lines($arg->{abstract} // '') . values_note($arg);
  }
  $options .= ".El\n";

  my $page = $tpl;
  my $n = 0;
  $n += $page =~ s/^\.\\" \@SYNOPSIS\@\n/$synopsis/m;
  $n += $page =~ s/^\.\\" \@COMMANDS\@\n/$commands/m;
  $n += $page =~ s/^\.\\" \@GLOBAL_OPTIONS\@\n/$options/m;
  $n == 3 or die "gen-docs: $template_file must hold the lines .\\\" \@SYNOPSIS\@, \@COMMANDS\@ and \@GLOBAL_OPTIONS\@\n";
  # The template's own comment header is for its editors; the page says where it came from.
  $page =~ s/\A(?:\.\\"[^\n]*\n)+//;
  $page = ".\\\" Generated by scripts/gen-docs.sh from man/mfactl.1.in and the ArgumentParser\n"
    . ".\\\" declarations of mfactl; edit those, not this file.\n" . $page;
  utf8::encode($page);
  spew("$out_dir/$root->{commandName}.1", $page);
}

# --- the subcommand pages from generate-manual -------------------------------------------
my $exit_status = <<'EOT';
.Sh EXIT STATUS
.Nm
exits 0 on success.
Otherwise it exits with one of the codes described in
.Xr mfactl 1 :
1 rejected, 2 locked out, 64 usage error, 65 bad or corrupt data, 66 not found,
73 cannot create, 74 I/O error, 75 vault busy, 77 unlock failed.
EOT

for my $path (@order) {
  next if $path eq $root->{commandName};
  my $file = join('.', split / /, $path) . '.1';
  my $raw = "$raw_dir/$file";
  -f $raw or die "gen-docs: generate-manual wrote no $file\n";
  my $c = $cmd{$path};
  my @args = @{ $c->{arguments} || [] };
  my @subs = grep { exists $cmd{"$path $_->{commandName}"} } @{ $c->{subcommands} || [] };

  my @in = split /\n/, slurp($raw);
  my @out;
  my $depth = 0;
  my ($pending, $pending_depth);    # values note waiting for the end of its list item
  my $section = '';
  my $flush = sub {
    if (defined $pending && $depth == $pending_depth) {
      pop @out while @out && $out[-1] eq '.Pp';
      push @out, split /\n/, $pending if $pending ne '';
      undef $pending;
    }
  };
  for (my $i = 0; $i < @in; $i++) {
    my $l = $in[$i];
    if ($i == 0 && $l =~ /^\.\\"/) {
      push @out, '.\" Generated by scripts/gen-docs.sh (swift-argument-parser generate-manual) from the',
        '.\" ArgumentParser declarations of mfactl; do not edit.';
      next;
    }
    if ($l =~ /^\.Dd /) { push @out, $date; next; }
    if ($l =~ /^\.Nd "?(.*?)\.?"?$/) { push @out, '.Nd ' . marg($1); next; }
    if ($l =~ /^\.Sh "?([^"]*)"?$/) {
      $flush->();
      $section = uc $1;
      if ($section eq 'EXIT STATUS') {
        push @out, split /\n/, $exit_status;
        # Skip the generated body of the section.
        $i++ while $i + 1 < @in && $in[ $i + 1 ] !~ /^\.Sh /;
        next;
      }
      if ($section eq 'SEE ALSO') {
        my @parents = ('mfactl');
        my @w = split / /, $path;
        push @parents, join('.', @w[ 0 .. $#w - 1 ]) if @w > 2;
        my @refs = (@parents, map { join('.', split / /, "$path $_->{commandName}") } sort { $a->{commandName} cmp $b->{commandName} } @subs);
        push @out, '.Sh SEE ALSO';
        push @out, map { ".Xr $refs[$_] 1" . ($_ < $#refs ? ' ,' : '') } 0 .. $#refs;
        $i++ while $i + 1 < @in && $in[ $i + 1 ] !~ /^\.Sh /;
        next;
      }
      push @out, $l;
      if ($section eq 'DESCRIPTION' && @subs) {
        push @out, 'Subcommands:', '.Bl -tag -width Ds';
        for my $s (@subs) {
          push @out, ".It Cm $s->{commandName}", split(/\n/, text_lines($s->{abstract} // '')),
            'See', '.Xr ' . join('.', split / /, "$path $s->{commandName}") . ' 1 .';
        }
        push @out, '.El', '.Pp', 'Options:';
      }
      next;
    }
    if ($l =~ /^\.Bl\b/) { $depth++; push @out, $l; next; }
    if ($l =~ /^\.El\b/) { $flush->(); $depth--; push @out, $l; next; }
    if ($l =~ /^\.It\b/) {
      $flush->();
      push @out, $l;
      my $arg;
      if ($l =~ /^\.It Fl (?:\S+ , )?-(\S+)/) {
        my $n = $1;
        ($arg) = grep { $_->{kind} ne 'positional' && long_name($_) eq $n } @args;
      }
      if ($arg) {
        my $note = values_note($arg);
        ($pending, $pending_depth) = ($note, $depth) if $note ne '';
      }
      next;
    }
    if ($l eq '.Pp' && $i + 1 < @in && $in[ $i + 1 ] =~ /^\.(It|El)\b/) { next; }
    if ($l =~ /^\./) { push @out, $l; next; }
    # A text line: one sentence per line (mandoc: "new sentence, new line").
    my @parts = split /(?<=[.!?])\s+(?=[A-Z])/, $l;
    push @out, shift @parts;
    push @out, map { s/^([.'])/\\&$1/r } @parts;
  }
  if ($section ne 'SEE ALSO') {
    my @w = split / /, $path;
    my @refs = ('mfactl');
    push @refs, join('.', @w[ 0 .. $#w - 1 ]) if @w > 2;
    push @out, '.Sh SEE ALSO', map { ".Xr $refs[$_] 1" . ($_ < $#refs ? ' ,' : '') } 0 .. $#refs;
  }
  my $page = join("\n", map { unplaceholder($_) } @out) . "\n";
  spew("$out_dir/$file", $page);
}
PERL
perl "$tmp/post.pl" "$tmp/dump.json" "$tmp/raw" "$tmp/out/man" "$template"

# --- install the results ------------------------------------------------------------
mkdir -p "$out/completions" "$out/man"
for f in mfactl.bash _mfactl mfactl.fish; do
  cp "$tmp/out/completions/$f" "$out/completions/$f"
done
# Pages of commands that no longer exist go away; man/mfactl.1.in stays.
rm -f "$out"/man/*.1
cp "$tmp"/out/man/*.1 "$out/man/"
echo "gen-docs: wrote $out/completions/{mfactl.bash,_mfactl,mfactl.fish} and $(find "$tmp/out/man" -name '*.1' | wc -l) man pages in $out/man" >&2
