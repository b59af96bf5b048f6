#!/usr/bin/env node
// bench/report-cold: the whole `layerscope report --json` command (a new process each run,
// as an operator or a script starts it) against Docker's own client on the same private
// lab engine, in one invocation, alternating order (issue 18):
//   small node (8 containers): report --json / docker system df -v   (target ≤ 2.5)
//   100 × 2,000 files:         report --json / docker ps -a -s       (target ≤ 1.0)
// `--modules` also times the command without its bundle (LAYERSCOPE_NO_BUNDLE=1), the path before issue 18.
// `--baseline DIR` (repeatable) also times DIR/dist/cli.js (another build, e.g. `git archive main` built in /tmp) as `reportBaseline`, `reportBaseline2`, ….
// `nodeDfFloor`: the floor under any Node.js report (bench/lib/df-floor.cjs), with its ratio to the reference.
// Each method's CPU time (the child's user + system, from /proc) is reported beside its wall time.
// Usage: npm run build && node bench/report-cold.mjs [--rounds 7] [--large 100] [--dir /tmp/ls-bench-report] [--keep] [--skip-small] [--skip-large] [--baseline DIR]…
import {mkdirSync, readdirSync, writeFileSync} from 'node:fs';
import {cpus, loadavg} from 'node:os';
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import {cpuMeter} from './lib/cpu.mjs';
import {repoRoot, requireBuild, startLab, stopLab} from './lib/lab.mjs';
import {seed} from './lib/seed.mjs';
import {alternate, median, round3, timeCommand} from './lib/stats.mjs';

const {values: flags} = parseArgs({
	options: {
		rounds: {type: 'string', default: '7'},
		small: {type: 'string', default: '8'},
		large: {type: 'string', default: '100'},
		dir: {type: 'string', default: '/tmp/ls-bench-report'},
		keep: {type: 'boolean', default: false},
		'skip-large': {type: 'boolean', default: false},
		modules: {type: 'boolean', default: false},
		baseline: {type: 'string', multiple: true, default: []},
		'skip-small': {type: 'boolean', default: false},
	},
});
const rounds = Math.max(3, Number(flags.rounds));
const log = line => process.stderr.write(`bench/report-cold: ${line}\n`);
const targets = {smallReportOverDf: 2.5, largeReportOverPs: 1.0};

requireBuild();
const env = await startLab(flags.dir, log);
// Only the lab's Docker: no CRI endpoint named, as on a Docker-only node.
const childEnv = {...process.env, DOCKER_HOST: env.DOCKER_HOST};
delete childEnv.CONTAINER_RUNTIME_ENDPOINT;
const cli = join(repoRoot, 'dist/cli.js');
const docker = args => () => timeCommand('/usr/bin/docker', args, childEnv).seconds;
// Each build keeps its V8 code cache in a directory of its own: a build removes other builds'
// caches from the directory it uses (and other users of ~/.cache/layerscope would too).
const report =
	(extra = {}, file = cli, cache = 'cache') =>
	() =>
		timeCommand(process.execPath, [file, 'report', '--json'], {...childEnv, XDG_CACHE_HOME: join(flags.dir, cache), ...extra}).seconds;

/** `reportBaseline`, then `reportBaseline2`, … for each --baseline DIR. */
const baselineName = i => `reportBaseline${i === 0 ? '' : i + 1}`;

async function measure(shape, reference) {
	log(`seeding ${shape.containers} containers × ${shape.dirs} dirs × ${shape.files} files`);
	await seed(env.DOCKER_HOST.replace('unix://', ''), {...shape, log});
	const methods = [
		{name: 'report', run: report()},
		{name: 'dockerSystemDfV', run: docker(['system', 'df', '-v'])},
		{name: 'dockerPsS', run: docker(['ps', '-a', '-s'])},
		// The floor: a bare node start on this machine, now (no ratio uses it).
		{name: 'nodeBare', run: () => timeCommand(process.execPath, ['-e', '0']).seconds},
		// The floor of any Node.js report: Node's start, GET /system/df (which report must print), exit.
		{name: 'nodeDfFloor', run: () => timeCommand(process.execPath, [join(repoRoot, 'bench/lib/df-floor.cjs'), env.DOCKER_HOST.replace('unix://', '')], childEnv).seconds},
		...(flags.modules ? [{name: 'reportModules', run: report({LAYERSCOPE_NO_BUNDLE: '1'})}] : []),
		...flags.baseline.map((dir, i) => ({name: baselineName(i), run: report({}, join(dir, 'dist/cli.js'), `cache-baseline${i}`)})),
	];
	for (const method of methods) method.run(); // warm the page cache and the code cache
	const {samples, cpu} = await alternate(methods, rounds, log, cpuMeter());
	const seconds = Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, round3(median(list))]));
	const cpuSeconds = Object.fromEntries(Object.entries(cpu).map(([name, list]) => [name, round3(median(list.map(c => c.children)))]));
	return {
		shape,
		seconds,
		cpuSeconds,
		samples,
		ratio: round3(seconds.report / seconds[reference]),
		floorRatio: round3(seconds.nodeDfFloor / seconds[reference]),
		...(flags.modules ? {ratioModules: round3(seconds.reportModules / seconds[reference])} : {}),
		...Object.fromEntries(flags.baseline.map((_, i) => [`ratio${baselineName(i)[0].toUpperCase()}${baselineName(i).slice(1)}`, round3(seconds[baselineName(i)] / seconds[reference])])),
	};
}

/** Processes on the machine: report reads /proc for each of them (its fds, comm and cmdline), whatever the engine holds. */
const processCount = () => readdirSync('/proc').filter(name => /^\d+$/.test(name)).length;
const result = {machine: {cpus: cpus().length, loadavgBefore: loadavg(), processesBefore: processCount()}, targets};
try {
	if (!flags['skip-small']) result.small = await measure({containers: Number(flags.small), dirs: 2, files: 25}, 'dockerSystemDfV');
	if (!flags['skip-large']) result.large = await measure({containers: Number(flags.large), dirs: 20, files: 100}, 'dockerPsS');
} finally {
	if (!flags.keep) await stopLab(flags.dir);
}
result.machine.loadavgAfter = loadavg();
result.machine.processesAfter = processCount();
result.pass = (!result.small || result.small.ratio <= targets.smallReportOverDf) && (!result.large || result.large.ratio <= targets.largeReportOverPs);
const line = (name, part, reference) =>
	`${name}: report --json ${part.seconds.report.toFixed(3)} s, ${reference} ${part.seconds[reference === 'docker system df -v' ? 'dockerSystemDfV' : 'dockerPsS'].toFixed(3)} s → ${part.ratio}×` +
	(part.ratioModules ? ` (unbundled: ${part.seconds.reportModules.toFixed(3)} s, ${part.ratioModules}×)` : '') +
	flags.baseline
		.map((dir, i) => ` (baseline ${dir}: ${part.seconds[baselineName(i)].toFixed(3)} s, ${round3(part.seconds[baselineName(i)] / part.seconds[reference === 'docker system df -v' ? 'dockerSystemDfV' : 'dockerPsS'])}×)`)
		.join('') +
	`; bare \`node -e 0\` ${part.seconds.nodeBare.toFixed(3)} s; Node.js floor (start, GET /system/df, exit) ${part.seconds.nodeDfFloor.toFixed(3)} s → ${part.floorRatio}×`;
if (result.small) console.log(line(`small node (${result.small.shape.containers} containers)`, result.small, 'docker system df -v') + ` (target ≤ ${targets.smallReportOverDf})`);
if (result.large) console.log(line(`${result.large.shape.containers} × 2,000 files`, result.large, 'docker ps -a -s') + ` (target ≤ ${targets.largeReportOverPs})`);
for (const part of [result.small, result.large].filter(Boolean))
	console.log(
		`CPU seconds (user + system, median), ${part.shape.containers} containers: ${Object.entries(part.cpuSeconds)
			.map(([name, value]) => `${name} ${value.toFixed(2)}`)
			.join(', ')}`,
	);
console.log(
	`load average before ${result.machine.loadavgBefore.map(x => x.toFixed(1)).join(' ')}, after ${result.machine.loadavgAfter.map(x => x.toFixed(1)).join(' ')}; processes on the machine ${result.machine.processesBefore} → ${result.machine.processesAfter}`,
);
mkdirSync(join(repoRoot, 'bench/out'), {recursive: true});
writeFileSync(join(repoRoot, `bench/out/report-cold-${Date.now()}.json`), JSON.stringify(result, null, 2));
