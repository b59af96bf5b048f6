/**
 * The exporter's service thread: everything `layerscope exporter` does (engines, samplers,
 * the HTTP server) runs here, in a worker thread started by run-exporter.ts with a capped
 * young generation. The main thread only waits for signals. A long-running process needs the
 * cap: on the main thread V8 grows its young generation (new space) to 32 MiB as objects
 * survive scavenges and seldom gives it back, which the 30-minute soak saw as +12% RSS
 * (bench/README.md, bench/exporter-soak); a worker's limit is the only one that a single
 * executable, which takes no V8 flags on its command line, can set for itself.
 */
import {hostname} from 'node:os';
import {parentPort} from 'node:worker_threads';
import {collectWorkerGarbageEvery, limitWorkerYoungGeneration} from '../adapters/fs/worker-script.js';
import {collectEvery} from '../adapters/full-collection.js';
import {resolveKubeletEviction} from '../adapters/kubelet-config.js';
import {errorReport} from '../domain/operator-error.js';
import {sanitize} from '../domain/sanitize.js';
import {connectEngines} from '../services/engines.js';
import type {ExporterThreadData, FromExporterThread, ToExporterThread} from './exporter-thread-protocol.js';
import {defaultListen, usage} from './exporter-listen.js';

/** How often the exporter's threads run a full garbage collection (adapters/full-collection.ts). */
const exporterCollectEveryMs = 60_000;

export async function runExporterThread(data: ExporterThreadData): Promise<void> {
	const port = parentPort;
	if (!port) throw new Error('the exporter thread runs only as a worker');
	const send = (message: FromExporterThread) => port.postMessage(message);
	const stopped = new Promise<void>(resolve =>
		port.on('message', (message: ToExporterThread) => {
			if (message.type === 'stop') resolve();
		}),
	);
	try {
		// On `failed` the main thread ends this thread, with whatever it had started.
		const close = await start(data);
		await stopped;
		await close();
	} catch (error) {
		send({type: 'failed', report: errorReport(error, data.flags.debug === true)});
	} finally {
		port.close();
	}
}

async function start({flags, host, port}: ExporterThreadData): Promise<() => Promise<void>> {
	const interval = flags.interval;
	// The walker thread that this one starts keeps a small young generation too (see worker-script.ts).
	limitWorkerYoungGeneration(3);
	// This thread and the walker thread collect their garbage fully once a minute: a few ms each,
	// against an old generation that V8 would let fill between its own rare full collections.
	collectWorkerGarbageEvery(exporterCollectEveryMs);
	const stopCollecting = collectEvery(exporterCollectEveryMs);
	const eviction = resolveKubeletEviction({configPath: flags.kubeletConfig, procRoot: flags.hostProc ?? process.env.LAYERSCOPE_HOST_PROC});
	const {sources, notes} = await connectEngines(flags);
	const {ExporterService} = await import('../services/exporter/exporter-service.js');
	const node = process.env.NODE_NAME || hostname();
	const service = new ExporterService(sources, {
		intervalMs: interval * 1000,
		dfTimeoutMs: (flags.dfTimeout ?? 120) * 1000,
		thresholds: eviction.thresholds,
		defaultLabels: {node: sanitize(node)},
	});
	let bound: {host: string; port: number};
	try {
		bound = await service.listen(host, port);
	} catch (error) {
		await service.close();
		throw usage(`--listen ${flags.listen ?? defaultListen}: ${(error as Error).message.split('\n')[0]}`, 'choose a free port, or an address of this host');
	}
	const shown = bound.host.includes(':') ? `[${bound.host}]` : bound.host;
	process.stderr.write(`layerscope exporter: http://${shown}:${bound.port}/metrics every ${interval} s; engines: ${sources.map(s => sanitize(s.endpoint)).join(', ')}; eviction thresholds from ${sanitize(eviction.thresholds.source)}\n`);
	for (const line of [...notes, ...eviction.warnings]) process.stderr.write(`layerscope exporter: note: ${sanitize(line)}\n`);
	return async () => {
		stopCollecting();
		await service.close();
	};
}
