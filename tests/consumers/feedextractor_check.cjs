// Real consumer: @extractus/feed-extractor (npm) reads a JSON Feed mtport
// wrote. usage: node feedextractor_check.cjs NODE_DIR FEED.json EXPECTED.tsv
// EXPECTED.tsv: one "id<TAB>title<TAB>epoch seconds" line per item, in order.
// Exits 77 when the package is not installed in NODE_DIR.
'use strict'
const { createRequire } = require('node:module')
const { readFileSync } = require('node:fs')
const path = require('node:path')
const [nodeDir, feedPath, expectedPath] = process.argv.slice(2)
let extractFromJson
try {
  const req = createRequire(path.join(path.resolve(nodeDir), 'noop.js'))
  extractFromJson = req('@extractus/feed-extractor').extractFromJson
} catch (e) {
  console.log('@extractus/feed-extractor is not installed in ' + nodeDir)
  process.exit(77)
}
const feed = extractFromJson(readFileSync(feedPath, 'utf8'), {
  normalization: true,
  getExtraEntryFields: (e) => ({ rawId: e.id })
})
const expected = readFileSync(expectedPath, 'utf8').split('\n').filter(Boolean)
  .map((l) => l.split('\t'))
let failed = 0
if (feed.entries.length !== expected.length) {
  console.log(`FAIL ${feedPath}: ${feed.entries.length} entries, want ${expected.length}`)
  process.exit(1)
}
feed.entries.forEach((e, i) => {
  const [id, title, epoch] = expected[i]
  const norm = (s) => (s || '').split(/\s+/).filter(Boolean).join(' ')
  const problems = []
  if (e.rawId !== id) problems.push(`id ${e.rawId} != ${id}`)
  if (norm(e.title) !== norm(title)) problems.push(`title ${e.title} != ${title}`)
  if (epoch !== '' && Date.parse(e.published) / 1000 !== Number(epoch))
    problems.push(`published ${e.published} != ${epoch}`)
  if (problems.length) {
    failed++
    console.log(`FAIL ${feedPath} item ${i + 1}: ${problems.join('; ')}`)
  }
})
console.log(`feed-extractor: ${feed.entries.length} entries checked in ${feedPath}`)
process.exit(failed ? 1 : 0)
