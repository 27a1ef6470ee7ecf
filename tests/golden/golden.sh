#!/usr/bin/env bash
# Golden test: converts SAMPLE with EXPORTER and compares the output with the
# stored golden file or tree, then converts again and requires a
# byte-identical result. MTPORT_UPDATE_GOLDEN=1 rewrites the golden instead.
# usage: golden.sh MTPORT EXPORTER SAMPLE GOLDEN(file or dir) KIND(file|dir) [ARGS...]
set -euo pipefail
exe=$1 exporter=$2 sample=$3 golden=$4 kind=$5
shift 5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out1="$tmp/one" out2="$tmp/two"
[ "$kind" = dir ] || { out1="$tmp/one.out"; out2="$tmp/two.out"; }
"$exe" convert --quiet --to "$exporter" --output "$out1" "$@" "$sample" 2>"$tmp/err1" || {
  echo "convert failed (exit $?):"; cat "$tmp/err1"; exit 1; }
"$exe" convert --quiet --to "$exporter" --output "$out2" "$@" "$sample" 2>"$tmp/err2" || {
  echo "second convert failed"; cat "$tmp/err2"; exit 1; }
if ! diff -r "$out1" "$out2" >/dev/null; then
  echo "a rerun on the same input gave different bytes:"; diff -r "$out1" "$out2" | head -20; exit 1
fi
if [ "${MTPORT_UPDATE_GOLDEN:-}" = 1 ]; then
  rm -rf "$golden"
  cp -r "$out1" "$golden"
  echo "updated $golden"
  exit 0
fi
[ -e "$golden" ] || { echo "no golden at $golden (run with MTPORT_UPDATE_GOLDEN=1)"; exit 1; }
if ! diff -r "$golden" "$out1"; then
  echo "output differs from $golden"; exit 1
fi
echo "golden ok: $exporter $sample"
