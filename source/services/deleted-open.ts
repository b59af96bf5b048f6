import {processStartTime} from '../adapters/proc/deleted-open-scan.js';
import {scanDeletedOpenParallel} from '../adapters/proc/parallel-scan.js';
import {attachDeletedOpen, coveredDevices} from '../domain/deleted-open.js';
import type {EngineSnapshot} from '../domain/types.js';

/** Other users' /proc/PID/fd are readable by root only: a partial scan would understate the figure. */
export const canScanProc = (): boolean => process.getuid?.() === 0;

/**
 * Adds the deleted-but-open files on the engines' filesystems to their snapshots, each
 * attributed to a container of these engines or to its host process. Engines are returned
 * unchanged (no `deletedOpen`) when /proc cannot be scanned here.
 */
export async function withDeletedOpen(engines: EngineSnapshot[], options: {proc?: string} = {}): Promise<EngineSnapshot[]> {
	const devices = coveredDevices(engines);
	if (devices.size === 0 || !canScanProc()) return engines;
	const {files} = await scanDeletedOpenParallel({devices, proc: options.proc});
	return attachDeletedOpen(engines, files);
}

export {processStartTime};
