import {readFileSync} from 'node:fs';
import {Worker} from 'node:worker_threads';
import {classRulesForWorker, type ChangeKind, type WorkerClassRules} from '../../domain/classify.js';
import type {DrillErrors, DrillTotals, EntryType} from '../../domain/drill-model.js';
import {hasGnuFind} from './find-sizer.js';
import {walkTreeWithFind} from './find-tree.js';
import {TreeAssembly, type DirBatch, type TaskDone} from './tree-merge.js';

/** A raw path or name from the walker: a string when valid UTF-8, bytes otherwise. */
export type RawName = string | Uint8Array;

export interface RawEntry {
	name: RawName;
	type: EntryType;
	apparentBytes: number;
	allocatedBytes: number;
	files: number;
	inodes: number;
	mark: ChangeKind | null;
	/** Index into pathClasses. */
	cls: number;
	lowerBytes?: number;
	dirKey?: string;
}

export interface RawDir {
	key: string;
	parentKey: string | null;
	/** Path inside the container ("" for the root). */
	rel: RawName;
	name: RawName;
	mark: ChangeKind | null;
	cls: number;
	apparentBytes: number;
	allocatedBytes: number;
	files: number;
	dirs: number;
	inodes: number;
	classBytes: number[];
	marks: {A: number; C: number; D: number};
	errors: DrillErrors;
	unreadable: boolean;
	entries: RawEntry[];
	rest: {count: number; apparentBytes: number; allocatedBytes: number};
}

export interface RawChange {
	path: RawName;
	kind: ChangeKind;
	cls: number;
	bytes: number;
	lowerBytes?: number;
	dir: boolean;
}

export interface RawTree {
	dirs: RawDir[];
	changes: RawChange[];
	totals: DrillTotals;
	unwalked: RawName[];
	/** Whether opaque directories could be detected (GNU tar with --xattrs). */
	opaque: {available: boolean; reason: string};
}

export interface RawProgress {
	entries: number;
	dirsDone: number;
	totals: DrillTotals;
	topLevel: RawEntry[];
	current: RawName;
}

export interface TreeWalkOptions {
	/** Lower layers, topmost first (GraphDriver.Data.LowerDir order). */
	lowerDirs?: string[];
	signal?: AbortSignal;
	onProgress?: (progress: RawProgress) => void;
	progressMs?: number;
	/** Files listed per directory besides subdirectories and C/D entries (default 8). */
	topK?: number;
	/** Directories this deep or shallower list their top K files; deeper ones only files of at least minDeepFileBytes (default 2). */
	shallowDepth?: number;
	/** Default 64 KiB. */
	minDeepFileBytes?: number;
	/** Worker threads sharing the walk (default 2). */
	workers?: number;
	/** List every A path in `changes` (report mode); otherwise A paths are only counted. */
	listAdded?: boolean;
	rules?: WorkerClassRules;
	/** 'find' (default when GNU find is present): find-tree.ts; 'workers': the worker-thread walk below. */
	walker?: 'find' | 'workers';
}

let source: string | undefined;

/** walk-worker.cjs + opaque-xattr.cjs + tree-walk-worker.cjs, run as one eval'd worker script. */
function workerSource(): string {
	source ??= ['walk-worker.cjs', 'opaque-xattr.cjs', 'tree-walk-worker.cjs']
		.map(file => readFileSync(new URL(file, import.meta.url), 'utf8'))
		.join('\n;\n');
	return source;
}

export class WalkAbortedError extends Error {
	constructor() {
		super('walk aborted');
		this.name = 'AbortError';
	}
}

type WorkerMessage =
	| ({type: 'dirs'} & DirBatch)
	| {type: 'task'; task: object}
	| ({type: 'done'} & TaskDone)
	| {type: 'error'; message: string};

/**
 * Walks one upperdir with a few worker threads doing synchronous lstat/readdir (the fastest
 * pure-Node walk here, WALKER-FACTS.md): one worker starts at the root and any worker hands a
 * pending subdirectory to the main thread when another one is idle (shared `hungry` counter).
 * lstat only, never follows symlinks, hard links once, one filesystem, Buffer names when a
 * listing is not valid UTF-8. Memory: one record per directory plus a few file entries.
 * Aborting terminates the workers at once.
 */
export function walkTreeWithWorkers(upperDir: string, options: TreeWalkOptions = {}): Promise<RawTree> {
	const {signal} = options;
	if (signal?.aborted) return Promise.reject(new WalkAbortedError());
	const rules = options.rules ?? classRulesForWorker();
	const count = Math.max(1, options.workers ?? 2);
	const hungry = new SharedArrayBuffer(4);
	const hungryCount = new Int32Array(hungry);
	const assembly = new TreeAssembly(rules.classes.length, options.listAdded ?? false);
	const progressMs = options.progressMs ?? 200;
	let lastProgress = Date.now();
	const root = upperDir.length > 1 ? upperDir.replace(/\/+$/, '') : upperDir;
	return new Promise((resolve, reject) => {
		// The worker script is CommonJS: drop --input-type=module, which eval'd workers would inherit.
		const execArgv = process.execArgv.filter(arg => !arg.startsWith('--input-type'));
		const workers: Worker[] = [];
		const idle: Worker[] = [];
		const queue: object[] = [];
		let settled = false;
		const settle = (fn: () => void) => {
			if (settled) return;
			settled = true;
			signal?.removeEventListener('abort', onAbort);
			for (const w of workers) void w.terminate();
			fn();
		};
		const onAbort = () => settle(() => reject(new WalkAbortedError()));
		signal?.addEventListener('abort', onAbort);
		const give = (w: Worker, task: object) => w.postMessage({type: 'tree-task', task});
		const becomeIdle = (w: Worker) => {
			const task = queue.shift();
			if (task) return give(w, task);
			idle.push(w);
			if (idle.length === workers.length) {
				settle(() => {
					try {
						resolve(assembly.build());
					} catch (error) {
						reject(error as Error);
					}
				});
				return;
			}
			Atomics.add(hungryCount, 0, 1);
		};
		const onMessage = (w: Worker, msg: WorkerMessage) => {
			if (settled) return;
			if (msg.type === 'dirs') {
				assembly.addBatch(msg);
				if (options.onProgress && Date.now() - lastProgress >= progressMs) {
					lastProgress = Date.now();
					options.onProgress(assembly.progress());
				}
			} else if (msg.type === 'task') {
				// The donor took one from `hungry`, so an idle worker is waiting for it.
				const taker = idle.shift();
				if (taker) give(taker, msg.task);
				else queue.push(msg.task);
			} else if (msg.type === 'done') {
				assembly.addTask(msg);
				becomeIdle(w);
			} else if (msg.type === 'error') settle(() => reject(new Error(`walk of ${upperDir} failed: ${msg.message}`)));
		};
		const init = {
			type: 'tree-init', root, lowers: options.lowerDirs ?? [], rules, hungry,
			topK: options.topK ?? 8, shallowDepth: options.shallowDepth ?? 2, minDeepBytes: options.minDeepFileBytes ?? 64 * 1024,
			listAdded: options.listAdded ?? false, batchDirs: 2048,
		};
		for (let i = 0; i < count; i++) {
			const w = new Worker(workerSource(), {eval: true, execArgv});
			workers.push(w);
			w.on('message', (msg: WorkerMessage) => onMessage(w, msg));
			w.on('error', error => settle(() => reject(error)));
			w.on('exit', () => settle(() => reject(new Error('walk worker exited early'))));
			w.postMessage(init);
		}
		give(workers[0]!, {root: true});
		for (const w of workers.slice(1)) {
			idle.push(w);
			Atomics.add(hungryCount, 0, 1);
		}
	});
}

/** The drill-down walk: GNU find driven (find-tree.ts) when available, else the worker threads. */
export function walkTree(upperDir: string, options: TreeWalkOptions = {}): Promise<RawTree> {
	const useFind = (options.walker ?? 'find') === 'find' && hasGnuFind();
	return useFind ? walkTreeWithFind(upperDir, options) : walkTreeWithWorkers(upperDir, options);
}
