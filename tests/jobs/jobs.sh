#!/usr/bin/env bash
# Bodies are converted on worker threads (--jobs): the files written, the
# diagnostics printed (and their order) and the exit code must be the same
# for any number of threads, on the samples, on real exports, on a file
# with more entries than the window, and on inputs that fail half-way.
# usage: jobs.sh MTPORT SAMPLES_DIR GEN.PY CORPUS_DIR
set -uo pipefail
exe=$1 samples=$2 gen=$3 corpus=$4
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
listing() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0r sha256sum); }

# one NAME FORMAT INPUT [ARGS...]: -j1 against -j2 and -j5 (@J@ in an
# argument becomes the number)
one() {
  local name=$1 fmt=$2 input=$3; shift 3
  local j
  for j in 1 2 5; do
    local d="$tmp/$name-j$j"
    local args=("${@//@J@/$j}") # per-run paths
    "$exe" convert --to "$fmt" -j $j -o "$d/out" "${args[@]}" "$input" >/dev/null 2>"$d.err"
    echo $? >"$d.code"
  done
  [ -d "$tmp/$name-j1/out" ] || { bad "$name: -j1 wrote nothing"; return; }
  for j in 2 5; do
    [ "$(listing "$tmp/$name-j1/out")" = "$(listing "$tmp/$name-j$j/out")" ] && ok \
      || bad "$name: files differ between -j1 and -j$j"
    cmp -s "$tmp/$name-j1.err" "$tmp/$name-j$j.err" && ok \
      || { bad "$name: diagnostics differ between -j1 and -j$j"; diff "$tmp/$name-j1.err" "$tmp/$name-j$j.err" | head -5; }
    cmp -s "$tmp/$name-j1.code" "$tmp/$name-j$j.code" && ok \
      || bad "$name: exit $(cat "$tmp/$name-j1.code") with -j1, $(cat "$tmp/$name-j$j.code") with -j$j"
  done
}

for fmt in hugo jekyll eleventy; do
  for s in "$samples"/*; do
    one "$fmt-$(basename "$s")" "$fmt" "$s" --redirects "$tmp/red-$fmt-$(basename "$s")-@J@.txt"
  done
  # more entries than the window holds, with comments
  /usr/bin/python3 "$gen" atom 300 7 >"$tmp/gen.atom" || bad "gen.py"
  one "$fmt-gen" "$fmt" "$tmp/gen.atom"
  # an input that breaks half-way, recovered: the same entries written
  # and reported as without threads (unit test_core covers a break
  # without --recover in a one-pass exporter)
  head -c 200000 "$tmp/gen.atom" >"$tmp/cut.atom"
  one "$fmt-cut-recover" "$fmt" "$tmp/cut.atom" --recover
  n=$(find "$tmp/$fmt-cut-recover-j5/out" -name '*.md' | wc -l)
  [ "$n" -gt 20 ] && ok || bad "$fmt-cut-recover: only $n entries written before the break"
done
# real exports, when the shared corpus is beside the project
if [ -d "$corpus/real" ]; then
  k=0
  for f in "$corpus"/seed-*.atom "$corpus"/real/*; do
    case $f in *.tsv | *.md) continue ;; esac
    [ -f "$f" ] || continue
    k=$((k+1))
    one "real$k" hugo "$f" --recover
  done
  [ $k -gt 0 ] && ok || bad "no corpus file found"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
