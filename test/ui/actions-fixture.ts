import {readFileSync} from 'node:fs';
import type {Suggestion} from '../../source/domain/advise.js';
import type {PrunePlan} from '../../source/domain/prune-plan.js';
import type {NodeSnapshot} from '../../source/domain/types.js';
import type {ConsoleServices} from '../../source/services/console-services.js';
import type {ExecutionResult, ItemOutcome, MutationService} from '../../source/services/mutations.js';

/** Recorded by scripts/record-actions-fixture.mjs from the private lab dockerd. */
export interface ActionsFixture {
	snapshot: NodeSnapshot;
	suggestions: Suggestion[];
	execution: {planTitle: string; result: ExecutionResult};
}

export const actionsFixture: ActionsFixture = JSON.parse(readFileSync(new URL('../fixtures/actions-docker.json', import.meta.url), 'utf8'));

/**
 * A stand-in for the mutation service, for UI tests only: it replays the outcomes
 * the real service recorded, and records every plan it was asked to execute.
 */
export function replayMutations() {
	const recorded = new Map(actionsFixture.execution.result.outcomes.map(o => [o.item.id, o]));
	const calls: PrunePlan[] = [];
	const fake = {
		calls,
		async execute(plan: PrunePlan, onItem?: (o: ItemOutcome) => void): Promise<ExecutionResult> {
			calls.push(plan);
			const outcomes: ItemOutcome[] = [];
			for (const item of plan.items) {
				const seen = recorded.get(item.id);
				const outcome: ItemOutcome = seen ? {...seen, item} : {item, outcome: 'skipped', reason: 'not in the recording', measuredBytes: null};
				outcomes.push(outcome);
				onItem?.(outcome);
				await new Promise(resolve => setTimeout(resolve, 1));
			}
			const all = outcomes.every(o => recorded.has(o.item.id)) && outcomes.length === recorded.size;
			return {outcomes, estimatedBytes: plan.totalBytes, removedEstimatedBytes: plan.totalBytes, measuredBytes: all ? actionsFixture.execution.result.measuredBytes : null, warnings: actionsFixture.execution.result.warnings};
		},
	};
	return fake;
}

/** Console services around the recording; `mutations: null` is what read-only mode builds. */
export function fixtureServices(options: {readOnly?: string; mutations?: ReturnType<typeof replayMutations> | null} = {}): ConsoleServices {
	const mutations = options.readOnly ? null : (options.mutations ?? replayMutations());
	return {
		readOnly: Object.freeze({on: Boolean(options.readOnly), source: options.readOnly ?? null}),
		mutations: mutations as unknown as MutationService | null,
		drill: () => Promise.reject(new Error('not used by the actions screens')),
		advice: async () => ({suggestions: actionsFixture.suggestions, classes: []}),
	};
}
