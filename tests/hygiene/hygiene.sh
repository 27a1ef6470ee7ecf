#!/usr/bin/env bash
# Code hygiene: static analysis and a leak/memory-error check.
# usage: hygiene.sh cppcheck SOURCE_DIR BINARY_DIR
#        hygiene.sh valgrind MTPORT SAMPLES_DIR
# Exits 77 (skipped) when the tool is not installed.
set -uo pipefail
mode=$1
case $mode in
cppcheck)
  src=$2 bin=$3
  command -v cppcheck >/dev/null || { echo "cppcheck not installed"; exit 77; }
  cd "$src" || exit 1
  # --error-exitcode makes any finding fail the test; -q prints findings only
  cppcheck --enable=warning,portability --error-exitcode=1 --std=c11 -q \
    --inline-suppr -I include -I "$bin/include" src exporters
  ;;
valgrind)
  exe=$2 samples=$3
  command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 77; }
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  fail=0 runs=0
  mapfile -t formats < <("$exe" formats | sed -n '/^output formats:/,$p' | sed -n 's/^  \([a-z0-9-]*\) .*/\1/p')
  [ ${#formats[@]} -ge 1 ] || { echo "FAIL: no output formats listed"; exit 1; }
  for s in "$samples"/*; do
    [ -f "$s" ] || continue
    for fmt in "${formats[@]}"; do
      out="$tmp/$(basename "$s").$fmt"
      # exit 99 marks a valgrind finding, apart from mtport's own exit codes
      valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible --track-fds=no \
        "$exe" convert --to "$fmt" -o "$out" "$s" >"$tmp/log" 2>&1
      rc=$?
      runs=$((runs+1))
      if [ $rc = 99 ] || [ $rc -gt 1 ]; then
        echo "FAIL: $(basename "$s") -> $fmt: exit $rc"; head -40 "$tmp/log"; fail=$((fail+1))
      fi
    done
  done
  # the error paths too: a malformed input, an existing output
  printf '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><title>x' >"$tmp/trunc.atom"
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
    "$exe" convert --to "${formats[0]}" -o "$tmp/trunc.out" "$tmp/trunc.atom" >"$tmp/log" 2>&1
  rc=$?; runs=$((runs+1))
  [ $rc = 3 ] || { echo "FAIL: truncated input: exit $rc, want 3"; head -40 "$tmp/log"; fail=$((fail+1)); }
  s=$(ls "$samples"/* | head -1); : >"$tmp/exists"
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
    "$exe" convert --to "${formats[0]}" -o "$tmp/exists" "$s" >"$tmp/log" 2>&1
  rc=$?; runs=$((runs+1))
  [ $rc = 4 ] || { echo "FAIL: existing output: exit $rc, want 4"; head -40 "$tmp/log"; fail=$((fail+1)); }
  echo "$runs valgrind runs, $fail failed"
  [ $fail -eq 0 ]
  ;;
*) echo "usage: hygiene.sh cppcheck|valgrind ..."; exit 2 ;;
esac
