import type {ConsoleFeed, FeedState} from './console-feed.js';

/**
 * Several engines' feeds as one: their engines side by side in one NodeSnapshot, growth
 * and history maps merged (keys are "engine/id", so they never collide). The oldest
 * refresh time and the first error are shown, so staleness of any engine is visible.
 */
export class CombinedFeed implements ConsoleFeed {
	private cached: FeedState;
	private readonly feeds: ConsoleFeed[];
	private readonly listeners = new Set<() => void>();
	private readonly offs = new Map<() => void, Array<() => void>>();
	private readonly notes: string[] = [];

	constructor(feeds: ConsoleFeed[]) {
		this.feeds = [...feeds];
		this.cached = this.combine();
	}

	/** An engine that answered after the others (services/engines.ts connectEnginesProgressively), with notes on what did not answer. */
	add(feed: ConsoleFeed | null, notes: readonly string[] = []): void {
		this.notes.push(...notes);
		if (feed) {
			this.feeds.push(feed);
			for (const listener of this.listeners) this.offs.get(listener)!.push(this.follow(feed, listener));
		}
		this.changed();
	}

	private changed(): void {
		this.cached = this.combine();
		for (const listener of this.listeners) listener();
	}

	private follow(feed: ConsoleFeed, listener: () => void): () => void {
		return feed.subscribe(() => {
			this.cached = this.combine();
			listener();
		});
	}

	private combine(): FeedState {
		const states = this.feeds.map(feed => feed.getState());
		const first = states[0]!;
		// One engine (so far): its own state, as if it were not combined.
		if (states.length === 1) return this.notes.length === 0 ? first : {...first, notices: [...first.notices, ...this.notes]};
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
			notices: [...states.flatMap(s => s.notices), ...this.notes],
			growth: new Map(states.flatMap(s => [...s.growth])),
			logGrowth: new Map(states.flatMap(s => [...s.logGrowth])),
			history: new Map(states.flatMap(s => [...s.history])),
		};
	}

	getState = (): FeedState => this.cached;

	subscribe = (listener: () => void): (() => void) => {
		const wrapped = () => listener();
		this.listeners.add(wrapped);
		this.offs.set(
			wrapped,
			this.feeds.map(feed => this.follow(feed, wrapped)),
		);
		return () => {
			for (const off of this.offs.get(wrapped) ?? []) off();
			this.offs.delete(wrapped);
			this.listeners.delete(wrapped);
		};
	};

	refresh = (): void => {
		for (const feed of this.feeds) feed.refresh();
	};
}
