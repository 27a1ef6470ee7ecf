// Times turndown (npm) on the bodies written by `html2md_bench MB --dump DIR`,
// for a side-by-side MB/s figure. Not a test.
//   node tests/bench/turndown_bench.cjs DIR [NODE_MODULES_DIR]
// CPU time of this process (process.cpuUsage), reused instance, defaults
// plus ATX headings and fenced code.
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
if (process.argv[3]) module.paths.unshift(process.argv[3]);
const TurndownService = require('turndown');
const td = new TurndownService({headingStyle: 'atx', codeBlockStyle: 'fenced'});
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.html')).sort();
const bodies = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
let bytes = 0;
for (const b of bodies) bytes += Buffer.byteLength(b);
for (let i = 0; i < Math.min(200, bodies.length); i++) td.turndown(bodies[i]); // warm-up
const t0 = process.cpuUsage();
let out = 0;
for (const b of bodies) out += td.turndown(b).length;
const dt = process.cpuUsage(t0);
const s = (dt.user + dt.system) / 1e6;
console.log(`turndown   ${bodies.length} bodies, ${(bytes / 1048576).toFixed(1)} MB HTML in ${s.toFixed(2)} s: ${(bytes / 1048576 / s).toFixed(1)} MB/s`);
