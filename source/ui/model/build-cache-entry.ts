/**
 * The build-cache row of the actions screen, recomputed for the operator's choice
 * (all unused, unused for longer than an age, or down to a keep-storage amount) by the
 * same domain code `layerscope plan` uses, from the snapshot the advice was made from.
 */
import {buildCachePlan, unsharedCacheBytes} from '../../domain/cleanup-candidates.js';
import {describeBuildCacheFilter, type BuildCacheFilter} from '../../domain/build-cache-filter.js';
import {bytes} from '../../domain/format.js';
import type {Suggestion} from '../../domain/advise.js';
import type {NodeSnapshot} from '../../domain/types.js';

export const isBuildCacheSuggestion = (s: Pick<Suggestion, 'kind' | 'plan'>) => s.kind === 'cleanup' && Boolean(s.plan && s.plan.items.length > 0 && s.plan.items.every(i => i.kind === 'build-cache'));

const hint = 'c: choose all, an age (24h, 7d) or keep 5GB';

/** The suggestion redone for `filter`; the suggestion itself when its engine is not in the snapshot. */
export function buildCacheSuggestion(s: Suggestion, snapshot: NodeSnapshot | null, filter: BuildCacheFilter): Suggestion {
	const engine = snapshot?.engines.find(e => e.runtime.id === s.engine);
	if (!engine || !snapshot) return s;
	const plan = buildCachePlan(engine, snapshot.takenAt, filter);
	const records = engine.usage.buildCache ?? [];
	const unused = records.filter(r => !r.inUse && !r.shared).length;
	const unshared = unsharedCacheBytes(records);
	const what = describeBuildCacheFilter(filter);
	const reason =
		plan.items.length === 0
			? `no unused record matches (${what}); the cache holds ${bytes(unshared)} unshared. ${hint}`
			: `${plan.items.length} of ${unused} unused record(s), ${bytes(plan.totalBytes)} (${what}); the cache holds ${bytes(unshared)} unshared. ${hint}`;
	return {...s, title: plan.title, bytes: plan.totalBytes, reason, plan, items: plan.items};
}
