import type {DockerReader} from '../adapters/docker/docker-reader.js';
import {tryFilesystemStats} from '../adapters/fs/statfs.js';
import {WalkPool} from '../adapters/fs/walk-pool.js';
import type {EvictionThresholds} from '../domain/eviction.js';
import {GrowthTracker} from '../domain/growth.js';
import {isLive} from '../domain/ledger.js';
import {sweepPolicy} from '../domain/sample-budget.js';
import type {ContainerRecord, ContainerState, EngineSnapshot} from '../domain/types.js';
import {emptyFeedState, type ConsoleFeed, type FeedState} from './console-feed.js';
import {scanDocker} from './docker-scan.js';
import {SampleWorker, type SampleResult} from './sample-worker-client.js';

export interface SamplerOptions {
	intervalMs?: number;
	dfTimeoutMs?: number;
	thresholds?: EvictionThresholds;
	notices?: string[];
	pool?: WalkPool;
	worker?: SampleWorker;
	/** Re-read the image list every this many samples. */
	imageEvery?: number;
	onSample?: (result: SampleResult) => void;
	/**
	 * Every file of a live layer is re-checked within this long (growth in place changes no
	 * directory). The console's default, SWEEP_MS, notices it within 60 s; the exporter, whose
	 * alerts look an hour ahead, takes a slower and cheaper sweep.
	 */
	sweepMs?: number;
}

const states = new Set<ContainerState>(['running', 'paused', 'restarting', 'created', 'exited', 'dead', 'removing']);

/**
 * Samples one Docker engine off the render path. The first pass is a full scan
 * (with progress); later passes re-list containers (one cheap call), inspect only
 * new ones, and size writable layers incrementally in the sample worker threads, whose
 * per-file index the first scan's walk built: no later pass re-reads a whole layer, and each
 * re-checks a bounded quota of directories and files, round robin, so that every one is
 * re-checked within about 50 s (domain/sample-budget.ts).
 */
export class DockerSampler implements ConsoleFeed {
	private state: FeedState;
	private readonly listeners = new Set<() => void>();
	private readonly tracker = new GrowthTracker();
	private readonly logTracker = GrowthTracker.forLogs();
	private readonly pool: WalkPool;
	private readonly worker: SampleWorker;
	private engine: EngineSnapshot | null = null;
	private timer: NodeJS.Timeout | undefined;
	private busy = false;
	private refreshWanted = false;
	private stopped = false;
	private ticks = 0;

	constructor(
		readonly reader: DockerReader,
		readonly options: SamplerOptions = {},
	) {
		this.pool = options.pool ?? new WalkPool();
		this.worker = options.worker ?? new SampleWorker();
		this.state = emptyFeedState({intervalMs: options.intervalMs ?? 5000, thresholds: options.thresholds, notices: options.notices});
	}

	getState = (): FeedState => this.state;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	private set(patch: Partial<FeedState>): void {
		this.state = {...this.state, ...patch};
		for (const listener of this.listeners) listener();
	}

	/** Full scan now, then sampling every interval. */
	start(): void {
		void this.run(() => this.fullScan());
	}

	refresh = (): void => {
		if (this.busy) this.refreshWanted = true;
		else void this.run(() => this.fullScan());
	};

	private async run(step: () => Promise<void>): Promise<void> {
		if (this.stopped) return;
		clearTimeout(this.timer);
		this.busy = true;
		try {
			await step();
			this.set({error: null});
		} catch (error) {
			this.set({error: (error as Error).message.split('\n')[0]!, progress: null});
		} finally {
			this.busy = false;
		}
		if (this.stopped) return;
		if (this.refreshWanted) {
			this.refreshWanted = false;
			return this.run(() => this.fullScan());
		}
		this.timer = setTimeout(() => void this.run(() => (this.engine ? this.sample() : this.fullScan())), this.state.intervalMs);
	}

	async fullScan(): Promise<void> {
		const first = this.engine === null;
		let sizedAt = 0;
		// On a local engine the sample worker walks the layers, so the first scan also builds
		// the index that later passes update; remote engines are sized by the engine anyway.
		const local = this.reader.client.endpoint.local;
		const engine = await scanDocker(this.reader, {
			pool: local ? this.worker : this.pool,
			preferPool: local,
			diskUsageTimeoutMs: this.options.dfTimeoutMs,
			onProgress: progress => {
				// Sizes are measured when sizing ends, not when images and df have been read.
				if (progress.phase === 'images' && !sizedAt) sizedAt = Date.now();
				this.set({progress: progress.phase === 'done' ? null : progress});
			},
			onPartial: partial => {
				if (first) this.publish({...partial, containers: [...partial.containers]}, false);
			},
		});
		this.publish(engine, true, sizedAt || Date.now());
	}

	/** One incremental pass. */
	async sample(): Promise<void> {
		const engine = this.engine!;
		const {reader} = this;
		const list = await reader.client.call<any[]>('list containers', (d: any, abortSignal) => d.listContainers({all: true, abortSignal}));
		const known = new Map(engine.containers.map(c => [c.id, c]));
		let containers: ContainerRecord[];
		if (list.some(summary => !known.has(summary.Id))) {
			// New containers: inspect them (rare), keeping what is known about the others.
			containers = (await reader.containers(engine.runtime.rootDir, engine.runtime.storageDriver)).map(fresh => {
				const old = known.get(fresh.id);
				return old ? {...fresh, ...sizesOf(old)} : fresh;
			});
		} else {
			const listed = new Map(list.map(summary => [summary.Id as string, summary]));
			containers = engine.containers
				.filter(c => listed.has(c.id))
				.map(c => {
					const status = listed.get(c.id).State as ContainerState;
					return {...c, state: states.has(status) ? status : 'unknown'};
				});
		}
		const local = reader.client.endpoint.local;
		let measuredAt = Date.now();
		if (local) {
			// Only live containers can change their writable layer: stopped ones keep the last
			// full scan's figures (and `r` re-sizes them), so they cost nothing here.
			// Every file of every live layer re-checked within about 50 s, every directory within about
			// 100 s (domain/sample-budget.ts), planned on the time between passes as it is (the interval
			// plus the passes' own time, longer on a busy machine; at most twice the interval).
			const policy = sweepPolicy(this.passPeriod(), undefined, this.options.sweepMs);
			const result = await this.worker.sample(
				containers.map(c => ({id: c.id, root: isLive(c) ? c.upperDir : null, logPath: c.logPath})),
				{policy},
			);
			measuredAt = Date.now();
			this.options.onSample?.(result);
			containers = containers.map(c => {
				const size = result.sizes[c.id];
				if (!size) return c;
				const next = {...c, logBytes: size.logBytes};
				// 'engine' on a local engine: the walk cannot read all of it (rootless Podman); re-sized below.
				if (size.indexed && c.sizeSource !== 'cri-stats' && c.sizeSource !== 'engine') {
					Object.assign(next, {
						writableBytes: size.apparentBytes,
						writableAllocatedBytes: size.allocatedBytes,
						writableInodes: size.inodes,
						sizeSource: 'walk',
					});
				}
				return next;
			});
			containers = await this.sizeByEngine(containers, c => c.sizeSource === 'engine' && isLive(c));
		} else {
			containers = await this.sizeRemote(containers);
		}
		const next: EngineSnapshot = {...engine, containers, filesystem: local ? tryFilesystemStats(engine.runtime.rootDir) : null};
		if (++this.ticks % (this.options.imageEvery ?? 12) === 0) next.images = await reader.images(engine.runtime);
		this.publish(next, true, measuredAt);
	}

	private lastPassAt = 0;

	/** Milliseconds since the last pass began (the interval at the first), between the interval and twice it. */
	private passPeriod(): number {
		const now = Date.now();
		const interval = this.state.intervalMs;
		const period = this.lastPassAt ? Math.min(2 * interval, Math.max(interval, now - this.lastPassAt)) : interval;
		this.lastPassAt = now;
		return period;
	}

	/** Layers the walk cannot fully read here (rootless Podman as its user): the engine sizes them each pass. */
	private async sizeByEngine(containers: ContainerRecord[], which: (c: ContainerRecord) => boolean): Promise<ContainerRecord[]> {
		return Promise.all(
			containers.map(async c => {
				if (!which(c)) return c;
				const size = await this.reader.engineSize(c.id).catch(() => null);
				return size ? {...c, writableBytes: size.sizeRw, sizeSource: 'engine' as const} : c;
			}),
		);
	}

	/** Without host access the engine sizes a few running containers per pass, round robin. */
	private remoteCursor = 0;
	private async sizeRemote(containers: ContainerRecord[]): Promise<ContainerRecord[]> {
		const running = containers.filter(c => c.state === 'running');
		const out = new Map(containers.map(c => [c.id, c]));
		for (let i = 0; i < Math.min(5, running.length); i++) {
			const c = running[this.remoteCursor++ % running.length]!;
			const size = await this.reader.engineSize(c.id).catch(() => null);
			if (size) out.set(c.id, {...c, writableBytes: size.sizeRw, sizeSource: 'engine'});
		}
		return containers.map(c => out.get(c.id)!);
	}

	private publish(engine: EngineSnapshot, measured: boolean, measuredAt = Date.now()): void {
		this.engine = engine;
		const takenAt = measured ? measuredAt : Date.now();
		if (measured) {
			this.tracker.record(measuredAt, engine.containers);
			this.logTracker.record(measuredAt, engine.containers);
		}
		const history = new Map(engine.containers.map(c => [GrowthTracker.key(c), this.tracker.samples(GrowthTracker.key(c))]));
		this.set({
			snapshot: {takenAt, engines: [engine]},
			refreshedAt: measured ? takenAt : this.state.refreshedAt,
			growth: this.tracker.rates(),
			logGrowth: this.logTracker.rates(),
			history,
		});
	}

	/** Growth per container id, bytes/s (containers with fewer than two samples are left out). */
	growthById(): Map<string, number> {
		const out = new Map<string, number>();
		for (const c of this.engine?.containers ?? []) {
			const rate = this.tracker.rate(GrowthTracker.key(c));
			if (rate !== null) out.set(c.id, rate);
		}
		return out;
	}

	get current(): EngineSnapshot | null {
		return this.engine;
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearTimeout(this.timer);
		await Promise.all([this.worker.close(), this.options.pool ? undefined : this.pool.close()]);
	}
}

function sizesOf(c: ContainerRecord): Partial<ContainerRecord> {
	return {
		writableBytes: c.writableBytes,
		writableAllocatedBytes: c.writableAllocatedBytes,
		writableInodes: c.writableInodes,
		sizeSource: c.sizeSource,
		logBytes: c.logBytes,
	};
}

export interface GrowthSampling {
	/** The last sample, with sizes as of then. */
	engine: EngineSnapshot;
	/** Smoothed bytes/s per container id; containers seen in fewer than two samples are absent. */
	growthBytesPerSec: Map<string, number>;
}

/**
 * For `report --samples N --interval S`: a full scan, then N-1 incremental samples
 * S seconds apart. With N = 1 no growth is known and the map is empty.
 */
export async function sampleGrowth(reader: DockerReader, options: {samples: number; intervalSeconds: number; pool?: WalkPool; dfTimeoutMs?: number}): Promise<GrowthSampling> {
	const worker = new SampleWorker(Infinity, Infinity);
	const sampler = new DockerSampler(reader, {pool: options.pool, dfTimeoutMs: options.dfTimeoutMs, worker, imageEvery: Infinity});
	try {
		await sampler.fullScan();
		for (let i = 1; i < options.samples; i++) {
			await new Promise(resolve => setTimeout(resolve, options.intervalSeconds * 1000));
			await sampler.sample();
		}
		return {engine: sampler.current!, growthBytesPerSec: sampler.growthById()};
	} finally {
		await sampler.stop();
	}
}
