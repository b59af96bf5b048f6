// One recorded feed state as the UI tests read it (test/ui/fixture-feed.ts): the snapshot, and the
// growth, log growth and history of the containers kept, written to test/fixtures/NAME.
import {writeFileSync} from 'node:fs';

/** Writes the fixture; `keep` is the set of container ids recorded, `extra` more top-level fields. */
export function writeFeedFixture(name, note, state, keep, extra = {}) {
	const keyed = entries => [...entries].filter(([key]) => keep.has(key.slice(key.indexOf('/') + 1)));
	const fixture = {
		recordedAt: new Date().toISOString(),
		note,
		snapshot: state.snapshot,
		intervalMs: state.intervalMs,
		refreshedAt: state.refreshedAt,
		growth: keyed(state.growth),
		logGrowth: keyed(state.logGrowth),
		history: keyed(state.history),
		...extra,
	};
	writeFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), JSON.stringify(fixture, null, '\t') + '\n');
}
