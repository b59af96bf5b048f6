import {availableParallelism} from 'node:os';
import type {Worker} from 'node:worker_threads';
import type {SampleResult, SampleTarget as LayerTarget} from '../adapters/fs/layer-sampler.js';
import type {TreeSize} from '../adapters/fs/size-tree.js';
import {startWorker} from '../adapters/fs/worker-script.js';
import type {ThreadHeap} from '../adapters/thread-heap.js';
import {planPass, type LayerCounts, type LayerQuota, type SweepPolicy} from '../domain/sample-budget.js';

export type {LayerSample, SampleResult, SampleTarget as LayerTarget} from '../adapters/fs/layer-sampler.js';

class Thread {
	private worker: Worker | undefined;
	/** The thread's heap as of its last answer (undefined before the first). */
	heap: ThreadHeap | undefined;
	private nextId = 1;
	private readonly pending = new Map<number, {resolve: (r: any) => void; reject: (e: Error) => void}>();

	private spawn(): Worker {
		const worker = startWorker('sample-worker');
		worker.on('message', (msg: {id: number; result: {error?: string}; heap?: ThreadHeap}) => {
			if (msg.heap) this.heap = msg.heap;
			const job = this.pending.get(msg.id);
			this.pending.delete(msg.id);
			if (this.pending.size === 0) worker.unref();
			if (!job) return;
			if (msg.result.error) job.reject(new Error(msg.result.error));
			else job.resolve(msg.result);
		});
		worker.on('error', error => {
			this.fail(error);
			this.worker = undefined; // its index is lost; the next pass re-indexes
		});
		// Ended by close() (another client's, with this one's call in flight) or by itself:
		// nothing in flight is left waiting for an answer that cannot come.
		worker.on('exit', () => {
			this.fail(new Error('the walker thread ended'));
			if (this.worker === worker) this.worker = undefined;
		});
		return worker;
	}

	private fail(error: Error): void {
		for (const job of this.pending.values()) job.reject(error);
		this.pending.clear();
	}

	/** Whether the thread runs (or is starting): one that never started has nothing to forget. */
	get started(): boolean {
		return this.worker !== undefined;
	}

	call<T>(message: Record<string, unknown>): Promise<T> {
		this.worker ??= this.spawn();
		const worker = this.worker;
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.pending.set(id, {resolve, reject});
			worker.ref();
			worker.postMessage({...message, id});
		});
	}

	async close(): Promise<void> {
		const worker = this.worker;
		this.worker = undefined;
		this.heap = undefined;
		if (worker) await worker.terminate();
	}
}

function shardOf(root: string, shards: number): number {
	let h = 0;
	for (let i = 0; i < root.length; i++) h = (h * 31 + root.charCodeAt(i)) | 0;
	return Math.abs(h) % shards;
}

/**
 * Worker threads that keep an incremental index of every writable layer (see
 * adapters/fs/layer-index.ts). Each layer lives in one thread, chosen by its
 * root, so the first scan's walk builds the index that later passes update.
 * Threads are unref'd between passes so they never keep the process alive.
 */
export class SampleWorker {
	private readonly threads: Thread[];
	/** Which of the threads' layer sets this client reads (see `share`). */
	private readonly owner: number;
	/** Clients of the same threads still open: shared by every `share`d sibling. */
	private readonly users: {count: number; next: number};

	constructor(
		/** Round-robin re-stats of cold files per pass, across all layers. */
		readonly budget = 4000,
		/** Stats allowed per pass for indexing layers not indexed yet (a layer in progress always finishes). */
		readonly indexBudget = 50_000,
		threads: number | Thread[] = Math.max(1, Math.min(2, availableParallelism())),
		shared?: {owner: number; users: {count: number; next: number}},
	) {
		this.threads = Array.isArray(threads) ? threads : Array.from({length: threads}, () => new Thread());
		this.users = shared?.users ?? {count: 1, next: 1};
		this.owner = shared?.owner ?? 0;
	}

	/**
	 * Another client of the same threads, with its own layers (a pass forgets only the layers of
	 * its own client): several engines' samplers share one thread, its heap and its runtime.
	 * The threads end when the last client closes.
	 */
	share(): SampleWorker {
		this.users.count++;
		return new SampleWorker(this.budget, this.indexBudget, this.threads, {owner: this.users.next++, users: this.users});
	}

	/** Files and directories of each indexed layer, by root, as of its last walk or pass (for planning the next pass). */
	private readonly counts = new Map<string, LayerCounts>();

	/** Full walk of one layer that also (re)builds its index: a drop-in for WalkPool.sizeTree. */
	async sizeTree(root: string): Promise<TreeSize> {
		const size = await this.threads[shardOf(root, this.threads.length)]!.call<TreeSize>({type: 'index', root, owner: this.owner});
		this.counts.set(root, {files: size.files, dirs: size.dirs});
		return size;
	}

	/**
	 * One pass over these layers. With `policy` (domain/sample-budget.ts) the quotas of every layer
	 * are planned here, over all threads at once, from the counts of the last pass (a layer not
	 * counted yet lstat's all its directories); `budget` is the floor of cold-file re-stats (Infinity:
	 * every file and every directory each pass). Without a policy each thread lstat's every
	 * directory and shares out its part of `budget` cold re-stats.
	 */
	async sample(targets: readonly LayerTarget[], options: {indexAll?: boolean; policy?: SweepPolicy} = {}): Promise<SampleResult> {
		const n = this.threads.length;
		const shards: LayerTarget[][] = Array.from({length: n}, () => []);
		for (const target of targets) shards[target.root ? shardOf(target.root, n) : 0]!.push(target);
		const budget = Math.ceil(this.budget / n);
		const indexBudget = options.indexAll ? Infinity : Math.ceil(this.indexBudget / n);
		let quotas: Record<string, LayerQuota> | undefined;
		if (options.policy) {
			const roots = [...new Set(targets.flatMap(t => (t.root && this.counts.has(t.root) ? [t.root] : [])))];
			const plan = planPass(
				roots.map(root => this.counts.get(root)!),
				{...options.policy, minFiles: this.budget},
			);
			quotas = Object.fromEntries(roots.map((root, i) => [root, plan[i]!]));
		}
		const results = await Promise.all(shards.map((containers, i) => this.threads[i]!.call<SampleResult>({type: 'sample', containers, budget, indexBudget, quotas, owner: this.owner})));
		const live = new Set<string>();
		for (const target of targets) {
			if (!target.root) continue;
			live.add(target.root);
			const size = results.find(r => r.sizes[target.id])?.sizes[target.id];
			if (size?.indexed && size.files !== undefined && size.dirs !== undefined) this.counts.set(target.root, {files: size.files, dirs: size.dirs});
		}
		for (const root of this.counts.keys()) if (!live.has(root)) this.counts.delete(root);
		return {
			sizes: Object.assign({}, ...results.map(r => r.sizes)),
			stats: results.reduce((t, r) => t + r.stats, 0),
			reads: results.reduce((t, r) => t + r.reads, 0),
		};
	}

	/** Each thread's V8 heap as of its last answer (threads that have not answered yet are left out). */
	heaps(): ThreadHeap[] {
		return this.threads.flatMap(t => (t.heap ? [t.heap] : []));
	}

	async close(): Promise<void> {
		if (--this.users.count > 0) {
			await Promise.all(this.threads.filter(t => t.started).map(t => t.call({type: 'forget', owner: this.owner}).catch(() => undefined)));
			return;
		}
		await Promise.all(this.threads.map(t => t.close()));
	}
}
