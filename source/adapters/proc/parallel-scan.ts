import {Worker} from 'node:worker_threads';
import {deletedLinks, inspect, listPids, type ScanOptions, type ScanResult} from './deleted-open-scan.js';

/**
 * Source text for worker threads (evaluated: nothing to locate on disk, in a bundle or not):
 * `fdLinks(proc, pid, links)` reads /proc/PID/fd and pushes "pid/fd" of every link to a
 * deleted file; it returns the number of fds, or -1 when the process is gone. The worker's
 * own source brings readdirSync and readlinkSync into scope.
 */
export const fdLinksSource = `
function fdLinks(proc, pid, links) {
	const dir = proc + '/' + pid + '/fd/';
	let names;
	try { names = readdirSync(dir); } catch { return -1; }
	for (const name of names) {
		try {
			const text = readlinkSync(dir + name);
			if (text.charCodeAt(0) === 0x2f && text.endsWith(' (deleted)')) links.push(pid + '/' + name);
		} catch {}
	}
	return names.length;
}
`;

/** The readlink loop of deletedLinks, for a worker thread. */
const workerSource = `
const {parentPort, workerData} = require('node:worker_threads');
const {readdirSync, readlinkSync} = require('node:fs');
${fdLinksSource}
const {pids, proc} = workerData;
const links = [];
let processes = 0, fds = 0;
for (const pid of pids) {
	const n = fdLinks(proc, pid, links);
	if (n < 0) continue;
	processes++;
	fds += n;
}
parentPort.postMessage({links, processes, fds});
`;

/** Below this many processes a worker's start-up costs more than it saves. */
const parallelFrom = 400;

/** Phase 1's answer: "pid/fd" of every link to a deleted target, and what was read. */
export type DeletedLinks = {links: string[]; processes: number; fds: number};

/**
 * Phase 1 of scanDeletedOpen (readlink of every /proc/PID/fd/N, which does not depend on the
 * filesystems asked about), split between this thread and a worker thread from
 * `parallelFrom` processes on (the kernel work of /proc lookups is per fd and parallelises
 * across cores). This thread's half is read before the call returns; the promise waits for
 * the worker's. With `inWorker`, the worker reads every process and this thread none: the
 * call returns at once (`report` starts it first and does its own work meanwhile).
 */
export function startDeletedLinks(options: {proc?: string; pids?: readonly number[]; parallelFrom?: number; inWorker?: boolean} = {}): Promise<DeletedLinks> {
	const proc = options.proc ?? '/proc';
	const pids = listPids({devices: null, pids: options.pids}, proc);
	if (!pids) return Promise.resolve({links: [], processes: 0, fds: 0});
	if (!options.inWorker && pids.length < (options.parallelFrom ?? parallelFrom)) return Promise.resolve(deletedLinks(pids, proc));
	const theirs = options.inWorker ? pids : pids.filter((_, i) => i % 2 === 1);
	let worker: Worker;
	try {
		worker = new Worker(workerSource, {eval: true, workerData: {pids: theirs, proc}});
	} catch {
		return Promise.resolve(deletedLinks(pids, proc));
	}
	const answer = new Promise<DeletedLinks>((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
	});
	answer.catch(() => undefined); // awaited below
	try {
		const mine = options.inWorker
			? {links: [], processes: 0, fds: 0}
			: deletedLinks(
					pids.filter((_, i) => i % 2 === 0),
					proc,
				);
		return answer
			.catch(() => deletedLinks(theirs, proc))
			.then(other => ({links: [...mine.links, ...other.links], processes: mine.processes + other.processes, fds: mine.fds + other.fds}))
			.finally(() => void worker.terminate());
	} catch (error) {
		void worker.terminate();
		throw error;
	}
}

/** Phase 2 on phase 1's links: the deleted-but-open files on `devices`. */
export function inspectDeletedLinks(found: DeletedLinks, options: ScanOptions): ScanResult {
	const proc = options.proc ?? '/proc';
	return {files: inspect(found.links, options, proc), processes: found.processes, fds: found.fds};
}

/**
 * scanDeletedOpen with the readlink pass split between this thread and a worker thread
 * (startDeletedLinks); the console uses it so a large node never stalls a frame for the whole pass.
 */
export async function scanDeletedOpenParallel(options: ScanOptions & {parallelFrom?: number}): Promise<ScanResult> {
	return inspectDeletedLinks(await startDeletedLinks({proc: options.proc, pids: options.pids, parallelFrom: options.parallelFrom}), options);
}
