// Timing and summary helpers shared by the benchmarks.
import {spawnSync} from 'node:child_process';
import {loadavg} from 'node:os';

export const now = () => Number(process.hrtime.bigint()) / 1e9;

export function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time in seconds of one child process; throws when it fails. */
export function timeCommand(file, args, env = process.env) {
	const start = now();
	const run = spawnSync(file, args, {env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024});
	const seconds = now() - start;
	if (run.status !== 0) throw new Error(`${file} ${args.slice(0, 3).join(' ')} … exited ${run.status}: ${String(run.stderr).trim().split('\n').pop()}`);
	return {seconds, stdout: run.stdout};
}

/**
 * Runs every method `rounds` times. Round r runs the methods rotated by r and, on odd
 * rounds, reversed, so no method always follows the same neighbour. Returns samples by name.
 */
export async function alternate(methods, rounds, log = () => {}, meter) {
	const samples = Object.fromEntries(methods.map(m => [m.name, []]));
	const cpu = Object.fromEntries(methods.map(m => [m.name, []]));
	for (let r = 0; r < rounds; r++) {
		let order = methods.map((_, i) => methods[(i + r) % methods.length]);
		if (r % 2 === 1) order = order.reverse();
		const line = [];
		for (const method of order) {
			const stop = meter?.start();
			const seconds = await method.run();
			samples[method.name].push(seconds);
			if (stop) cpu[method.name].push(stop());
			line.push(`${method.name} ${seconds.toFixed(3)}s`);
		}
		log(`round ${r + 1}/${rounds}: ${line.join(', ')} (load ${loadavg()[0].toFixed(2)})`);
	}
	return {samples, cpu};
}

export const round3 = x => Math.round(x * 1000) / 1000;
