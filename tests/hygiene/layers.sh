#!/usr/bin/env bash
# The house rule (docs/architecture.md): a file under src/<folder>/ includes
# headers of its own folder, the public include/mtport/ headers, and of
# another folder only that folder's own header (src/core/core.h,
# src/readers/readers.h, src/html2md/html2md.h, src/pipeline/pipeline.h).
# The CLI and the exporters include only public headers and headers of
# their own folder (or a folder below it). Prints every include that breaks the rule.
# usage: layers.sh SOURCE_DIR
set -uo pipefail
cd "$1" || exit 2
bad=0 seen=0
while IFS= read -r f; do
  dir=$(dirname "$f")
  while IFS= read -r inc; do
    seen=$((seen + 1))
    case "$inc" in
    mtport/*) continue ;;
    *..*) ;;
    *)
      # its own folder (or a folder below it)
      [ -f "$dir/$inc" ] && continue
      # another stage's own header, from src/ (not from the CLI)
      other=${inc%%/*} name=${inc#*/}
      case "$dir" in
      src/cli) ;;
      src/*) [ "$name" = "$other.h" ] && [ -f "src/$inc" ] && continue ;;
      esac
      ;;
    esac
    echo "$f: #include \"$inc\" crosses a folder"
    bad=$((bad + 1))
  done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done < <(find src exporters -name '*.[ch]' | sort)
echo "$seen includes checked, $bad crossing a folder"
[ "$seen" -gt 0 ] && [ "$bad" = 0 ]
