import {useEffect, useState, useSyncExternalStore} from 'react';
import type {ConsoleFeed, FeedState} from '../../services/console-feed.js';

export function useFeed(feed: ConsoleFeed): FeedState {
	return useSyncExternalStore(feed.subscribe, feed.getState, feed.getState);
}

/** The current time, ticking every `ms` (for "refreshed 3s ago"); fixed in tests. */
export function useNow(ms = 1000, fixed?: number): number {
	const [now, setNow] = useState(() => fixed ?? Date.now());
	useEffect(() => {
		if (fixed !== undefined) return;
		const timer = setInterval(() => setNow(Date.now()), ms);
		return () => clearInterval(timer);
	}, [ms, fixed]);
	return fixed ?? now;
}
