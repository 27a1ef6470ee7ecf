#!/usr/bin/env bash
# Every mt-backup file of the shared corpus converts through the mtport CLI
# (JSON Feed, drafts and junk kept) with exit 0 and as many items as
# MANIFEST.tsv gives entries plus the pages its notes name.
# usage: cli_corpus.sh MTPORT CORPUS_REAL_DIR ; exit 77 when absent
set -uo pipefail
exe=$1 dir=$2
man="$dir/MANIFEST.tsv"
[ -f "$man" ] || { echo "no corpus at $dir"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
while IFS=$'\t' read -r file repo path commit format entries bytes notes; do
  [ "$format" = mt-backup ] || continue
  pages=$(printf '%s' "$notes" | grep -oE '[0-9]+ pages' | head -1 | cut -d' ' -f1)
  want=$((entries + ${pages:-0}))
  if ! "$exe" convert --quiet --to jsonfeed --include-drafts --include-junk \
      --output "$tmp/out.json" --force "$dir/$file" 2>"$tmp/err"; then
    echo "FAIL $file: exit $?"; cat "$tmp/err"; fail=$((fail+1)); continue
  fi
  got=$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$tmp/out.json")
  if [ "$got" = "$want" ]; then
    pass=$((pass+1)); echo "ok $file: $got items"
  else
    echo "FAIL $file: $got items, expected $want"; fail=$((fail+1))
  fi
done < <(tail -n +2 "$man")
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
