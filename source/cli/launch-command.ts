import {prefetchRuntime} from '../adapters/docker/runtime-prefetch.js';
import {resolveDockerEndpoint} from '../adapters/docker/endpoint.js';
import {loadCommandBundle} from './console-bundle.js';
import type {CliFlags, FastCommand} from './fast-args.js';

/**
 * The Docker engine's /version and /info, asked for before the bundle loads (the engine
 * works on them meanwhile) where the command will ask this socket for them first: Docker
 * chosen or auto, a unix socket, the API version not pinned. Anything else, or a malformed
 * endpoint, is left to the command (and its errors).
 */
function prefetch(flags: CliFlags) {
	if ((flags.runtime ?? 'auto') !== 'auto' && flags.runtime !== 'docker') return undefined;
	if (process.env.DOCKER_API_VERSION) return undefined;
	try {
		const {socketPath} = resolveDockerEndpoint(flags.host);
		return socketPath ? prefetchRuntime(socketPath, flags.timeout * 1000) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * `report`, `plan` and `image NAME` with their own plain flags: from the code-cached bundle
 * (dist/commands.cjs) when it is current, else the modules; no meow either way.
 */
export async function launchCommand(command: FastCommand, given: CliFlags, action?: string): Promise<number> {
	// report and plan ask the engines for /version and /info first.
	const flags = {...given, prefetched: command === 'report' || command === 'plan' ? prefetch(given) : undefined};
	let bundle: ReturnType<typeof loadCommandBundle> = null;
	try {
		// LAYERSCOPE_NO_BUNDLE=1: the modules themselves (bench/report-cold.mjs --modules compares).
		bundle = process.env.LAYERSCOPE_NO_BUNDLE === '1' ? null : loadCommandBundle();
	} catch {
		bundle = null;
	}
	const commands = bundle ?? {
		runReport: (f: typeof flags) => import('./run-report.js').then(m => m.runReport(f)),
		runPlan: (f: typeof flags) => import('./run-plan.js').then(m => m.runPlan(f)),
		runImage: (name: string | undefined, f: CliFlags) => import('./run-image.js').then(m => m.runImage(name, f)),
	};
	let code: number;
	try {
		code = await (command === 'report' ? commands.runReport(flags) : command === 'plan' ? commands.runPlan(flags) : commands.runImage(action, flags));
	} finally {
		flags.prefetched?.close();
		bundle?.saveCodeCache();
	}
	// report and plan have printed and closed everything: no need to wait for Node's teardown.
	if (command === 'report' || command === 'plan') exitOnceWritten(code);
	return code;
}

/**
 * Ends the process as soon as stdout and stderr hold nothing unwritten. The command has
 * printed, closed its engines, walkers and worker: what is left of a natural exit is Node's
 * own teardown (the environment's cleanup, the heap), measured at 50 to 150 ms here, after
 * the output (issue 18). Pipes and files are written synchronously on Linux, so this is
 * usually at once.
 */
export function exitOnceWritten(code: number): void {
	const pending = [process.stdout, process.stderr].filter(stream => stream.writableLength > 0);
	let left = pending.length;
	if (left === 0) process.exit(code);
	for (const stream of pending)
		stream.once('drain', () => {
			if (--left === 0) process.exit(code);
		});
}
