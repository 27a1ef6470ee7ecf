#!/usr/bin/env bash
# Hostile sizes and depths, for every importer that is there and every
# exporter (and mtport check): 100,000-deep nesting in the XML and in the
# body HTML, a 9 MB body through the Markdown converter, a 10 MB
# title (and a 9 MB one, under libxml2's 10,000,000-byte text limit), a
# 200 MB single entry. Each ends in a clear error or in valid output; never a
# crash, a hang or a blown memory budget (peak RSS < 2 GB).
# usage: big.sh MTPORT fast|slow
#   fast: everything but the 200 MB entry written as one CDATA section
#   slow: that one (libxml2 2.9's push parser scans CDATA quadratically)
set -uo pipefail
exe=$1 mode=${2:-fast}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
rss_limit_kb=$((2 * 1024 * 1024))
[ -x /usr/bin/time ] || { echo "SKIP: /usr/bin/time is not installed"; exit 77; }

mapfile -t formats < <("$exe" formats | sed -n '/^output formats:/,$p' | sed -n 's/^  \([a-z0-9-]*\) .*/\1/p')
[ ${#formats[@]} -ge 2 ] && ok || bad "mtport formats lists the exporters"
is_stream() { "$exe" formats | grep -E "^  $1 " | grep -q "FILE"; }
have_check() { "$exe" check --help >/dev/null 2>&1; }

# valid NAME FORMAT PATH: the output parses (stream) or stays sane (folder)
valid() {
  local name=$1 fmt=$2 out=$3
  case $fmt in
  jsonfeed) /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))' "$out" \
              && ok || bad "$name: output is not valid JSON" ;;
  wxr) xmllint --noout --huge "$out" 2>/dev/null && ok || bad "$name: output is not well-formed XML" ;;
  *)
    if [ -d "$out" ]; then
      local long; long=$(find "$out" -mindepth 1 -printf '%f\n' | awk 'length($0) > 255' | head -1)
      [ -z "$long" ] && ok || bad "$name: a file name longer than 255 bytes"
      local f esc=""
      while IFS= read -r -d '' f; do
        case "$(realpath -m "$f")/" in "$(realpath "$out")"/*) ;; *) esc=$f ;; esac
      done < <(find "$out" -mindepth 1 -print0)
      [ -z "$esc" ] && ok || bad "$name: $esc outside the output"
    fi ;;
  esac
}

# conv WANT NAME FORMAT INPUT [ARGS...]: WANT is a |-list of exit codes
conv() {
  local want=$1 name=$2 fmt=$3 in=$4; shift 4
  local out="$tmp/$name.out"
  rm -rf "$out"
  timeout 120 /usr/bin/time -f %M -o "$tmp/$name.rss" \
    "$exe" convert --to "$fmt" -o "$out" "$@" "$in" >/dev/null 2>"$tmp/$name.err"
  local got=$?
  [ $got -ge 124 ] && { bad "$name: crashed or hung (exit $got)"; tail -3 "$tmp/$name.err"; return 1; }
  case "|$want|" in *"|$got|"*) ok ;; *) bad "$name: exit $got, want $want"; head -3 "$tmp/$name.err"; return 1 ;; esac
  local rss; rss=$(tail -1 "$tmp/$name.rss")
  [ "$rss" -lt $rss_limit_kb ] && ok || bad "$name: peak RSS $rss KB"
  echo "$name: exit $got, peak RSS $((rss / 1024)) MB"
  if [ $got -ge 3 ]; then
    grep -Eq '^[^:]+:[0-9]+(:[0-9]+)?: fatal: ' "$tmp/$name.err" && ok || bad "$name: no file:line: fatal: message"
    [ -e "$out" ] && is_stream "$fmt" && bad "$name: a failed run left output" || ok
  else
    valid "$name" "$fmt" "$out"
  fi
  return 0
}

H='<?xml version="1.0" encoding="utf-8"?>'
A='xmlns="http://www.w3.org/2005/Atom"'
N=100000
if [ "$mode" = fast ]; then
  # 100,000-deep XML: xhtml content (Atom), unknown elements (backup)
  /usr/bin/python3 - "$tmp" $N <<'EOF'
import sys
tmp, n = sys.argv[1], int(sys.argv[2])
H = '<?xml version="1.0" encoding="utf-8"?>\n'
with open(f"{tmp}/deep-xml.atom", "w") as f:
    f.write(H + '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>\n')
    f.write('<entry><id>a</id><title>before</title></entry>\n')
    f.write('<entry><id>x</id><title>deep</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">')
    f.write("<b>" * n + "x" + "</b>" * n + "</div></content></entry></feed>\n")
with open(f"{tmp}/deep-xml.xml", "w") as f:
    f.write(H + "<movabletype xmlns='http://www.sixapart.com/ns/movabletype' schema_version='4.0070'>\n")
    f.write("<blog id='1' name='b' site_url='http://h.example/'></blog>\n")
    f.write("<entry id='1' author_id='1' blog_id='1' class='entry' status='2' title='before' basename='before' authored_on='20090101000000'><text>b</text></entry>\n")
    f.write("<plugindata>" + "<x>" * n + "</x>" * n + "</plugindata>\n")
    f.write("<entry id='2' author_id='1' blog_id='1' class='entry' status='2' title='deep' basename='deep' authored_on='20090101000000'><text>"
            + "<x>" * n + "</x>" * n + "</text></entry>\n</movabletype>\n")
# 100,000-deep HTML in a body: escaped in Atom, as text in a backup
deep = "<div>" * n + "<p>x</p>" + "</div>" * n
mixed = "".join("<ul><li>" if i % 2 else "<blockquote><p>" for i in range(n // 2)) + "x" + \
        "".join("</li></ul>" if i % 2 else "</p></blockquote>" for i in reversed(range(n // 2)))
unclosed = "<div><b><i>" * (n // 3) + "x"
def esc(s): return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
with open(f"{tmp}/deep-html.atom", "w") as f:
    f.write(H + '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>\n')
    for i, body in enumerate((deep, mixed, unclosed)):
        f.write(f'<entry><id>h{i}</id><title>deep html {i}</title><published>2010-01-0{i+1}T00:00:00Z</published>'
                f'<content type="html">{esc(body)}</content></entry>\n')
    f.write("</feed>\n")
with open(f"{tmp}/deep-html.xml", "w") as f:
    f.write(H + "<movabletype xmlns='http://www.sixapart.com/ns/movabletype' schema_version='4.0070'>\n")
    f.write("<blog id='1' name='b' site_url='http://h.example/'></blog>\n")
    for i, body in enumerate((deep, mixed, unclosed)):
        f.write(f"<entry id='{i+1}' author_id='1' blog_id='1' class='entry' status='2' title='deep html {i}' "
                f"basename='deep_{i}' authored_on='2009010{i+1}000000' convert_breaks='0'><text>{esc(body)}</text></entry>\n")
    f.write("</movabletype>\n")
# titles: 10 MiB (over libxml2's 10,000,000-byte text node limit) and 9 MB
for name, size in (("title10m", 10 * 1024 * 1024), ("title9m", 9000000)):
    t = ("Tïtle ../../x/ " * (size // 16 + 1))[:size]
    with open(f"{tmp}/{name}.atom", "w") as f:
        f.write(H + '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>\n')
        f.write(f'<entry><id>t</id><title>{t}</title><published>2010-01-01T00:00:00Z</published>'
                '<content type="html">&lt;p&gt;b&lt;/p&gt;</content></entry>\n')
        f.write('<entry><id>u</id><title>after</title><published>2010-01-02T00:00:00Z</published></entry></feed>\n')
    with open(f"{tmp}/{name}.xml", "w") as f:
        f.write(H + "<movabletype xmlns='http://www.sixapart.com/ns/movabletype' schema_version='4.0070'>\n")
        f.write("<blog id='1' name='b' site_url='http://h.example/'></blog>\n")
        f.write(f"<entry id='1' author_id='1' blog_id='1' class='entry' status='2' title='{t}' authored_on='20090101000000'><text>b</text></entry>\n")
        f.write("<entry id='2' author_id='1' blog_id='1' class='entry' status='2' title='after' basename='after' authored_on='20090102000000'><text>b</text></entry>\n</movabletype>\n")
# the largest body libxml2 lets through (a text node under 10,000,000 bytes):
# 9 MB of HTML, through the Markdown converter and its proof
chunk = "&lt;p&gt;" + "lorem ipsum &lt;b&gt;dolor&lt;/b&gt; sit amet " * 30 + "&lt;/p&gt;\n"
with open(f"{tmp}/body9m.atom", "w") as f:
    f.write(H + '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>\n')
    f.write('<entry><id>b</id><title>big</title><published>2010-01-02T00:00:00Z</published><content type="html">')
    for _ in range(9000000 // len(chunk)):
        f.write(chunk)
    f.write('</content></entry>\n<entry><id>c</id><title>after</title><published>2010-01-03T00:00:00Z</published></entry></feed>\n')
# 200 MB single entry, escaped HTML (libxml2 refuses the text node early)
chunk = "&lt;p&gt;" + "lorem ipsum dolor sit amet " * 37 + "&lt;/p&gt;\n"
with open(f"{tmp}/e200m.atom", "w") as f:
    f.write(H + '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>\n')
    f.write('<entry><id>a</id><title>before</title><published>2010-01-01T00:00:00Z</published></entry>\n')
    f.write('<entry><id>b</id><title>big</title><published>2010-01-02T00:00:00Z</published><content type="html">')
    for _ in range(200 * 1024 * 1024 // len(chunk)):
        f.write(chunk)
    f.write('</content></entry>\n<entry><id>c</id><title>after</title></entry></feed>\n')
EOF
  [ $? = 0 ] || { echo "FAIL: generator"; exit 1; }
  for fmt in "${formats[@]}"; do
    # deep XML: refused (libxml2's depth limit) or repaired with --recover
    conv 3 "deep-xml-atom-$fmt" "$fmt" "$tmp/deep-xml.atom"
    grep -q "1 entry read before it" "$tmp/deep-xml-atom-$fmt.err" || grep -q "entries read" "$tmp/deep-xml-atom-$fmt.err" && ok || bad "deep-xml-atom-$fmt: no count"
    conv "0|1" "deep-xml-atom-recover-$fmt" "$fmt" "$tmp/deep-xml.atom" --recover
    conv "0|1|3" "deep-xml-backup-$fmt" "$fmt" "$tmp/deep-xml.xml"
    # deep HTML bodies: the XML is flat, so the entries must all come out
    conv "0|1" "deep-html-atom-$fmt" "$fmt" "$tmp/deep-html.atom"
    grep -q "3 entries read" "$tmp/deep-html-atom-$fmt.err" && ok || bad "deep-html-atom-$fmt: not all 3 entries read"
    conv "0|1" "deep-html-backup-$fmt" "$fmt" "$tmp/deep-html.xml"
    grep -q "3 entries read" "$tmp/deep-html-backup-$fmt.err" && ok || bad "deep-html-backup-$fmt: not all 3 entries read"
    if ! is_stream "$fmt"; then # the bodies, converted, still hold their text
      for in in atom backup; do
        n=$(find "$tmp/deep-html-$in-$fmt.out" -name '*.md' -exec grep -l 'x' {} + 2>/dev/null | wc -l)
        [ "$n" -ge 3 ] && ok || bad "deep-html-$in-$fmt: $n of 3 bodies written with their text"
      done
    fi
    # titles
    conv 3 "title10m-atom-$fmt" "$fmt" "$tmp/title10m.atom"
    conv "0|1|3" "title10m-backup-$fmt" "$fmt" "$tmp/title10m.xml"
    conv "0|1" "title9m-atom-$fmt" "$fmt" "$tmp/title9m.atom"
    grep -q "2 entries read, 2 written" "$tmp/title9m-atom-$fmt.err" && ok || bad "title9m-atom-$fmt: not both entries written"
    conv "0|1" "title9m-backup-$fmt" "$fmt" "$tmp/title9m.xml"
    conv "0|1" "body9m-$fmt" "$fmt" "$tmp/body9m.atom"
    grep -q "2 entries read, 2 written" "$tmp/body9m-$fmt.err" && ok || bad "body9m-$fmt: not both entries written"
    # 200 MB entry: a clear error after the entry before it, in bounded memory
    conv 3 "e200m-$fmt" "$fmt" "$tmp/e200m.atom"
  done
  if have_check; then
    for f in deep-html.atom deep-html.xml; do
      timeout 120 /usr/bin/time -f %M -o "$tmp/check.rss" "$exe" check "$tmp/$f" >/dev/null 2>"$tmp/check.err"
      got=$?
      [ $got -le 1 ] && ok || bad "check $f: exit $got"
    done
    timeout 120 /usr/bin/time -f %M -o "$tmp/check.rss" "$exe" check "$tmp/body9m.atom" >/dev/null 2>&1
    got=$?
    [ $got -le 1 ] && ok || bad "check body9m.atom: exit $got"
    rss=$(tail -1 "$tmp/check.rss")
    [ "$rss" -lt $rss_limit_kb ] && ok || bad "check body9m.atom: peak RSS $rss KB"
    echo "check body9m.atom: exit $got, peak RSS $((rss / 1024)) MB"
  fi
else
  # the 200 MB entry as one CDATA section
  /usr/bin/python3 - "$tmp" <<'EOF'
import sys
tmp = sys.argv[1]
chunk = "<p>" + "lorem ipsum dolor sit amet " * 37 + "</p>\n"
with open(f"{tmp}/c200m.atom", "w") as f:
    f.write('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>\n')
    f.write('<entry><id>a</id><title>before</title><published>2010-01-01T00:00:00Z</published></entry>\n')
    f.write('<entry><id>b</id><title>big</title><published>2010-01-02T00:00:00Z</published><content type="html"><![CDATA[')
    for _ in range(200 * 1024 * 1024 // len(chunk)):
        f.write(chunk)
    f.write(']]></content></entry>\n<entry><id>c</id><title>after</title></entry></feed>\n')
EOF
  for fmt in "${formats[@]}"; do
    is_stream "$fmt" || continue
    conv 3 "c200m-$fmt" "$fmt" "$tmp/c200m.atom"
    break # one exporter: the time goes into the parser, the same for all
  done
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
