import {createRequire} from 'node:module';
import {Worker} from 'node:worker_threads';
import {errorReport} from '../domain/operator-error.js';
import {defaultListen, parseListen, usage} from './exporter-listen.js';
import {EXPORTER_THREAD_ARG, type ExporterFlags, type ExporterThreadData, type FromExporterThread} from './exporter-thread-protocol.js';

export type {ExporterFlags} from './exporter-thread-protocol.js';
export {defaultListen, parseListen} from './exporter-listen.js';

/**
 * The young generation of the exporter's service thread, in MiB (V8's new space: two
 * semi-spaces and its large-object space, so 12 MiB is 4 MiB semi-spaces). Unbounded, V8
 * grows it to 48 MiB over a long run; too small, short-lived objects are promoted early
 * and fill the old generation instead (bench/README.md, bench/exporter-soak).
 * LAYERSCOPE_EXPORTER_YOUNG_MB overrides it.
 */
export const exporterYoungGenerationMb = 12;

function youngGenerationMb(): number {
	const given = process.env.LAYERSCOPE_EXPORTER_YOUNG_MB;
	if (given === undefined || given === '') return exporterYoungGenerationMb;
	const mb = Number(given);
	if (!(mb >= 1 && mb <= 1024)) throw usage(`LAYERSCOPE_EXPORTER_YOUNG_MB=${JSON.stringify(given)}: not a size in MiB from 1 to 1024`, `unset it for the default ${exporterYoungGenerationMb}`);
	return mb;
}

/**
 * The code the service thread runs: this program's own entry, which sees the workerData
 * and runs cli/exporter-thread.ts. Inside the single executable there is no file to
 * start: it runs its own bundle, embedded as an asset (scripts/package.mjs).
 */
function exporterWorker(data: ExporterThreadData, resourceLimits: {maxYoungGenerationSizeMb: number}): Worker {
	const embedded = singleExecutableBundle();
	const options = {workerData: data, resourceLimits, argv: [EXPORTER_THREAD_ARG]};
	if (embedded !== undefined) return new Worker(embedded, {eval: true, ...options});
	return new Worker(new URL('../../cli.js', import.meta.url), options);
}

/** The single executable's bundle (its asset `layerscope.cjs`), or undefined when not running as one. */
function singleExecutableBundle(): string | undefined {
	try {
		const sea = createRequire(import.meta.url)('node:sea') as {isSea(): boolean; getAsset(key: string, encoding: string): string};
		return sea.isSea() ? sea.getAsset('layerscope.cjs', 'utf8') : undefined;
	} catch {
		return undefined;
	}
}

/**
 * `layerscope exporter`: serves Prometheus metrics from the console's samplers until
 * SIGTERM/SIGINT. Always read-only: the mutation service is never built in this mode
 * (neither this file nor cli/exporter-thread.ts and services/exporter/ import it).
 * The work runs on one worker thread (cli/exporter-thread.ts); this thread waits.
 */
export async function runExporter(flags: ExporterFlags): Promise<number> {
	const interval = flags.interval ?? 15;
	if (!(interval > 0) || !Number.isFinite(interval)) throw usage(`--interval must be a number of seconds > 0 (got ${flags.interval})`, 'e.g. --interval 15');
	const {host, port} = parseListen(flags.listen ?? defaultListen);
	const maxYoungGenerationSizeMb = youngGenerationMb();
	const data: ExporterThreadData = {layerscopeThread: 'exporter', flags: {...flags, interval}, host, port};
	const worker = exporterWorker(data, {maxYoungGenerationSizeMb});
	let signals = 0;
	const onSignal = () => {
		// The first signal closes the service; a second one does not wait for it.
		if (signals++ === 0) worker.postMessage({type: 'stop'});
		else void worker.terminate();
	};
	process.on('SIGTERM', onSignal);
	process.on('SIGINT', onSignal);
	try {
		return await new Promise<number>(resolve => {
			let failed: string | undefined;
			worker.on('message', (message: FromExporterThread) => {
				failed = message.report;
				// Whatever the thread had started when it failed is not waited for.
				void worker.terminate();
			});
			worker.on('error', error => {
				failed ??= errorReport(error, flags.debug === true);
			});
			worker.on('exit', () => {
				if (failed !== undefined) process.stderr.write(failed);
				resolve(failed === undefined ? (signals > 1 ? 130 : 0) : 2);
			});
		});
	} finally {
		process.off('SIGTERM', onSignal);
		process.off('SIGINT', onSignal);
	}
}
