import type {EngineFlags} from '../services/engine-source.js';

export interface ExporterFlags extends EngineFlags {
	listen?: string;
	/** Seconds; 15 unless given. */
	interval?: number;
	kubeletConfig?: string;
	hostProc?: string;
	debug?: boolean;
}

/** What the main thread hands the exporter's service thread (workerData). */
export interface ExporterThreadData {
	/** Marks the worker as the exporter's service thread for cli.tsx. */
	layerscopeThread: 'exporter';
	flags: ExporterFlags & {interval: number};
	host: string;
	port: number;
}

export type ToExporterThread = {type: 'stop'};

/** The thread's only message: it failed, with the operator's one line (errorReport) already formatted. It ends on its own otherwise. */
export type FromExporterThread = {type: 'failed'; report: string};

/**
 * The argument the service thread is started with (Worker's `argv`): cli.tsx sees it in
 * process.argv before it loads worker_threads, which every other start does without (≈ 2 ms).
 */
export const EXPORTER_THREAD_ARG = '--layerscope-exporter-service-thread';

export function isExporterThreadData(data: unknown): data is ExporterThreadData {
	return typeof data === 'object' && data !== null && (data as ExporterThreadData).layerscopeThread === 'exporter';
}
