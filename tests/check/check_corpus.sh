#!/bin/sh
# mtport check on the seed feed and every file of the real corpus (mt-atom,
# mt-text, mt-backup): each must report 0 entries with differences (exit 0)
# and end with the exact summary line. Skips (77) when the corpus is absent.
# usage: check_corpus.sh MTPORT CORPUS_DIR
set -u
bin=$1
dir=${MTPORT_CORPUS:-$2} # MTPORT_CORPUS overrides (worktrees)
[ -d "$dir/real" ] || { echo "corpus not found: $dir"; exit 77; }
fail=0
files="$dir/seed-sysadminhead.atom"
for f in $(awk -F'\t' '$5 ~ /^mt-(atom|text|backup)$/ { print $1 }' "$dir/real/MANIFEST.tsv"); do
  files="$files $dir/real/$f"
done
for f in $files; do
  [ -f "$f" ] || continue
  out=$("$bin" check "$f" 2>/dev/null)
  rc=$?
  last=$(printf '%s\n' "$out" | tail -n 1)
  case "$last" in
  "checked "*" entries: "*" preserved, 0 with differences, "*" fell back to raw HTML") ;;
  *) echo "FAIL $f: $last"; fail=1 ;;
  esac
  if [ $rc -ne 0 ]; then
    echo "FAIL $f: exit $rc"
    printf '%s\n' "$out" | head -n 20
    fail=1
  fi
  echo "$(basename "$f"): $last"
done
exit $fail
