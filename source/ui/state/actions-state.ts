/**
 * The actions flow (suggestions → plan → confirm → running → result) as a pure
 * reducer, tested without rendering. The view maps keys to these actions.
 */
import {describeBuildCacheFilter, type BuildCacheFilter} from '../../domain/build-cache-filter.js';
import {confirmationWord, needsTypedConfirmation} from '../../domain/prune-plan.js';
import type {ExecutionResult, ItemOutcome} from '../../services/mutations.js';
import type {ActionEntry} from '../model/action-entries.js';
import {chosenPlan, draftOf, selectedCount, toggleAll, toggleItem, type PlanDraft} from '../model/plan-selection.js';
import {cacheFilterKey, type CacheFilterPrompt} from './cache-filter-state.js';
import {confirmReducer, initialConfirm, type ConfirmKey, type ConfirmState} from './confirm-state.js';

/** filter: typing the build-cache choice (over the list). */
export type ActionsPhase = 'list' | 'plan' | 'confirm' | 'running' | 'result' | 'filter';

export interface ActionsState {
	phase: ActionsPhase;
	/** List cursor and first visible row. */
	cursor: number;
	top: number;
	draft: PlanDraft | null;
	planCursor: number;
	planTop: number;
	confirm: ConfirmState | null;
	outcomes: ItemOutcome[];
	result: ExecutionResult | null;
	/** One line: why the last key did nothing, or why execution stopped. */
	notice: string | null;
	leave: boolean;
	/** The build-cache prune choice (empty: all unused) and its prompt while typing. */
	buildCache: BuildCacheFilter;
	filter: CacheFilterPrompt | null;
}

export function initialActions(): ActionsState {
	return {phase: 'list', cursor: 0, top: 0, draft: null, planCursor: 0, planTop: 0, confirm: null, outcomes: [], result: null, notice: null, leave: false, buildCache: {}, filter: null};
}

/** Why removing is impossible in this session right now (read-only, or not connected yet); null when it is possible. */
export type Disabled = string | null;

export type ActionsAction =
	| {type: 'move'; delta: number; count: number; page: number}
	| {type: 'open'; entries: readonly ActionEntry[]; disabled: Disabled}
	| {type: 'back'}
	| {type: 'toggle'}
	| {type: 'toggle-all'}
	| {type: 'confirm'; disabled: Disabled}
	| {type: 'key'; input: string; key: ConfirmKey}
	| {type: 'outcome'; outcome: ItemOutcome}
	| {type: 'done'; result: ExecutionResult}
	| {type: 'failed'; message: string}
	/** c: open the build-cache prompt; index is the build-cache entry's row (-1: none). */
	| {type: 'filter-open'; index: number; count: number; page: number};

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

function scroll(cursor: number, top: number, count: number, page: number): {cursor: number; top: number} {
	const c = clamp(cursor, 0, Math.max(0, count - 1));
	const rows = Math.max(1, page);
	let t = clamp(top, 0, Math.max(0, count - rows));
	if (c < t) t = c;
	if (c >= t + rows) t = c - rows + 1;
	return {cursor: c, top: t};
}

export function actionsReducer(state: ActionsState, action: ActionsAction): ActionsState {
	const {phase} = state;
	if (phase === 'confirm' && action.type === 'key') {
		const confirm = confirmReducer(state.confirm!, action);
		if (confirm.status === 'cancelled') return {...state, phase: 'plan', confirm: null, notice: 'cancelled: nothing was removed'};
		if (confirm.status === 'confirmed') return {...state, phase: 'running', confirm, outcomes: [], result: null, notice: null};
		return {...state, confirm};
	}
	if (phase === 'filter' && action.type === 'key') {
		const next = cacheFilterKey(state.filter!, action.input, action.key);
		if ('prompt' in next) return {...state, filter: next.prompt};
		if ('cancelled' in next) return {...state, phase: 'list', filter: null, notice: null};
		return {...state, phase: 'list', filter: null, buildCache: next.applied, notice: `build cache: ${describeBuildCacheFilter(next.applied)}`};
	}
	switch (action.type) {
		case 'filter-open': {
			if (phase !== 'list' && !(phase === 'plan' && state.draft?.plan.items.some(i => i.kind === 'build-cache'))) return state;
			if (action.index < 0) return {...state, notice: 'no unused build cache here: nothing to choose'};
			return {...state, phase: 'filter', draft: null, ...scroll(action.index, state.top, action.count, action.page), filter: {input: '', error: null}, notice: null};
		}
		case 'move': {
			if (phase === 'list') return {...state, ...scroll(state.cursor + action.delta, state.top, action.count, action.page), notice: null};
			if (phase === 'plan' && state.draft) {
				const next = scroll(state.planCursor + action.delta, state.planTop, state.draft.plan.items.length, action.page);
				return {...state, planCursor: next.cursor, planTop: next.top, notice: null};
			}
			if (phase === 'result') return {...state, planTop: clamp(state.planTop + action.delta, 0, Math.max(0, state.outcomes.length - 1))};
			return state;
		}
		case 'open': {
			if (phase === 'list') {
				const entry = action.entries[state.cursor];
				if (!entry?.plan) return {...state, notice: entry ? 'a redesign is a change to make, not something to remove here' : null};
				if (entry.plan.items.length === 0) return {...state, notice: 'nothing matches this choice: c changes it'};
				return {...state, phase: 'plan', draft: draftOf(entry.plan, entry.kind === 'picker'), planCursor: 0, planTop: 0, notice: null};
			}
			if (phase === 'plan') return actionsReducer(state, {type: 'confirm', disabled: action.disabled});
			if (phase === 'result') return {...state, phase: 'list', draft: null, result: null, outcomes: []};
			return state;
		}
		case 'back': {
			if (phase === 'plan') return {...state, phase: 'list', draft: null, notice: null};
			if (phase === 'result') return {...state, phase: 'list', draft: null, result: null, outcomes: []};
			if (phase === 'list') return {...state, leave: true};
			return state; // running: the removal is under way and finishes by itself
		}
		case 'toggle':
			return phase === 'plan' && state.draft ? {...state, draft: toggleItem(state.draft, state.planCursor), notice: null} : state;
		case 'toggle-all':
			return phase === 'plan' && state.draft ? {...state, draft: toggleAll(state.draft), notice: null} : state;
		case 'confirm': {
			if (phase !== 'plan' || !state.draft) return state;
			if (selectedCount(state.draft) === 0) return {...state, notice: 'nothing selected: space picks an item'};
			const plan = chosenPlan(state.draft);
			if (plan.items.length === 0) return {...state, notice: 'nothing selected: space picks an item'};
			const mode = action.disabled ? 'disabled' : needsTypedConfirmation(plan) ? 'typed' : 'simple';
			return {...state, phase: 'confirm', confirm: initialConfirm(mode, confirmationWord(plan), action.disabled), notice: null};
		}
		case 'outcome':
			return phase === 'running' ? {...state, outcomes: [...state.outcomes, action.outcome]} : state;
		case 'done':
			return phase === 'running' ? {...state, phase: 'result', result: action.result, planTop: 0} : state;
		case 'failed':
			return phase === 'running' ? {...state, phase: 'plan', confirm: null, notice: action.message} : state;
		case 'key':
			return state;
	}
}

/** The plan being confirmed or executed: exactly the selected items. */
export const activePlan = (state: ActionsState) => (state.draft ? chosenPlan(state.draft) : null);
