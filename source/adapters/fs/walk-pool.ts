import {readFileSync} from 'node:fs';
import {availableParallelism} from 'node:os';
import {Worker} from 'node:worker_threads';

export interface TreeSize {
	/** File contents, each hard link once: what Docker's SizeRw counts. */
	apparentBytes: number;
	/** blocks * 512 of every inode, directories included: what the disk feels. */
	allocatedBytes: number;
	files: number;
	dirs: number;
	inodes: number;
	/** Entries that could not be read (vanished, permission denied, name too long). */
	errors: number;
	errorSamples: Array<{path: string; code: string}>;
	/** Directories on another filesystem that were not entered. */
	otherFs: number;
	/** Subtrees not walked because their path exceeds PATH_MAX. */
	unwalked: number;
}

interface Job {
	id: number;
	root: string;
	resolve: (size: TreeSize) => void;
	reject: (error: Error) => void;
}

let workerSource: string | undefined;

/** The worker's code, read once. A bundler may set globalThis.__LAYERSCOPE_WALK_WORKER__ instead. */
function loadWorkerSource(): string {
	const embedded = (globalThis as {__LAYERSCOPE_WALK_WORKER__?: string}).__LAYERSCOPE_WALK_WORKER__;
	workerSource ??= embedded ?? readFileSync(new URL('walk-worker.cjs', import.meta.url), 'utf8');
	return workerSource;
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
		const worker = new Worker(loadWorkerSource(), {eval: true});
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
