#!/usr/bin/env bash
# The asset layer's figures: makes a backup of POSTS entries and ASSETS
# images (make_samples.py --bench), then times asset_bench's three modes
# under /usr/bin/time (wall seconds, peak memory).
# usage: bench.sh ASSET_BENCH make_samples.py DIR POSTS ASSETS
# e.g.   tests/assets/bench.sh build/tests/assets/asset_bench \
#          tests/assets/make_samples.py /tmp/bench 10000 20000
set -euo pipefail
bench=$1 gen=$2 dir=$3 posts=$4 assets=$5
mkdir -p "$dir"
archive="$dir/bench-$posts-$assets.tar.gz"
[ -f "$archive" ] || python3 "$gen" --bench "$dir" "$posts" "$assets" >/dev/null
echo "archive: $(du -h "$archive" | cut -f1) ($posts posts, $assets assets)"
t() { /usr/bin/time -f '  %e s %M KB' "$@"; }
t "$bench" read "$archive"
rm -rf "$dir/store"; t "$bench" store "$archive" "$dir/store"
rm -rf "$dir/site"; t "$bench" resolve "$archive" "$dir/site"
rm -rf "$dir/store" "$dir/site"
