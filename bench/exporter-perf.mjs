#!/usr/bin/env node
// Exporter cost: 100 running containers × 2,000 files each (bench/lib/seed.mjs), `layerscope
// exporter` at its default 15 s interval, scraped every 15 s for 5 minutes (as Prometheus would).
// Targets (issue 13): exporter CPU ≤ 3% of one core, RSS ≤ 150 MB, scrape latency p99 ≤ 50 ms.
// CPU is the exporter's own CPU time (all threads, plus the find processes it waited for), read
// from /proc after the first full scan (reported separately); RSS is sampled every 2 s.
// A burst of 200 back-to-back scrapes at the end gives a latency distribution larger than 20 points.
// Usage: node bench/exporter-perf.mjs [minutes=5] [containers=100]
// Starts its own lab in $LAYERSCOPE_PERF_LAB (default /tmp/ls-exporter-perf); LAYERSCOPE_BENCH_KEEP=1 keeps it.
import {availableParallelism, loadavg} from 'node:os';
import {startLab, stopLab, requireBuild} from './lib/lab.mjs';
import {seed, unseed} from './lib/seed.mjs';
import {readdirSync} from 'node:fs';
import {cpuSeconds, percentile, rssBytes, sleep, startExporter, threadCpuSeconds, value} from './lib/exporter-proc.mjs';

requireBuild();
const minutes = Number(process.argv[2] ?? 5);
const count = Number(process.argv[3] ?? 100);
const dir = process.env.LAYERSCOPE_PERF_LAB ?? '/tmp/ls-exporter-perf';
const log = line => process.stderr.write(`[perf ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const env = await startLab(dir, log);
const socket = env.DOCKER_HOST.replace('unix://', '');
await seed(socket, {containers: count, dirs: 20, files: 100, log});
log(`${count} containers × 2,000 files seeded`);

const t0 = Date.now();
const exporter = await startExporter([], {...process.env, ...env});
const mib = b => (b / 2 ** 20).toFixed(1);
const dockerSeries = text => text.split('\n').filter(l => l.startsWith('layerscope_container_writable_bytes{engine="docker"')).length;
// Warm-up: the first full scan (walks every layer, builds the sampler's index) and the first incremental sample.
for (;;) {
	const {text} = await exporter.scrape();
	if (dockerSeries(text) >= count && value(text, 'layerscope_engine_sample_duration_seconds', l => l.includes('engine="docker"')) !== undefined) break;
	if (Date.now() - t0 > 15 * 60_000) throw new Error('no complete sample within 15 minutes');
	await sleep(500);
}
const warm = {seconds: (Date.now() - t0) / 1000, cpu: cpuSeconds(exporter.pid), rss: rssBytes(exporter.pid)};
log(`first full figures after ${warm.seconds.toFixed(1)} s (CPU ${warm.cpu.toFixed(1)} s, RSS ${mib(warm.rss)} MiB); measuring ${minutes} min`);

const cpu0 = cpuSeconds(exporter.pid);
const main0 = threadCpuSeconds(exporter.pid);
const load0 = loadavg();
const start = Date.now();
const end = start + minutes * 60_000;
const rss = [];
const scrapes = [];
const durations = [];
const loopMax = [];
const sampler = (async () => {
	while (Date.now() < end) {
		rss.push(rssBytes(exporter.pid));
		await sleep(2000);
	}
})();
while (Date.now() < end) {
	const {text, ms} = await exporter.scrape();
	scrapes.push(ms);
	durations.push(value(text, 'layerscope_engine_sample_duration_seconds', l => l.includes('engine="docker"')));
	// The exporter's service-thread event-loop delay over the 15 s before this scrape.
	loopMax.push(value(text, 'layerscope_exporter_event_loop_delay_seconds', l => l.includes('stat="max"')) ?? 0);
	log(`scrape ${ms.toFixed(1)} ms, ${(text.length / 1024).toFixed(0)} KiB, docker sample ${durations.at(-1)?.toFixed(3)} s, RSS ${mib(rss.at(-1) ?? 0)} MiB`);
	await sleep(Math.max(0, 15_000 - ms));
}
await sampler;
const cpu = cpuSeconds(exporter.pid) - cpu0;
const mainCpu = threadCpuSeconds(exporter.pid) - main0;
const wall = (Date.now() - start) / 1000;
const load1 = loadavg();
// The exporter serves /metrics from its service thread (a worker thread since session 8): each
// thread's CPU over the burst, and the busiest one's per request.
const threadsCpu = () => new Map(readdirSync(`/proc/${exporter.pid}/task`).map(tid => [tid, threadCpuSeconds(exporter.pid, Number(tid))]));
const burstThreads0 = threadsCpu();
const burstCpu0 = process.cpuUsage();
// Reference: the same server's constant `/` page, alternated with /metrics, so machine load shows as load.
const burst = [];
const reference = [];
for (let i = 0; i < 200; i++) {
	burst.push((await exporter.scrape()).ms);
	reference.push((await exporter.scrape('/')).ms);
}
// CPU time, not wall time: the exporter's main thread per request (/proc, 10 ms ticks over 400
// requests), and this client's, so a slow wall-clock figure can be told from a busy machine.
const burstThreads = threadsCpu();
const burstServing = Math.max(...[...burstThreads].map(([tid, seconds]) => seconds - (burstThreads0.get(tid) ?? 0))) / (burst.length + reference.length);
const burstClient = process.cpuUsage(burstCpu0);
// Server side: the exporter's own histogram of the time to build each /metrics body.
const last = (await exporter.scrape()).text;
const heapUsed = value(last, 'layerscope_exporter_heap_used_bytes');
const served = value(last, 'layerscope_exporter_scrape_duration_seconds_count') ?? 0;
const under = le => value(last, 'layerscope_exporter_scrape_duration_seconds_bucket', l => l.includes(`le="${le}"`)) ?? 0;
const serverSide = `${served} scrapes: ${((under('0.005') / served) * 100).toFixed(1)}% ≤ 5 ms, ${((under('0.05') / served) * 100).toFixed(1)}% ≤ 50 ms, mean ${(((value(last, 'layerscope_exporter_scrape_duration_seconds_sum') ?? 0) / served) * 1000).toFixed(2)} ms`;
await exporter.stop();
if (!process.env.LAYERSCOPE_BENCH_KEEP) {
	await unseed(socket);
	await stopLab(dir);
}

const share = (cpu / wall) * 100;
const maxRss = Math.max(...rss);
const p99 = percentile(scrapes, 99);
const lines = [
	`exporter perf: ${count} running containers × 2,000 files, interval 15 s, scraped every 15 s for ${minutes} min (${scrapes.length} scrapes)`,
	`warm-up (first full scan + first sample): ${warm.seconds.toFixed(1)} s wall, ${warm.cpu.toFixed(1)} s CPU`,
	`CPU: ${cpu.toFixed(2)} s over ${wall.toFixed(0)} s = ${share.toFixed(2)}% of one core ${share <= 3 ? 'PASS' : 'FAIL'} (≤ 3%); main thread (signals only) ${mainCpu.toFixed(2)} s, service and walker threads and children ${(cpu - mainCpu).toFixed(2)} s`,
	`RSS: max ${mib(maxRss)} MiB, mean ${mib(rss.reduce((a, b) => a + b, 0) / rss.length)} MiB ${maxRss <= 150e6 ? 'PASS' : 'FAIL'} (≤ 150 MB); service-thread JS heap at the end ${mib(heapUsed ?? 0)} MiB`,
	`scrape latency (15 s cadence): p50 ${percentile(scrapes, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...scrapes).toFixed(1)} ms ${p99 <= 50 ? 'PASS' : 'FAIL'} (p99 ≤ 50 ms)`,
	`scrape latency (200 back-to-back): p50 ${percentile(burst, 50).toFixed(1)} ms, p99 ${percentile(burst, 99).toFixed(1)} ms; reference (constant page, alternated): p50 ${percentile(reference, 50).toFixed(1)} ms, p99 ${percentile(reference, 99).toFixed(1)} ms; ratio p50 ${(percentile(burst, 50) / percentile(reference, 50)).toFixed(2)}`,
	`server-side render time (layerscope_exporter_scrape_duration_seconds): ${serverSide}`,
	`CPU time per request in the burst: the exporter's busiest thread (the one serving) ${(burstServing * 1000).toFixed(2)} ms (/proc, 10 ms ticks), client ${((burstClient.user + burstClient.system) / 1000 / (burst.length + reference.length)).toFixed(2)} ms`,
	`exporter service-thread event-loop delay, max per 15 s interval (layerscope_exporter_event_loop_delay_seconds): median ${(percentile(loopMax, 50) * 1000).toFixed(1)} ms, largest ${(Math.max(...loopMax) * 1000).toFixed(1)} ms`,
	`load average (1, 5, 15 min): at the start of the measurement ${load0.map(l => l.toFixed(1)).join(' ')}, at its end ${load1.map(l => l.toFixed(1)).join(' ')}, after the burst ${loadavg()
		.map(l => l.toFixed(1))
		.join(' ')} on ${availableParallelism()} cores`,
	`docker sample duration (exporter's own metric): median ${percentile(
		durations.filter(d => d !== undefined),
		50,
	)?.toFixed(3)} s`,
];
console.log(lines.join('\n'));
