#!/usr/bin/env bash
# Every Atom file of the shared corpus converts to JSON Feed with exit 0 and
# the true entry count of MANIFEST.tsv (the Cocolog feed needs --recover).
# usage: corpus.sh MTPORT CORPUS_DIR ; exit 77 when the corpus is absent
set -uo pipefail
exe=$1 dir=$2
man="$dir/real/MANIFEST.tsv"
[ -f "$man" ] || { echo "no corpus at $dir"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # file expected-count extra-args...
  local f=$1 want=$2; shift 2
  if ! "$exe" convert --quiet --to jsonfeed --output "$tmp/out.json" --force "$@" "$dir/$f" 2>"$tmp/err"; then
    echo "FAIL $f: exit $?"; cat "$tmp/err"; fail=$((fail+1)); return
  fi
  local got
  got=$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$tmp/out.json")
  if [ "$got" = "$want" ]; then pass=$((pass+1)); else echo "FAIL $f: $got items, manifest says $want"; fail=$((fail+1)); fi
}
check seed-sysadminhead.atom 4
while IFS=$'\t' read -r file repo path commit format entries rest; do
  case $format in
    mt-atom) check "real/$file" "$entries" ;;
    other-atom) check "real/$file" "$entries" --recover ;;
  esac
done < <(tail -n +2 "$man")
# the seed's first item is its newest entry, id verbatim
"$exe" convert --quiet --to jsonfeed "$dir/seed-sysadminhead.atom" >"$tmp/seed.json" 2>/dev/null
grep -m1 '"id"' "$tmp/seed.json" | grep -qF '"tag:www.sysadminhead.com,2009://1.5"' && pass=$((pass+1)) ||
  { echo "FAIL seed: first id is not tag:www.sysadminhead.com,2009://1.5"; fail=$((fail+1)); }
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
