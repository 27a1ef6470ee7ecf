#!/usr/bin/env bash
# Hostile inputs that once got through (issue #17), one case per run.
# usage: issue17.sh CASE MTPORT SAMPLES_DIR
#   lists    one post with 10,000 and 40,000 tags, categories, comments,
#            authors, attributes... reads in linear time, in every format
#   inputs   devices are refused; a text line or entry past its cap, and
#            1 MB before an XML root, stop with an error in bounded memory
#   refs     references to controls and noncharacters reach no output
#   names    bidi and format characters leave file names; NFC, NFD and
#            case spellings of one title collide
#   dates    WXR dates stay within MySQL's years 1000-9999
#   options  option values that cannot be written are refused (exit 2)
set -uo pipefail
case_=$1 exe=$2 samples=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
py=/usr/bin/python3

# a conversion: its CPU seconds (user + system) in $secs, exit code in $rc
cpu() {
  /usr/bin/time -f "%U %S" -o "$tmp/time" timeout 120 "$exe" convert -q "$@" \
    >/dev/null 2>"$tmp/err"
  rc=$?
  secs=$(awk '{printf "%.3f", $1 + $2}' "$tmp/time" 2>/dev/null)
  : "${secs:=999}"
}

case $case_ in
lists)
  # 4x the items must cost well under 16x the time (quadratic); the
  # ratio allows for noise on a shared machine
  for kind in atom-tags atom-cats atom-authors atom-links txt-tags txt-cats \
      txt-primary txt-comments bak-tags bak-cats bak-comments bak-fileinfo; do
    $py "$here/lists.py" "$kind" 10000 >"$tmp/small" || bad "lists.py $kind"
    $py "$here/lists.py" "$kind" 40000 >"$tmp/large" || bad "lists.py $kind"
    fmts="jsonfeed"
    case $kind in *tags|*cats|*comments) fmts="jsonfeed wxr hugo" ;; esac
    for fmt in $fmts; do
      rm -rf "$tmp/o"; cpu --to "$fmt" -o "$tmp/o" "$tmp/small"; a=$secs
      [ $rc = 0 ] && ok || { bad "$kind $fmt 10k: exit $rc"; head -3 "$tmp/err"; }
      rm -rf "$tmp/o"; cpu --to "$fmt" -o "$tmp/o" "$tmp/large"; b=$secs
      [ $rc = 0 ] && ok || { bad "$kind $fmt 40k: exit $rc"; head -3 "$tmp/err"; }
      if awk -v a="$a" -v b="$b" 'BEGIN { exit !(b <= 8 * a + 0.3) }'; then ok
      else bad "$kind -> $fmt: 10k items $a s, 40k items $b s (not linear)"; fi
    done
  done
  # the JSON Feed has each of 40,000 tags once
  $py "$here/lists.py" atom-tags 40000 >"$tmp/t.atom"
  "$exe" convert -q --to jsonfeed -o "$tmp/t.json" "$tmp/t.atom" 2>/dev/null
  $py -c 'import json,sys; t=json.load(open(sys.argv[1]))["items"][0]["tags"]; assert len(t)==len(set(t))==40000, len(t)' \
    "$tmp/t.json" && ok || bad "40,000 tags in the JSON Feed"
  # an element with more than 512 attributes is refused, quickly
  $py "$here/lists.py" bak-attrs 40000 >"$tmp/attrs.xml"
  cpu --to jsonfeed -o "$tmp/attrs.json" "$tmp/attrs.xml"; t=$secs
  [ $rc = 3 ] && ok || bad "40,000 attributes: exit $rc, want 3"
  grep -q "more than 512 attributes" "$tmp/err" && ok || bad "40,000 attributes: no message"
  awk -v t="$t" 'BEGIN { exit !(t < 2) }' && ok || bad "40,000 attributes took $t s"
  $py "$here/lists.py" bak-attrs 500 >"$tmp/attrs.xml"
  "$exe" convert -q --to jsonfeed -o "$tmp/attrs.json" "$tmp/attrs.xml" 2>"$tmp/err" && ok ||
    { bad "500 attributes are read"; head -3 "$tmp/err"; }
  ;;

inputs)
  # devices never end: refused before they are read, for every format
  for f in mt-text mt-backup atom; do
    timeout 20 "$exe" convert -f "$f" --to jsonfeed -o "$tmp/z.json" /dev/zero 2>"$tmp/err"
    rc=$?
    [ $rc = 3 ] && ok || bad "-f $f /dev/zero: exit $rc, want 3"
    grep -q "/dev/zero: fatal: refused: a character device" "$tmp/err" && ok || bad "-f $f /dev/zero: no message"
    [ -e "$tmp/z.json" ] && bad "-f $f /dev/zero: output left" || ok
  done
  timeout 20 "$exe" convert --to jsonfeed -o "$tmp/z.json" "$tmp" 2>"$tmp/err"
  [ $? = 3 ] && grep -q "refused: a folder" "$tmp/err" && ok || bad "a folder is refused"
  timeout 20 "$exe" convert --to jsonfeed -o "$tmp/z.json" - </dev/zero 2>"$tmp/err"
  [ $? = 3 ] && grep -q "refused: a character device" "$tmp/err" && ok || bad "/dev/zero on stdin is refused"
  # a split backup's part planted as a link to /dev/zero
  cp "$samples/backup.xml" "$tmp/site-1.xml"
  ln -s /dev/zero "$tmp/site-2.xml"
  timeout 20 "$exe" convert --to jsonfeed -o "$tmp/z.json" "$tmp/site-1.xml" 2>"$tmp/err"
  rc=$?
  [ $rc = 3 ] && ok || bad "site-2.xml -> /dev/zero: exit $rc, want 3"
  grep -q "site-2.xml', is not a regular file" "$tmp/err" && ok || { bad "site-2.xml: no message"; head -3 "$tmp/err"; }
  # through a pipe, the caps hold and memory stays bounded (peak RSS, KB)
  peak() { # FORMAT BYTES-COMMAND...
    local f=$1; shift
    "$@" | /usr/bin/time -f %M -o "$tmp/rss" timeout 60 "$exe" convert -f "$f" \
      --to jsonfeed -o "$tmp/p.json" - 2>"$tmp/err"
    rc=${PIPESTATUS[1]}
    cat "$tmp/rss" | tail -1
  }
  zeros() { head -c 400M /dev/zero; }
  lines() { yes "a line of text" | head -c 400M; }
  blanks() { printf '<?xml version="1.0"?>\n'; head -c 400M /dev/zero | tr '\0' ' '; }
  for spec in "mt-text zeros line" "mt-text lines entry" "mt-backup zeros before" \
      "atom zeros before" "mt-backup blanks before" "atom blanks before"; do
    set -- $spec
    kb=$(peak "$1" "$2")
    [ "$rc" = 3 ] && ok || bad "$1 <$2>: exit $rc, want 3"
    grep -q "fatal: .*$3" "$tmp/err" && ok || { bad "$1 <$2>: no message about the $3"; head -2 "$tmp/err"; }
    [ "${kb:-999999}" -lt 300000 ] && ok || bad "$1 <$2>: peak RSS ${kb} KB"
  done
  # the entries before an overlong line are still written
  { cat "$samples/blog.txt"; printf 'TITLE: long\n-----\nBODY:\n'; head -c 11M /dev/zero | tr '\0' 'x'; echo; } >"$tmp/long.txt"
  "$exe" convert --to jsonfeed -o "$tmp/long.json" "$tmp/long.txt" 2>"$tmp/err"
  rc=$?
  [ $rc = 3 ] && ok || bad "long line: exit $rc, want 3"
  grep -q "fatal: a line longer than 10 MB" "$tmp/err" && ok || bad "long line: no message"
  grep -q "5 entries read before it" "$tmp/err" && ok || { bad "long line: entries before it"; head -3 "$tmp/err"; }
  ;;

refs)
  cat >"$tmp/refs.txt" <<'EOF'
AUTHOR: Ann
TITLE: T&#x1B;a&#xFFFE;b&#xFFFF;c&#x10FFFF;d&#x80;e&#x9F;f&#x81;g&#1;h&#xFDD0;i&#27
DATE: 01/01/2009 12:00:00 AM
TAGS: plain
-----
BODY:
<p>B&#x1B;o&#xFFFE;d&#x10FFFF;y&#x80;&#x9F;&#27;&#0;&#x1FFFF;</p>
-----
EXTENDED BODY:
m&#x1b;ore &#150; dash
-----
EXCERPT:
Ex&#x1B;c&#xFFFF;
-----
COMMENT:
AUTHOR: Bob
DATE: 01/01/2009 12:00:00 AM
Com&#x1B;ment&#xFFFE; &#x80;
-----
--------
EOF
  for fmt in jsonfeed wxr hugo jekyll; do
    "$exe" convert --to "$fmt" -o "$tmp/r.$fmt" "$tmp/refs.txt" 2>"$tmp/err.$fmt" && ok ||
      { bad "refs -> $fmt failed"; head -3 "$tmp/err.$fmt"; }
    grep -q "character reference(s) to a control character" "$tmp/err.$fmt" && ok || bad "refs -> $fmt: no warning"
  done
  # no forbidden code point, raw or escaped or as a reference, anywhere
  $py - "$tmp" <<'EOF' && ok || bad "a forbidden code point reached an output"
import glob, os, re, sys
t = sys.argv[1]
raw = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0001ffff\U0010fffe\U0010ffff]')
esc = re.compile(r'\\u00(1[0-9a-f]|0[0-8bcef]|7f|[89][0-9a-f])|\\e|\\x[0-9a-f]{2}|\\u(fffe|ffff|fdd0)|\\U0010ffff|&#(x0*(1b|1|0|fffe|ffff|10ffff|80|81|9f|fdd0|1ffff)|0*(27|1|0|128|129|159|64976))(?![0-9a-f])', re.I)
files = [os.path.join(t, 'r.jsonfeed'), os.path.join(t, 'r.wxr')]
files += [f for d in ('r.hugo', 'r.jekyll') for f in glob.glob(os.path.join(t, d, '**', '*'), recursive=True) if os.path.isfile(f)]
bad = 0
for f in files:
    s = open(f, encoding='utf-8').read()
    for m in list(raw.finditer(s)) + list(esc.finditer(s)):
        print('  ', f, repr(s[max(0, m.start() - 12):m.end() + 4]))
        bad = 1
sys.exit(bad)
EOF
  # references to C1 code points read as windows-1252, as HTML does
  grep -q '"title": "Tabcd€eŸfghi"' "$tmp/r.jsonfeed" && ok || { bad "C1 references in the title"; grep '"title"' "$tmp/r.jsonfeed"; }
  grep -rq 'more – dash' "$tmp/r.hugo/content" && ok || bad "&#150; is an en dash"
  ;;

names)
  # U+061C, U+202E, U+2066..9, U+200B..F, U+00AD and U+FEFF leave no trace;
  # 한글 as syllables (NFC) and as jamo (NFD), and Straße/STRASSE, collide
  { printf 'TITLE: ab\xd8\x9ccd\nDATE: 01/01/2009 12:00:00 AM\n-----\nBODY:\nx\n-----\n--------\n'
    printf 'TITLE: ef\xe2\x80\xaegh\xe2\x81\xa6ij\xe2\x81\xa9\xe2\x80\x8bk\xc2\xadl\xef\xbb\xbfm\nDATE: 01/02/2009 12:00:00 AM\n-----\nBODY:\nx\n-----\n--------\n'
    printf 'TITLE: \xed\x95\x9c\xea\xb8\x80\nDATE: 01/03/2009 12:00:00 AM\n-----\nBODY:\nnfc\n-----\n--------\n'
    printf 'TITLE: \xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab\xe1\x84\x80\xe1\x85\xb3\xe1\x86\xaf\nDATE: 01/04/2009 12:00:00 AM\n-----\nBODY:\nnfd\n-----\n--------\n'
    printf 'TITLE: \xce\x86\xce\xa3\xce\xa9\nDATE: 01/05/2009 12:00:00 AM\n-----\nBODY:\nupper\n-----\n--------\n'
    printf 'TITLE: \xce\xac\xcf\x83\xcf\x89\nDATE: 01/06/2009 12:00:00 AM\n-----\nBODY:\nlower\n-----\n--------\n'
  } >"$tmp/names.txt"
  for fmt in hugo jekyll; do
    "$exe" convert -q --to "$fmt" -o "$tmp/$fmt" "$tmp/names.txt" 2>"$tmp/err" && ok ||
      { bad "names -> $fmt failed"; head -3 "$tmp/err"; }
    $py - "$tmp/$fmt" <<'EOF' && ok || bad "$fmt: file names"
import os, sys, unicodedata
names = [f for d, _, fs in os.walk(sys.argv[1]) for f in fs if f.endswith('.md') and 'content' in d or d.endswith('_posts') and f.endswith('.md')]
err = 0
for n in names:
    if any(unicodedata.category(c) == 'Cf' for c in n):
        print('   format character in', repr(n)); err = 1
    if unicodedata.normalize('NFC', n) != n:
        print('   not NFC:', repr(n)); err = 1
folded = [unicodedata.normalize('NFC', n).casefold() for n in names]
if len(set(folded)) != len(folded):
    print('   names equal after NFC and case folding:', sorted(names)); err = 1
if len(names) != 6:
    print('   want 6 posts, got', sorted(names)); err = 1
if not any(n.startswith('abcd') or '-abcd' in n for n in names) or not any('efghijklm' in n for n in names):
    print('   letters not joined across the format characters:', sorted(names)); err = 1
sys.exit(err)
EOF
  done
  ;;

dates)
  cat >"$tmp/dates.atom" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>d</title><id>tag:d</id><updated>2009-01-01T00:00:00Z</updated>
<entry><title>zero</title><id>tag:d,1</id><published>0000-01-01T00:00:00+14:00</published><updated>0000-01-01T00:00:00+14:00</updated><content type="html">a</content></entry>
<entry><title>zero</title><id>tag:d,2</id><published>0000-01-01T00:00:00+14:00</published><updated>0000-01-01T00:00:00+14:00</updated><content type="html">a</content></entry>
<entry><title>big</title><id>tag:d,3</id><published>9999-12-31T23:59:59-14:00</published><updated>9999-12-31T23:59:59-14:00</updated><content type="html">b</content></entry>
<entry><title>big</title><id>tag:d,4</id><published>9999-12-31T23:59:59-14:00</published><updated>9999-12-31T23:59:59-14:00</updated><content type="html">b</content></entry>
<entry><title>fine</title><id>tag:d,5</id><published>2009-04-12T15:30:00+09:00</published><updated>2009-04-12T15:30:00+09:00</updated><content type="html">c</content></entry>
</feed>
EOF
  timeout 20 "$exe" convert --to wxr -o "$tmp/d.wxr" "$tmp/dates.atom" 2>"$tmp/err" && ok || { bad "dates -> wxr"; head -3 "$tmp/err"; }
  [ "$(grep -c 'date-out-of-range' "$tmp/err")" = 4 ] && ok || bad "want 4 date-out-of-range warnings"
  $py - "$tmp/d.wxr" <<'EOF' && ok || bad "WXR dates"
import re, sys
s = open(sys.argv[1]).read()
ds = re.findall(r'<wp:(post_date|post_date_gmt|post_modified|post_modified_gmt)><!\[CDATA\[([^]]*)\]\]>', s)
err = 0
for k, v in ds:
    if not re.fullmatch(r'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d', v) or not '1000' <= v[:4] <= '9999':
        print('   invalid', k, v); err = 1
pairs = [(a, b) for (k1, a), (k2, b) in zip(ds, ds[1:]) if k1 == 'post_date' and k2 == 'post_date_gmt']
if len(pairs) != 5 or len(set(pairs)) != 5:
    print('   posts not kept apart:', pairs); err = 1
if ('2009-04-12 15:30:00', '2009-04-12 06:30:00') not in pairs:
    print('   an ordinary date moved'); err = 1
if ('1000-01-01 14:00:00', '1000-01-01 00:00:00') not in pairs or ('9999-12-31 09:59:59', '9999-12-31 23:59:59') not in pairs:
    print('   not the nearest dates inside:', pairs); err = 1
sys.exit(err)
EOF
  ;;

options)
  nl=$'a\nb'
  expect2() { # NAME OPTION-NAME ARGS...
    local name=$1 opt=$2; shift 2
    rm -rf "$tmp/site"
    "$exe" convert --to hugo --scaffold -o "$tmp/site" "$@" "$samples/blog.txt" >/dev/null 2>"$tmp/err"
    local got=$?
    [ $got = 2 ] && ok || bad "$name: exit $got, want 2"
    grep -q -- "$opt" "$tmp/err" && ok || { bad "$name: the message does not name $opt"; head -2 "$tmp/err"; }
    [ -e "$tmp/site" ] && bad "$name: wrote a site" || ok
  }
  expect2 "title with a newline" --title --title "$nl"
  expect2 "title with a tab" --title --title $'a\tb'
  expect2 "title not UTF-8" --title --title $'caf\xe9'
  expect2 "base-url with a newline" --base-url --base-url $'https://example.com/\nx'
  expect2 "base-url relative" --base-url --base-url "example.com/blog"
  expect2 "base-url ftp" --base-url --base-url "ftp://example.com/"
  expect2 "base-url without host" --base-url --base-url "https:///x"
  expect2 "base-url with a space" --base-url --base-url "https://example.com/a b"
  expect2 "site-url relative" --site-url --site-url "/blog"
  expect2 "set title" --set --set "title=$nl"
  expect2 "set base-url" --set --set "base-url=javascript:alert(1)"
  expect2 "section with a newline" --section --section "$nl"
  # good values still work, and reach the site
  rm -rf "$tmp/site"
  "$exe" convert -q --to hugo --scaffold -o "$tmp/site" \
    --base-url "https://new.example/blog/" "$samples/blog.txt" 2>"$tmp/err" && ok || { bad "good options"; head -3 "$tmp/err"; }
  grep -q "https://new.example/blog/" "$tmp/site/config.yaml" && ok || bad "base-url in config.yaml"
  "$exe" convert -q --to jsonfeed -o "$tmp/feed.json" --title "Ünïcode — title" \
    --base-url "https://new.example/blog/" "$samples/blog.txt" 2>"$tmp/err" && ok || { bad "good options"; head -3 "$tmp/err"; }
  grep -q '"title": "Ünïcode — title"' "$tmp/feed.json" && ok || bad "title in the JSON Feed"
  ;;
*) echo "unknown case $case_"; exit 2 ;;
esac
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
