#!/usr/bin/env bash
# The whole test suite, as README gives it and CI runs it:
#  1. the npm consumers into build-node/ (skipped when already there);
#  2. a -Werror build and every ctest test;
#  3. an AddressSanitizer + UBSan build and every test again.
# Long fuzzing and benchmarks are not part of it (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
node_pkgs=(@extractus/feed-extractor@8.0.3 wordpress-export-to-markdown@2.2.2)
if command -v npm >/dev/null; then
  missing=0
  for p in "${node_pkgs[@]}"; do
    [ -d "build-node/node_modules/${p%@*}" ] || missing=1
  done
  if [ $missing = 1 ]; then
    mkdir -p build-node
    npm install --prefix build-node --no-audit --no-fund --loglevel=error "${node_pkgs[@]}"
  fi
fi
cmake -S . -B build -DMTPORT_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
cmake -S . -B build-asan -DMTPORT_WERROR=ON -DMTPORT_SANITIZE=ON \
  -DCMAKE_BUILD_TYPE=Debug
cmake --build build-asan -j"$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure -j"$jobs"
