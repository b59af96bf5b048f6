/** Navigation state of the console, separate from the views so it is testable without rendering. */
import {nextSort, type SortKey} from '../../domain/growth.js';
import {Command} from '../keymap.js';

export type Screen = 'overview' | 'detail' | 'help';

export interface UiState {
	screen: Screen;
	/** Where `back` returns to from the help overlay. */
	under: Exclude<Screen, 'help'>;
	/** The selected container ("engine/id"); the cursor follows it when the list re-sorts. */
	selected: string | null;
	cursor: number;
	/** First visible row of the table. */
	top: number;
	sort: SortKey;
	quit: boolean;
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

export type UiAction = CommandAction | SyncAction;

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** Cursor on the selected key when it is still listed, else the old position clamped. */
export function cursorOf(state: UiState, keys: readonly string[]): number {
	const at = state.selected === null ? -1 : keys.indexOf(state.selected);
	return at >= 0 ? at : clamp(state.cursor, 0, Math.max(0, keys.length - 1));
}

function moveTo(state: UiState, index: number, keys: readonly string[], page: number): UiState {
	const cursor = clamp(index, 0, Math.max(0, keys.length - 1));
	const rows = Math.max(1, page);
	let top = clamp(state.top, 0, Math.max(0, keys.length - rows));
	if (cursor < top) top = cursor;
	if (cursor >= top + rows) top = cursor - rows + 1;
	return {...state, cursor, top, selected: keys[cursor] ?? null};
}

export function uiReducer(state: UiState, action: UiAction): UiState {
	if (action.type === 'sync') return moveTo(state, cursorOf(state, action.keys), action.keys, action.page);
	const {keys, page} = action;
	const at = cursorOf(state, keys);
	if (state.screen === 'help') {
		if (action.command === Command.Quit) return {...state, quit: true};
		if (action.command === Command.Help || action.command === Command.Back) return {...state, screen: state.under};
		return state;
	}
	switch (action.command) {
		case Command.Quit:
			return {...state, quit: true};
		case Command.Help:
			return {...state, screen: 'help', under: state.screen};
		case Command.Back:
			return state.screen === 'detail' ? {...state, screen: 'overview', under: 'overview'} : state;
		case Command.Open:
			return keys.length > 0 ? {...moveTo(state, at, keys, page), screen: 'detail', under: 'detail'} : state;
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
	return moveTo(state, target, keys, page);
}
