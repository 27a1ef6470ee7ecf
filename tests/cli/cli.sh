#!/usr/bin/env bash
# The mtport command as a user meets it: help, version, formats, exit codes,
# refusing to overwrite, standard input and output.
# usage: cli.sh MTPORT SAMPLES_DIR
set -uo pipefail
exe=$1 samples=$2
sample="$samples/field-notes.atom"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
expect_exit() { # want-code description command...
  local want=$1 what=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  if [ "$got" = "$want" ]; then ok; else bad "$what: exit $got, want $want"; sed 's/^/  /' "$tmp/err" | head -5; fi
}
expect_exit 0 "--version" "$exe" --version
grep -Eq '^mtport [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out" && ok || bad "--version prints 'mtport X.Y.Z'"
expect_exit 0 "--help" "$exe" --help
for c in convert inspect check formats; do
  expect_exit 0 "$c --help" "$exe" $c --help
  grep -q "usage: mtport $c" "$tmp/out" && ok || bad "$c --help shows its usage"
done
expect_exit 2 "no command" "$exe"
expect_exit 2 "unknown command" "$exe" frobnicate
expect_exit 2 "convert without --to" "$exe" convert "$sample"
expect_exit 2 "convert without input" "$exe" convert --to jsonfeed
expect_exit 2 "unknown option" "$exe" convert --to jsonfeed --bogus "$sample"
expect_exit 2 "unknown exporter" "$exe" convert --to nosuch "$sample"
grep -q "jsonfeed" "$tmp/err" && ok || bad "unknown exporter lists the known ones"
expect_exit 2 "option without its value" "$exe" convert --to
expect_exit 0 "formats" "$exe" formats
for name in atom jsonfeed; do grep -q "^  $name " "$tmp/out" && ok || bad "formats lists $name"; done
expect_exit 3 "missing input" "$exe" convert --to jsonfeed "$tmp/nope.atom"
grep -q "nope.atom: fatal: cannot open" "$tmp/err" && ok || bad "missing input is named"
echo "not an export" > "$tmp/junk.txt"
expect_exit 3 "unknown input format" "$exe" convert --to jsonfeed "$tmp/junk.txt"
expect_exit 3 "folder as input" "$exe" convert --to jsonfeed "$tmp"
# output: written atomically, never overwritten without --force
expect_exit 0 "convert to a file" "$exe" convert --to jsonfeed -o "$tmp/feed.json" "$sample"
[ -s "$tmp/feed.json" ] && ok || bad "output file written"
grep -q "4 entries read, 4 written, 0 skipped" "$tmp/err" && ok || bad "summary line"
ls -a "$tmp" | grep -q mtport- && bad "temporary file left behind" || ok
echo keep > "$tmp/exists.json"
expect_exit 4 "existing output" "$exe" convert --to jsonfeed -o "$tmp/exists.json" "$sample"
[ "$(cat "$tmp/exists.json")" = keep ] && ok || bad "existing output left untouched"
grep -q "use --force" "$tmp/err" && ok || bad "existing output suggests --force"
expect_exit 0 "--force" "$exe" convert --to jsonfeed --force -o "$tmp/exists.json" "$sample"
cmp -s "$tmp/exists.json" "$tmp/feed.json" && ok || bad "--force output equals a fresh one"
expect_exit 4 "unwritable output" "$exe" convert --to jsonfeed -o "$tmp/no/such/dir/f.json" "$sample"
# standard input and output
"$exe" convert --to jsonfeed - <"$sample" >"$tmp/stdout.json" 2>"$tmp/err" && ok || bad "stdin to stdout"
cmp -s "$tmp/stdout.json" "$tmp/feed.json" && ok || bad "stdin output equals file output"
cat "$sample" | "$exe" convert --to jsonfeed -o "$tmp/pipe.json" - 2>/dev/null && cmp -s "$tmp/pipe.json" "$tmp/feed.json" && ok || bad "reading from a pipe"
# inspect
expect_exit 0 "inspect" "$exe" inspect "$sample"
grep -q "entries:    4" "$tmp/out" && ok || bad "inspect counts entries"
grep -q "Field Notes & Sketches" "$tmp/out" && ok || bad "inspect shows the title"
expect_exit 0 "inspect --json" "$exe" inspect --json "$sample" "$samples/old-diary.atom"
/usr/bin/python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
assert len(d)==2 and d[0]["entries"]==4 and d[1]["entries"]==2, d
assert d[0]["tags"]==5 and d[0]["categories"]==3, d[0]
assert d[0]["first"]=="2008-03-02T09:00:00Z" and d[1]["format"]=="atom"
' "$tmp/out" && ok || bad "inspect --json values"
# diagnostics name file, line and entry; --quiet hides warnings
printf '<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><id>x</id><published>31/02/2009</published></entry>\n</feed>\n' >"$tmp/bad-date.atom"
expect_exit 0 "bad date is a warning" "$exe" convert --to jsonfeed "$tmp/bad-date.atom"
grep -Eq "bad-date.atom:2(:[0-9]+)?: warning: entry 1 \"x\": .*\[bad-date\]" "$tmp/err" && ok || { bad "warning names file:line and entry"; cat "$tmp/err"; }
expect_exit 0 "quiet" "$exe" convert --quiet --to jsonfeed "$tmp/bad-date.atom"
grep -q "warning:" "$tmp/err" && bad "--quiet hides warnings" || ok
expect_exit 0 "json diagnostics" "$exe" convert --json-diagnostics --to jsonfeed "$tmp/bad-date.atom"
head -1 "$tmp/err" | /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.stdin.readline()); assert d["code"]=="bad-date" and d["line"]==2 and d["entry"]==1' && ok || bad "JSON Lines diagnostics"
# --timezone with an IANA name is DST-aware for the zone-less MT exports
"$exe" convert --quiet --to jsonfeed --include-drafts --timezone Europe/Berlin \
  "$samples/backup.xml" >"$tmp/berlin.json" 2>/dev/null
grep -q '"date_published": "2009-04-12T15:30:00+02:00"' "$tmp/berlin.json" && ok ||
  bad "backup dates in Europe/Berlin summer time"
"$exe" convert --quiet --to jsonfeed --include-drafts --timezone +09:00 \
  "$samples/backup.xml" >"$tmp/tokyo.json" 2>/dev/null
grep -q '"date_published": "2009-04-12T15:30:00+09:00"' "$tmp/tokyo.json" && ok ||
  bad "backup dates at a fixed offset"
# standard input for a two-pass format is spooled in $TMPDIR
mkdir -p "$tmp/spool"
TMPDIR="$tmp/spool" "$exe" convert --quiet --to wxr - <"$samples/field-notes.atom" >"$tmp/stdin.wxr" 2>"$tmp/err" && ok || bad "stdin to wxr"
[ -z "$(ls -A "$tmp/spool")" ] && ok || bad "stdin spool left in TMPDIR: $(ls "$tmp/spool")"
expect_exit 3 "unusable TMPDIR" env TMPDIR="$tmp/none" "$exe" convert --to wxr - <"$samples/field-notes.atom"
grep -q "cannot keep a copy of the posts in \$TMPDIR ($tmp/none)" "$tmp/err" && ok || bad "a spool that cannot be made is named"
# lines past 65,535 (where libxml2's element line numbers stop) are still
# named exactly: the entry's own line and its date's
{ printf '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>\n'
  seq 70000 | sed 's/.*//'
  printf '<entry>\n<id>tag:x,1</id><title>Late</title>\n<published>not a date</published>\n'
  printf '<content type="html">x</content>\n</entry>\n</feed>\n'; } >"$tmp/late.atom"
"$exe" convert --to jekyll -o "$tmp/late-site" "$tmp/late.atom" 2>"$tmp/late.err" >/dev/null
grep -q "late.atom:70005: warning: .*bad-date" "$tmp/late.err" && ok || bad "line of a date past 65535: $(head -2 "$tmp/late.err")"
grep -q "late.atom:70003: warning: .*no-date" "$tmp/late.err" && ok || bad "line of an entry past 65535: $(head -2 "$tmp/late.err")"
# -j with the value attached, and out of range
expect_exit 0 "-j2" "$exe" convert --quiet --to hugo -j2 -o "$tmp/j2site" "$samples/field-notes.atom"
expect_exit 2 "-j0" "$exe" convert --to hugo -j0 -o "$tmp/j0site" "$samples/field-notes.atom"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
