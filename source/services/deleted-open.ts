import {processStartTime} from '../adapters/proc/deleted-open-scan.js';
import {type DeletedLinks, inspectDeletedLinks, startDeletedLinks} from '../adapters/proc/parallel-scan.js';
import {attachDeletedOpen, coveredDevices} from '../domain/deleted-open.js';
import type {EngineSnapshot} from '../domain/types.js';

/** Other users' /proc/PID/fd are readable by root only: a partial scan would understate the figure. */
export const canScanProc = (): boolean => process.getuid?.() === 0;

/** A worker thread's start-up (≈ 30 ms, measured) pays only where this thread's pass would take longer: above about 1,000 processes (≈ 15,000 fds) on a 2-core node. */
const reportParallelFrom = 1000;

/**
 * The /proc pass of withDeletedOpen (readlink of every fd, the whole cost), started ahead.
 * `inWorker` (`report` on a machine with two cores or more, at its start): the whole pass in
 * a worker thread, on another core while this thread loads, asks the engines and walks;
 * otherwise it is read here at once (a worker helps only above 1,000 processes).
 * null where /proc cannot be scanned here.
 */
export function startDeletedOpenScan(options: {proc?: string; inWorker?: boolean} = {}): Promise<DeletedLinks> | null {
	return canScanProc() ? startDeletedLinks({proc: options.proc, parallelFrom: reportParallelFrom, inWorker: options.inWorker}) : null;
}

/**
 * Adds the deleted-but-open files on the engines' filesystems to their snapshots, each
 * attributed to a container of these engines or to its host process. Engines are returned
 * unchanged (no `deletedOpen`) when /proc cannot be scanned here. `links`: the /proc pass
 * from startDeletedOpenScan, when it was started ahead.
 */
export async function withDeletedOpen(engines: EngineSnapshot[], options: {proc?: string; links?: Promise<DeletedLinks> | null} = {}): Promise<EngineSnapshot[]> {
	const devices = coveredDevices(engines);
	if (devices.size === 0 || !canScanProc()) return engines;
	const found = await (options.links ?? startDeletedLinks({proc: options.proc}));
	return attachDeletedOpen(engines, inspectDeletedLinks(found, {devices, proc: options.proc}).files);
}

export {processStartTime};
