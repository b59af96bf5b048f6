#!/usr/bin/env node
// bench/drill: the drill-down of a container swollen by a recursive chown (every image file
// copied up for its owner alone) against `docker diff` on the same container, on a private lab
// engine: `layerscope report --json --container` vs `/usr/bin/docker diff`, alternating, warm.
// Shapes: about 3,500 files in 350 directories (chown -R, and touch over every file, which makes
// the drill compare every file's content with its lower copy), and 22,000 directories (2,000 x 10)
// with 20,000 empty files. Also counts the processes one drill starts (find and tar, through
// logging shims first on PATH, in one untimed run) and the metadata-only copy-ups it reports.
// Usage: node bench/drill.mjs [--rounds 3] [--dir /tmp/ls-bench-drill] [--keep]
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {loadavg, tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import {repoRoot, requireBuild, startLab, stopLab} from './lib/lab.mjs';
import {alternate, median, round3, timeCommand} from './lib/stats.mjs';

const {values: flags} = parseArgs({
	options: {
		rounds: {type: 'string', default: '3'},
		dir: {type: 'string', default: '/tmp/ls-bench-drill'},
		keep: {type: 'boolean', default: false},
	},
});
const log = line => process.stderr.write(`bench/drill: ${line}\n`);
const docker = '/usr/bin/docker';
const busybox = 'layerscope.local/busybox:latest';
const target = 2;

requireBuild();
const env = await startLab(flags.dir, log);
const childEnv = {...process.env, DOCKER_HOST: env.DOCKER_HOST, DOCKER_BUILDKIT: '1'};
const dockerCli = (...args) => execFileSync(docker, args, {env: childEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024}).trim();

// Logging shims for the programs a drill may start: one line per process.
const shimDir = mkdtempSync(join(tmpdir(), 'ls-bench-drill-shim-'));
const shimLog = join(shimDir, 'calls');
for (const program of ['find', 'tar']) writeFileSync(join(shimDir, program), `#!/bin/sh\necho ${program} >> ${shimLog}\nexec /usr/bin/${program} "$@"\n`, {mode: 0o755});
const processesOf = (cli, env) => {
	rmSync(shimLog, {force: true});
	timeCommand(process.execPath, cli, {...env, PATH: `${shimDir}:${env.PATH}`});
	const calls = existsSync(shimLog) ? readFileSync(shimLog, 'utf8').split('\n').filter(Boolean) : [];
	return {find: calls.filter(c => c === 'find').length, tar: calls.filter(c => c === 'tar').length};
};

const files3500 = 'for d in $(seq 1 350); do mkdir -p /app/d$d; for f in $(seq 1 10); do head -c 12000 /dev/urandom > /app/d$d/f$f; done; done';
const chown = ['chown', '-R', '1000:1000', '/app'];
const shapes = [
	{name: 'files3500', run: files3500},
	{name: 'files3500touch', run: files3500, cmd: ['sh', '-c', 'find /app -type f | xargs touch -d "2020-01-02 03:04:05"']},
	// 2,000 directories of 10 subdirectories: changed directories spread over many parents.
	{
		name: 'dirs22000',
		run: 'mkdir /app && cd /app && seq 1 2000 | sed "s|^|d|" | xargs mkdir && for j in 0 1 2 3 4 5 6 7 8 9; do seq 1 2000 | sed "s|^|d|;s|$|/s$j|" | xargs mkdir && seq 1 2000 | sed "s|^|d|;s|$|/s$j/f|" | xargs touch; done',
	},
];
const results = {};
let exitCode = 0;
try {
	for (const shape of shapes) {
		const tag = `ls-bench/drill-${shape.run === files3500 ? 'files3500' : shape.name}:1`;
		const ctx = mkdtempSync(join(tmpdir(), 'ls-bench-drill-'));
		writeFileSync(join(ctx, 'Dockerfile'), `FROM ${busybox}\nRUN ${shape.run}\n`);
		log(`${shape.name}: building the image`);
		execFileSync(docker, ['build', '--network=none', '-q', '-t', tag, ctx], {env: childEnv, stdio: ['ignore', 'ignore', 'pipe']});
		rmSync(ctx, {recursive: true, force: true});
		const name = `ls-bench-drill-${shape.name}`;
		execFileSync(docker, ['rm', '-f', name], {env: childEnv, stdio: 'ignore'});
		dockerCli('run', '--name', name, '--network', 'none', tag, ...(shape.cmd ?? chown));
		const id = dockerCli('inspect', '-f', '{{.Id}}', name);
		const changes = dockerCli('diff', id).split('\n').length;
		const cli = ['dist/cli.js', 'report', '--json', '--container', id];
		const report = JSON.parse(String(timeCommand(process.execPath, cli, childEnv).stdout));
		const drilled = report.containers?.[0]?.changes?.length ?? null;
		const m = report.containers?.[0]?.metadataCopyUp;
		const metadataCopyUp = m ? {files: m.files, bytes: m.bytes, confirmed: m.confirmed, inferred: m.inferred, unchecked: m.unchecked, comparedBytes: m.comparedBytes, cause: m.cause} : null;
		const processes = processesOf(cli, childEnv);
		log(`${shape.name}: docker diff lists ${changes} changes, the drill ${drilled}; processes per drill: ${processes.find} find, ${processes.tar} tar`);
		log(`${shape.name}: metadata-only copy-ups: ${m ? `${m.files} files (${m.confirmed} confirmed, ${m.inferred} inferred, ${m.unchecked} unchecked; ${m.comparedBytes} bytes compared): ${m.cause}` : 'none'}`);
		const load = [loadavg()[0]];
		const {samples} = await alternate(
			[
				{name: 'layerscopeDrill', run: async () => timeCommand(process.execPath, cli, childEnv).seconds},
				{name: 'dockerDiff', run: async () => timeCommand(docker, ['diff', id], childEnv).seconds},
			],
			Math.max(1, Number(flags.rounds)),
			log,
		);
		load.push(loadavg()[0]);
		const drill = median(samples.layerscopeDrill);
		const diff = median(samples.dockerDiff);
		results[shape.name] = {
			dockerDiffChanges: changes,
			drillChanges: drilled,
			processes,
			metadataCopyUp,
			seconds: {layerscopeDrill: round3(drill), dockerDiff: round3(diff)},
			ratio: round3(drill / diff),
			target,
			pass: drill / diff <= target,
			samples,
			loadavg: load,
		};
		console.log(`${shape.name}: drill ${drill.toFixed(2)} s, docker diff ${diff.toFixed(2)} s: ${(drill / diff).toFixed(2)}x (target <= ${target}x), load ${load.map(x => x.toFixed(2)).join(' -> ')}`);
		execFileSync(docker, ['rm', '-f', name], {env: childEnv, stdio: 'ignore'});
	}
	mkdirSync(join(repoRoot, 'bench/out'), {recursive: true});
	const file = join(repoRoot, `bench/out/drill-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
	writeFileSync(file, JSON.stringify(results, null, 2));
	console.log(`written to ${file}`);
} catch (error) {
	console.error(error);
	exitCode = 1;
} finally {
	if (!flags.keep) await stopLab(flags.dir);
	rmSync(shimDir, {recursive: true, force: true});
}
process.exit(exitCode);
