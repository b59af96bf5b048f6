// Starts `layerscope exporter` (dist/) as a child and measures it from /proc: CPU time of
// all its threads and waited-for children (the walker's find processes), and its RSS.
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const tick = 100; // CLK_TCK

export function cpuSeconds(pid) {
	const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
	return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / tick;
}

/** CPU seconds of one thread (the main thread's id is the pid): its user and system time only. */
export function threadCpuSeconds(pid, tid = pid) {
	const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
	const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
	return (Number(f[11]) + Number(f[12])) / tick;
}

export function rssBytes(pid) {
	const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) * 1024 : 0;
}

/** LAYERSCOPE_BENCH_EXECUTABLE=release/layerscope-linux-x64 measures the single executable (what the DaemonSet runs) instead of `node dist/cli.js`. */
export async function startExporter(args, env = process.env) {
	let stderr = '';
	const exe = process.env.LAYERSCOPE_BENCH_EXECUTABLE;
	const [file, first] = exe ? [exe, []] : [process.execPath, [cli]];
	const child = spawn(file, [...first, 'exporter', '--listen', '127.0.0.1:0', ...args], {env, stdio: ['ignore', 'ignore', 'pipe']});
	child.stderr.on('data', chunk => (stderr += chunk));
	const until = Date.now() + 60_000;
	for (;;) {
		const match = /http:\/\/(127\.0\.0\.1:\d+)\/metrics/.exec(stderr);
		if (match) {
			const url = `http://${match[1]}`;
			return {
				url,
				pid: child.pid,
				child,
				stderr: () => stderr,
				async scrape(path = '/metrics') {
					const started = process.hrtime.bigint();
					const response = await fetch(`${url}${path}`);
					const text = await response.text();
					return {text, ms: Number(process.hrtime.bigint() - started) / 1e6};
				},
				stop: () =>
					new Promise(resolve => {
						if (child.exitCode !== null) return resolve(child.exitCode);
						child.once('exit', code => resolve(code));
						child.kill('SIGTERM');
					}),
			};
		}
		if (child.exitCode !== null) throw new Error(`exporter exited ${child.exitCode}: ${stderr}`);
		if (Date.now() > until) throw new Error(`exporter did not start: ${stderr}`);
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}

/** The value of the first series of `name` whose label text matches, or undefined. */
export function value(text, name, match = () => true) {
	for (const line of text.split('\n')) {
		if (!line.startsWith(`${name}{`)) continue;
		const labels = line.slice(name.length, line.lastIndexOf(' '));
		if (match(labels)) return Number(line.slice(line.lastIndexOf(' ') + 1));
	}
	return undefined;
}

export function percentile(values, p) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
