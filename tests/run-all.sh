#!/usr/bin/env bash
# The whole test suite, as README gives it and CI runs it:
#  1. the npm consumers into build-node/ (skipped when already there);
#  2. a -Werror build and every ctest test;
#  3. each fuzz target for a short while under libFuzzer + ASan + UBSan
#     (MTPORT_FUZZ_SECONDS, default 15; 0 skips; needs clang);
#  4. a ThreadSanitizer build running the tests of the conversion workers;
#  5. an AddressSanitizer + UBSan build and every test again but the
#     consumer labels (see there).
# Long fuzzing and benchmarks are not part of it (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

node_pkgs=(@extractus/feed-extractor@8.0.3 wordpress-export-to-markdown@2.2.2
  @11ty/eleventy@3.1.8)
if command -v npm >/dev/null; then
  missing=0
  for p in "${node_pkgs[@]}"; do
    [ -d "build-node/node_modules/${p%@*}" ] || missing=1
  done
  if [ $missing = 1 ]; then
    mkdir -p build-node
    npm install --prefix build-node --no-audit --no-fund --loglevel=error \
      "${node_pkgs[@]}"
  fi
fi

cmake -S . -B build -DMTPORT_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

secs=${MTPORT_FUZZ_SECONDS:-15}
if [ "$secs" != 0 ] && command -v clang >/dev/null; then
  CC=clang cmake -S . -B build-fuzz -DMTPORT_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug
  cmake --build build-fuzz -j"$jobs"
  for f in build-fuzz/tests/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    name=$(basename "$f")
    short=${name#fuzz_}
    work=$(mktemp -d)
    cp -r "tests/fuzz/corpus/$short/." "$work/" 2>/dev/null || true
    echo "fuzzing $short for ${secs}s"
    if ! "$f" -max_total_time="$secs" -max_len=65536 -timeout=10 \
      -rss_limit_mb=4096 -artifact_prefix="build-fuzz/$short-" "$work" \
      >"build-fuzz/$short.log" 2>&1; then
      tail -40 "build-fuzz/$short.log"
      echo "fuzz target $short failed: the input is in build-fuzz/$short-*"
      exit 1
    fi
    tail -n 1 "build-fuzz/$short.log"
    rm -rf "$work"
  done
fi

cmake -S . -B build-tsan -DMTPORT_WERROR=ON -DMTPORT_TSAN=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build-tsan -j"$jobs"
TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan --output-on-failure \
  -j"$jobs" -L 'jobs|unit'

cmake -S . -B build-asan -DMTPORT_WERROR=ON -DMTPORT_SANITIZE=ON \
  -DCMAKE_BUILD_TYPE=Debug
cmake --build build-asan -j"$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The consumer labels (browser, proof, consumer: the real generators, npm
# tools and chromium) spend their time in those tools; their inputs go
# through mtport under the sanitizers in the corpus, golden, hostile and
# unit tests. So the whole run keeps within CI's 40 minutes.
ctest --test-dir build-asan --output-on-failure -j"$jobs" \
  -LE 'browser|proof|consumer'

