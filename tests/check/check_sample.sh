#!/bin/sh
# mtport check on a two-entry feed: one entry preserved, one kept with raw
# emphasis tags; the per-entry finding names file:line and the entry.
set -u
out=$("$1" check "$2" 2>&1)
rc=$?
printf '%s\n' "$out"
[ $rc -eq 0 ] || { echo "FAIL: exit $rc"; exit 1; }
last=$(printf '%s\n' "$out" | tail -n 1)
[ "$last" = "checked 2 entries: 1 preserved, 0 with differences, 1 fell back to raw HTML" ] ||
  { echo "FAIL: summary"; exit 1; }
printf '%s\n' "$out" | grep -q 'sample.atom:[0-9]*: entry 2 "Emphasis that needs raw tags" (body): block 1' ||
  { echo "FAIL: finding"; exit 1; }
json=$("$1" check --json "$2" 2>/dev/null | head -n 1)
case "$json" in
*'"entry": 2'*|*'"entry":2'*) ;;
*) echo "FAIL: json finding: $json"; exit 1 ;;
esac
exit 0
