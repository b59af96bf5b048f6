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

export function isExporterThreadData(data: unknown): data is ExporterThreadData {
	return typeof data === 'object' && data !== null && (data as ExporterThreadData).layerscopeThread === 'exporter';
}
