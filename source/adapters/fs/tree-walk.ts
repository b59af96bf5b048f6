import {readFileSync} from 'node:fs';
import {Worker} from 'node:worker_threads';
import {classRulesForWorker, type ChangeKind, type WorkerClassRules} from '../../domain/classify.js';
import type {DrillErrors, DrillTotals, EntryType} from '../../domain/drill-model.js';

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
	/** Files listed per directory besides subdirectories and C/D entries. */
	topK?: number;
	/** List every A path in `changes` (report mode); otherwise A paths are only counted. */
	listAdded?: boolean;
	rules?: WorkerClassRules;
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

/**
 * Walks one upperdir in its own worker thread: lstat only, never follows symlinks,
 * hard links once, one filesystem, Buffer names when a listing is not valid UTF-8.
 * Aborting terminates the worker at once.
 */
export function walkTree(upperDir: string, options: TreeWalkOptions = {}): Promise<RawTree> {
	const {signal} = options;
	if (signal?.aborted) return Promise.reject(new WalkAbortedError());
	return new Promise((resolve, reject) => {
		// The worker script is CommonJS: drop --input-type=module, which eval'd workers would inherit.
		const execArgv = process.execArgv.filter(arg => !arg.startsWith('--input-type'));
		const worker = new Worker(workerSource(), {eval: true, execArgv});
		let settled = false;
		const settle = (fn: () => void) => {
			if (settled) return;
			settled = true;
			signal?.removeEventListener('abort', onAbort);
			void worker.terminate();
			fn();
		};
		const onAbort = () => settle(() => reject(new WalkAbortedError()));
		signal?.addEventListener('abort', onAbort);
		const done: RawDir[] = [];
		worker.on('message', (msg: {type: string; result?: RawTree; message?: string; dirs?: RawDir[]} & RawProgress) => {
			if (msg.type === 'dirs') for (const d of msg.dirs!) done.push(d);
			else if (msg.type === 'progress') options.onProgress?.(msg);
			else if (msg.type === 'done') settle(() => resolve({...msg.result!, dirs: done.concat(msg.result!.dirs)}));
			else if (msg.type === 'error') settle(() => reject(new Error(`walk of ${upperDir} failed: ${msg.message}`)));
		});
		worker.on('error', error => settle(() => reject(error)));
		worker.on('exit', () => settle(() => reject(new Error('walk worker exited early'))));
		worker.postMessage({
			type: 'tree',
			root: upperDir,
			lowers: options.lowerDirs ?? [],
			rules: options.rules ?? classRulesForWorker(),
			topK: options.topK ?? 16,
			listAdded: options.listAdded ?? false,
			progressMs: options.progressMs ?? 200,
		});
	});
}
