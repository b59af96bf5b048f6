import type {ConsoleFeed, FeedState} from './console-feed.js';

/**
 * Several engines' feeds as one: their engines side by side in one NodeSnapshot, growth
 * and history maps merged (keys are "engine/id", so they never collide). The oldest
 * refresh time and the first error are shown, so staleness of any engine is visible.
 */
export class CombinedFeed implements ConsoleFeed {
	private cached: FeedState;

	constructor(private readonly feeds: ConsoleFeed[]) {
		this.cached = this.combine();
	}

	private combine(): FeedState {
		const states = this.feeds.map(feed => feed.getState());
		const first = states[0]!;
		const engines = states.flatMap(s => s.snapshot?.engines ?? []);
		const refreshed = states.map(s => s.refreshedAt);
		return {
			...first,
			snapshot: engines.length > 0 ? {takenAt: Math.max(...states.map(s => s.snapshot?.takenAt ?? 0)), engines} : null,
			progress: states.find(s => s.progress)?.progress ?? null,
			refreshedAt: refreshed.some(r => r === null) && engines.length === 0 ? null : Math.min(...refreshed.map(r => r ?? Date.now())),
			error: states.map(s => s.error).find(Boolean) ?? null,
			// One engine gone is enough to mark the header: its part of the figures is old.
			lost: states.map(s => s.lost).find(Boolean) ?? null,
			notices: states.flatMap(s => s.notices),
			growth: new Map(states.flatMap(s => [...s.growth])),
			logGrowth: new Map(states.flatMap(s => [...s.logGrowth])),
			history: new Map(states.flatMap(s => [...s.history])),
		};
	}

	getState = (): FeedState => this.cached;

	subscribe = (listener: () => void): (() => void) => {
		const offs = this.feeds.map(feed =>
			feed.subscribe(() => {
				this.cached = this.combine();
				listener();
			}),
		);
		return () => {
			for (const off of offs) off();
		};
	};

	refresh = (): void => {
		for (const feed of this.feeds) feed.refresh();
	};
}
