#!/usr/bin/env bash
# The shared corpus's Textile and Markdown blogs (skipped, 77, without it):
# every entry of lrdj_billy_billyblogs.txt (762 textile_2) and of
# leftsider_mt5_to_obsidian_leftsider.txt (its Markdown entries, and the
# rest) converts to Markdown that mtport check proves: 0 differences and no
# fallback to raw HTML; and the HTML the filters render shows no Textile or
# Markdown syntax (block signatures, ## heading marks, ** pairs) beyond the
# ones the authors wrote as text, counted in corpus_marks.expected.
# usage: corpus.sh MTPORT CORPUS_DIR
set -uo pipefail
exe=$1 dir=${MTPORT_CORPUS:-$2}
here=$(cd "$(dirname "$0")" && pwd)
[ -d "$dir/real" ] || { echo "no corpus at $dir"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
for f in lrdj_billy_billyblogs.txt leftsider_mt5_to_obsidian_leftsider.txt; do
  [ -f "$dir/real/$f" ] || { echo "FAIL: $f is missing"; fail=1; continue; }
  out=$("$exe" check "$dir/real/$f" 2>/dev/null); rc=$?
  last=$(printf '%s\n' "$out" | tail -n 1)
  echo "$f: $last"
  case "$last" in
  "checked "*" entries: "*" preserved, 0 with differences, 0 fell back to raw HTML") ;;
  *) echo "FAIL $f"; printf '%s\n' "$out" | head -n 20; fail=1 ;;
  esac
  [ $rc -eq 0 ] || { echo "FAIL $f: check exit $rc"; fail=1; }
  "$exe" convert -q --to jsonfeed --include-drafts -o "$tmp/$f.json" \
    "$dir/real/$f" 2>"$tmp/err" || { echo "FAIL $f: convert"; cat "$tmp/err"; fail=1; continue; }
  python3 "$here/corpus_marks.py" "$tmp/$f.json" >"$tmp/$f.marks"
  cut -f2 "$tmp/$f.marks" | sort | uniq -c | awk -v f="$f" '{ k = $2; for (i = 3; i <= NF; i++) k = k " " $i; print f "\t" k "\t" $1 }' >>"$tmp/got"
  sed 's/^/  /' "$tmp/$f.marks"
done
touch "$tmp/got"
if ! diff <(grep -v '^#' "$here/corpus_marks.expected") "$tmp/got"; then
  echo "FAIL: syntax left in the rendered HTML differs from corpus_marks.expected"
  fail=1
fi
[ $fail -eq 0 ] && echo "ok"
exit $fail
