/** Navigation state of the console, separate from the views so it is testable without rendering. */
import {nextSort, type SortKey} from '../../domain/growth.js';
import {Command} from '../keymap.js';
import {isPodRow} from '../model/pod-rows.js';

export type Screen = 'overview' | 'detail' | 'help' | 'actions' | 'drill' | 'guide' | 'deleted' | 'other' | 'image';

export interface UiState {
	screen: Screen;
	/** Where `back` returns to from the help overlay. */
	under: Exclude<Screen, 'help'>;
	/** The selected container ("engine/id"); once chosen, the cursor follows it when the list re-sorts. */
	selected: string | null;
	/**
	 * The operator moved the cursor or opened a row (or the guide handed over a row). Until then
	 * the cursor stays on the first row, so the top of the ranking is what the first frames show,
	 * not whichever container happened to be first before growth was measured.
	 */
	chosen?: boolean;
	cursor: number;
	/** First visible row of the table. */
	top: number;
	sort: SortKey;
	quit: boolean;
	/** `--container NAME|ID`: opened in the drill-down once a snapshot lists it. */
	wanted?: string | null;
	/** Guide step (1-based) to reopen the guide on. */
	guideStep?: number;
	/** First visible row of the deleted-but-open screen. */
	deletedTop?: number;
	/** Image explorer: the image opened (null: the selected container's) and the screen Back returns to. */
	image?: string | null;
	imageFrom?: 'detail' | 'actions';
	/** Overview: a Kubernetes pod's containers grouped under their pod (CRI), toggled by P. */
	podGroups?: boolean;
}

export const initialUiState: UiState = {screen: 'overview', under: 'overview', selected: null, cursor: 0, top: 0, sort: 'growth', quit: false};

export interface CommandAction {
	type: 'command';
	command: Command;
	/** Row keys in display order. */
	keys: readonly string[];
	/** Rows visible in the table. */
	page: number;
}

export interface SyncAction {
	type: 'sync';
	keys: readonly string[];
	page: number;
}

/** Screens that read their own keys (the drill-down, the actions) report where to go. */
export interface ScreenAction {
	type: 'screen';
	screen: 'overview' | 'detail' | 'drill' | 'image';
	selected?: string;
	/** For 'image': the image to open, and where Back returns. */
	image?: string;
	from?: 'detail' | 'actions';
}

/** The guide hands over to the console view it teaches, or is left. */
export interface ShowAction {
	type: 'show';
	screen: 'overview' | 'detail';
	sort?: SortKey;
	/** Row to select; null puts the cursor at the top. */
	select?: string | null;
	guideStep: number;
}

export type UiAction = CommandAction | SyncAction | ScreenAction | ShowAction;

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** Cursor on the selected key when it is still listed, else the old position clamped. */
export function cursorOf(state: UiState, keys: readonly string[]): number {
	if (!state.chosen) return 0;
	const at = state.selected === null ? -1 : keys.indexOf(state.selected);
	return at >= 0 ? at : clamp(state.cursor, 0, Math.max(0, keys.length - 1));
}

/**
 * Cursor and first visible row as the next sync will store them: the frame right after a
 * re-sort or a new sample already shows the selected row, with no second frame to fix it.
 */
export function windowOf(state: UiState, keys: readonly string[], page: number): {cursor: number; top: number} {
	const {cursor, top} = moveTo(state, cursorOf(state, keys), keys, page);
	return {cursor, top};
}

function moveTo(state: UiState, index: number, keys: readonly string[], page: number): UiState {
	const cursor = clamp(index, 0, Math.max(0, keys.length - 1));
	const rows = Math.max(1, page);
	let top = clamp(state.top, 0, Math.max(0, keys.length - rows));
	if (cursor < top) top = cursor;
	if (cursor >= top + rows) top = cursor - rows + 1;
	const selected = keys[cursor] ?? null;
	// Unchanged: the same object, so React skips the render (the sync after each sample mostly changes nothing).
	if (state.cursor === cursor && state.top === top && state.selected === selected) return state;
	return {...state, cursor, top, selected};
}

export function uiReducer(state: UiState, action: UiAction): UiState {
	// drill-down: the drilled container stays selected even when it vanishes (the screen says so)
	if (action.type === 'sync' && (state.screen === 'drill' || state.under === 'drill' || state.screen === 'image' || state.under === 'image')) return state;
	if (action.type === 'screen' && action.screen === 'image') return {...state, screen: 'image', under: 'image', image: action.image ?? null, imageFrom: action.from ?? 'actions'};
	if (action.type === 'screen') return {...state, screen: action.screen, under: action.screen, wanted: null, ...(action.selected ? {selected: action.selected, chosen: true} : {})};
	if (action.type === 'show') {
		const moved = typeof action.select === 'string' ? {selected: action.select, chosen: true} : {cursor: 0, top: 0, selected: null, chosen: false};
		return {...state, ...moved, screen: action.screen, under: action.screen, sort: action.sort ?? state.sort, guideStep: action.guideStep};
	}
	if (action.type === 'sync') return moveTo(state, cursorOf(state, action.keys), action.keys, action.page);
	const {keys, page} = action;
	const at = cursorOf(state, keys);
	if (state.screen === 'help') {
		if (action.command === Command.Quit) return {...state, quit: true};
		if (action.command === Command.Help || action.command === Command.Back) return {...state, screen: state.under};
		return state;
	}
	// guide: it reads its own keys; only Quit reaches the console from there
	if (state.screen === 'guide') return action.command === Command.Quit ? {...state, quit: true} : state;
	if (action.command === Command.Guide && (state.screen === 'overview' || state.screen === 'detail')) return {...state, screen: 'guide', under: 'guide'};
	// actions screens: the screen reads its own keys and reports these three
	if (state.screen === 'actions') {
		if (action.command === Command.Back) return {...state, screen: 'overview', under: 'overview'};
		if (action.command === Command.Help) return {...state, screen: 'help', under: 'actions'};
		return action.command === Command.Quit ? {...state, quit: true} : state;
	}
	// drill-down: the screen reads its own keys and reports Back (at the layer root), Help and Quit
	if (state.screen === 'drill') {
		if (action.command === Command.Back) return {...state, screen: 'detail', under: 'detail'};
		if (action.command === Command.Help) return {...state, screen: 'help', under: 'drill'};
		return action.command === Command.Quit ? {...state, quit: true} : state;
	}
	// deleted-but-open files: d from the overview or a detail; a opens the truncation plans
	if (action.command === Command.DeletedOpen && (state.screen === 'overview' || state.screen === 'detail')) return {...state, screen: 'deleted', under: 'deleted', deletedTop: 0};
	if (state.screen === 'deleted') {
		const scroll: Partial<Record<Command, number>> = {[Command.Up]: -1, [Command.Down]: 1, [Command.PageUp]: -Math.max(1, page), [Command.PageDown]: Math.max(1, page), [Command.Top]: -1e9};
		if (scroll[action.command] !== undefined) return {...state, deletedTop: Math.max(0, (state.deletedTop ?? 0) + scroll[action.command]!)};
		if (action.command === Command.Back) return {...state, screen: 'overview', under: 'overview'};
		if (action.command === Command.Help) return {...state, screen: 'help', under: 'deleted'};
		if (action.command === Command.Actions) return {...state, screen: 'actions', under: 'actions'};
		return action.command === Command.Quit ? {...state, quit: true} : state;
	}
	// other files: the screen reads its own keys and reports Back (at the top), Help and Quit
	if (state.screen === 'other') {
		if (action.command === Command.Back) return {...state, screen: 'overview', under: 'overview'};
		if (action.command === Command.Help) return {...state, screen: 'help', under: 'other'};
		return action.command === Command.Quit ? {...state, quit: true} : state;
	}
	if (action.command === Command.OtherFiles && (state.screen === 'overview' || state.screen === 'detail')) return {...state, screen: 'other', under: 'other'};
	// image explorer: the screen reads its own keys and reports Back (at the root), Help and Quit
	if (state.screen === 'image') {
		const from = state.imageFrom ?? 'detail';
		if (action.command === Command.Back) return {...state, screen: from, under: from};
		if (action.command === Command.Help) return {...state, screen: 'help', under: 'image'};
		return action.command === Command.Quit ? {...state, quit: true} : state;
	}
	if (state.screen === 'detail' && action.command === Command.Image) return {...state, screen: 'image', under: 'image', image: null, imageFrom: 'detail'};
	if (state.screen === 'detail' && action.command === Command.Open) return {...state, screen: 'drill', under: 'drill'};
	if (action.command === Command.Actions) return {...state, screen: 'actions', under: 'actions'};
	switch (action.command) {
		case Command.Quit:
			return {...state, quit: true};
		case Command.Help:
			return {...state, screen: 'help', under: state.screen};
		case Command.Back:
			return state.screen === 'detail' ? {...state, screen: 'overview', under: 'overview'} : state;
		case Command.Open:
			// A pod's own rows have no detail screen: its containers, right below, do.
			if (isPodRow(keys[at])) return state;
			return keys.length > 0 ? {...moveTo(state, at, keys, page), chosen: true, screen: 'detail', under: 'detail'} : state;
		case Command.PodGroups:
			return state.screen === 'overview' ? {...state, podGroups: !state.podGroups} : state;
		case Command.Sort:
			return {...state, sort: nextSort(state.sort)};
		case Command.Refresh:
			return state; // handled by the app: it asks the feed
		default:
	}
	if (state.screen !== 'overview') return state;
	const step: Partial<Record<Command, number>> = {
		[Command.Up]: -1,
		[Command.Down]: 1,
		[Command.PageUp]: -Math.max(1, page),
		[Command.PageDown]: Math.max(1, page),
		[Command.Top]: -Infinity,
		[Command.Bottom]: Infinity,
	};
	const delta = step[action.command];
	if (delta === undefined) return state;
	const target = delta === -Infinity ? 0 : delta === Infinity ? keys.length - 1 : at + delta;
	const moved = moveTo(state, target, keys, page);
	return moved.chosen ? moved : {...moved, chosen: true};
}
