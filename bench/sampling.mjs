#!/usr/bin/env node
// Sampling cost: 100 running containers × ~2,000 files each (5 of them appending),
// sampled by the console's DockerSampler at the default 5 s interval for 60 s.
// Reports this process's CPU time (main thread + sample worker threads + waited-for
// children) over each minute after the first full scan, as a share of one core. The
// first full scan (which walks every layer and so builds the sampler's per-file index)
// is reported separately, and once more folded into the first minute.
// Usage (private lab engine only; creates ls-bench-* containers and leaves them):
//   DOCKER_HOST=unix:///…/docker.sock node bench/sampling.mjs [containers] [seconds] [intervalSeconds]
// LAYERSCOPE_BENCH_FRESH=1 removes existing ls-bench-* containers first, so every layer was
// written just before the scan (the worst case for the first minute).
import {existsSync, readFileSync} from 'node:fs';
import Docker from 'dockerode';
import {DockerClient} from '../dist/source/adapters/docker/docker-client.js';
import {DockerReader} from '../dist/source/adapters/docker/docker-reader.js';
import {resolveDockerEndpoint} from '../dist/source/adapters/docker/endpoint.js';
import {DockerSampler} from '../dist/source/services/sampler.js';

const count = Number(process.argv[2] ?? 100);
const seconds = Number(process.argv[3] ?? 60);
const interval = Number(process.argv[4] ?? 5);
const endpoint = resolveDockerEndpoint();
if (!endpoint.socketPath?.includes('lab') && !process.env.LAYERSCOPE_BENCH_ANY_ENGINE) throw new Error('point DOCKER_HOST at a private lab engine');
const docker = new Docker({socketPath: endpoint.socketPath});
const image = 'layerscope.local/busybox:latest';

// 20 directories × 100 files of 1 KiB (shell builtins only, no process per file); then sleep (or append 64 KiB per second for the growers).
const seed = 'b=0123456789abcdef; b=$b$b$b$b; b=$b$b$b$b; b=$b$b$b$b; for d in $(seq 20); do mkdir -p /data/$d; for f in $(seq 100); do echo "$b" > /data/$d/$f; done; done; touch /ready';
const names = Array.from({length: count}, (_, i) => `ls-bench-${String(i).padStart(3, '0')}`);
if (process.env.LAYERSCOPE_BENCH_FRESH) {
	const old = (await docker.listContainers({all: true})).filter(c => c.Names.some(n => n.startsWith('/ls-bench-')));
	for (let i = 0; i < old.length; i += 10) await Promise.all(old.slice(i, i + 10).map(c => docker.getContainer(c.Id).remove({force: true})));
}
const existing = new Set((await docker.listContainers({all: true})).flatMap(c => c.Names.map(n => n.slice(1))));
let created = 0;
const missing = [...names.entries()].filter(([, name]) => !existing.has(name));
for (let at = 0; at < missing.length; at += 10) {
	await Promise.all(
		missing.slice(at, at + 10).map(async ([i, name]) => {
			const tail = i < 5 ? 'while true; do head -c 65536 /dev/zero >> /data/grow.log; sleep 1; done' : 'sleep 86400';
			const c = await docker.createContainer({name, Image: image, Cmd: ['sh', '-c', `${seed}; ${tail}`], HostConfig: {NetworkMode: 'none'}});
			await c.start();
			created++;
		}),
	);
}
for (const name of names) {
	const c = docker.getContainer(name);
	const info = await c.inspect();
	if (!info.State.Running) await c.start();
}
console.error(`bench: ${created} containers created, waiting for seeding…`);
for (const name of names) {
	// Seeding is done when /ready exists in the writable layer (read on the host).
	const upper = (await docker.getContainer(name).inspect()).GraphDriver.Data.UpperDir;
	while (!existsSync(`${upper}/ready`)) await new Promise(r => setTimeout(r, 1000));
}

const reader = new DockerReader(new DockerClient(endpoint, 30_000));
let stats = 0;
let passes = 0;
const sampler = new DockerSampler(reader, {intervalMs: interval * 1000, dfTimeoutMs: 120_000, onSample: r => ((stats += r.stats), passes++)});
/** CPU seconds of this process (all threads) and of its waited-for children (e.g. find). */
function cpuSeconds() {
	const own = process.cpuUsage();
	const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
	return (own.user + own.system) / 1e6 + (Number(fields[13]) + Number(fields[14])) / 100;
}
const cpu0 = cpuSeconds();
const t0 = Date.now();
await sampler.fullScan();
const scan = {cpu: cpuSeconds() - cpu0, wall: (Date.now() - t0) / 1000};
console.log(`first full scan (walks every layer, building the sampler's index): ${scan.wall.toFixed(2)} s wall, ${scan.cpu.toFixed(2)} s CPU`);

async function window(label, before = {cpu: 0, wall: 0}) {
	const cpu1 = cpuSeconds();
	const t1 = Date.now();
	const s1 = stats;
	const n1 = passes;
	let maxPass = 0;
	const perPass = [];
	while (Date.now() - t1 < seconds * 1000) {
		await new Promise(r => setTimeout(r, interval * 1000));
		const p0 = Date.now();
		const c0 = cpuSeconds();
		const s0 = stats;
		await sampler.sample();
		perPass.push(`${((cpuSeconds() - c0) * 1000).toFixed(0)}ms/${stats - s0}`);
		maxPass = Math.max(maxPass, Date.now() - p0);
		if (before.wall > 0 && !fromStart && Date.now() - t0 >= seconds * 1000) fromStart = {cpu: cpuSeconds() - cpu0, wall: (Date.now() - t0) / 1000};
	}
	const used = cpuSeconds() - cpu1;
	const wall = (Date.now() - t1) / 1000;
	console.error(`bench: ${label}: CPU/lstat per pass: ${perPass.join(' ')}`);
	console.log(
		`${label}: sampling ${count} running containers every ${interval} s for ${wall.toFixed(0)} s: ${used.toFixed(2)} s CPU = ${((100 * used) / wall).toFixed(2)}% of one core (target ≤ 5%); ` +
			`${passes - n1} passes, ${Math.round((stats - s1) / Math.max(1, passes - n1))} lstat per pass, slowest pass ${maxPass} ms wall`,
	);
	if (before.wall > 0 && fromStart) {
		console.log(`  first ${fromStart.wall.toFixed(0)} s counted from the start instead (the first full scan included): ${fromStart.cpu.toFixed(2)} s CPU = ${((100 * fromStart.cpu) / fromStart.wall).toFixed(2)}% of one core`);
	}
}
let fromStart;
await window(`first minute after the first full scan (${created} of ${count} containers created by this run)`, scan);
await window('second minute (steady state)');
const state = sampler.getState();
console.log(`${[...state.growth].filter(([, r]) => (r ?? 0) > 0).length} containers seen growing (5 expected)`);
await sampler.stop();
process.exit(0);
