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
# Junk after the root element (a copy cut and resumed, two files joined), the
# same contract for every XML reader. recover: every entry is written, as
# from the clean file, and the junk is a warning naming file:line. strict: a
# fatal error naming file:line that counts the entries before the junk,
# exit 3, no output.
trailing() { # SAMPLE EXT recover|strict
  local in="$samples/$1" f="$tmp/t.$2" mode=$3
  { sed '$d' "$in"; tail -1 "$in"; printf 'junk\0after the end\n'; } >"$f"
  local line=$(($(wc -l <"$in") + 1))
  "$exe" convert --to jsonfeed -o "$tmp/clean.json" "$in" >/dev/null 2>"$tmp/clean.err" ||
    fail "the clean sample does not convert"
  local n
  n=$(sed -n 's/^mtport: \([0-9][0-9]*\) entries read.*/\1/p' "$tmp/clean.err")
  [ -n "$n" ] && [ "$n" -gt 0 ] || fail "no entries in the clean sample"
  if [ "$mode" = recover ]; then
    "$exe" convert --to jsonfeed -o "$tmp/out.json" --recover "$f" >/dev/null 2>"$tmp/err"
    got=$?
    [ $got -le 1 ] || fail "exit $got, want 0 or 1: $(grep -m1 fatal "$tmp/err")"
    cmp -s "$tmp/clean.json" "$tmp/out.json" ||
      fail "the output differs from the clean file's ($n entries)"
    grep -q "^$f:$line:[0-9]*: warning: .*\[trailing-content\]" "$tmp/err" ||
      fail "no trailing-content warning naming $f:$line: $(cat "$tmp/err")"
    # a pipe hands the reader other chunk sizes: the same result
    cat "$f" | "$exe" convert --to jsonfeed -o "$tmp/pipe.json" --recover - >/dev/null 2>&1
    cmp -s "$tmp/clean.json" "$tmp/pipe.json" || fail "from a pipe the output differs"
  else
    "$exe" convert --to jsonfeed -o "$tmp/out.json" "$f" >/dev/null 2>"$tmp/err"
    got=$?
    [ $got = 3 ] || fail "exit $got, want 3"
    [ -e "$tmp/out.json" ] && fail "output written although the run stopped"
    local msg
    msg=$(grep -m1 "^$f:$line:[0-9]*: fatal: " "$tmp/err") ||
      fail "no fatal error naming $f:$line: $(cat "$tmp/err")"
    echo "$msg" | grep -q "[^0-9]$n entr" ||
      fail "the error does not count the $n entries before the junk: $msg"
  fi
}
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
backup-trailing-recover) trailing backup.xml xml recover ;;
backup-trailing) trailing backup.xml xml strict ;;
atom-trailing-recover) trailing field-notes.atom atom recover ;;
atom-trailing) trailing field-notes.atom atom strict ;;
*) echo "unknown case $case_"; exit 2 ;;
esac
echo "ok"
