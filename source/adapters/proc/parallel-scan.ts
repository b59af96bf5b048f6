import {Worker} from 'node:worker_threads';
import {deletedLinks, inspect, listPids, type ScanOptions, type ScanResult} from './deleted-open-scan.js';

/** The same loop for a worker thread (evaluated source: nothing to locate on disk, in a bundle or not). */
const workerSource = `
const {parentPort, workerData} = require('node:worker_threads');
const {readdirSync, readlinkSync} = require('node:fs');
const {pids, proc} = workerData;
const links = [];
let processes = 0, fds = 0;
for (const pid of pids) {
	const dir = proc + '/' + pid + '/fd/';
	let names;
	try { names = readdirSync(dir); } catch { continue; }
	processes++;
	fds += names.length;
	for (const name of names) {
		try {
			const text = readlinkSync(dir + name);
			if (text.charCodeAt(0) === 0x2f && text.endsWith(' (deleted)')) links.push(pid + '/' + name);
		} catch {}
	}
}
parentPort.postMessage({links, processes, fds});
`;

/** Below this many processes a worker's start-up costs more than it saves. */
const parallelFrom = 400;

/**
 * scanDeletedOpen with the readlink pass split between this thread and a worker thread
 * (the kernel work of /proc lookups is per fd and parallelises across cores); the
 * console uses it so a large node never stalls a frame for the whole pass.
 */
export async function scanDeletedOpenParallel(options: ScanOptions & {parallelFrom?: number}): Promise<ScanResult> {
	const proc = options.proc ?? '/proc';
	const pids = listPids(options, proc);
	if (!pids) return {files: [], processes: 0, fds: 0};
	if (pids.length < (options.parallelFrom ?? parallelFrom)) {
		const found = deletedLinks(pids, proc);
		return {files: inspect(found.links, options, proc), processes: found.processes, fds: found.fds};
	}
	const theirs = pids.filter((_, i) => i % 2 === 1);
	const worker = new Worker(workerSource, {eval: true, workerData: {pids: theirs, proc}});
	const answer = new Promise<{links: string[]; processes: number; fds: number}>((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
	});
	try {
		const mine = deletedLinks(
			pids.filter((_, i) => i % 2 === 0),
			proc,
		);
		const other = await answer.catch(() => deletedLinks(theirs, proc));
		return {files: inspect([...mine.links, ...other.links], options, proc), processes: mine.processes + other.processes, fds: mine.fds + other.fds};
	} finally {
		void worker.terminate();
	}
}
