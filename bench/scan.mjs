#!/usr/bin/env node
// bench/scan: time to a complete sized container list (layerscope) against
// `docker ps -a -s` and `du -s` over the same upperdirs, on a private lab engine.
// Usage: node bench/scan.mjs [--containers 100] [--dirs 20] [--files 100] [--rounds 9]
//                            [--dir /tmp/ls-bench-scan] [--keep]
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {cpus, loadavg} from 'node:os';
import {parseArgs} from 'node:util';
import {dist, repoRoot, requireBuild, startLab, stopLab} from './lib/lab.mjs';
import {cpuMeter} from './lib/cpu.mjs';
import {seed, unseed} from './lib/seed.mjs';
import {alternate, median, now, round3, timeCommand} from './lib/stats.mjs';

const {values: flags} = parseArgs({
	options: {
		containers: {type: 'string', default: '100'},
		dirs: {type: 'string', default: '20'},
		files: {type: 'string', default: '100'},
		rounds: {type: 'string', default: '9'},
		dir: {type: 'string', default: '/tmp/ls-bench-scan'},
		keep: {type: 'boolean', default: false},
	},
});
const N = Number(flags.containers);
const rounds = Math.max(5, Number(flags.rounds));
const log = line => process.stderr.write(`bench/scan: ${line}\n`);
const targets = {layerscopeOverDu: 1.2, layerscopeOverDockerPs: 0.75};

requireBuild();
const {DockerClient} = await import(dist('source/adapters/docker/docker-client.js'));
const {DockerReader} = await import(dist('source/adapters/docker/docker-reader.js'));
const {resolveDockerEndpoint} = await import(dist('source/adapters/docker/endpoint.js'));
const {WalkPool} = await import(dist('source/adapters/fs/walk-pool.js'));
const {scanDocker} = await import(dist('source/services/docker-scan.js'));

const env = await startLab(flags.dir, log);
const childEnv = {...process.env, DOCKER_HOST: env.DOCKER_HOST};
let exitCode = 0;
try {
	log(`seeding ${N} containers × ${flags.dirs} dirs × ${flags.files} files`);
	const t0 = now();
	const seeded = await seed(env.DOCKER_HOST.replace('unix://', ''), {
		containers: N,
		dirs: Number(flags.dirs),
		files: Number(flags.files),
		log,
	});
	log(`seeded in ${(now() - t0).toFixed(1)}s`);
	const upperDirs = seeded.map(c => c.upperDir);
	const seededIds = new Set(seeded.map(c => c.id));

	/** One layerscope scan, fresh client and pool as in `layerscope report`. */
	const layerscope = async () => {
		const reader = new DockerReader(new DockerClient(resolveDockerEndpoint(env.DOCKER_HOST), 60_000));
		const pool = new WalkPool();
		const start = now();
		let listed, sized;
		try {
			const snapshot = await scanDocker(reader, {
				pool,
				skipDiskUsage: true,
				onPartial: () => (listed ??= now() - start),
				onProgress: p => {
					if (p.phase === 'images') sized ??= now() - start;
				},
			});
			const walked = snapshot.containers.filter(c => seededIds.has(c.id) && c.sizeSource === 'walk' && c.writableBytes > 0);
			if (walked.length !== N) throw new Error(`layerscope sized ${walked.length}/${N} seeded containers by walking`);
			return {seconds: sized, listed, snapshot};
		} finally {
			await pool.close();
		}
	};

	// Correctness check (untimed): layerscope's writableBytes against the engine's SizeRw.
	const first = await layerscope();
	const Docker = (await import('dockerode')).default;
	const engineList = await new Docker({socketPath: env.DOCKER_HOST.replace('unix://', '')}).listContainers({all: true, size: true});
	const sizeRw = new Map(engineList.map(c => [c.Id, c.SizeRw]));
	const mismatched = first.snapshot.containers.filter(c => seededIds.has(c.id) && c.writableBytes !== sizeRw.get(c.id));
	log(`writableBytes equal to the engine's SizeRw for ${N - mismatched.length}/${N} containers`);

	// Warm every cache once, then measure.
	timeCommand('/usr/bin/docker', ['ps', '-a', '-s'], childEnv);
	timeCommand('du', ['-s', ...upperDirs]);
	timeCommand(process.execPath, ['dist/cli.js', 'report', '--json'], childEnv);

	const loadavgBefore = loadavg();
	const listedSamples = [];
	const dockerdPid = Number(readFileSync(`${flags.dir}/docker/dockerd.pid`, 'utf8').trim());
	const {samples, cpu} = await alternate(
		[
			{
				name: 'layerscope',
				run: async () => {
					const r = await layerscope();
					listedSamples.push(r.listed);
					return r.seconds;
				},
			},
			{name: 'dockerPsS', run: async () => timeCommand('/usr/bin/docker', ['ps', '-a', '-s'], childEnv).seconds},
			{name: 'du', run: async () => timeCommand('du', ['-s', ...upperDirs]).seconds},
			{name: 'cliReportJson', run: async () => timeCommand(process.execPath, ['dist/cli.js', 'report', '--json'], childEnv).seconds},
		],
		rounds,
		log,
		cpuMeter(dockerdPid),
	);
	// CPU seconds per run: this process (all threads), its children (du, docker, node cli) and dockerd.
	const cpuMedians = Object.fromEntries(
		Object.entries(cpu).map(([k, v]) => [
			k,
			{
				self: round3(median(v.map(x => x.self))),
				children: round3(median(v.map(x => x.children))),
				dockerd: round3(median(v.map(x => x.engine))),
				total: round3(median(v.map(x => x.self + x.children + x.engine))),
			},
		]),
	);
	const medians = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, round3(median(v))]));
	medians.layerscopeListed = round3(median(listedSamples));
	const ratios = {
		layerscopeOverDu: round3(medians.layerscope / medians.du),
		layerscopeOverDockerPs: round3(medians.layerscope / medians.dockerPsS),
	};
	const pass = {
		layerscopeOverDu: ratios.layerscopeOverDu <= targets.layerscopeOverDu,
		layerscopeOverDockerPs: ratios.layerscopeOverDockerPs <= targets.layerscopeOverDockerPs,
	};
	const result = {
		benchmark: 'scan',
		takenAt: new Date().toISOString(),
		machine: {cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadavgBefore, loadavgAfter: loadavg()},
		setup: {containers: N, dirs: Number(flags.dirs), filesPerDir: Number(flags.files), filesPerContainer: Number(flags.dirs) * Number(flags.files), rounds},
		correctness: {sizeRwMatches: N - mismatched.length, of: N},
		seconds: medians,
		cpuSeconds: cpuMedians,
		samples: Object.fromEntries(Object.entries({...samples, layerscopeListed: listedSamples}).map(([k, v]) => [k, v.map(round3)])),
		ratios,
		targets,
		pass,
	};
	const outDir = new URL('out/', import.meta.url);
	mkdirSync(outDir, {recursive: true});
	const file = new URL(`scan-${result.takenAt.replace(/[:.]/g, '-')}.json`, outDir);
	writeFileSync(file, JSON.stringify(result, null, 2) + '\n');

	const row = (label, s, c) => `  ${label.padEnd(44)}${s.toFixed(3).padStart(8)} s${c ? `   cpu ${c.total.toFixed(2)} s` : ''}`;
	console.log(`bench/scan: ${N} containers × ${result.setup.filesPerContainer} files, median of ${rounds} warm runs`);
	console.log(row('layerscope: complete sized container list', medians.layerscope, cpuMedians.layerscope));
	console.log(row('  of which list + inspect (no sizes yet)', medians.layerscopeListed));
	console.log(row('docker ps -a -s', medians.dockerPsS, cpuMedians.dockerPsS));
	console.log(row('du -s over the same upperdirs', medians.du, cpuMedians.du));
	console.log(row('layerscope report --json (whole CLI, info)', medians.cliReportJson, cpuMedians.cliReportJson));
	console.log(`  layerscope / du -s            ${ratios.layerscopeOverDu.toFixed(2)}  (target ≤ ${targets.layerscopeOverDu})  ${pass.layerscopeOverDu ? 'ok' : 'MISSED'}`);
	console.log(`  layerscope / docker ps -a -s  ${ratios.layerscopeOverDockerPs.toFixed(2)}  (target ≤ ${targets.layerscopeOverDockerPs})  ${pass.layerscopeOverDockerPs ? 'ok' : 'MISSED'}`);
	console.log(`  written to ${file.pathname.replace(repoRoot, '')}`);
} catch (error) {
	log(`failed: ${error.message}`);
	exitCode = 1;
} finally {
	if (flags.keep) log(`lab left running in ${flags.dir} (--keep); stop it with: node dist/cli.js lab down --dir ${flags.dir} --purge`);
	else {
		log(`removed ${await unseed(env.DOCKER_HOST.replace('unix://', '')).catch(() => 0)} seeded container(s); stopping the private lab`);
		await stopLab(flags.dir);
	}
}
process.exit(exitCode);
