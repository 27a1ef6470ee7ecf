#!/usr/bin/env bash
# Regenerates docs/screenshots/ (shown in README): the scaffold's home page
# and one post page, at phone and desktop widths, in the light scheme. The
# site is the project's own showcase export (tests/browser/showcase.txt)
# built by the real hugo, served on 127.0.0.1 and shot by headless Chromium
# through tests/browser/sitecheck.py, which checks the site on the way.
# usage: tests/browser/screenshots.sh [MTPORT]   (default: build/mtport)
set -euo pipefail
cd "$(dirname "$0")/../.."
exe=${1:-build/mtport}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 tests/browser/sitecheck.py "$exe" hugo \
  tests/browser/showcase.txt "$work/site" --title "Field Notes" \
  --site-url https://notes.example.com/ --mtport-arg=--timezone \
  --mtport-arg=Europe/London --screens "$work/shots"
mkdir -p docs/screenshots
for f in "$work"/shots/*.png; do
  name=$(basename "$f")
  # smaller files when optipng is there; the pixels are the same
  if command -v optipng >/dev/null; then
    optipng -quiet -o2 "$f"
  fi
  cp "$f" "docs/screenshots/${name#hugo-}"
done
ls -l docs/screenshots
