/** What the console reads from the sampler. Types only, so the UI never pulls in engine clients. */
import type {EvictionThresholds} from '../domain/eviction.js';
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
	thresholds: EvictionThresholds;
	notices: string[];
	/** Smoothed bytes/s per "engine/id"; null until two samples exist. */
	growth: ReadonlyMap<string, number | null>;
	/** Recent writable-size samples per "engine/id", oldest first. */
	history: ReadonlyMap<string, readonly Sample[]>;
}

export interface ConsoleFeed {
	getState(): FeedState;
	subscribe(listener: () => void): () => void;
	/** Full rescan now (the `r` key). */
	refresh(): void;
}
