import type {Suggestion} from '../../domain/advise.js';
import type {PrunePlan} from '../../domain/prune-plan.js';
import type {NodeSnapshot} from '../../domain/types.js';
import type {BuildCacheFilter} from '../../domain/build-cache-filter.js';
import {buildCacheSuggestion, isBuildCacheSuggestion} from './build-cache-entry.js';
import {volumePicker} from './plan-selection.js';

/** One row of the actions screen: a ranked suggestion, or a picker of items to choose one by one. */
export interface ActionEntry {
	kind: 'cleanup' | 'redesign' | 'picker';
	/** The engine it is about (runtime id), shown when several engines are connected. */
	engine?: string;
	/** Raw text (sanitise before showing). */
	title: string;
	subject?: string;
	bytes: number;
	reason: string;
	change?: string;
	security?: boolean;
	plan?: PrunePlan;
	/** The build-cache row: c changes which records it holds. */
	buildCache?: boolean;
}

/** `buildCache`: the operator's build-cache choice; its row stays in place when the choice changes. */
export function actionEntries(suggestions: readonly Suggestion[], snapshot: NodeSnapshot | null, buildCache: BuildCacheFilter = {}): ActionEntry[] {
	const entries: ActionEntry[] = suggestions.map(original => {
		const cache = isBuildCacheSuggestion(original);
		const s = cache ? buildCacheSuggestion(original, snapshot, buildCache) : original;
		return {
			kind: s.kind,
			engine: s.engine,
			title: s.title,
			subject: s.subject,
			bytes: s.bytes,
			reason: s.reason,
			change: s.change,
			security: s.security,
			plan: s.kind === 'cleanup' ? s.plan : undefined,
			buildCache: cache || undefined,
		};
	});
	const volumes = volumePicker(snapshot);
	if (volumes) {
		const named = volumes.items.filter(i => i.named).length;
		entries.push({
			kind: 'picker',
			title: 'Choose volumes one by one',
			bytes: volumes.totalBytes,
			reason: `${volumes.items.length} unreferenced volume(s), ${named} of them named; a named volume is removed only when you pick it here`,
			plan: volumes,
		});
	}
	return entries;
}
