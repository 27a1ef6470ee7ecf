#!/usr/bin/env bash
# Hostile input: each case ends in a clear error or in sanitized output with a
# warning; never a crash, a hang, a leaked local file or a partial output.
# usage: hostile.sh MTPORT
set -uo pipefail
exe=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
run() { # want-exit name args... ; output goes to $tmp/<name>.json
  local want=$1 name=$2; shift 2
  timeout 60 "$exe" convert --to jsonfeed -o "$tmp/$name.json" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
  local got=$?
  [ $got -ge 124 ] && { bad "$name: crashed or hung (exit $got)"; cat "$tmp/$name.err" | head -5; return; }
  [ "$got" = "$want" ] && ok || { bad "$name: exit $got, want $want"; head -5 "$tmp/$name.err"; }
  if [ "$want" = 3 ]; then
    [ -e "$tmp/$name.json" ] && bad "$name: a failed run left its output" || ok
    grep -Eq "^[^:]+:[0-9]+(:[0-9]+)?: fatal: " "$tmp/$name.err" && ok || bad "$name: no file:line in the error"
  fi
}
valid_json() { /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))' "$1"; }
H='<?xml version="1.0" encoding="utf-8"?>'
A='xmlns="http://www.w3.org/2005/Atom"'
# XXE: an external entity pointing at a local file is never loaded
secret="$tmp/secret.txt"; echo "TOP-SECRET-LINE" > "$secret"
printf '%s\n<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file://%s">]>\n<feed %s><title>t &xxe;</title>\n<entry><id>x</id><title>a &xxe; b</title><content type="html">&xxe;</content></entry></feed>\n' "$H" "$secret" "$A" >"$tmp/xxe.atom"
run 0 xxe "$tmp/xxe.atom"
grep -q TOP-SECRET "$tmp/xxe.json" && bad "xxe: local file content leaked" || ok
grep -q "external-entity" "$tmp/xxe.err" && ok || bad "xxe: no warning"
run 0 xxe-recover --recover "$tmp/xxe.atom"
grep -q TOP-SECRET "$tmp/xxe-recover.json" && bad "xxe --recover: leaked" || ok
# billion laughs: refused by libxml2's expansion limits, quickly
{ printf '%s\n<!DOCTYPE feed [\n<!ENTITY l0 "lol">\n' "$H"
  for i in 1 2 3 4 5 6 7 8 9 10; do printf '<!ENTITY l%d "%s">\n' $i "$(printf '&l%d;' $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)))"; done
  printf ']>\n<feed %s><entry><id>x</id><title>&l10;</title></entry></feed>\n' "$A"; } >"$tmp/bomb.atom"
run 3 bomb "$tmp/bomb.atom"
# quadratic blowup: one big entity referenced many times
big=$(head -c 100000 /dev/zero | tr '\0' 'a')
{ printf '%s\n<!DOCTYPE feed [<!ENTITY a "%s">]>\n<feed %s><entry><id>x</id><title>' "$H" "$big" "$A"
  for i in $(seq 1 2000); do printf '&a;'; done; printf '</title></entry></feed>\n'; } >"$tmp/quad.atom"
run 3 quad "$tmp/quad.atom"
# truncated file: error with position, no output, entries before it counted
printf '%s\n<feed %s><entry><id>1</id><title>one</title></entry>\n<entry><id>2</id><title>tw' "$H" "$A" >"$tmp/trunc.atom"
run 3 trunc "$tmp/trunc.atom"
grep -q "1 entry read before it" "$tmp/trunc.err" && ok || bad "trunc: says how many entries were read"
# 50,000-deep nesting in the XML
{ printf '%s\n<feed %s><entry><id>x</id><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">' "$H" "$A"
  for i in $(seq 1 50000); do printf '<b>'; done; printf 'x'
  for i in $(seq 1 50000); do printf '</b>'; done; printf '</div></content></entry></feed>\n'; } >"$tmp/deep.atom"
run 3 deep "$tmp/deep.atom"
run 0 deep-recover --recover "$tmp/deep.atom"
# invalid UTF-8: refused as malformed, or repaired with a warning
printf '%s\n<feed %s><entry><id>x</id><title>bad \xff\xfe here</title><content type="html">\xc0\xaf</content></entry></feed>\n' "$H" "$A" >"$tmp/utf8.atom"
run 3 utf8 "$tmp/utf8.atom"
run 0 utf8-recover --recover "$tmp/utf8.atom"
valid_json "$tmp/utf8-recover.json" && ok || bad "utf8 --recover: output is not valid UTF-8 JSON"
grep -q "invalid-utf8" "$tmp/utf8-recover.err" && ok || bad "utf8 --recover: no warning"
# control characters (raw and as character references) never reach the output
printf '%s\n<feed %s><entry><id>x</id><title>ctl &#x1; here</title><content type="html">a\x07b</content></entry></feed>\n' "$H" "$A" >"$tmp/ctl.atom"
run 3 ctl "$tmp/ctl.atom"
run 0 ctl-recover --recover "$tmp/ctl.atom"
/usr/bin/python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
for it in d["items"]:
    for v in it.values():
        if isinstance(v,str): assert not any(ord(c)<32 and c not in "\t\n\r" for c in v), v
' "$tmp/ctl-recover.json" && ok || bad "ctl --recover: control characters in output"
# NUL bytes in the middle of the input
printf '%s\n<feed %s><entry><id>x</id><title>a\0b</title></entry></feed>\n' "$H" "$A" >"$tmp/nul.atom"
run 3 nul "$tmp/nul.atom"
# an empty input and a directory are refused clearly
: >"$tmp/empty.atom"
run 3 empty "$tmp/empty.atom"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
