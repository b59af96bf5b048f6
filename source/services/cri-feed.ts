import {tryFilesystemStats} from '../adapters/fs/statfs.js';
import type {EvictionThresholds} from '../domain/eviction.js';
import {GrowthTracker} from '../domain/growth.js';
import type {EngineSnapshot} from '../domain/types.js';
import {emptyFeedState, type ConsoleFeed, type FeedState} from './console-feed.js';
import type {EngineSource} from './engines.js';
import {formatError} from '../domain/operator-error.js';

/**
 * Samples a CRI engine for the console. The runtime already measures writable layers
 * (ListContainerStats), so each sample is a handful of cheap RPCs: no walk at all.
 */
export class CriFeed implements ConsoleFeed {
	private state: FeedState;
	private readonly listeners = new Set<() => void>();
	private readonly tracker = new GrowthTracker();
	private readonly logTracker = GrowthTracker.forLogs();
	private timer: NodeJS.Timeout | undefined;
	private busy = false;
	private startedAt = 0;
	private stopped = false;

	constructor(
		private readonly source: EngineSource,
		options: {intervalMs?: number; thresholds?: EvictionThresholds} = {},
	) {
		this.state = {...emptyFeedState({intervalMs: options.intervalMs ?? 5000, thresholds: options.thresholds, progress: {phase: 'containers', done: 0, total: 0}}), live: 'polling'};
	}

	getState = (): FeedState => this.state;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	refresh = (): void => void this.sample();

	start(): void {
		void this.sample();
		this.timer = setInterval(() => this.tick(), this.state.intervalMs);
		this.timer.unref?.();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearInterval(this.timer);
	}

	/**
	 * runtime.v1 has no event stream: loss is seen by sampling. A sample that fails, or is
	 * still unanswered when the next one is due, marks the engine lost (STALE at once).
	 */
	private tick(): void {
		const waited = Date.now() - this.startedAt;
		if (this.busy && waited >= this.state.intervalMs && !this.state.lost) {
			this.publish({lost: {at: Date.now(), reason: `${this.source.endpoint}: no answer within ${(waited / 1000).toFixed(0)} s`}});
		}
		void this.sample();
	}

	private async sample(): Promise<void> {
		if (this.busy || this.stopped) return;
		this.busy = true;
		this.startedAt = Date.now();
		try {
			const engine: EngineSnapshot = await this.source.scan({pool: undefined as never});
			if (engine.filesystem) engine.filesystem = tryFilesystemStats(engine.filesystem.path) ?? engine.filesystem;
			const at = Date.now();
			this.tracker.record(at, engine.containers);
			this.logTracker.record(at, engine.containers);
			const keys = engine.containers.map(c => GrowthTracker.key(c));
			this.publish({
				snapshot: {takenAt: at, engines: [engine]},
				progress: null,
				refreshedAt: at,
				error: null,
				lost: null,
				growth: new Map(keys.map(k => [k, this.tracker.rate(k)])),
				logGrowth: this.logTracker.rates(),
				history: new Map(keys.map(k => [k, this.tracker.samples(k)])),
			});
		} catch (error) {
			const reason = `${this.source.endpoint}: ${formatError(error)}`;
			this.publish({error: reason, lost: {at: this.state.lost?.at ?? Date.now(), reason}});
		} finally {
			this.busy = false;
		}
	}

	private publish(patch: Partial<FeedState>): void {
		this.state = {...this.state, ...patch};
		for (const listener of this.listeners) listener();
	}
}
