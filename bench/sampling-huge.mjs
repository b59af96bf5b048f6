#!/usr/bin/env node
// Sampling cost with a huge layer (issue 18): 100 running containers × 2,000 files
// (bench/lib/seed.mjs, as bench/scan) plus one running container whose writable layer holds
// 130,000 directories, sampled by the console's DockerSampler at the console's default
// interval (5 s). For each build (this one, and any --baseline DIR), one process
// (bench/lib/sampling-run.mjs) runs the first full scan, then sampling passes, and reports
// (a) its CPU time (process.cpuUsage: all its threads; load-independent) over the wall time
// after the first scan, as % of one core, and (b) for --trials cold files that start growing
// in place (appended every second, which changes no directory), the time until the
// sampler's published size shows the growth. Builds run one after another, alternating
// when --rounds > 1.
// Usage: node bench/sampling-huge.mjs [--dir /tmp/ls-bench-sampling-huge] [--containers 100]
//   [--huge-dirs 130000] [--seconds 120] [--trials 4] [--trial-limit 300] [--interval 5]
//   [--rounds 1] [--baseline DIR]… [--keep]
import {execFileSync, spawn} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs';
import Docker from 'dockerode';
import {repoRoot, requireBuild, startLab, stopLab} from './lib/lab.mjs';
import {seed, unseed} from './lib/seed.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : fallback;
};
const all = name => args.flatMap((a, i) => (a === `--${name}` ? [args[i + 1]] : []));
const dir = opt('dir', '/tmp/ls-bench-sampling-huge');
const containers = Number(opt('containers', 100));
const hugeDirs = Number(opt('huge-dirs', 130_000));
const seconds = Number(opt('seconds', 120));
const trials = Number(opt('trials', 4));
const trialLimit = Number(opt('trial-limit', 300));
const interval = Number(opt('interval', 5));
const rounds = Number(opt('rounds', 1));
const keep = args.includes('--keep');
const builds = [repoRoot.replace(/\/$/, ''), ...all('baseline')];
const log = line => process.stderr.write(`bench: ${line}\n`);
const loadavg = () => execFileSync('cat', ['/proc/loadavg'], {encoding: 'utf8'}).trim();

requireBuild();
const env = await startLab(dir, log);
const socketPath = env.DOCKER_HOST.replace('unix://', '');
const docker = new Docker({socketPath});
log(`seeding ${containers} containers × 2,000 files`);
const seeded = await seed(socketPath, {containers, dirs: 20, files: 100, log});

// The huge layer: hugeDirs directories (in groups of 1,000 under /data/h), no files.
const groups = Math.ceil(hugeDirs / 1000);
const hugeName = `ls-bench-huge-${hugeDirs}`;
let huge = await docker
	.getContainer(hugeName)
	.inspect()
	.catch(() => null);
if (!huge) {
	log(`creating ${hugeName}`);
	const script = `mkdir -p /data/h && cd /data/h && for i in $(seq ${groups}); do mkdir $i && cd $i && mkdir $(seq 1000) && cd ..; done; touch /data/.done; exec sleep 100000`;
	const c = await docker.createContainer({name: hugeName, Image: 'layerscope.local/busybox:latest', Cmd: ['sh', '-c', script], Labels: {'layerscope.bench': 'huge'}, HostConfig: {NetworkMode: 'none'}});
	await c.start();
	huge = await c.inspect();
} else if (!huge.State.Running) await docker.getContainer(hugeName).start();
const hugeUpper = huge.GraphDriver.Data.UpperDir;
while (!existsSync(`${hugeUpper}/data/.done`)) await new Promise(r => setTimeout(r, 1000));
log(`${hugeName} ready`);

// Cold files to grow: seeded files, idle since seeding (their directories' mtimes unchanged by an append).
const targets = seeded.slice(0, Math.max(1, trials * rounds * builds.length)).map(c => ({
	id: c.id,
	name: c.name,
	upperDir: c.upperDir,
	files: readdirSync(`${c.upperDir}/data`)
		.filter(d => d.startsWith('d'))
		.flatMap(d => readdirSync(`${c.upperDir}/data/${d}`).map(f => `${c.upperDir}/data/${d}/${f}`)),
}));

function run(dist, runTargets) {
	const input = {dist: `${dist}/dist`, socketPath, intervalSeconds: interval, seconds, trials, trialLimitSeconds: trialLimit, targets: runTargets};
	return new Promise((resolve, reject) => {
		const inputFile = `${dir}/sampling-run-input.json`;
		writeFileSync(inputFile, JSON.stringify(input));
		const child = spawn(process.execPath, [`${repoRoot}bench/lib/sampling-run.mjs`, inputFile], {stdio: ['ignore', 'pipe', 'inherit']});
		let out = '';
		child.stdout.on('data', d => (out += d));
		child.on('error', reject);
		child.on('exit', code => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`run exited ${code}`))));
	});
}

const results = [];
let next = 0;
for (let r = 0; r < rounds; r++) {
	const order = r % 2 === 0 ? builds : [...builds].reverse();
	for (const build of order) {
		const mine = targets.slice(next, next + trials);
		next += trials;
		log(`round ${r + 1}: ${build} (load ${loadavg()})`);
		const result = await run(build, mine);
		results.push({build, round: r + 1, ...result});
		const times = result.trials.map(t => (t.noticedSeconds === null ? `>${t.limitSeconds}` : t.noticedSeconds.toFixed(1))).join(', ');
		console.log(
			`${build}: first scan ${result.firstScan.wall.toFixed(1)} s wall, ${result.firstScan.cpu.toFixed(2)} s CPU; ` +
				`after it: ${result.window.cpu.toFixed(2)} s CPU over ${result.window.wall.toFixed(0)} s = ${result.window.corePercent.toFixed(2)}% of one core (target ≤ 3%), ` +
				`${result.window.passes} passes, median ${result.perPass.statsMedian} lstat and ${result.perPass.cpuMsMedian.toFixed(0)} ms CPU a pass (max ${result.perPass.statsMax} lstat, slowest ${result.perPass.wallMsMax} ms wall); ` +
				`cold file growing in place noticed after ${times} s (target ≤ 60 s); load ${result.loadavg.before} → ${result.loadavg.after}`,
		);
	}
}
mkdirSync(`${repoRoot}bench/out`, {recursive: true});
const file = `${repoRoot}bench/out/sampling-huge-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({setup: {containers, filesEach: 2000, hugeDirs, intervalSeconds: interval, seconds, trials}, results}, null, 2));
log(`wrote ${file}`);
if (!keep) {
	await unseed(socketPath);
	await stopLab(dir);
}
process.exit(0);
