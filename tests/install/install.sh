#!/usr/bin/env bash
# Installs the library into a temporary prefix and builds programs against
# it: with pkg-config, with CMake's find_package, and the headers as strict
# C and as C++. A shared build must export only mtport_ symbols.
# usage: install.sh SOURCE_DIR BUILD_DIR SAMPLE
set -euo pipefail
src=$1 build=$2 sample=$3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
libdir=$(ls -d "$tmp"/prefix/lib* | head -1)
[ -f "$libdir/pkgconfig/mtport.pc" ] || { echo "no mtport.pc installed"; exit 1; }
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cc -std=c11 -Wall -Wextra -pedantic -Werror $(pkg-config --cflags mtport) \
  "$src/tests/install/consumer.c" -o "$tmp/consumer" \
  $(pkg-config --libs --static mtport)
out=$("$tmp/consumer" "$sample")
echo "pkg-config consumer: $out"
[ "$(echo "$out" | cut -d' ' -f2-)" = "atom 4" ] || { echo "unexpected: $out"; exit 1; }
c++ -std=c++11 -Wall -Wextra -pedantic -Werror -I"$tmp/prefix/include" \
  -fsyntax-only "$src/tests/install/headers.cpp"
# find_package(mtport)
mkdir -p "$tmp/cm"
cat >"$tmp/cm/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.16)
project(consumer C)
find_package(mtport REQUIRED)
add_executable(consumer $src/tests/install/consumer.c)
target_link_libraries(consumer PRIVATE mtport::mtport)
CM
cmake -S "$tmp/cm" -B "$tmp/cm/build" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/cm/build" >/dev/null
"$tmp/cm/build/consumer" "$sample" >/dev/null
echo "find_package consumer: ok"
# a shared build exports nothing but mtport_ symbols
cmake -S "$src" -B "$tmp/shared" -DBUILD_SHARED_LIBS=ON -DBUILD_TESTING=OFF \
  -DMTPORT_BUILD_CLI=OFF >/dev/null
cmake --build "$tmp/shared" -j2 >/dev/null
bad=$(nm -D --defined-only "$tmp/shared/libmtport.so" | awk '$2 ~ /[TDBR]/ {print $3}' | grep -v '^mtport_' || true)
[ -z "$bad" ] || { echo "exported symbols without the mtport_ prefix:"; echo "$bad"; exit 1; }
echo "shared library exports only mtport_ symbols"
echo "1 passed, 0 failed"
