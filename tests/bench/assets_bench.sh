#!/usr/bin/env bash
# Self-contained sites at scale: mtport convert over an MT backup archive of
# POSTS entries and ASSETS images (tests/assets/make_samples.py --bench),
# each output timed under /usr/bin/time (wall seconds, peak memory), with
# the asset layer and without it (--no-assets: what a run costs without
# the files, the figure the layer adds to).
# usage: assets_bench.sh MTPORT DIR POSTS ASSETS [FORMAT...]
# e.g.   tests/bench/assets_bench.sh build/mtport /tmp/ab 10000 20000
set -euo pipefail
mtport=$1 dir=$2 posts=$3 assets=$4
shift 4
formats=("$@")
[ ${#formats[@]} -gt 0 ] || formats=(hugo jekyll wxr jsonfeed)
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"
archive="$dir/bench-$posts-$assets.tar.gz"
[ -f "$archive" ] ||
  python3 "$here/../assets/make_samples.py" --bench "$dir" "$posts" "$assets" >/dev/null
echo "archive: $(du -h "$archive" | cut -f1) ($posts posts, $assets assets)"
for f in "${formats[@]}"; do
  for mode in assets no-assets; do
    out="$dir/out-$f-$mode"
    rm -rf "$out" "$out.xml" "$out.json" "$out-files"
    case $f in wxr) o="$out.xml" ;; jsonfeed) o="$out.json" ;; *) o="$out" ;; esac
    extra=()
    [ $mode = no-assets ] && extra=(--no-assets)
    /usr/bin/time -f "%e %M" -o "$dir/time" \
      "$mtport" convert --quiet --to "$f" --output "$o" \
      --base-url https://new.example.net/ "${extra[@]}" "$archive" \
      2>"$dir/err" || { echo "exit $? ($f $mode)"; tail -3 "$dir/err"; exit 1; }
    read -r secs kb <"$dir/time"
    summary=$(grep '^mtport: files:' "$dir/err" | sed 's/^mtport: //' || true)
    printf '%-9s %-10s %7.2f s %7d KB  %s\n' "$f" "$mode" "$secs" "$kb" \
      "${summary:-}"
    rm -rf "$out" "$out.xml" "$out.json" "$out-files"
  done
done
