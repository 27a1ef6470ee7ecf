#!/bin/sh
# Real consumer: wordpress-export-to-markdown turns our WXR into one Markdown
# file per kept post; each must carry the title and UTC date of its post.
# Usage: npm_consumer.sh WXR MANIFEST OUTDIR NODE_DIR [FALLBACK_DIR]
# The package is looked for in $MTPORT_WXR2MD_PREFIX, NODE_DIR (the suite's
# MTPORT_NODE_DIR, filled by tests/run-all.sh) and FALLBACK_DIR. When absent
# it is installed into FALLBACK_DIR if npm can reach its registry; failing
# that the test is skipped (77), or fails when MTPORT_REQUIRE_CONSUMERS is
# set (CI). The install command CI needs:
#   npm install --prefix build-node --no-audit --no-fund wordpress-export-to-markdown@2.2.2
set -u
wxr=$1 manifest=$2 out=$3 node_dir=$4 fallback=${5:-}
pkg=node_modules/wordpress-export-to-markdown/index.js
missing() {
  echo "wordpress-export-to-markdown: $1"
  [ -n "${MTPORT_REQUIRE_CONSUMERS:-}" ] && exit 1
  exit 77
}
command -v node >/dev/null 2>&1 || missing "node not found"
tool=
for d in ${MTPORT_WXR2MD_PREFIX:-} "$node_dir" $fallback; do
  [ -f "$d/$pkg" ] && { tool=$d/$pkg; break; }
done
if [ -z "$tool" ] && [ -n "$fallback" ] && command -v npm >/dev/null 2>&1; then
  mkdir -p "$fallback"
  timeout 300 npm install --prefix "$fallback" --no-audit --no-fund \
    --loglevel=error wordpress-export-to-markdown@2.2.2 \
    >"$fallback/install.log" 2>&1 || true
  [ -f "$fallback/$pkg" ] && tool=$fallback/$pkg
fi
[ -n "$tool" ] || missing "not installed in $node_dir"
echo "using $tool"
rm -rf "$out"
mkdir -p "$out"
# non-interactive; no image downloads (no network); pages too; dated names
node "$tool" --wizard=false --input="$wxr" --output="$out" \
  --year-folders=false --month-folders=false --post-folders=false \
  --prefix-date=true --save-attached-images=false \
  --save-scraped-images=false --include-other-types=true || exit 1
# the tool writes files after a delay per post; it has exited, so all are in
node - "$manifest" "$out" <<'JS' || exit 1
const fs = require('fs'), path = require('path');
const [manifest, out] = process.argv.slice(2);
const want = fs.readFileSync(manifest, 'utf8').split('\n').filter(Boolean)
  .map(l => { const [type, slug, day, ...t] = l.split('\t');
              return { type, slug: decodeURIComponent(slug), day, title: t.join('\t') }; });
const files = [];
(function walk(d) { for (const f of fs.readdirSync(d)) {
  const p = path.join(d, f);
  if (fs.statSync(p).isDirectory()) walk(p); else if (p.endsWith('.md')) files.push(p); } })(out);
let bad = 0;
const fail = m => { console.error('FAIL: ' + m); bad++; };
if (want.length === 0) fail('the manifest lists no posts');
if (files.length !== want.length) fail(`${files.length} Markdown files for ${want.length} posts`);
for (const w of want) {
  const f = path.join(out, w.type, `${w.day}-${w.slug}.md`);
  if (!fs.existsSync(f)) { fail(`missing ${f}`); continue; }
  const text = fs.readFileSync(f, 'utf8');
  const fm = text.split('\n---\n')[0];
  const title = (fm.match(/^title: "(.*)"$/m) || [])[1];
  const date = (fm.match(/^date: "(.*)"$/m) || [])[1];
  const expTitle = w.title.replace(/"/g, '\\"');
  if (title !== expTitle) fail(`${f}: title ${JSON.stringify(title)}, expected ${JSON.stringify(expTitle)}`);
  if (date !== w.day) fail(`${f}: date ${date}, expected ${w.day}`);
}
console.log(`${want.length} posts checked in ${files.length} Markdown files`);
process.exit(bad ? 1 : 0);
JS
