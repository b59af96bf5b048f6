/**
 * The one loader of worker threads. Each worker is a TypeScript entry under ./workers/, bundled
 * by esbuild into one CommonJS script (scripts/bundle-workers.mjs) that is run as an eval'd
 * worker, so it works the same from dist/, from the console bundle and inside the single
 * executable (which embeds the bundles as files under its virtual root: scripts/sea-bundle.mjs).
 * Running from the TypeScript sources (the tests), the entry is bundled here on first use.
 */
import {existsSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import {Worker, type WorkerOptions} from 'node:worker_threads';

export type WorkerName = 'tree-walk-worker' | 'size-worker' | 'sample-worker';

const scripts = new Map<WorkerName, string>();

/** The bundled script of one worker entry, read (or, from the sources, built) once per process. */
export function workerScript(name: WorkerName): string {
	let script = scripts.get(name);
	if (script === undefined) {
		const bundled = new URL(`./workers/${name}.bundle.cjs`, import.meta.url);
		if (existsSync(bundled)) script = readFileSync(bundled, 'utf8');
		else {
			const entry = fileURLToPath(new URL(`./workers/${name}.ts`, import.meta.url));
			if (!existsSync(entry)) throw new Error(`worker ${name} is missing: neither ${fileURLToPath(bundled)} nor its source (rebuild layerscope)`);
			// From the sources only (tests): esbuild is a development dependency.
			const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
			const out = esbuild.buildSync({entryPoints: [entry], bundle: true, write: false, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning'});
			script = out.outputFiles[0]!.text;
		}
		scripts.set(name, script);
	}
	return script;
}

let youngGenerationMb: number | undefined;

/**
 * Caps V8's young generation of every worker thread started from now on, in MiB
 * (resourceLimits.maxYoungGenerationSizeMb). By default it grows to tens of MiB per thread
 * during a first scan and stays resident; the exporter, a long-running process, asks for a
 * few MiB (bench/exporter-perf.mjs measured no CPU cost for it).
 */
export function limitWorkerYoungGeneration(mb: number): void {
	youngGenerationMb = mb;
}

let collectEveryMs: number | undefined;

/**
 * Every worker thread started from now on is told (workerData.collectEveryMs) to run a full
 * garbage collection of its heap every `everyMs` (adapters/full-collection.ts); the sample
 * worker, the only one the exporter starts, does. The exporter's walker thread is quiet
 * between passes, and V8 would let its old generation fill with promoted garbage meanwhile.
 */
export function collectWorkerGarbageEvery(everyMs: number): void {
	collectEveryMs = everyMs;
}

/** What a worker started by startWorker finds in workerData. */
export interface WorkerSettings {
	collectEveryMs?: number;
}

/** Starts one worker thread running `name`. */
export function startWorker(name: WorkerName, options: Omit<WorkerOptions, 'eval' | 'workerData'> = {}): Worker {
	// The script is CommonJS: drop --input-type=module, which eval'd workers would inherit.
	const execArgv = options.execArgv ?? process.execArgv.filter(arg => !arg.startsWith('--input-type'));
	const resourceLimits = youngGenerationMb === undefined ? options.resourceLimits : {maxYoungGenerationSizeMb: youngGenerationMb, ...options.resourceLimits};
	const workerData: WorkerSettings = collectEveryMs === undefined ? {} : {collectEveryMs};
	return new Worker(workerScript(name), {...options, execArgv, resourceLimits, workerData, eval: true});
}
