/** What the console reads from the sampler. Types only, so the UI never pulls in engine clients. */
import {defaultThresholds, type EvictionThresholds} from '../domain/eviction.js';
import type {Sample} from '../domain/growth.js';
import type {NodeSnapshot} from '../domain/types.js';
import type {ScanProgress} from './docker-scan.js';

export interface FeedState {
	snapshot: NodeSnapshot | null;
	/** Set while a full scan runs (the first one, and `r`). */
	progress: ScanProgress | null;
	/** When the last successful sample was taken (ms since the epoch). */
	refreshedAt: number | null;
	intervalMs: number;
	/** Last sampling error, one line; cleared by the next success. */
	error: string | null;
	/**
	 * Set the moment the engine is known gone (its event stream broke, or a CRI sample got
	 * no answer within one interval): the header marks the data STALE at once, whatever
	 * its age. Cleared when the engine answers again. Absent for feeds that cannot tell.
	 */
	lost?: {at: number; reason: string} | null;
	/** How changes reach the list between samples: the engine's event stream, or polling only. */
	live?: 'events' | 'polling';
	thresholds: EvictionThresholds;
	notices: string[];
	/** Smoothed bytes/s per "engine/id"; null until two samples exist. */
	growth: ReadonlyMap<string, number | null>;
	/** Smoothed growth of each container's log files, bytes/s per "engine/id"; null until two samples exist. */
	logGrowth: ReadonlyMap<string, number | null>;
	/** Recent writable-size samples per "engine/id", oldest first. */
	history: ReadonlyMap<string, readonly Sample[]>;
}

export interface ConsoleFeed {
	getState(): FeedState;
	subscribe(listener: () => void): () => void;
	/** Full rescan now (the `r` key). */
	refresh(): void;
}

/** A feed's state before its first sample. */
export function emptyFeedState(options: {intervalMs: number; thresholds?: EvictionThresholds; notices?: string[]; progress?: ScanProgress | null}): FeedState {
	return {
		snapshot: null,
		progress: options.progress ?? null,
		refreshedAt: null,
		intervalMs: options.intervalMs,
		error: null,
		thresholds: options.thresholds ?? defaultThresholds,
		notices: options.notices ?? [],
		growth: new Map(),
		logGrowth: new Map(),
		history: new Map(),
	};
}
