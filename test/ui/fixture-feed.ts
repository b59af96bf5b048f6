import {readFileSync} from 'node:fs';
import {defaultThresholds, type EvictionThresholds} from '../../source/domain/eviction.js';
import type {Sample} from '../../source/domain/growth.js';
import type {NodeSnapshot} from '../../source/domain/types.js';
import type {ConsoleFeed, FeedState} from '../../source/services/console-feed.js';

/** Data recorded from the private dockerd by scripts/record-fixture.mjs. */
export interface Fixture {
	snapshot: NodeSnapshot;
	intervalMs: number;
	refreshedAt: number;
	growth: Array<[string, number | null]>;
	/** Absent from recordings made before log growth was tracked. */
	logGrowth?: Array<[string, number | null]>;
	history: Array<[string, Sample[]]>;
}

export const fixture: Fixture = JSON.parse(readFileSync(new URL('../fixtures/console-docker.json', import.meta.url), 'utf8'));

/** A feed that replays the recording (UI tests only). */
export function fixtureFeed(patch: Partial<FeedState> = {}, thresholds: EvictionThresholds = defaultThresholds) {
	let state: FeedState = {
		snapshot: fixture.snapshot,
		progress: null,
		refreshedAt: fixture.refreshedAt,
		intervalMs: fixture.intervalMs,
		error: null,
		thresholds,
		notices: [],
		growth: new Map(fixture.growth),
		logGrowth: new Map(fixture.logGrowth ?? []),
		history: new Map(fixture.history),
		...patch,
	};
	const listeners = new Set<() => void>();
	const feed: ConsoleFeed & {refreshes: number; set: (p: Partial<FeedState>) => void} = {
		refreshes: 0,
		getState: () => state,
		subscribe: listener => {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		refresh: () => {
			feed.refreshes++;
		},
		set: p => {
			state = {...state, ...p};
			for (const l of listeners) l();
		},
	};
	return feed;
}

export const containers = () => fixture.snapshot.engines[0]!.containers;
export const growthOf = (id: string) => new Map(fixture.growth).get(`docker/${id}`) ?? null;
