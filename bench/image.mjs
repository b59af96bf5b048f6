#!/usr/bin/env node
// The image explorer's analysis (`layerscope image NAME --json --source store`: inspect, a walk
// of every overlay2 diff directory with the drill-down walker, the analysis, containers and
// shared layers) against GNU `du -s` over the same layer directories, warm cache, alternating,
// median of RUNS rounds, with the peak RSS of each (/usr/bin/time -f %M). Needs root (the store).
// The image: 20 layers of FILES/20 files of SIZE bytes each (default 100,000 files, 10,000 bytes:
// about 1 GB), written by awk inside BuildKit RUN steps on a private lab engine; layer 19 also
// rewrites 500 files of layer 1 and deletes a directory of layer 2 (waste to find).
// Also timed in the same rounds: `analysisCleanEnv`, the same command without NODE_EXTRA_CA_CERTS
// when the environment sets it (this sandbox's profile does: every Node process then parses ~140
// certificates at start, ≈ 33 ms here, before any of layerscope's code runs; a node's shell does
// not set it), and `inProcess`, the analysis itself timed in a fresh process from the call to
// the report (bench/lib/image-inprocess.mjs: no process start, no module loading).
// --baseline CLI also times another build's cli.js (e.g. a copy of main's dist/) in the same rounds,
// so a busy machine's load hits both alike.
// Usage: node bench/image.mjs [--runs 5] [--files 100000] [--size 10000] [--dir /tmp/ls-bench-image] [--keep] [--baseline PATH/cli.js]
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {loadavg, tmpdir} from 'node:os';
import {join} from 'node:path';
import {repoRoot, requireBuild, startLab, stopLab} from './lib/lab.mjs';
import {alternate, median, round3} from './lib/stats.mjs';

const arg = (name, fallback) => {
	const i = process.argv.indexOf(name);
	return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg('--runs', 5));
const files = Number(arg('--files', 100_000));
const size = Number(arg('--size', 10_000));
const dir = arg('--dir', '/tmp/ls-bench-image');
const keep = process.argv.includes('--keep');
const baseline = arg('--baseline', null);
const log = line => process.stderr.write(line + '\n');
requireBuild();
if (process.getuid?.() !== 0) throw new Error('run as root: the analysis reads the layer store');

const env = await startLab(dir, log);
const dockerEnv = {...process.env, DOCKER_HOST: env.DOCKER_HOST, DOCKER_BUILDKIT: '1'};
const tag = `ls-bench/image:${files}x${size}`;
try {
	const per = Math.ceil(files / 20);
	const layer = i => `RUN mkdir -p /data/l${i} && awk 'BEGIN{s=sprintf("%${size}s","${i}"); for(i=0;i<${per};i++){f="/data/l${i}/f" i; printf "%s", s > f; close(f)}}'`;
	const lines = ['FROM layerscope.local/busybox:latest'];
	for (let i = 1; i <= 19; i++) lines.push(layer(i));
	lines.push(`RUN rm -r /data/l2 && awk 'BEGIN{for(i=0;i<500;i++){f="/data/l1/f" i; printf "rewritten" > f; close(f)}}'`);
	const ctx = mkdtempSync(join(tmpdir(), 'ls-bench-image-'));
	writeFileSync(join(ctx, 'Dockerfile'), lines.join('\n') + '\n');
	const started = Date.now();
	execFileSync('/usr/bin/docker', ['build', '--network=none', '-q', '-t', tag, ctx], {env: dockerEnv, stdio: ['ignore', 'ignore', 'inherit']});
	rmSync(ctx, {recursive: true, force: true});
	log(`image ${tag} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

	const inspect = JSON.parse(execFileSync('/usr/bin/docker', ['image', 'inspect', tag], {env: dockerEnv, encoding: 'utf8'}))[0];
	const data = inspect.GraphDriver.Data;
	const layerDirs = [...(data.LowerDir ? data.LowerDir.split(':').reverse() : []), data.UpperDir];
	const cli = join(repoRoot, 'dist', 'cli.js');
	const timed = (file, args, childEnv) => {
		const start = process.hrtime.bigint();
		const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', file, ...args], {env: childEnv, encoding: 'utf8', maxBuffer: 256 << 20});
		const seconds = Number(process.hrtime.bigint() - start) / 1e9;
		if (r.status !== 0) throw new Error(`${file} failed: ${r.stderr}`);
		const [rssKiB, user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
		return {seconds, rssKiB, cpu: user + sys, stdout: r.stdout};
	};
	const rss = {du: [], analysis: [], analysisCleanEnv: [], inProcess: [], baseline: []};
	const cpu = {du: [], analysis: [], analysisCleanEnv: [], inProcess: [], baseline: []};
	const cleanEnv = {...process.env, DOCKER_HOST: env.DOCKER_HOST};
	const caCerts = cleanEnv.NODE_EXTRA_CA_CERTS;
	delete cleanEnv.NODE_EXTRA_CA_CERTS;
	let report = null;
	let baselineReport = null;
	const methods = [
		{
			name: 'du',
			run: () => {
				const t = timed('du', ['-s', ...layerDirs], process.env);
				rss.du.push(t.rssKiB);
				cpu.du.push(t.cpu);
				return t.seconds;
			},
		},
		{
			name: 'analysis',
			run: () => {
				const t = timed(process.execPath, [cli, 'image', tag, '--json', '--source', 'store'], {...process.env, DOCKER_HOST: env.DOCKER_HOST});
				rss.analysis.push(t.rssKiB);
				cpu.analysis.push(t.cpu);
				report ??= JSON.parse(t.stdout);
				return t.seconds;
			},
		},
		{
			name: 'inProcess',
			run: () => {
				const t = timed(process.execPath, [join(repoRoot, 'bench', 'lib', 'image-inprocess.mjs'), join(repoRoot, 'dist'), tag], {...process.env, DOCKER_HOST: env.DOCKER_HOST});
				rss.inProcess.push(t.rssKiB);
				cpu.inProcess.push(t.cpu);
				const {seconds} = JSON.parse(t.stdout);
				return seconds;
			},
		},
	];
	if (caCerts !== undefined)
		methods.push({
			name: 'analysisCleanEnv',
			run: () => {
				const t = timed(process.execPath, [cli, 'image', tag, '--json', '--source', 'store'], cleanEnv);
				rss.analysisCleanEnv.push(t.rssKiB);
				cpu.analysisCleanEnv.push(t.cpu);
				return t.seconds;
			},
		});
	if (baseline)
		methods.push({
			name: 'baseline',
			run: () => {
				const t = timed(process.execPath, [baseline, 'image', tag, '--json', '--source', 'store'], {...process.env, DOCKER_HOST: env.DOCKER_HOST});
				rss.baseline.push(t.rssKiB);
				cpu.baseline.push(t.cpu);
				baselineReport ??= JSON.parse(t.stdout);
				return t.seconds;
			},
		});
	methods[0].run(); // warm the cache
	rss.du.length = cpu.du.length = 0;
	const loadBefore = round3(loadavg()[0]);
	const {samples} = await alternate(methods, runs, log);
	const du = median(samples.du);
	const analysis = median(samples.analysis);
	const entries = report.layers.reduce((t, l) => t + l.files, 0);
	const result = {
		image: tag,
		layers: report.layers.length,
		files: entries,
		bytes: report.sizeBytes,
		efficiency: report.efficiency,
		wastedBytes: report.wastedBytes,
		invisibleBytes: report.invisibleBytes,
		duSeconds: round3(du),
		analysisSeconds: round3(analysis),
		ratio: round3(analysis / du),
		cpuSeconds: {du: round3(median(cpu.du)), analysis: round3(median(cpu.analysis))},
		cpuRatio: round3(median(cpu.analysis) / median(cpu.du)),
		peakRssMB: {analysis: Math.round(Math.max(...rss.analysis) / 1024), inProcess: Math.round(Math.max(...rss.inProcess) / 1024), du: Math.round(Math.max(...rss.du) / 1024)},
		// The same command without NODE_EXTRA_CA_CERTS (only when the environment sets it).
		...(caCerts !== undefined ? {cleanEnv: {unset: 'NODE_EXTRA_CA_CERTS', seconds: round3(median(samples.analysisCleanEnv)), ratio: round3(median(samples.analysisCleanEnv) / du), cpuSeconds: round3(median(cpu.analysisCleanEnv))}} : {}),
		// The analysis from the call to the report, in a fresh process (no start, no module loading).
		inProcess: {seconds: round3(median(samples.inProcess)), ratio: round3(median(samples.inProcess) / du)},
		...(baseline
			? {
					baseline: {
						cli: baseline,
						seconds: round3(median(samples.baseline)),
						ratio: round3(median(samples.baseline) / du),
						cpuSeconds: round3(median(cpu.baseline)),
						cpuRatio: round3(median(cpu.baseline) / median(cpu.du)),
						peakRssMB: Math.round(Math.max(...rss.baseline) / 1024),
						sameFigures: ['layers', 'sizeBytes', 'efficiency', 'wastedBytes', 'userWastedPercent', 'invisibleBytes', 'inefficiencies', 'findings'].every(k => JSON.stringify(baselineReport[k]) === JSON.stringify(report[k])),
					},
				}
			: {}),
		samples: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map(round3)])),
		cpuSamples: Object.fromEntries(
			Object.entries(cpu)
				.filter(([, v]) => v.length > 0)
				.map(([k, v]) => [k, v.map(round3)]),
		),
		runs,
		loadavgBefore: loadBefore,
		loadavgAfter: round3(loadavg()[0]),
		targets: {ratio: 1.5, peakRssMB: 300},
		// Each figure against the 1.5x target: the analysis itself, the command without the
		// sandbox's certificates (when set), the command as run here; and the peak RSS.
		withinTarget: {
			inProcess: median(samples.inProcess) / du <= 1.5,
			...(caCerts !== undefined ? {commandCleanEnv: median(samples.analysisCleanEnv) / du <= 1.5} : {}),
			command: analysis / du <= 1.5,
			peakRss: Math.max(...rss.analysis, ...rss.inProcess) / 1024 <= 300,
		},
	};
	process.stdout.write(JSON.stringify(result, null, 2) + '\n');
	mkdirSync(join(repoRoot, 'bench', 'out'), {recursive: true});
	writeFileSync(join(repoRoot, 'bench', 'out', 'image.json'), JSON.stringify(result, null, 2) + '\n');
} finally {
	if (!keep) await stopLab(dir);
}
