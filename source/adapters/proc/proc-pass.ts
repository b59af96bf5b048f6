import {Worker} from 'node:worker_threads';
import {deletedLinks, listPids} from './deleted-open-scan.js';
import {type KubeletCmdline, kubeletArgv, kubeletFromArgv} from './kubelet-cmdline.js';
import {type DeletedLinks, fdLinksSource} from './parallel-scan.js';

/**
 * `report`'s two passes over every process in one (issue 18): the readlink of every
 * /proc/PID/fd/N (deleted-but-open files) and the search for the kubelet's command line
 * (comm and cmdline), shared between a worker thread started at once and this thread. Both
 * take the processes a few at a time from one shared counter: the worker from its start,
 * this thread when it has nothing else to do (finish()), so neither core idles while the
 * other still reads /proc. The answers are those of deletedLinks over the processes in
 * /proc's order and of findKubeletCmdline (the first kubelet in that order).
 */
export interface ProcPass {
	/** Reads a few processes per turn of the event loop from now on, between this thread's I/O callbacks. */
	helpWhileIdle(): void;
	/** Reads what is left in this thread, then waits for the worker's share. */
	finish(): Promise<ProcPassResult>;
	/** Stops the worker (no answer wanted, e.g. the engines failed). */
	cancel(): void;
}

export interface ProcPassResult {
	/** null when the fd links were not asked for. */
	links: DeletedLinks | null;
	/** The running kubelet; undefined when it was not asked for. */
	kubelet: KubeletCmdline | null | undefined;
}

/** Processes taken at once from the shared counter (about a millisecond of reads). */
const chunk = 8;

/** A worker's start-up (≈ 30 ms of CPU, measured) and its absolute paths pay only where the pass is long: from about 1,000 processes (≈ 15,000 fds). */
const workerFrom = 1000;

/** The same per-process work for the worker (evaluated source: nothing to locate on disk, in a bundle or not). */
const workerSource = `
const {parentPort, workerData} = require('node:worker_threads');
const {closeSync, openSync, readdirSync, readlinkSync, readSync} = require('node:fs');
${fdLinksSource}const {pids, proc, wantLinks, wantKubelet, shared, chunk} = workerData;
const state = new Int32Array(shared);
const buffer = Buffer.allocUnsafe(16 * 1024);
const read = path => {
	let fd;
	try { fd = openSync(path, 'r'); } catch { return null; }
	try {
		let text = '';
		for (let n = readSync(fd, buffer, 0, buffer.length, null); n > 0; n = readSync(fd, buffer, 0, buffer.length, null)) text += buffer.toString('latin1', 0, n);
		return text;
	} catch { return null; } finally { closeSync(fd); }
};
const parts = [];
let kubelet = null;
for (;;) {
	const from = Atomics.add(state, 0, chunk);
	if (from >= pids.length) break;
	const to = Math.min(from + chunk, pids.length);
	const links = [];
	let processes = 0, fds = 0;
	for (let i = from; i < to; i++) {
		const pid = pids[i];
		if (wantLinks) {
			const n = fdLinks(proc, pid, links);
			if (n >= 0) {
				processes++;
				fds += n;
			}
		}
		if (wantKubelet && i < Atomics.load(state, 1)) {
			const comm = read(proc + '/' + pid + '/comm')?.trim();
			const cmdline = read(proc + '/' + pid + '/cmdline');
			if (cmdline) {
				const argv = cmdline.split('\\0').filter(Boolean);
				const base = (argv[0] ?? '').split('/').pop();
				if (comm === 'kubelet' || base === 'kubelet') {
					kubelet = {at: i, argv};
					for (let seen = Atomics.load(state, 1); i < seen; seen = Atomics.load(state, 1)) if (Atomics.compareExchange(state, 1, seen, i) === seen) break;
				}
			}
		}
	}
	parts.push({from, links, processes, fds});
}
parentPort.postMessage({parts, kubelet});
`;

type Part = {from: number; links: string[]; processes: number; fds: number};
type WorkerAnswer = {parts: Part[]; kubelet: {at: number; argv: string[]} | null};

/**
 * Starts the pass over /proc (`proc`, default /proc): `links` for the fd readlinks,
 * `kubelet` for the kubelet's command line. Never throws: without a worker, finish() reads
 * everything in this thread.
 */
export function startProcPass(options: {proc?: string; links: boolean; kubelet: boolean; workerFrom?: number}): ProcPass {
	const proc = options.proc ?? '/proc';
	const pids = (options.links || options.kubelet ? listPids({devices: null}, proc) : null) ?? [];
	// [next process to take, index of the first kubelet found (pids.length: none yet)]
	const shared = new SharedArrayBuffer(8);
	const state = new Int32Array(shared);
	state[1] = pids.length;
	const mine: Part[] = [];
	let kubelet: {at: number; argv: string[]} | null = null;
	/** Takes chunks until none is left; returns the starts of the chunks read here. */
	const drain = () => {
		for (;;) {
			const from = Atomics.add(state, 0, chunk);
			if (from >= pids.length) return;
			read(from, Math.min(from + chunk, pids.length));
		}
	};
	const read = (from: number, to: number) => {
		const part: Part = options.links ? {from, ...deletedLinks(pids.slice(from, to), proc)} : {from, links: [], processes: 0, fds: 0};
		mine.push(part);
		if (!options.kubelet) return;
		for (let i = from; i < to && i < Atomics.load(state, 1); i++) {
			const argv = kubeletArgv(proc, pids[i]!);
			if (!argv) continue;
			if (!kubelet || i < kubelet.at) kubelet = {at: i, argv};
			for (let seen = Atomics.load(state, 1); i < seen; seen = Atomics.load(state, 1)) if (Atomics.compareExchange(state, 1, seen, i) === seen) break;
		}
	};
	let worker: Worker | undefined;
	let answer: Promise<WorkerAnswer | null> = Promise.resolve(null);
	if (pids.length >= (options.workerFrom ?? workerFrom)) {
		try {
			worker = new Worker(workerSource, {eval: true, workerData: {pids, proc, wantLinks: options.links, wantKubelet: options.kubelet, shared, chunk}});
			const started = worker;
			answer = new Promise<WorkerAnswer | null>(resolve => {
				started.once('message', resolve);
				// A worker that failed: its chunks are read again here (below).
				started.once('error', () => resolve(null));
				started.once('exit', () => resolve(null));
			});
		} catch {
			worker = undefined;
		}
	}
	let idle: NodeJS.Immediate | undefined;
	const helpWhileIdle = () => {
		if (idle) return;
		const step = () => {
			const from = Atomics.add(state, 0, chunk);
			if (from >= pids.length) {
				idle = undefined;
				return;
			}
			read(from, Math.min(from + chunk, pids.length));
			idle = setImmediate(step);
		};
		idle = setImmediate(step);
	};
	const cancel = () => {
		if (idle) clearImmediate(idle);
		Atomics.store(state, 0, pids.length);
		void worker?.terminate();
	};
	const finish = async (): Promise<ProcPassResult> => {
		if (idle) clearImmediate(idle);
		idle = undefined;
		drain();
		const theirs = await answer;
		void worker?.terminate();
		let parts = mine;
		if (worker && !theirs) {
			// The worker died: read again every chunk this thread did not read.
			const done = new Set(mine.map(p => p.from));
			state[1] = kubelet?.at ?? pids.length;
			for (let from = 0; from < pids.length; from += chunk) if (!done.has(from)) read(from, Math.min(from + chunk, pids.length));
		} else if (theirs) {
			parts = [...mine, ...theirs.parts];
			if (theirs.kubelet && (!kubelet || theirs.kubelet.at < kubelet.at)) kubelet = theirs.kubelet;
		}
		parts.sort((a, b) => a.from - b.from);
		const found = kubelet as {at: number; argv: string[]} | null;
		return {
			links: options.links ? {links: parts.flatMap(p => p.links), processes: parts.reduce((n, p) => n + p.processes, 0), fds: parts.reduce((n, p) => n + p.fds, 0)} : null,
			kubelet: options.kubelet ? (found ? kubeletFromArgv(Number(pids[found.at]), found.argv) : null) : undefined,
		};
	};
	return {helpWhileIdle, finish, cancel};
}
