// One measured run of the console's sampler (bench/sampling-huge.mjs starts one per build, in
// its own process, so that its CPU time is its own). Input: the JSON file named by argv[2]
// {dist, socketPath, intervalSeconds, seconds, trials, trialLimitSeconds, targets: [{id, upperDir, files: [path]}]}.
// Output: one JSON line on stdout.
import {appendFileSync, readFileSync} from 'node:fs';
import {pathToFileURL} from 'node:url';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const load = path => import(pathToFileURL(`${input.dist}/${path}`).href);
const {DockerClient} = await load('source/adapters/docker/docker-client.js');
const {DockerReader} = await load('source/adapters/docker/docker-reader.js');
const {DockerSampler} = await load('source/services/sampler.js');

/** CPU seconds of this process, all threads (getrusage, µs). */
const cpu = () => {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1e6;
};
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const sleep = ms => new Promise(r => setTimeout(r, ms));

const reader = new DockerReader(new DockerClient({display: `unix://${input.socketPath}`, socketPath: input.socketPath, local: true}, 60_000));
const passes = [];
let last = null;
const sampler = new DockerSampler(reader, {intervalMs: input.intervalSeconds * 1000, dfTimeoutMs: 300_000, onSample: r => (last = r)});
const loadBefore = loadavg();
const c0 = cpu();
const t0 = Date.now();
await sampler.fullScan();
const firstScan = {wall: (Date.now() - t0) / 1000, cpu: cpu() - c0};

const sizeOf = id => sampler.current.containers.find(c => c.id === id)?.writableBytes ?? 0;

// The console's loop: a pass, then the interval, then the next pass.
let stop = false;
const loop = (async () => {
	while (!stop) {
		await sleep(input.intervalSeconds * 1000);
		if (stop) break;
		const p0 = Date.now();
		const pc = cpu();
		await sampler.sample();
		passes.push({at: Date.now(), wall: Date.now() - p0, cpuMs: (cpu() - pc) * 1000, stats: last?.stats ?? 0, reads: last?.reads ?? 0});
		for (const listener of waiting) listener();
	}
})();
const waiting = new Set();
const nextPass = () =>
	new Promise(resolve =>
		waiting.add(function done() {
			waiting.delete(done);
			resolve();
		}),
	);

const w0 = Date.now();
const wc0 = cpu();
// Growth trials, one after another, during the CPU window: a cold file (written before the
// first scan, idle since) starts growing in place (4 KiB appended every second: no directory
// changes); time until the sampler's published size of its container shows it.
const trials = [];
for (let i = 0; i < input.trials; i++) {
	const target = input.targets[i % input.targets.length];
	const file = target.files[Math.floor(Math.random() * target.files.length)];
	await sleep(Math.random() * input.intervalSeconds * 1000); // against the pass timer
	const before = sizeOf(target.id);
	const start = Date.now();
	const grow = setInterval(() => appendFileSync(file, Buffer.alloc(4096)), 1000);
	appendFileSync(file, Buffer.alloc(4096));
	let noticed = null;
	while (Date.now() - start < input.trialLimitSeconds * 1000) {
		await nextPass();
		if (sizeOf(target.id) > before) {
			noticed = (Date.now() - start) / 1000;
			break;
		}
	}
	clearInterval(grow);
	trials.push({container: target.name, file: file.slice(target.upperDir.length), noticedSeconds: noticed, limitSeconds: input.trialLimitSeconds});
	process.stderr.write(`run: trial ${i + 1}: ${noticed === null ? `not noticed within ${input.trialLimitSeconds} s` : `noticed after ${noticed.toFixed(1)} s`}\n`);
	for (let p = 0; p < 2; p++) await nextPass(); // let it settle (hot) before the next trial
}
while (Date.now() - w0 < input.seconds * 1000) await nextPass();
const window = {wall: (Date.now() - w0) / 1000, cpu: cpu() - wc0};
stop = true;
await loop;
await sampler.stop();
const after = passes.filter(p => p.at >= w0);
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? null;
console.log(
	JSON.stringify({
		dist: input.dist,
		firstScan,
		window: {...window, corePercent: (100 * window.cpu) / window.wall, passes: after.length},
		perPass: {cpuMsMedian: median(after.map(p => p.cpuMs)), statsMedian: median(after.map(p => p.stats)), statsMax: Math.max(...after.map(p => p.stats)), wallMsMax: Math.max(...after.map(p => p.wall))},
		trials,
		loadavg: {before: loadBefore, after: loadavg()},
	}),
);
process.exit(0);
