#!/usr/bin/env bash
# Hostile names and hostile surroundings, for every importer and exporter:
# path traversal through titles, basenames and categories ("../../x",
# absolute paths, "..", control characters, NUL), symlinks planted in the
# output folder, an existing output (never overwritten without --force),
# input from a pipe, standard output or error closed.
# Every written file must stay inside the output folder; every entry read is
# written or reported.
# usage: paths.sh MTPORT SAMPLES_DIR
set -uo pipefail
exe=$1 samples=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
tmp=$(realpath "$tmp")
pass=0 fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
abs="$tmp/abs" # an absolute path named by the inputs: must never appear
passwd_sum=$(sha256sum /etc/passwd)

mapfile -t formats < <("$exe" formats | sed -n '/^output formats:/,$p' | sed -n 's/^  \([a-z0-9-]*\) .*/\1/p')
[ ${#formats[@]} -ge 2 ] && ok || bad "mtport formats lists the exporters"
is_stream() { "$exe" formats | grep -E "^  $1 " | grep -q "FILE"; }
have_input() { "$exe" formats | sed -n '/^input formats:/,/^output/p' | grep -E "^  $1 " | grep -vq "not yet implemented"; }

# ---- hostile inputs ---------------------------------------------------
inputs=()
H='<?xml version="1.0" encoding="utf-8"?>'
C='scheme="http://www.sixapart.com/ns/types#category"'
T='scheme="http://www.sixapart.com/ns/types#tag"'
atom_entry() { # n title href category tag
  printf '<entry><title>%s</title><link rel="alternate" type="text/html" href="%s"/>' "$2" "$3"
  printf '<id>tag:h.example,2010://1.%s</id><published>2010-05-0%sT10:00:00Z</published>' "$1" "$1"
  printf '<category term="%s" %s/><category term="t%s" label="%s" %s/>' "$4" "$C" "$1" "$5" "$T"
  printf '<content type="html">&lt;p&gt;body %s&lt;/p&gt;</content></entry>\n' "$1"
}
{ printf '%s\n<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><link rel="alternate" href="https://h.example/"/>\n' "$H"
  atom_entry 1 "../../x" "https://h.example/2010/05/..%2F..%2Fescape1.html" "../../cat" "../../tag"
  atom_entry 2 "$abs/pwned" "https://h.example/../../../escape2.html" "$abs/cat" "$abs/tag"
  atom_entry 3 ".." "https://h.example/2010/05/.." ".." "."
  atom_entry 4 "/etc/passwd" "https://h.example/2010/05/%2Fetc%2Fpasswd" "/etc/passwd" "/etc"
  atom_entry 5 "a\\..\\..\\b &#x202E;txt.exe" "https://h.example/2010/05/a%5C..%5Cb.html" "a/../../b" "..\\.."
  atom_entry 6 "tab&#9;and&#10;newline" "https://h.example/2010/05/%01%1f%7f.html" "%2e%2e" "~"
  printf '</feed>\n'; } >"$tmp/traversal.atom"
inputs+=("traversal.atom:6")

bk_entry() { # id basename title
  printf "<entry id='%s' allow_comments='1' author_id='1' authored_on='2009041215300%s' basename='%s' blog_id='1' class='entry' status='2' title='%s'><text>body %s</text></entry>\n" "$1" "${1: -1}" "$2" "$3" "$1"
}
{ printf "<?xml version='1.0'?>\n<movabletype xmlns='http://www.sixapart.com/ns/movabletype' schema_version='4.0070'>\n"
  printf "<blog id='1' name='b' site_url='http://h.example/blog/' file_extension='html'></blog>\n"
  printf "<author id='1' basename='../../ada' name='../../ada' email='a@h.example' status='1' type='1'></author>\n"
  printf "<category id='3' author_id='1' basename='../..' blog_id='1' class='category' label='../../cat' parent='0'></category>\n"
  printf "<category id='4' author_id='1' basename='%s' blog_id='1' class='category' label='%s' parent='3'></category>\n" "$abs" "$abs"
  printf "<category id='5' author_id='1' basename='..' blog_id='1' class='category' label='..' parent='4'></category>\n"
  printf "<folder id='7' author_id='1' basename='../../../pages' blog_id='1' class='folder' label='..' parent='0'></folder>\n"
  bk_entry 101 "../../x" "../../x"
  bk_entry 102 "$abs/pwned" "$abs/pwned"
  bk_entry 103 ".." ".."
  bk_entry 104 "" "/etc/passwd"
  bk_entry 105 "a/../../b" "a\\..\\b"
  bk_entry 106 "ctl&#9;&#10;x" "ctl&#9;&#10;x"
  printf "<page id='107' author_id='1' authored_on='20090412153000' basename='../../../page' blog_id='1' class='page' status='2' title='../../page'><text>page</text></page>\n"
  for e in 101 102 103 104 105 106; do
    printf "<placement id='%s' blog_id='1' category_id='%s' entry_id='%s' is_primary='1'></placement>\n" $((e + 100)) $((3 + e % 3)) "$e"
  done
  printf "<placement id='300' blog_id='1' category_id='7' entry_id='107' is_primary='1'></placement>\n"
  printf "</movabletype>\n"; } >"$tmp/traversal.xml"
inputs+=("traversal.xml:7")

if have_input mt-text; then
  txt_entry() { # title basename category (may hold control bytes and NUL)
    printf 'AUTHOR: ../../ada\nTITLE: %b\nBASENAME: %b\nSTATUS: Publish\nALLOW COMMENTS: 1\nCONVERT BREAKS: 0\nALLOW PINGS: 0\n' "$1" "$2"
    printf 'PRIMARY CATEGORY: %b\nCATEGORY: %b\nDATE: 04/05/2009 07:15:00 PM\nTAGS: "../..",%b\n-----\nBODY:\nbody\n-----\n--------\n' "$3" "$3" "$3"
  }
  { txt_entry '../../x' '../../x' '../../cat'
    txt_entry "$abs/pwned" "$abs/pwned" "$abs/cat"
    txt_entry '..' '..' '..'
    txt_entry '/etc/passwd' '/etc/passwd' '/etc'
    txt_entry 'ctl \001\033 x' 'ctl\001\037x' 'c\001at'
    txt_entry 'nul \000 x' 'nul\000x' 'n\000ul'
    txt_entry '' '' ''; } >"$tmp/traversal.txt"
  inputs+=("traversal.txt:7")
fi

# ---- every input to every exporter: nothing lands outside -------------
# summary NAME WANT_READ : every entry read is written or reported
summary() {
  local line read written skipped
  line=$(grep -E '^mtport: [0-9]+ entr(y|ies) read' "$tmp/err" | tail -1)
  read=$(sed -E 's/^mtport: ([0-9]+) entr.*/\1/' <<<"$line")
  written=$(sed -E 's/.* read, ([0-9]+) written.*/\1/' <<<"$line")
  skipped=$(sed -E 's/.* written, ([0-9]+) skipped.*/\1/' <<<"$line")
  [ -n "$line" ] || { bad "$1: no summary line"; return; }
  [ "$read" = "$2" ] && ok || bad "$1: $read entries read, want $2"
  [ $((written + skipped)) = "$read" ] && ok || bad "$1: read $read but written $written + skipped $skipped"
  if [ "$skipped" -gt 0 ]; then
    [ "$(grep -cE ': (warning|error|fatal): ' "$tmp/err")" -ge "$skipped" ] && ok || bad "$1: $skipped skipped without a report each"
  fi
}
# inside DIR PATH... : every PATH resolves inside DIR
inside() {
  local d=$1 f r; shift
  for f in "$@"; do
    r=$(realpath -m "$f")
    case "$r/" in "$d"/*) ;; *) echo "$r"; return 1 ;; esac
  done
}
snapshot() { find "$tmp" \( -path "$tmp/runs" -o -path "$tmp/err" -o -path "$tmp/out" \) -prune -o -print | sort; }

for spec in "${inputs[@]}"; do
  in=${spec%%:*} n=${spec##*:}
  for fmt in "${formats[@]}"; do
    name="$in-$fmt"
    run="$tmp/runs/$name"
    mkdir -p "$run/cwd/a/b"
    before=$(snapshot)
    if is_stream "$fmt"; then out="$run/cwd/a/b/out.data"; else out="$run/cwd/a/b/out"; fi
    (cd "$run/cwd/a/b" && timeout 120 "$exe" convert --to "$fmt" -o "$out" "$tmp/$in") >"$tmp/out" 2>"$tmp/err"
    got=$?
    [ $got -ge 124 ] && { bad "$name: crashed or hung (exit $got)"; head -5 "$tmp/err"; continue; }
    [ $got -le 1 ] && ok || { bad "$name: exit $got, want 0 or 1"; head -5 "$tmp/err"; }
    summary "$name" "$n"
    [ -e "$abs" ] && { bad "$name: wrote under the absolute path $abs"; rm -rf "$abs"; } || ok
    [ "$(snapshot)" = "$before" ] && ok || bad "$name: files appeared outside the run's folder: $(comm -13 <(echo "$before") <(snapshot) | head -3)"
    [ "$(sha256sum /etc/passwd)" = "$passwd_sum" ] && ok || bad "$name: /etc/passwd changed"
    # everything the run wrote lies under the output (a file, or a folder)
    mapfile -d '' written < <(find "$run/cwd" -mindepth 1 ! -path "$run/cwd/a" ! -path "$run/cwd/a/b" -print0)
    if is_stream "$fmt"; then
      extra=$(find "$run/cwd" -mindepth 1 ! -path "$run/cwd/a" ! -path "$run/cwd/a/b" ! -path "$out")
      [ -z "$extra" ] && ok || bad "$name: unexpected files: $extra"
    else
      esc=$(inside "$out" "${written[@]}") && ok || bad "$name: $esc is outside the output folder"
      links=$(find "$run/cwd" -type l)
      [ -z "$links" ] && ok || bad "$name: made symlinks: $links"
    fi
    # every name written is valid UTF-8 without control characters
    badnames=$(find "$run/cwd" -mindepth 1 -printf '%P\n' | LC_ALL=C grep -aP '[\x00-\x1f\x7f]' ; find "$run/cwd" -mindepth 1 -printf '%P\n' | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 || echo "invalid UTF-8")
    [ -z "$badnames" ] && ok || bad "$name: bad file names: $badnames"
  done
done

# ---- folder exporters: symlinks planted in the output folder ----------
# plant FMT SCENARIO: a clean run's tree rebuilt with links to the outside
# in it, then a run with --force; the outside must not change.
plant() {
  local fmt=$1 sc=$2 clean="$tmp/sym-$fmt-clean"
  local out="$tmp/sym-$fmt-$sc" outside="$tmp/outside-$fmt-$sc"
  mkdir -p "$out" "$outside"; printf 'VICTIM' >"$outside/victim"
  local rel
  while IFS= read -r rel; do
    local depth; depth=$(awk -F/ '{print NF}' <<<"$rel")
    case $sc in
    top) [ "$depth" = 1 ] && ln -s "$outside" "$out/$rel" ;;
    dirs) # real top folders, links below them
      if [ "$depth" = 1 ] && [ -d "$clean/$rel" ]; then mkdir "$out/$rel"
      elif [ "$depth" = 2 ]; then ln -s "$outside" "$out/$rel"; fi ;;
    files) # real folders, every file a link to a victim file
      if [ -d "$clean/$rel" ]; then mkdir -p "$out/$rel"; else ln -s "$outside/victim" "$out/$rel"; fi ;;
    esac
  done < <(cd "$clean" && find . -mindepth 1 -printf '%P\n' | sort)
  local before; before=$(cd "$outside" && find . | sort)
  timeout 60 "$exe" convert --to "$fmt" -o "$out" --force "$samples/field-notes.atom" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [ $got -lt 124 ] && ok || bad "$fmt with planted symlinks ($sc): crashed (exit $got)"
  [ "$(cd "$outside" && find . | sort)" = "$before" ] && ok || bad "$fmt ($sc): wrote through a symlink into $outside"
  [ "$(cat "$outside/victim")" = VICTIM ] && ok || bad "$fmt ($sc): wrote through a symlink into the victim file"
  if [ $sc != files ]; then # a folder link is refused (unsafe path)
    [ $got = 4 ] && ok || bad "$fmt with planted folder symlinks ($sc): exit $got, want 4"
  fi
}
for fmt in "${formats[@]}"; do
  is_stream "$fmt" && continue
  "$exe" convert --to "$fmt" -o "$tmp/sym-$fmt-clean" "$samples/field-notes.atom" >/dev/null 2>&1 || bad "$fmt: clean run failed"
  for sc in top dirs files; do plant "$fmt" $sc; done
done

# ---- an existing output is never overwritten without --force -----------
sample="$samples/field-notes.atom"
for fmt in "${formats[@]}"; do
  if is_stream "$fmt"; then
    f="$tmp/exist-$fmt"; printf 'KEEP' >"$f"
    "$exe" convert --to "$fmt" -o "$f" "$sample" >"$tmp/out" 2>"$tmp/err"; got=$?
    [ $got = 4 ] && ok || bad "$fmt over an existing file: exit $got, want 4"
    [ "$(cat "$f")" = KEEP ] && ok || bad "$fmt: overwrote an existing file without --force"
    grep -q -- "--force" "$tmp/err" && ok || bad "$fmt: the refusal does not mention --force"
    "$exe" convert --to "$fmt" -o "$f" --force "$sample" >"$tmp/out" 2>"$tmp/err"; got=$?
    [ $got = 0 ] && [ "$(cat "$f")" != KEEP ] && ok || bad "$fmt --force: exit $got, file not replaced"
    # a folder in the way is refused even with --force
    mkdir -p "$tmp/exist-dir-$fmt"
    "$exe" convert --to "$fmt" -o "$tmp/exist-dir-$fmt" --force "$sample" >"$tmp/out" 2>"$tmp/err"; got=$?
    [ $got = 4 ] && ok || bad "$fmt onto a folder: exit $got, want 4"
    # a symlink as the output: the file it points to is never written
    printf 'VICTIM' >"$tmp/victim-$fmt"; ln -s "$tmp/victim-$fmt" "$tmp/link-$fmt"
    "$exe" convert --to "$fmt" -o "$tmp/link-$fmt" "$sample" >"$tmp/out" 2>"$tmp/err"; got=$?
    [ $got = 4 ] && ok || bad "$fmt onto a symlink: exit $got, want 4"
    "$exe" convert --to "$fmt" -o "$tmp/link-$fmt" --force "$sample" >"$tmp/out" 2>"$tmp/err"
    [ "$(cat "$tmp/victim-$fmt")" = VICTIM ] && ok || bad "$fmt --force onto a symlink wrote through it"
  else
    d="$tmp/exist-$fmt"
    "$exe" convert --to "$fmt" -o "$d" "$sample" >/dev/null 2>&1 || bad "$fmt: first run failed"
    mapfile -t files < <(find "$d" -type f | sort)
    [ ${#files[@]} -gt 0 ] && ok || { bad "$fmt: wrote no files"; continue; }
    for f in "${files[@]}"; do printf 'KEEP' >"$f"; done
    "$exe" convert --to "$fmt" -o "$d" "$sample" >"$tmp/out" 2>"$tmp/err"; got=$?
    [ $got = 4 ] && ok || bad "$fmt over existing files: exit $got, want 4"
    changed=0; for f in "${files[@]}"; do [ "$(cat "$f")" = KEEP ] || changed=$((changed+1)); done
    [ $changed = 0 ] && ok || bad "$fmt: overwrote $changed existing file(s) without --force"
    "$exe" convert --to "$fmt" -o "$d" --force "$sample" >"$tmp/out" 2>"$tmp/err"; got=$?
    kept=0; for f in "${files[@]}"; do [ "$(cat "$f")" = KEEP ] && kept=$((kept+1)); done
    [ $got = 0 ] && [ $kept = 0 ] && ok || bad "$fmt --force: exit $got, $kept file(s) not replaced"
    # a file where the folder should be
    printf 'KEEP' >"$tmp/exist-file-$fmt"
    "$exe" convert --to "$fmt" -o "$tmp/exist-file-$fmt" "$sample" >"$tmp/out" 2>"$tmp/err"; got=$?
    [ $got = 4 ] && [ "$(cat "$tmp/exist-file-$fmt")" = KEEP ] && ok || bad "$fmt onto a file: exit $got, want 4 and the file kept"
  fi
  [ -z "$(find "$tmp" -name '*.mtport-*')" ] && ok || bad "$fmt: temporary files left: $(find "$tmp" -name '*.mtport-*' | head -3)"
done

# ---- folder exporters: the redirects file exists; hostile --section -----
for fmt in "${formats[@]}"; do
  is_stream "$fmt" && continue
  printf 'KEEP' >"$tmp/red-$fmt.txt"
  "$exe" convert --to "$fmt" -o "$tmp/red-site-$fmt" --redirects "$tmp/red-$fmt.txt" "$sample" >"$tmp/out" 2>"$tmp/err"; got=$?
  [ $got = 4 ] && ok || bad "$fmt with an existing redirects file: exit $got, want 4"
  [ "$(cat "$tmp/red-$fmt.txt")" = KEEP ] && ok || bad "$fmt: overwrote an existing redirects file without --force"
  "$exe" convert --to "$fmt" -o "$tmp/red-site2-$fmt" --redirects "$tmp/red-$fmt.txt" --force "$sample" >"$tmp/out" 2>"$tmp/err"; got=$?
  [ $got = 0 ] && [ "$(cat "$tmp/red-$fmt.txt")" != KEEP ] && ok || bad "$fmt --force: redirects file not replaced (exit $got)"
done
if printf '%s\n' "${formats[@]}" | grep -qx hugo; then
  for sec in "../../esc" "$tmp/esc-abs" ".." "a/../../b"; do
    before=$(snapshot)
    "$exe" convert --to hugo -o "$tmp/runs/sec/site" --force --section "$sec" "$sample" >"$tmp/out" 2>"$tmp/err"; got=$?
    [ $got -le 2 ] && ok || bad "hugo --section $sec: exit $got"
    [ "$(snapshot)" = "$before" ] && ok || bad "hugo --section $sec: wrote outside the output folder"
    esc=$(inside "$tmp/runs/sec/site" $(find "$tmp/runs/sec" -mindepth 1 ! -path "$tmp/runs/sec/site")) && ok || bad "hugo --section $sec: $esc"
    rm -rf "$tmp/runs/sec"
  done
fi

# ---- reading from a pipe ----------------------------------------------
for s in "$samples"/*; do
  for fmt in "${formats[@]}"; do
    b=$(basename "$s")
    if is_stream "$fmt"; then
      "$exe" convert --to "$fmt" -o "$tmp/redir-$b.$fmt" - <"$s" 2>/dev/null
      cat "$s" | "$exe" convert --to "$fmt" -o "$tmp/pipe-$b.$fmt" - 2>"$tmp/err"; got=$?
      [ $got = 0 ] && ok || { bad "$b | $fmt: exit $got"; head -3 "$tmp/err"; }
      cmp -s "$tmp/redir-$b.$fmt" "$tmp/pipe-$b.$fmt" && ok || bad "$b | $fmt: a pipe gives other output than a redirect"
      # and to standard output, still from the pipe
      cat "$s" | "$exe" convert --to "$fmt" - 2>/dev/null >"$tmp/pipe-stdout"; got=$?
      [ $got = 0 ] && cmp -s "$tmp/pipe-stdout" "$tmp/pipe-$b.$fmt" && ok || bad "$b | $fmt > stdout: exit $got or other output"
    else
      "$exe" convert --to "$fmt" -o "$tmp/redir-$b.$fmt" - <"$s" 2>/dev/null
      cat "$s" | "$exe" convert --to "$fmt" -o "$tmp/pipe-$b.$fmt" - 2>"$tmp/err"; got=$?
      [ $got = 0 ] && ok || { bad "$b | $fmt: exit $got"; head -3 "$tmp/err"; }
      diff -r "$tmp/redir-$b.$fmt" "$tmp/pipe-$b.$fmt" >/dev/null && ok || bad "$b | $fmt: a pipe gives other output than a redirect"
    fi
    # the same diagnostics as from the file, under the name '-'
    "$exe" convert --to "$fmt" -o "$tmp/file-$b.$fmt" "$s" 2>&1 >/dev/null | sed "s|^$s|-|" >"$tmp/err.file"
    diff "$tmp/err.file" "$tmp/err" >/dev/null && ok || bad "$b | $fmt: other diagnostics than from the file"
  done
done
: | "$exe" convert --to jsonfeed -o "$tmp/empty-pipe.json" - >/dev/null 2>"$tmp/err"; got=$?
[ $got = 3 ] && ok || bad "an empty pipe: exit $got, want 3"
[ -e "$tmp/empty-pipe.json" ] && bad "an empty pipe left an output" || ok
printf '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><title>x' \
  | "$exe" convert --to wxr -o "$tmp/trunc-pipe.xml" - >/dev/null 2>"$tmp/err"; got=$?
[ $got = 3 ] && ok || bad "a truncated pipe: exit $got, want 3"
grep -Eq '^-:[0-9]+(:[0-9]+)?: fatal: ' "$tmp/err" && ok || bad "a truncated pipe: the error does not name '-' and a line"

# ---- standard output or error closed ----------------------------------
for fmt in "${formats[@]}"; do
  is_stream "$fmt" || continue
  "$exe" convert --to "$fmt" -o - "$sample" >&- 2>"$tmp/err"; got=$?
  [ $got = 4 ] && ok || bad "$fmt to a closed stdout: exit $got, want 4"
  grep -qi "standard output" "$tmp/err" && ok || bad "$fmt to a closed stdout: no message"
  # with stdout closed, descriptor 1 is free: the output file may get it,
  # and must still hold exactly the output
  "$exe" convert --to "$fmt" -o "$tmp/ref.$fmt" "$sample" 2>/dev/null
  "$exe" convert --to "$fmt" -o "$tmp/closed.$fmt" "$sample" >&- 2>"$tmp/err"; got=$?
  [ $got = 0 ] && cmp -s "$tmp/ref.$fmt" "$tmp/closed.$fmt" && ok || bad "$fmt -o FILE with stdout closed: exit $got or other output"
  # stdin closed too
  "$exe" convert --to "$fmt" -o "$tmp/closed2.$fmt" "$sample" <&- >&- 2>"$tmp/err"; got=$?
  [ $got = 0 ] && cmp -s "$tmp/ref.$fmt" "$tmp/closed2.$fmt" && ok || bad "$fmt -o FILE with stdin and stdout closed: exit $got or other output"
  # a reader that goes away early: SIGPIPE or exit 4, nothing else
  [ -s "$tmp/big.atom" ] || /usr/bin/python3 "$(dirname "$0")/../bench/gen.py" atom 400 1 >"$tmp/big.atom" \
    || bad "gen.py failed"
  "$exe" convert --to "$fmt" -o - "$tmp/big.atom" 2>"$tmp/err" | head -c 100 >/dev/null
  got=${PIPESTATUS[0]}
  [ $got = 141 ] || [ $got = 4 ] && ok || bad "$fmt into a closed pipe: exit $got, want 141 (SIGPIPE) or 4"
  # stderr closed: diagnostics have nowhere to go, the exit code still says
  "$exe" convert --to "$fmt" -o "$tmp/noerr.$fmt" "$tmp/traversal.atom" /nonexistent 2>&- >/dev/null; got=$?
  [ $got = 3 ] && ok || bad "$fmt with stderr closed: exit $got, want 3"
  [ -e "$tmp/noerr.$fmt" ] && bad "$fmt with stderr closed: a failed run left output" || ok
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
