#!/usr/bin/env node
// Sampling cost: 100 running containers × ~2,000 files each (5 of them appending),
// sampled by the console's DockerSampler at the default 5 s interval for 60 s.
// Reports this process's CPU time (main thread + sample worker) over that minute,
// as a share of one core, with the first full scan reported separately.
// Usage (private lab engine only; creates ls-bench-* containers and leaves them):
//   DOCKER_HOST=unix:///…/docker.sock node bench/sampling.mjs [containers] [seconds] [intervalSeconds]
import {existsSync} from 'node:fs';
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
const existing = new Set((await docker.listContainers({all: true})).flatMap(c => c.Names.map(n => n.slice(1))));
const names = Array.from({length: count}, (_, i) => `ls-bench-${String(i).padStart(3, '0')}`);
let created = 0;
for (const [i, name] of names.entries()) {
	if (existing.has(name)) continue;
	const tail = i < 5 ? 'while true; do head -c 65536 /dev/zero >> /data/grow.log; sleep 1; done' : 'sleep 86400';
	const c = await docker.createContainer({name, Image: image, Cmd: ['sh', '-c', `${seed}; ${tail}`], HostConfig: {NetworkMode: 'none'}});
	await c.start();
	created++;
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
const cpu0 = process.cpuUsage();
const t0 = Date.now();
await sampler.fullScan();
const scanCpu = process.cpuUsage(cpu0);
console.error(`bench: first full scan ${(Date.now() - t0) / 1000} s wall, ${((scanCpu.user + scanCpu.system) / 1e6).toFixed(2)} s CPU`);

async function window(label) {
	const cpu1 = process.cpuUsage();
	const t1 = Date.now();
	const s1 = stats;
	const n1 = passes;
	let maxPass = 0;
	const perPass = [];
	while (Date.now() - t1 < seconds * 1000) {
		await new Promise(r => setTimeout(r, interval * 1000));
		const p0 = Date.now();
		const c0 = process.cpuUsage();
		const s0 = stats;
		await sampler.sample();
		const c = process.cpuUsage(c0);
		perPass.push(`${((c.user + c.system) / 1000).toFixed(0)}ms/${stats - s0}`);
		maxPass = Math.max(maxPass, Date.now() - p0);
	}
	const used = process.cpuUsage(cpu1);
	const wall = (Date.now() - t1) / 1000;
	const share = (used.user + used.system) / 1e6 / wall;
	console.error(`bench: ${label}: CPU/lstat per pass: ${perPass.join(' ')}`);
	console.log(
		`${label}: sampling ${count} running containers every ${interval} s for ${wall.toFixed(0)} s: ${((used.user + used.system) / 1e6).toFixed(2)} s CPU = ${(100 * share).toFixed(2)}% of one core (target ≤ 5%); ` +
			`${passes - n1} passes, ${Math.round((stats - s1) / Math.max(1, passes - n1))} lstat per pass, slowest pass ${maxPass} ms wall`,
	);
}
await window('first minute (builds the per-file index: the first scan sizes layers with GNU find, outside this process)');
await window('second minute (steady state)');
const state = sampler.getState();
console.log(`${[...state.growth].filter(([, r]) => (r ?? 0) > 0).length} containers seen growing (5 expected)`);
await sampler.stop();
process.exit(0);
