#!/usr/bin/env bash
# SIGINT, SIGTERM and SIGHUP at random moments of real runs, every output
# format (issue #17, case 5): the run exits 128 + the signal with a summary
# saying it was interrupted (or 0 when it finished first); every file left
# is whole, the same as a complete run's; no temporary file is left; and a
# --force rerun gives exactly the complete run's output.
# usage: signals.sh MTPORT GEN.PY [TRIALS]   (MTPORT_SIGNALS_SEED repeats one)
# A 1,500-entry text export (3,000 files in a site).
set -uo pipefail
exe=$1 gen=$2 trials=${3:-8}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
seed=${MTPORT_SIGNALS_SEED:-$(( $(date +%s) % 100000 ))}
RANDOM=$seed
echo "seed $seed (MTPORT_SIGNALS_SEED=$seed repeats this run)"

input="$tmp/export.txt"
/usr/bin/python3 "$gen" text 1500 5 >"$input" || { echo "FAIL: gen.py"; exit 1; }
mapfile -t formats < <("$exe" formats | sed -n '/^output formats:/,$p' | sed -n 's/^  \([a-z0-9-]*\) .*/\1/p')
[ ${#formats[@]} -ge 4 ] && ok || bad "mtport formats lists the exporters"
is_stream() { "$exe" formats | grep -E "^  $1 " | grep -q "FILE"; }
listing() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0r sha256sum); }
sigs=(INT TERM HUP)
declare -A signo=([INT]=2 [TERM]=15 [HUP]=1)

for fmt in "${formats[@]}"; do
  extra=(); [ "$fmt" = hugo ] && extra=(--redirects "REDIR")
  # the complete run, and how long it takes (ms)
  good="$tmp/good-$fmt"; mkdir -p "$good"
  dest="$good/out"; is_stream "$fmt" && dest="$good/out.data"
  x=("${extra[@]/REDIR/$good/redirects}")
  t0=$(date +%s%N)
  "$exe" convert -q --to "$fmt" -o "$dest" "${x[@]}" "$input" 2>/dev/null
  rc=$?
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ $rc = 0 ] || [ $rc = 1 ] && ok || { bad "$fmt: the complete run exits $rc"; continue; }
  is_stream "$fmt" || listing "$good/out" >"$good/listing"
  for i in $(seq 1 "$trials"); do
    sig=${sigs[RANDOM % 3]}
    delay=$(( RANDOM % (ms + ms / 5 + 20) ))
    jobs=$(( RANDOM % 2 + 1 ))
    d="$tmp/$fmt-$i"; mkdir -p "$d"
    out="$d/out"; is_stream "$fmt" && out="$d/out.data"
    x=("${extra[@]/REDIR/$d/redirects}")
    "$exe" convert -q -j"$jobs" --to "$fmt" -o "$out" "${x[@]}" "$input" 2>"$d/stderr" &
    pid=$!
    sleep "$(awk -v m="$delay" 'BEGIN { printf "%.3f", m / 1000 }')"
    kill -s "$sig" $pid 2>/dev/null
    wait $pid
    got=$?
    name="$fmt trial $i (SIG$sig after ${delay} ms, -j$jobs)"
    if [ $got = $rc ]; then
      : # finished before the signal: the complete output
    elif [ $got = $((128 + ${signo[$sig]})) ]; then
      if grep -q "^mtport: interrupted by SIG$sig: [0-9]* entr[a-z]* written" "$d/stderr"; then ok
      else
        # killed before mtport installed its handlers: nothing may exist yet
        [ -e "$out" ] || [ -e "$d/redirects" ] && bad "$name: no summary, and output exists"
      fi
    else
      bad "$name: exit $got"; head -3 "$d/stderr"; continue
    fi
    # no temporary file anywhere, and every file left is whole
    tmps=$(find "$d" -name '*.mtport-*' -o -name '.mtport-*')
    [ -z "$tmps" ] && ok || bad "$name: temporary files left: $tmps"
    if is_stream "$fmt"; then
      if [ -e "$out" ]; then cmp -s "$out" "$good/out.data" && ok || bad "$name: $out is not the complete file"; fi
    elif [ -d "$out" ]; then
      # each file left, with its checksum, is one of the complete run's
      listing "$out" >"$d/listing"
      extra_=$(comm -23 <(sort "$d/listing") <(sort "$good/listing"))
      [ -z "$extra_" ] && ok || bad "$name: not the complete files: $(echo "$extra_" | head -3)"
      [ -s "$d/listing" ] && ok # (something was written before the signal)
    fi
    if [ -e "$d/redirects" ]; then cmp -s "$d/redirects" "$good/redirects" && ok || bad "$name: partial redirects file"; fi
    # a rerun with --force completes it
    "$exe" convert -q --force --to "$fmt" -o "$out" "${x[@]}" "$input" 2>"$d/rerun.err"
    r2=$?
    [ $r2 = $rc ] && ok || { bad "$name: the --force rerun exits $r2"; head -3 "$d/rerun.err"; }
    if is_stream "$fmt"; then cmp -s "$out" "$good/out.data" && ok || bad "$name: the rerun differs"
    else listing "$out" | cmp -s - "$good/listing" && ok || bad "$name: the rerun differs"; fi
    [ -z "${x[*]}" ] || { cmp -s "$d/redirects" "$good/redirects" && ok || bad "$name: the rerun's redirects differ"; }
    [ $fail = 0 ] && rm -rf "$d" # thousands of files: keep /tmp light
  done
done
# a run stopped while it waits for input (a pipe that says nothing) ends too
mkfifo "$tmp/quiet"
( exec 3>"$tmp/quiet"; : >"$tmp/opened"; sleep 8 ) &
holder=$!
"$exe" convert -q -f mt-text --to jsonfeed -o "$tmp/q.json" "$tmp/quiet" 2>"$tmp/q.err" &
pid=$!
# the writer's open returns once mtport has opened the FIFO (its handlers
# are in place by then); the signal comes while it waits for data
for _ in $(seq 1 100); do [ -e "$tmp/opened" ] && break; sleep 0.1; done
sleep 0.3; kill -TERM $pid
( sleep 4; kill -KILL $pid 2>/dev/null ) & watchdog=$!
wait $pid; got=$?
kill $watchdog $holder 2>/dev/null; wait 2>/dev/null
[ $got = 143 ] && ok || bad "a run waiting on a quiet pipe: exit $got, want 143"
grep -q "interrupted by SIGTERM" "$tmp/q.err" && ok || bad "waiting on a quiet pipe: no summary"
[ -e "$tmp/q.json" ] && bad "waiting on a quiet pipe: output left" || ok
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
