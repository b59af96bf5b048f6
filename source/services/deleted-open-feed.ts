import type {RawDeletedOpen} from '../adapters/proc/deleted-open-scan.js';
import {scanDeletedOpenParallel} from '../adapters/proc/parallel-scan.js';
import {attachDeletedOpen, coveredDevices, heldByContainer} from '../domain/deleted-open.js';
import {GrowthTracker} from '../domain/growth.js';
import type {ContainerRecord, NodeSnapshot} from '../domain/types.js';
import type {ConsoleFeed, FeedState} from './console-feed.js';
import {canScanProc} from './deleted-open.js';

/**
 * Adds deleted-but-open files to another feed's snapshots: /proc is rescanned every
 * interval (one pass of readlink per fd, fstat only for deleted targets), attributed to
 * the snapshot's containers, and the bytes a container holds this way count in its growth
 * (they fill the disk as well as its writable layer does).
 */
export class DeletedOpenFeed implements ConsoleFeed {
	private cached: FeedState;
	private files: RawDeletedOpen[] | null = null;
	private held = new Map<string, number>();
	private readonly tracker = new GrowthTracker(undefined, undefined, c => this.held.get(GrowthTracker.key(c)) ?? 0);
	private readonly listeners = new Set<() => void>();
	private timer: NodeJS.Timeout | undefined;
	private off: (() => void) | undefined;
	private busy = false;
	private stopped = false;

	constructor(
		private readonly base: ConsoleFeed,
		private readonly options: {intervalMs: number; proc?: string} = {intervalMs: 5000},
	) {
		this.cached = this.combine();
	}

	start(): void {
		this.off = this.base.subscribe(() => {
			if (this.files === null) void this.scan();
			this.update();
		});
		this.timer = setInterval(() => void this.scan(), this.options.intervalMs);
		this.timer.unref?.();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearInterval(this.timer);
		this.off?.();
	}

	getState = (): FeedState => this.cached;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	refresh = (): void => {
		void this.scan();
		this.base.refresh();
	};

	/** One pass at a time; half of it on a worker thread on large nodes, so frames keep coming. */
	private async scan(): Promise<void> {
		const snapshot = this.base.getState().snapshot;
		if (this.busy || this.stopped || !snapshot || !canScanProc()) return;
		const devices = coveredDevices(snapshot.engines);
		if (devices.size === 0) return;
		this.busy = true;
		try {
			this.files = (await scanDeletedOpenParallel({devices, proc: this.options.proc})).files;
		} catch {
			return; // /proc unreadable this time: keep the last pass
		} finally {
			this.busy = false;
		}
		if (this.stopped) return;
		const engines = attachDeletedOpen(this.base.getState().snapshot?.engines ?? snapshot.engines, this.files);
		this.held = heldByContainer(engines);
		const containers: ContainerRecord[] = engines.flatMap(e => e.containers);
		this.tracker.record(Date.now(), containers);
		this.update();
	}

	private update(): void {
		this.cached = this.combine();
		for (const listener of this.listeners) listener();
	}

	/** Inputs of the last combination: screens memoise on identity, so unchanged inputs give the same objects. */
	private last: {snapshot: NodeSnapshot; growth: FeedState['growth']; files: RawDeletedOpen[]; out: Pick<FeedState, 'snapshot' | 'growth'>} | null = null;

	private combine(): FeedState {
		const state = this.base.getState();
		if (!state.snapshot || this.files === null) return state;
		const last = this.last;
		if (last && last.snapshot === state.snapshot && last.growth === state.growth && last.files === this.files) return {...state, ...last.out};
		const snapshot: NodeSnapshot = {...state.snapshot, engines: attachDeletedOpen(state.snapshot.engines, this.files)};
		// A container's growth = its writable layer's + what it holds in deleted files.
		const growth = new Map(state.growth);
		for (const [key, rate] of this.tracker.rates()) {
			if (rate === null || rate === 0) continue;
			const own = growth.get(key);
			growth.set(key, (own ?? 0) + rate);
		}
		this.last = {snapshot: state.snapshot, growth: state.growth, files: this.files, out: {snapshot, growth}};
		return {...state, snapshot, growth};
	}
}
