import {availableParallelism} from 'node:os';
import type {Worker} from 'node:worker_threads';
import type {TreeSize} from './size-tree.js';
import {startWorker} from './worker-script.js';

export type {TreeSize} from './size-tree.js';

interface Job {
	id: number;
	root: string;
	resolve: (size: TreeSize) => void;
	reject: (error: Error) => void;
}

/**
 * A small pool of worker threads doing synchronous walks, one root per job.
 * Workers are started lazily and unref'd when idle so they never keep the process alive.
 */
export class WalkPool {
	private readonly workers: Worker[] = [];
	private readonly idle: Worker[] = [];
	private readonly queue: Job[] = [];
	private readonly running = new Map<Worker, Job>();
	private nextId = 1;
	private closed = false;

	constructor(private readonly size = Math.max(1, Math.min(2, availableParallelism()))) {}

	sizeTree(root: string, signal?: AbortSignal): Promise<TreeSize> {
		if (this.closed) return Promise.reject(new Error('walk pool is closed'));
		return new Promise((resolve, reject) => {
			const job: Job = {id: this.nextId++, root, resolve, reject};
			signal?.addEventListener('abort', () => {
				const at = this.queue.indexOf(job);
				if (at >= 0) this.queue.splice(at, 1);
				reject(new Error('walk aborted'));
			});
			this.queue.push(job);
			this.pump();
		});
	}

	private spawn(): Worker {
		const worker = startWorker('size-worker');
		worker.on('message', (msg: {id: number; result: TreeSize & {error?: string}}) => {
			const job = this.running.get(worker);
			this.running.delete(worker);
			this.idle.push(worker);
			worker.unref();
			if (job) {
				if (msg.result.error) job.reject(new Error(msg.result.error));
				else job.resolve(msg.result);
			}
			this.pump();
		});
		worker.on('error', error => {
			this.running.get(worker)?.reject(error);
			this.running.delete(worker);
			this.workers.splice(this.workers.indexOf(worker), 1);
			this.pump();
		});
		this.workers.push(worker);
		return worker;
	}

	private pump(): void {
		while (this.queue.length > 0) {
			const worker = this.idle.pop() ?? (this.workers.length < this.size ? this.spawn() : undefined);
			if (!worker) return;
			const job = this.queue.shift()!;
			this.running.set(worker, job);
			worker.ref();
			worker.postMessage({id: job.id, root: job.root});
		}
	}

	async close(): Promise<void> {
		this.closed = true;
		await Promise.all(this.workers.map(w => w.terminate()));
		this.workers.length = 0;
		this.idle.length = 0;
	}
}
