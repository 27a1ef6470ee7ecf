#!/usr/bin/env bash
# Growth of the hostile cases of issue #17, for linear-time figures:
#   same-slug posts (a text export whose N entries share one BASENAME, or
#   one TITLE without BASENAME) to Hugo and JSON Feed, beside as many posts
#   with distinct basenames to Hugo (the goal: within 2x), and one Atom entry
#   with N tags to JSON Feed. Prints wall seconds, CPU seconds and peak RSS.
# usage: hostile.sh MTPORT [N...]        (default: 10000 100000 1000000)
#        MTPORT_BENCH_DIR=/dev/shm/x puts the inputs and outputs there;
#        MTPORT_BENCH_HUGO_MAX=N skips the Hugo rows past N posts.
# Exit status: 0 when every conversion succeeded (tests/bench's smoke run).
set -uo pipefail
exe=$1; shift
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
here=$(cd "$(dirname "$0")" && pwd)
dir=${MTPORT_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$dir"
[ -n "${MTPORT_BENCH_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
failed=0

same_slug() { # KIND N: text export of N posts with one basename or title
  # (KIND basename or title), or each its own basename (distinct)
  /usr/bin/python3 - "$1" "$2" <<'EOF'
import sys
kind, n = sys.argv[1], int(sys.argv[2])
out = open(sys.stdout.fileno(), 'w', buffering=1 << 20)
for i in range(n):
    y, d = 2000 + i // 100000 % 20, i % 28 + 1
    out.write('TITLE: Same title\n' if kind == 'title' else
              'TITLE: Post %d\nBASENAME: post_%d\n' % (i, i)
              if kind == 'distinct' else
              'TITLE: Post %d\nBASENAME: same_name\n' % i)
    out.write('DATE: 01/%02d/%d %02d:%02d:%02d AM\n-----\nBODY:\nbody %d\n-----\n--------\n'
              % (d, y, i // 3600 % 12 + 1, i // 60 % 60, i % 60, i))
EOF
}

row() { # LABEL FORMAT INPUT
  if [ "$2" = hugo ] && [ -n "${MTPORT_BENCH_HUGO_MAX:-}" ] && [ "$n" -gt "$MTPORT_BENCH_HUGO_MAX" ]; then
    printf "| %-38s | skipped |\n" "$1"
    return
  fi
  local out="$dir/out.$2"
  rm -rf "$out"
  local t0; t0=$(date +%s%N)
  /usr/bin/time -f "%U %S %M" -o "$dir/time" "$exe" convert -q --to "$2" \
    -o "$out" "$3" >/dev/null 2>"$dir/err"
  local rc=$?
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  read -r u s kb <"$dir/time" || true
  [ $rc -le 1 ] || { failed=1; echo "  (exit $rc: $(tail -1 "$dir/err"))"; }
  awk -v l="$1" -v w="$ms" -v u="$u" -v s="$s" -v kb="$kb" \
    'BEGIN { printf "| %-38s | %8.2f | %8.2f | %7.1f MB |\n", l, w / 1000, u + s, kb / 1024 }'
  rm -rf "$out"
}

echo "| case | wall s | CPU s | peak RSS |"
echo "| --- | --- | --- | --- |"
for n in "${sizes[@]}"; do
  same_slug distinct "$n" >"$dir/distinct.txt"
  row "$n posts, distinct BASENAMEs -> hugo" hugo "$dir/distinct.txt"
  rm -f "$dir/distinct.txt"
  same_slug basename "$n" >"$dir/basename.txt"
  row "$n posts, one BASENAME -> hugo" hugo "$dir/basename.txt"
  row "$n posts, one BASENAME -> jsonfeed" jsonfeed "$dir/basename.txt"
  rm -f "$dir/basename.txt"
  same_slug title "$n" >"$dir/title.txt"
  row "$n posts, one TITLE -> hugo" hugo "$dir/title.txt"
  row "$n posts, one TITLE -> jsonfeed" jsonfeed "$dir/title.txt"
  rm -f "$dir/title.txt"
  /usr/bin/python3 "$here/../hostile/lists.py" atom-tags "$n" >"$dir/tags.atom"
  row "1 Atom entry, $n tags -> jsonfeed" jsonfeed "$dir/tags.atom"
  rm -f "$dir/tags.atom"
done
exit $failed
