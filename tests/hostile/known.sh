#!/usr/bin/env bash
# Known bugs, one case per ctest test, each asserting the behaviour we want.
# They are registered with WILL_FAIL (label known-bug): when a fix lands the
# test "fails", which is the signal to drop WILL_FAIL for that case.
# usage: known.sh CASE MTPORT SAMPLES_DIR [FAULTSHIM.so]
set -uo pipefail
case_=$1 exe=$2 samples=$3 shim=${4:-}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sample="$samples/field-notes.atom"
fail() { echo "FAIL: $*"; exit 1; }
case $case_ in
same-file)
  # the output is the input: refused even with --force (the export would be
  # replaced by its conversion)
  cp "$sample" "$tmp/in.atom"
  "$exe" convert --to jsonfeed -o "$tmp/in.atom" --force "$tmp/in.atom" >/dev/null 2>&1
  got=$?
  cmp -s "$sample" "$tmp/in.atom" || fail "the input was overwritten (exit $got)"
  [ $got = 4 ] || fail "exit $got, want 4"
  ;;
redirects-late)
  # an existing redirects file is refused before anything is written
  printf 'KEEP' >"$tmp/red.txt"
  "$exe" convert --to hugo -o "$tmp/site" --redirects "$tmp/red.txt" "$sample" >/dev/null 2>&1
  got=$?
  [ $got = 4 ] || fail "exit $got, want 4"
  [ -e "$tmp/site" ] && fail "the site was written although the run was refused: $(find "$tmp/site" -type f | wc -l) files"
  ;;
libxml-noise)
  # a write error in WXR is reported as diagnostics only, no raw libxml2
  # "I/O error" lines on stderr
  [ -n "$shim" ] || { echo "no shim"; exit 77; }
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    LD_PRELOAD="$shim" MTPORT_FAULT_WRITE_CALL=1 \
    "$exe" convert --to wxr -o "$tmp/out.xml" "$sample" >/dev/null 2>"$tmp/err"
  [ $? = 4 ] || fail "exit not 4"
  stray=$(grep -vE '^[^:]+(:[0-9]+(:[0-9]+)?)?: (note|warning|error|fatal): |^mtport: ' "$tmp/err")
  [ -z "$stray" ] || fail "stray lines on stderr: $stray"
  ;;
backup-trailing-recover)
  # --recover keeps the entries of a backup with junk after its root element
  { sed '$d' "$samples/backup.xml"; tail -1 "$samples/backup.xml"; printf 'junk\0after the end\n'; } >"$tmp/b.xml"
  "$exe" convert --to jsonfeed -o "$tmp/out.json" --recover "$tmp/b.xml" >/dev/null 2>"$tmp/err"
  got=$?
  [ $got -le 1 ] || fail "exit $got, want 0 or 1: $(grep -m1 fatal "$tmp/err")"
  ;;
*) echo "unknown case $case_"; exit 2 ;;
esac
echo "ok"
