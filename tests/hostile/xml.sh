#!/usr/bin/env bash
# The XML attacks of hostile.sh (and a few more: parameter entities, an
# external DTD, XInclude, a DTD on an unreachable host) through every XML
# importer (Atom, backup) and every exporter, plus invalid UTF-8, control
# characters and NUL bytes through every importer. Each run ends in a clear
# error or in output without the attack's effect: no local file content, no
# expansion, no network wait, valid UTF-8, no control characters or NULs.
# usage: xml.sh MTPORT
set -uo pipefail
exe=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
mapfile -t formats < <("$exe" formats | sed -n '/^output formats:/,$p' | sed -n 's/^  \([a-z0-9-]*\) .*/\1/p')
[ ${#formats[@]} -ge 2 ] && ok || bad "mtport formats lists the exporters"
have_input() { "$exe" formats | sed -n '/^input formats:/,/^output/p' | grep -E "^  $1 " | grep -vq "not yet implemented"; }
secret="$tmp/secret.txt"; echo "TOP-SECRET-LINE" >"$secret"
printf '<!ENTITY %% s SYSTEM "file://%s">\n<!ENTITY %% w "<!ENTITY leak SYSTEM &#x27;file://%s&#x27;>">\n%%w;\n<!ENTITY dtdleak "TOP-SECRET-FROM-DTD">\n' "$secret" "$secret" >"$tmp/evil.dtd"

# doc KIND NAME PROLOG TITLE BODY: an Atom feed or a backup with one entry
# (plus a plain one before it) whose title and body hold the attack.
doc() {
  local kind=$1 name=$2 prolog=$3 title=$4 body=$5
  if [ "$kind" = atom ]; then
    printf '<?xml version="1.0" encoding="utf-8"?>\n%s\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:xi="http://www.w3.org/2001/XInclude"><title>t</title>\n' "$prolog"
    printf '<entry><id>a</id><title>plain</title><published>2010-01-01T00:00:00Z</published></entry>\n'
    printf '<entry><id>b</id><title>%s</title><published>2010-01-02T00:00:00Z</published><content type="html">%s</content></entry>\n</feed>\n' "$title" "$body"
  else
    printf '<?xml version="1.0" encoding="utf-8"?>\n%s\n<movabletype xmlns="http://www.sixapart.com/ns/movabletype" xmlns:xi="http://www.w3.org/2001/XInclude" schema_version="4.0070">\n' "$prolog"
    printf '<blog id="1" name="b" site_url="http://h.example/"></blog>\n'
    printf '<entry id="1" author_id="1" blog_id="1" class="entry" status="2" title="plain" basename="plain" authored_on="20090101000000"><text>p</text></entry>\n'
    printf '<entry id="2" author_id="1" blog_id="1" class="entry" status="2" title="%s" basename="b" authored_on="20090102000000"><text>%s</text></entry>\n</movabletype>\n' "$title" "$body"
  fi >"$tmp/$name"
}

# check NAME FORMAT ARGS...: runs; exit 0, 1 or 3; a 3 names file:line
check() {
  local name=$1 fmt=$2; shift 2
  local out="$tmp/$name.$fmt.out"
  rm -rf "$out"
  SECONDS=0
  timeout 60 "$exe" convert --to "$fmt" -o "$out" "$@" >/dev/null 2>"$tmp/err"
  local got=$? took=$SECONDS
  [ $got -ge 124 ] && { bad "$name -> $fmt: crashed or hung (exit $got)"; head -3 "$tmp/err"; return 1; }
  case $got in 0 | 1 | 3) ok ;; *) bad "$name -> $fmt: exit $got"; head -3 "$tmp/err" ;; esac
  [ $took -le 20 ] && ok || bad "$name -> $fmt: took $took s (a network wait or an expansion?)"
  if [ $got = 3 ]; then
    grep -Eq '^[^:]+:[0-9]+(:[0-9]+)?: fatal: ' "$tmp/err" && ok || bad "$name -> $fmt: no file:line: fatal: message"
  fi
  [ -e "$out" ] || return 1
  # nothing secret, valid UTF-8, no C0 controls but tab/LF/CR, no NUL
  if grep -rqa "TOP-SECRET" "$out"; then bad "$name -> $fmt: local file content leaked"; else ok; fi
  local f badf=""
  while IFS= read -r -d '' f; do
    iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 || badf="$badf invalid-UTF-8:${f#"$out"}"
    LC_ALL=C grep -qaP '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]' "$f" && badf="$badf control:${f#"$out"}"
  done < <(find "$out" -type f -print0)
  [ -z "$badf" ] && ok || bad "$name -> $fmt:$badf"
  local size; size=$(du -sb "$out" | cut -f1)
  [ "$size" -lt 5000000 ] && ok || bad "$name -> $fmt: $size bytes of output (an expansion?)"
  return 0
}

for kind in atom backup; do
  ext=$([ $kind = atom ] && echo atom || echo xml)
  doc $kind "xxe.$ext" "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file://$secret\">]>" 'a &xxe; b' '&xxe;'
  doc $kind "xxe-param.$ext" "<!DOCTYPE x [<!ENTITY % p SYSTEM \"file://$tmp/evil.dtd\"> %p;]>" 'a &dtdleak; b' '&leak;'
  doc $kind "ext-dtd.$ext" "<!DOCTYPE x SYSTEM \"file://$tmp/evil.dtd\">" 'a &dtdleak; b' '&leak;'
  doc $kind "net-dtd.$ext" '<!DOCTYPE x SYSTEM "http://10.255.255.1/evil.dtd">' 'net' '&lt;p&gt;x&lt;/p&gt;'
  doc $kind "net-entity.$ext" '<!DOCTYPE x [<!ENTITY n SYSTEM "http://10.255.255.1/n.txt">]>' 'a &n; b' '&n;'
  if [ $kind = atom ]; then
    doc $kind "xinclude.$ext" '' 'xi' "<xi:include href=\"file://$secret\" parse=\"text\"/>"
  else
    doc $kind "xinclude.$ext" '' 'xi' "<xi:include href=\"file://$secret\" parse=\"text\"/>"
  fi
  { printf '<!DOCTYPE x [\n<!ENTITY l0 "lol">\n'
    for i in 1 2 3 4 5 6 7 8 9 10; do printf '<!ENTITY l%d "%s">\n' $i "$(for j in 1 2 3 4 5 6 7 8 9 10; do printf '&l%d;' $((i-1)); done)"; done
    printf ']>'; } >"$tmp/bomb.prolog"
  doc $kind "bomb.$ext" "$(cat "$tmp/bomb.prolog")" '&l10;' '&l9;'
  big=$(head -c 100000 /dev/zero | tr '\0' 'a')
  doc $kind "quad.$ext" "<!DOCTYPE x [<!ENTITY a \"$big\">]>" "$(for i in $(seq 1 500); do printf '&a;'; done)" '&a;&a;'
  doc $kind "utf8.$ext" '' $'bad \xff\xfe \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 here' $'\xe0\x80\xaf overlong'
  doc $kind "ctl.$ext" '' 'ctl &#x1; &#x1b; here' $'a\x07b\x1bc'
  doc $kind "nul.$ext" '' $'a' 'b'
  printf 'x\0y' >>"$tmp/nul.$ext" # a NUL after the end
  sed -i "s/<title>plain</<title>pl\x00ain</; s/title=\"plain\"/title=\"pl\x00ain\"/" "$tmp/nul.$ext"
  for fmt in "${formats[@]}"; do
    for a in xxe xxe-param ext-dtd net-dtd net-entity xinclude bomb quad utf8 ctl nul; do
      check "$a.$ext" "$fmt" "$tmp/$a.$ext"
      check "$a.$ext-recover" "$fmt" --recover "$tmp/$a.$ext"
    done
    # the ones that must be refused without --recover
    for a in bomb quad nul; do
      "$exe" convert --to "$fmt" -o "$tmp/r.out" "$tmp/$a.$ext" >/dev/null 2>&1
      got=$?
      [ $got = 3 ] && ok || bad "$a.$ext -> $fmt: exit $got, want 3 (refused)"
      rm -rf "$tmp/r.out"
    done
    # invalid UTF-8: refused, or repaired with a warning (the backup reader
    # repairs: real backups carry stray bytes)
    "$exe" convert --to "$fmt" -o "$tmp/r.out" "$tmp/utf8.$ext" >/dev/null 2>"$tmp/err"
    got=$?
    [ $got = 3 ] || { [ $got = 0 ] && grep -q "invalid-utf8" "$tmp/err"; } && ok || bad "utf8.$ext -> $fmt: exit $got, neither refused nor warned"
    rm -rf "$tmp/r.out"
  done
done

if have_input mt-text; then
  txt() { # name title body: one plain entry and one hostile one
    printf 'TITLE: plain\nBASENAME: plain\nSTATUS: Publish\nCONVERT BREAKS: 0\nDATE: 01/01/2009 12:00:00 AM\n-----\nBODY:\np\n-----\n--------\n'
    printf 'TITLE: %b\nBASENAME: b\nSTATUS: Publish\nCONVERT BREAKS: 0\nDATE: 01/02/2009 12:00:00 AM\n-----\nBODY:\n%b\n-----\n--------\n' "$2" "$3"
  }
  txt x 'bad \xff\xfe \xc0\xaf \xed\xa0\x80 here' '\xe0\x80\xaf overlong' >"$tmp/utf8.txt"
  txt x 'ctl \001 \033 here' 'a\007b\033c' >"$tmp/ctl.txt"
  txt x 'nul \000 here' 'a\000b' >"$tmp/nul.txt"
  printf '\0\0\0' >>"$tmp/nul.txt"
  txt x '&lt;!ENTITY x SYSTEM "file://'"$secret"'"&gt; &x;' '<!DOCTYPE x [<!ENTITY x SYSTEM "file://'"$secret"'">]> &x;' >"$tmp/ent.txt"
  for fmt in "${formats[@]}"; do
    for a in utf8 ctl nul ent; do check "$a.txt" "$fmt" "$tmp/$a.txt"; done
    # what was removed or reinterpreted is reported
    for a in ctl nul; do
      "$exe" convert --to "$fmt" -o "$tmp/r.out" "$tmp/$a.txt" >/dev/null 2>"$tmp/err"
      grep -qE ':[0-9]+:[0-9]+: warning: .*control' "$tmp/err" && ok || bad "$a.txt -> $fmt: control characters removed without a warning"
      rm -rf "$tmp/r.out"
    done
    "$exe" convert --to "$fmt" -o "$tmp/r.out" "$tmp/utf8.txt" >/dev/null 2>"$tmp/err"
    grep -qE 'legacy-encoding|invalid-utf8|invalid-text' "$tmp/err" && ok || bad "utf8.txt -> $fmt: bytes that are not UTF-8 read without a word"
    rm -rf "$tmp/r.out"
  done
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
