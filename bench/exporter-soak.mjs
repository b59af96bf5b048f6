#!/usr/bin/env node
// Exporter soak: `layerscope exporter` against a private lab while containers are created and
// removed every few seconds. Checks (the issue's, printed as PASS/FAIL with figures):
//  - RSS after warm-up grows by no more than 10% (first sample after warm-up vs the last
//    ten minutes' median, and vs the maximum);
//  - a removed container's series leave /metrics within one interval (polled every 250 ms;
//    "within one interval" = at most interval + one sample's duration after the removal);
//  - an engine restart in the middle is survived: engine_up goes 0 (healthz 503), then 1 again.
// Usage: node bench/exporter-soak.mjs [minutes=30] [intervalSeconds=5] [warmupMinutes=5]
// Starts its own lab in $LAYERSCOPE_SOAK_LAB (default /tmp/ls-exporter-soak) and purges it after.
import {labPaths} from '../dist/source/adapters/lab/lab-paths.js';
import {startDockerd, stopDockerd} from '../dist/source/adapters/lab/docker-lab.js';
import {readFileSync} from 'node:fs';
import Docker from 'dockerode';
import {startLab, stopLab, requireBuild} from './lib/lab.mjs';
import {median} from './lib/stats.mjs';
import {cpuSeconds, percentile, rssBytes, sleep, startExporter, value} from './lib/exporter-proc.mjs';

requireBuild();
const minutes = Number(process.argv[2] ?? 30);
const interval = Number(process.argv[3] ?? 5);
const warmup = Number(process.argv[4] ?? Math.min(5, minutes / 5)) * 60_000;
let stopping = false;
const dir = process.env.LAYERSCOPE_SOAK_LAB ?? '/tmp/ls-exporter-soak';
const log = line => process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const env = await startLab(dir, log);
const docker = new Docker({socketPath: env.DOCKER_HOST.replace('unix://', '')});
const image = 'layerscope.local/busybox:latest';
const exporter = await startExporter(['--interval', String(interval)], {...process.env, ...env});
log(`exporter at ${exporter.url}, pid ${exporter.pid}, interval ${interval} s, ${minutes} min, warm-up ${warmup / 60_000} min`);

const mib = b => (b / 2 ** 20).toFixed(1);
const started = Date.now();
const end = started + minutes * 60_000;
const rss = []; // [msSinceStart, bytes]
const parts = []; // [msSinceStart, {anon, file}]: a leak shows in anonymous memory; file pages are node's own code paged in
function rssParts(pid) {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = name => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
	return {anon: kb('RssAnon'), file: kb('RssFile') + kb('RssShmem'), ...anonParts(pid)};
}
/**
 * Where the anonymous part lives, from /proc/PID/smaps: glibc's main malloc arena ([heap], brk),
 * its per-thread arenas (anonymous mappings aligned to their 64 MiB HEAP_MAX_SIZE), and the rest
 * (V8's heap pages of every isolate, stacks, other mmaps).
 */
function anonParts(pid) {
	const out = {brk: 0, arenas: 0, otherAnon: 0};
	let kind = null;
	for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
		const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
		if (head) {
			const start = BigInt(`0x${head[1]}`);
			const size = BigInt(`0x${head[2]}`) - start;
			const name = head[3];
			if (name === '[heap]') kind = 'brk';
			else if (name === '' || name.startsWith('[anon')) kind = start % (64n << 20n) === 0n && size <= 64n << 20n ? 'arenas' : 'otherAnon';
			else kind = null;
			continue;
		}
		if (kind && line.startsWith('Rss:')) out[kind] += Number(/(\d+)/.exec(line)[1]) * 1024;
	}
	return out;
}
const heaps = []; // [msSinceStart, main-thread heap used]
const removals = []; // ms until the series left /metrics
const lingering = [];
let created = 0;
let restart = null;
const live = [];

async function churn() {
	while (Date.now() < end) {
		const name = `ls-soak-${created++}`;
		try {
			const c = await docker.createContainer({name, Image: image, Cmd: ['sh', '-c', 'i=0; while [ $i -lt 50 ]; do echo $i > /f$i; i=$((i+1)); done; exec sleep 100000'], HostConfig: {NetworkMode: 'none'}});
			await c.start();
			live.push({name, id: c.id, at: Date.now()});
		} catch (error) {
			if (!restart?.down) log(`create ${name}: ${error.message.split('\n')[0]}`);
		}
		// Keep about eight; remove the oldest once it has been seen in /metrics.
		while (live.length > 8) {
			const old = live.shift();
			// A watcher still polling when the exporter is stopped at the end must not crash the summary.
			void watchRemoval(old).catch(error => (stopping ? undefined : log(`removal watch failed: ${error.message}`)));
		}
		await sleep(3000);
	}
}

async function watchRemoval(old) {
	const seen = (await exporter.scrape()).text.includes(`container="${old.name}"`);
	try {
		await docker.getContainer(old.id).remove({force: true});
	} catch (error) {
		if (!restart?.down) log(`remove ${old.name}: ${error.message.split('\n')[0]}`);
		return;
	}
	if (!seen || restart?.down) return;
	const removedAt = Date.now();
	for (;;) {
		if (!(await exporter.scrape()).text.includes(`container="${old.name}"`)) return void removals.push(Date.now() - removedAt);
		if (Date.now() - removedAt > 10 * interval * 1000) return void lingering.push(old.name);
		await sleep(250);
	}
}

async function engineRestart() {
	await sleep(Math.max(0, started + (minutes * 60_000) / 2 - Date.now()));
	if (Date.now() >= end) return;
	restart = {down: true, at: Date.now()};
	log('stopping the lab dockerd (engine restart)');
	// Stopping kills the running containers first: time the exporter against dockerd's own exit too.
	const pid = Number(readFileSync(labPaths(dir).docker.pidFile, 'utf8').trim());
	const exited = (async () => {
		for (;;) {
			try {
				process.kill(pid, 0);
			} catch {
				return Date.now();
			}
			await sleep(50);
		}
	})();
	await stopDockerd(labPaths(dir));
	const up = t => value(t, 'layerscope_engine_up', l => l.includes('engine="docker"'));
	for (;;) {
		const {text} = await exporter.scrape();
		const health = await fetch(`${exporter.url}/healthz`);
		if (up(text) === 0 && health.status === 503) break;
		await sleep(250);
	}
	const downAt = Date.now();
	restart.sawDownAfter = downAt - restart.at;
	restart.sawDownAfterExit = downAt - (await exited);
	log(`exporter shows docker down ${restart.sawDownAfter} ms after the stop began, ${restart.sawDownAfterExit} ms after dockerd exited; starting dockerd again`);
	await startDockerd(labPaths(dir));
	const back = Date.now();
	restart.down = false;
	for (;;) {
		const {text} = await exporter.scrape();
		if (up(text) === 1 && (await fetch(`${exporter.url}/healthz`)).status === 200) break;
		if (Date.now() - back > 120_000) throw new Error('the exporter never resumed after the engine restart');
		await sleep(250);
	}
	restart.resumedAfter = Date.now() - back;
	log(`exporter resumed ${restart.resumedAfter} ms after dockerd answered again`);
}

/** "used/total/young" of one thread's V8 heap in MiB, from the exporter's own layerscope_exporter_heap_bytes. */
const heapOf = (text, thread) => ['used', 'total', 'young'].map(kind => mib(value(text, 'layerscope_exporter_heap_bytes', l => l.includes(`thread="${thread}"`) && l.includes(`kind="${kind}"`)) ?? 0)).join('/');

async function meter() {
	const cpu0 = cpuSeconds(exporter.pid);
	while (Date.now() < end) {
		rss.push([Date.now() - started, rssBytes(exporter.pid)]);
		parts.push([Date.now() - started, rssParts(exporter.pid)]);
		const {text} = await exporter.scrape();
		heaps.push([Date.now() - started, value(text, 'layerscope_exporter_heap_used_bytes') ?? 0]);
		if (rss.length % 12 === 0) {
			const series = text.split('\n').filter(l => l.startsWith('layerscope_container_writable_bytes{')).length;
			const heap = value(text, 'layerscope_exporter_heap_used_bytes', () => true);
			log(
				`rss ${mib(rss.at(-1)[1])} MiB, service heap used ${mib(heap ?? 0)} MiB, cpu ${(cpuSeconds(exporter.pid) - cpu0).toFixed(1)} s, containers created ${created}, series ${series}, removals timed ${removals.length}; heaps (used/total/young MiB): service ${heapOf(text, 'service')}, walker ${heapOf(text, 'walker0')}; anon: brk ${mib(parts.at(-1)[1].brk)}, arenas ${mib(parts.at(-1)[1].arenas)}, other ${mib(parts.at(-1)[1].otherAnon)} MiB`,
			);
		}
		await sleep(10_000);
	}
	return cpuSeconds(exporter.pid) - cpu0;
}

const [, , cpu] = await Promise.all([churn(), engineRestart(), meter()]);
await sleep(1000);
stopping = true;
const code = await exporter.stop();
const all = await docker.listContainers({all: true});
await Promise.all(
	all.map(c =>
		docker
			.getContainer(c.Id)
			.remove({force: true})
			.catch(() => {}),
	),
);
await stopLab(dir);

const after = rss.filter(([t]) => t >= warmup);
const base = after[0]?.[1] ?? rss.at(-1)[1];
const lastTen = after.filter(([t]) => t >= minutes * 60_000 - 10 * 60_000).map(([, b]) => b);
const tail = median(lastTen.length ? lastTen : after.map(([, b]) => b));
const max = Math.max(...after.map(([, b]) => b));
// One interval after the removal, plus what a sample in flight at that moment and the 250 ms polling add.
const heapAfter = heaps.filter(([t]) => t >= warmup);
const heapTail = median(heapAfter.filter(([t]) => t >= minutes * 60_000 - 10 * 60_000).map(([, b]) => b));
const limitMs = interval * 1000 + 2000;
const lines = [
	`soak: ${minutes} min, interval ${interval} s, ${created} containers created (one every ~3 s, about 8 alive), exporter exit code ${code}`,
	`RSS: after warm-up (${warmup / 60_000} min) ${mib(base)} MiB; last 10 min median ${mib(tail)} MiB (${(((tail - base) / base) * 100).toFixed(1)}%); max ${mib(max)} MiB (${(((max - base) / base) * 100).toFixed(1)}%) ${tail <= base * 1.1 ? 'PASS' : 'FAIL'} (≤ +10%)`,
	...['anon', 'brk', 'arenas', 'otherAnon', 'file'].map(kind => {
		const after = parts.filter(([t]) => t >= warmup);
		const first = after[0]?.[1][kind] ?? 0;
		const last = median(after.filter(([t]) => t >= minutes * 60_000 - 10 * 60_000).map(([, p]) => p[kind]));
		const what = {anon: 'anonymous (heaps, malloc)', brk: '  malloc main arena (brk)', arenas: '  malloc thread arenas', otherAnon: '  other anonymous (V8 heaps, stacks)', file: "file-backed (node's code paged in)"}[kind];
		return `  of which ${what}: after warm-up ${mib(first)} MiB; last 10 min median ${mib(last)} MiB (${first ? (((last - first) / first) * 100).toFixed(1) : '?'}%)`;
	}),
	`service-thread JS heap used: after warm-up ${mib(heapAfter[0]?.[1] ?? 0)} MiB; last 10 min median ${mib(heapTail)} MiB`,
	`series removal: ${removals.length} removals timed; median ${median(removals)} ms, p99 ${percentile(removals, 99)} ms, max ${Math.max(...removals)} ms; ${lingering.length} lingered > 10 intervals ${lingering.length === 0 && Math.max(...removals) <= limitMs ? 'PASS' : 'CHECK'} (≤ one interval + 2 s: ${limitMs} ms)`,
	restart?.resumedAfter !== undefined
		? `engine restart: down seen ${restart.sawDownAfter} ms after the stop began (containers killed first), ${restart.sawDownAfterExit} ms after dockerd exited (polled every 250 ms); resumed ${restart.resumedAfter} ms after it answered again PASS`
		: 'engine restart: not reached FAIL',
	`exporter CPU: ${cpu.toFixed(1)} s over ${minutes} min = ${((cpu / (minutes * 60)) * 100).toFixed(2)}% of one core`,
];
console.log(lines.join('\n'));
