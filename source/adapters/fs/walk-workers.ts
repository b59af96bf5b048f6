/**
 * The tree walk driven by worker threads doing synchronous lstat/readdir (the fastest pure-Node
 * walk here, WALKER-FACTS.md), for hosts without GNU find: one worker starts at the root and any
 * worker hands a pending subdirectory to the main thread when another one is idle (shared
 * `hungry` counter). Each worker runs the one DirAggregator (workers/tree-walk-worker.ts); this
 * thread assembles the finished directories. Aborting terminates the workers at once.
 */
import type {Worker} from 'node:worker_threads';
import type {WorkerClassRules} from '../../domain/classify.js';
import type {CopyUpCandidate} from './copy-up-content.js';
import type {OpaqueCandidate} from './dir-aggregator.js';
import type {RawName} from './raw-names.js';
import type {ClosedDir, LinkSighting} from './tree-assembly.js';
import {WalkAbortedError, type RawChange, type TreeWalkOptions, type WalkedTree} from './tree-types.js';
import {finishWalk, walkSetup} from './walk-finish.js';
import type {StatLike} from './walk-rules.js';
import {startWorker} from './worker-script.js';

export interface WalkerInit {
	type: 'tree-init';
	root: string;
	lowers: string[];
	rules: WorkerClassRules;
	hungry: SharedArrayBuffer;
	topK: number;
	shallowDepth: number;
	minDeepBytes: number;
	listAdded: boolean;
	batchDirs: number;
}

/** A subdirectory not entered yet, handed from one worker to another. */
export interface WalkerTask {
	name: RawName;
	rel: RawName;
	st: StatLike;
	dev: number;
	parentKey: string;
	parentDepth: number;
	parentLowers: number[];
}

export interface WalkerDone {
	links: LinkSighting[];
	classLowerBytes: number[];
	unwalked: RawName[];
	otherFs: number;
	candidates: OpaqueCandidate[];
	copyUps: CopyUpCandidate[];
}

export type WalkerMessage = {type: 'dirs'; closed: ClosedDir[]; changes: RawChange[]; entries: number} | {type: 'task'; task: WalkerTask} | ({type: 'done'} & WalkerDone) | {type: 'error'; message: string};

export function walkTreeWithWorkers(upperDir: string, options: TreeWalkOptions = {}): Promise<WalkedTree> {
	const {signal} = options;
	if (signal?.aborted) return Promise.reject(new WalkAbortedError());
	const {root, rules, assembly, progress, budget} = walkSetup(upperDir, options);
	const count = Math.max(1, options.workers ?? 2);
	const hungry = new SharedArrayBuffer(4);
	const hungryCount = new Int32Array(hungry);
	const done: WalkerDone[] = [];
	return new Promise((resolve, reject) => {
		const workers: Worker[] = [];
		const idle: Worker[] = [];
		const queue: Array<WalkerTask | {root: true}> = [];
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
		const give = (w: Worker, task: WalkerTask | {root: true}) => w.postMessage({type: 'tree-task', task});
		const becomeIdle = (w: Worker) => {
			const task = queue.shift();
			if (task) return give(w, task);
			idle.push(w);
			if (idle.length === workers.length) {
				settle(() => {
					finishWalk(root, rules, assembly, budget, ...done).then(resolve, reject);
				});
				return;
			}
			Atomics.add(hungryCount, 0, 1);
		};
		const onMessage = (w: Worker, msg: WalkerMessage) => {
			if (settled) return;
			if (msg.type === 'dirs') {
				for (const c of msg.changes) assembly.addChange(c);
				assembly.met(msg.entries);
				assembly.add(msg.closed);
				progress();
			} else if (msg.type === 'task') {
				// The donor took one from `hungry`, so an idle worker is waiting for it.
				const taker = idle.shift();
				if (taker) give(taker, msg.task);
				else queue.push(msg.task);
			} else if (msg.type === 'done') {
				done.push(msg);
				becomeIdle(w);
			} else if (msg.type === 'error') settle(() => reject(new Error(`walk of ${upperDir} failed: ${msg.message}`)));
		};
		const init: WalkerInit = {
			type: 'tree-init',
			root,
			lowers: [...rules.lowers],
			rules: rules.rules,
			hungry,
			topK: options.topK ?? 8,
			shallowDepth: options.shallowDepth ?? 2,
			minDeepBytes: options.minDeepFileBytes ?? 64 * 1024,
			listAdded: options.listAdded ?? false,
			batchDirs: 2048,
		};
		try {
			for (let i = 0; i < count; i++) {
				const w = startWorker('tree-walk-worker');
				workers.push(w);
				w.on('message', (msg: WalkerMessage) => onMessage(w, msg));
				w.on('error', error => settle(() => reject(error)));
				w.on('exit', () => settle(() => reject(new Error('walk worker exited early'))));
				w.postMessage(init);
			}
		} catch (error) {
			settle(() => reject(error as Error));
			return;
		}
		give(workers[0]!, {root: true});
		for (const w of workers.slice(1)) {
			idle.push(w);
			Atomics.add(hungryCount, 0, 1);
		}
	});
}
