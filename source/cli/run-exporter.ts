import {hostname} from 'node:os';
import {limitWorkerYoungGeneration} from '../adapters/fs/worker-script.js';
import {resolveKubeletEviction} from '../adapters/kubelet-config.js';
import {sanitize} from '../domain/sanitize.js';
import {connectEngines, type EngineFlags} from '../services/engines.js';

export interface ExporterFlags extends EngineFlags {
	listen?: string;
	/** Seconds; 15 unless given. */
	interval?: number;
	kubeletConfig?: string;
	hostProc?: string;
}

export const defaultListen = '127.0.0.1:9721';

function usage(message: string, hint: string): Error {
	return Object.assign(new Error(message), {hint});
}

/** "127.0.0.1:9721", "[::1]:9721", "0.0.0.0:9721" or ":9721" (every interface: asked for explicitly). */
export function parseListen(text: string): {host: string; port: number} {
	const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
	const port = match ? Number(match[3]) : NaN;
	if (!match || !(port >= 0 && port <= 65535)) throw usage(`--listen ${JSON.stringify(text)}: not HOST:PORT`, `e.g. --listen ${defaultListen}, or --listen 0.0.0.0:9721 to serve every interface`);
	const host = match[1] ?? match[2] ?? '';
	return {host: host === '' ? '::' : host, port};
}

/**
 * `layerscope exporter`: serves Prometheus metrics from the console's samplers until
 * SIGTERM/SIGINT. Always read-only: the mutation service is never built in this mode
 * (this file and services/exporter/ do not import it).
 */
export async function runExporter(flags: ExporterFlags): Promise<number> {
	const interval = flags.interval ?? 15;
	if (!(interval > 0) || !Number.isFinite(interval)) throw usage(`--interval must be a number of seconds > 0 (got ${flags.interval})`, 'e.g. --interval 15');
	const {host, port} = parseListen(flags.listen ?? defaultListen);
	// A long-running process: every walker thread keeps a small young generation (see worker-script.ts).
	limitWorkerYoungGeneration(3);
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
	await new Promise<void>(resolve => {
		process.once('SIGTERM', resolve);
		process.once('SIGINT', resolve);
	});
	await service.close();
	return 0;
}
