#!/usr/bin/env node
// Cold start to first frame: launches `node dist/cli.js` in a pseudo-terminal
// (util-linux `script`) and times the first screen output that names the tool.
// Usage: DOCKER_HOST=unix:///…/docker.sock node bench/cold-start.mjs [runs]
import {spawn} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const runs = Number(process.argv[2] ?? 10);

// Preloaded into the CLI: on the first frame, reports the process's own CPU time and
// the time since the process started (both independent of the pty wrapper).
const probe = '/tmp/ls-cold-start-probe.mjs';
writeFileSync(
	probe,
	`const w = process.stdout.write.bind(process.stdout);
let done = false;
process.stdout.write = (chunk, ...rest) => {
	if (!done && String(chunk).includes('layerscope')) {
		done = true;
		const c = process.cpuUsage();
		process.getBuiltinModule('fs').writeSync(2, 'FIRSTFRAME ' + ((c.user + c.system) / 1000).toFixed(0) + ' ' + performance.now().toFixed(0) + '\\n');
	}
	return w(chunk, ...rest);
};
`,
);
const cpuTimes = [];
const baseCpuTimes = [];
const inProcess = [];

function once() {
	return new Promise((resolve, reject) => {
		const started = process.hrtime.bigint();
		const child = spawn('script', ['-qfec', `stty cols 80 rows 24; exec ${process.execPath} --import ${probe} ${cli} 2>/tmp/ls-cold-start.err`, '/dev/null'], {stdio: ['pipe', 'pipe', 'inherit']});
		let out = '';
		let ms;
		child.stdout.on('data', chunk => {
			out += chunk;
			if (ms === undefined && out.includes('layerscope')) {
				ms = Number(process.hrtime.bigint() - started) / 1e6;
				setTimeout(() => child.stdin.write('q'), 300);
			}
		});
		child.on('exit', () => {
			const m = /FIRSTFRAME (\d+) (\d+)/.exec(readFileSync('/tmp/ls-cold-start.err', 'utf8'));
			if (m) cpuTimes.push(Number(m[1])), inProcess.push(Number(m[2]));
			ms === undefined ? reject(new Error('no frame: ' + out.slice(0, 200))) : resolve(ms);
		});
		setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
	});
}

// Baseline: the cost of starting node itself through the same pty wrapper.
function baseline() {
	return new Promise(resolve => {
		const started = process.hrtime.bigint();
		const child = spawn('script', ['-qfec', `${process.execPath} --import ${probe} -e "process.stdout.write('layerscope')" 2>/tmp/ls-cold-start-base.err`, '/dev/null'], {stdio: ['pipe', 'pipe', 'inherit']});
		let ms;
		child.stdout.once('data', () => (ms = Number(process.hrtime.bigint() - started) / 1e6));
		child.on('exit', () => {
			const m = /FIRSTFRAME (\d+)/.exec(readFileSync('/tmp/ls-cold-start-base.err', 'utf8'));
			if (m) baseCpuTimes.push(Number(m[1]));
			resolve(ms);
		});
	});
}

const times = [];
const bases = [];
for (let i = 0; i < runs; i++) {
	times.push(await once());
	bases.push(await baseline());
}
const pct = (list, p) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(p * list.length))];
console.log(`cold start to first frame over ${runs} runs: median ${pct(times, 0.5).toFixed(0)} ms, p95 ${pct(times, 0.95).toFixed(0)} ms (target ≤ 400 ms)`);
if (cpuTimes.length) console.log(`in the CLI process: CPU time to first frame median ${pct(cpuTimes, 0.5)} ms (load-independent), time since process start median ${pct(inProcess, 0.5)} ms`);
console.log(`bare node start in the same pty: median ${pct(bases, 0.5).toFixed(0)} ms${baseCpuTimes.length ? `, CPU time to its output median ${pct(baseCpuTimes, 0.5)} ms` : ''}`);
