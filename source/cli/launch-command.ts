import {prefetchImage, prefetchRuntime} from '../adapters/docker/runtime-prefetch.js';
import {resolveDockerEndpoint} from '../adapters/docker/endpoint.js';
import {loadCommandBundle, loadImageBundle} from './console-bundle.js';
import type {CliFlags, FastCommand} from './fast-args.js';

/**
 * The Docker engine's /version and /info, asked for before the bundle loads (the engine
 * works on them meanwhile) where the command will ask this socket for them first: Docker
 * chosen or auto, a unix socket, the API version not pinned. Anything else, or a malformed
 * endpoint, is left to the command (and its errors).
 */
function prefetch(flags: CliFlags) {
	const socketPath = dockerSocket(flags);
	return socketPath ? prefetchRuntime(socketPath, flags.timeout * 1000) : undefined;
}

/** The Docker socket the command will ask first, when a request can be made ahead for it. */
function dockerSocket(flags: CliFlags): string | undefined {
	if ((flags.runtime ?? 'auto') !== 'auto' && flags.runtime !== 'docker') return undefined;
	if (process.env.DOCKER_API_VERSION) return undefined;
	try {
		return resolveDockerEndpoint(flags.host).socketPath;
	} catch {
		return undefined;
	}
}

/** `image NAME`'s inspect, asked for the same way: the engine answers it while the bundle loads. */
function prefetchInspect(flags: CliFlags, name: string | undefined) {
	const socketPath = name === undefined ? undefined : dockerSocket(flags);
	return socketPath ? prefetchImage(socketPath, name!, flags.timeout * 1000) : undefined;
}

/**
 * `report`, `plan` and `image NAME` with their own plain flags: from the code-cached bundle
 * (dist/commands.cjs) when it is current, else the modules; no meow either way.
 */
export async function launchCommand(command: FastCommand, given: CliFlags, action?: string): Promise<number> {
	// report and plan ask the engines for /version and /info first.
	const flags = {
		...given,
		prefetched: command === 'report' || command === 'plan' ? prefetch(given) : undefined,
		prefetchedImage: command === 'image' ? prefetchInspect(given, action) : undefined,
	};
	// The inspect on the socket before the bundle's synchronous load, so the engine answers meanwhile.
	await flags.prefetchedImage?.sent;
	// `image` from its own bundle (dist/image.cjs), report and plan from dist/commands.cjs.
	// LAYERSCOPE_NO_BUNDLE=1: the modules themselves (bench/report-cold.mjs --modules compares).
	const bundled = process.env.LAYERSCOPE_NO_BUNDLE !== '1';
	let code: number;
	let bundle: {saveCodeCache(): void} | null = null;
	try {
		if (command === 'image') {
			const image = bundled ? tryLoad(loadImageBundle) : null;
			bundle = image;
			code = await (image ? image.runImage(action, flags) : import('./run-image.js').then(m => m.runImage(action, flags)));
		} else {
			const commands = bundled ? tryLoad(loadCommandBundle) : null;
			bundle = commands;
			if (command === 'report') code = await (commands ? commands.runReport(flags) : import('./run-report.js').then(m => m.runReport(flags)));
			else code = await (commands ? commands.runPlan(flags) : import('./run-plan.js').then(m => m.runPlan(flags)));
		}
	} finally {
		flags.prefetched?.close();
		flags.prefetchedImage?.close();
		bundle?.saveCodeCache();
	}
	// Each command has printed and closed everything (engines, walkers, finds, tar): no need
	// to wait for Node's teardown.
	exitOnceWritten(code);
	return code;
}

/** A bundle, or null when it is absent, stale or fails to load (the caller then loads the modules). */
function tryLoad<T>(load: () => T | null): T | null {
	try {
		return load();
	} catch {
		return null;
	}
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
