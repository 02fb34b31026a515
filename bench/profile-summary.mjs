// Summarises a V8 .cpuprofile (from `BENCH_CPU_PROF=<dir> npm run bench`):
// self time by package, self time by function, inclusive time by function.
// usage: node bench/profile-summary.mjs <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfTime = new Map();
profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfTime.values()].reduce((a, b) => a + b, 0);

const short = (url) => url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, 'dist/');
const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const pkg = (n) => {
  const url = n.callFrame.url;
  if (!url) return n.callFrame.functionName || '(native)';
  const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.includes('/dist/server/')) return 'parley (dist/server)';
  return url.startsWith('node:') ? 'node core' : url;
};

const add = (map, key, t) => map.set(key, (map.get(key) ?? 0) + t);
const byPkg = new Map();
const bySelf = new Map();
const byIncl = new Map();
for (const [id, t] of selfTime) {
  const n = nodes.get(id);
  add(byPkg, pkg(n), t);
  add(bySelf, label(n), t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const key = label(nodes.get(cur));
    if (!seen.has(key)) {
      seen.add(key);
      add(byIncl, key, t);
    }
  }
}
const print = (title, map) => {
  console.log(`\n## ${title}`);
  for (const [k, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
print('self time by package', byPkg);
print('self time by function', bySelf);
print('inclusive time by function', byIncl);
