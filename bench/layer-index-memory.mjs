#!/usr/bin/env node
// What the sampler's layer index (dist/source/adapters/fs/layer-index.js) costs in memory:
// LAYERS directories shaped like the perf bench's layers (20 directories × 100 small files
// each), indexed by one LayerSampler in this thread, then 20 incremental passes.
// Reports the JS heap and RSS it adds (after a full GC) and the CPU time of the index and a pass.
// Usage: node --expose-gc bench/layer-index-memory.mjs [layers=100]
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {dist, requireBuild} from './lib/lab.mjs';

requireBuild();
if (typeof gc !== 'function') throw new Error('run with node --expose-gc');
const layers = Number(process.argv[2] ?? 100);
const base = mkdtempSync(join(tmpdir(), 'ls-index-mem-'));
const roots = [];
for (let c = 0; c < layers; c++) {
	// Long roots, as under /var/lib/docker/overlay2/<64 hex>/diff.
	const root = join(base, 'overlay2', c.toString(16).padStart(64, '0'), 'diff');
	for (let d = 0; d < 20; d++) {
		mkdirSync(join(root, 'data', `d${d}`), {recursive: true});
		for (let f = 0; f < 100; f++) writeFileSync(join(root, 'data', `d${d}`, `f${f}`), `${d}.${f}\n`);
	}
	roots.push(root);
}
const {LayerSampler} = await import(dist('source/adapters/fs/layer-sampler.js'));
const mib = b => (b / 2 ** 20).toFixed(1);
const ms = u => ((u.user + u.system) / 1000).toFixed(0);
gc();
const m0 = process.memoryUsage();
const sampler = new LayerSampler();
const containers = roots.map((root, i) => ({id: `c${i}`, root, logPath: null}));
let t = process.cpuUsage();
sampler.sample({containers, budget: 4000, indexBudget: Infinity});
const indexCpu = process.cpuUsage(t);
gc();
const m1 = process.memoryUsage();
t = process.cpuUsage();
for (let i = 0; i < 20; i++) sampler.sample({containers, budget: 4000, indexBudget: 50_000});
const passCpu = process.cpuUsage(t);
gc();
const m2 = process.memoryUsage();
rmSync(base, {recursive: true, force: true});
console.log(
	[
		`layer index: ${layers} layers × 2,000 files`,
		`after the index: JS heap +${mib(m1.heapUsed - m0.heapUsed)} MiB, array buffers +${mib(m1.arrayBuffers - m0.arrayBuffers)} MiB, RSS ${mib(m0.rss)} → ${mib(m1.rss)} MiB; index CPU ${ms(indexCpu)} ms`,
		`after 20 passes: JS heap +${mib(m2.heapUsed - m0.heapUsed)} MiB, RSS ${mib(m2.rss)} MiB; ${(Number(ms(passCpu)) / 20).toFixed(1)} ms CPU per pass`,
	].join('\n'),
);
