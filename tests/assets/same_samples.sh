#!/usr/bin/env bash
# make_samples.py makes the same bytes every time: runs it into a second
# folder and compares every file (and symlink) with the first.
# usage: same_samples.sh PYTHON make_samples.py AGAIN_DIR SAMPLES_DIR
set -euo pipefail
"$1" "$2" "$3"
sums() { (cd "$1" && find . \( -type f -o -type l \) -print0 | sort -z |
  while IFS= read -r -d '' f; do
    if [ -L "$f" ]; then printf '%s -> %s\n' "$f" "$(readlink "$f")"
    else printf '%s %s\n' "$f" "$(sha256sum < "$f" | cut -c1-64)"; fi
  done); }
if diff <(sums "$4") <(sums "$3"); then
  echo "same samples: $(sums "$4" | wc -l) files"
else
  echo "make_samples.py is not deterministic" >&2
  exit 1
fi
