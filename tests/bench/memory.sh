#!/usr/bin/env bash
# Peak memory of `mtport convert` to every output format on synthetic
# exports of N entries (gen.py), checked against a budget. Not part of the
# default test suite: the 1,000,000-entry file is about 2 GB and the run
# takes a while. Files go to $TMPDIR (default /tmp) and are deleted.
#
# usage: tests/bench/memory.sh [-m MTPORT] [-k atom|text] [-l LIMIT_MB] [N...]
#   default: build/mtport, atom, 64 MB, N = 1000
#   e.g.     tests/bench/memory.sh 1000 1000000
# Prints one line per (N, format): time, input MB/s, peak RSS; exits 1 when
# a run fails or goes over the budget.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exe="$here/../../build/mtport" kind=atom limit_mb=64
while getopts "m:k:l:" o; do
  case $o in
  m) exe=$OPTARG ;;
  k) kind=$OPTARG ;;
  l) limit_mb=$OPTARG ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- 1000
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)"; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mtport-memory-XXXXXX")
trap 'rm -rf "$work"' EXIT
mapfile -t formats < <("$exe" formats | sed -n '/^output formats:/,$p' | sed -n 's/^  \([a-z0-9-]*\) .*/\1/p')
fail=0
printf '%-9s %-9s %8s %9s %8s %9s  %s\n' entries format "input MB" seconds "MB/s" "peak MB" verdict
for n in "$@"; do
  in="$work/export-$n.$kind"
  /usr/bin/python3 "$here/gen.py" "$kind" "$n" 1 >"$in" || { echo "gen.py failed"; exit 1; }
  size=$(stat -c %s "$in")
  for fmt in "${formats[@]}"; do
    out="$work/out-$fmt"
    rm -rf "$out"
    /usr/bin/time -f '%e %M' -o "$work/time" "$exe" convert -q --to "$fmt" -o "$out" "$in" \
      >/dev/null 2>"$work/err"
    rc=$?
    read -r secs kb <"$work/time" || true
    kb=${kb:-0} secs=${secs:-0}
    verdict=ok
    if [ $rc -gt 1 ]; then verdict="FAILED (exit $rc: $(grep -m1 -E 'fatal|error' "$work/err"))"; fail=1
    elif [ $((kb / 1024)) -ge "$limit_mb" ]; then verdict="OVER ${limit_mb} MB"; fail=1; fi
    printf '%-9s %-9s %8.1f %9.2f %8.1f %9.1f  %s\n' "$n" "$fmt" "$(echo "$size / 1000000" | bc -l)" \
      "$secs" "$(echo "if ($secs > 0) $size / 1000000 / $secs else 0" | bc -l)" \
      "$(echo "$kb / 1024" | bc -l)" "$verdict"
    rm -rf "$out"
  done
  rm -f "$in"
done
exit $fail
