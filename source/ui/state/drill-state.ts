/** Navigation state of the drill-down screen, separate from the view so it is testable without rendering. */
import {Command} from '../keymap.js';
import type {SizeMode} from '../model/drill-rows.js';

export interface DrillUiState {
	/** Directory keys from the layer root to the current directory; empty until the tree is known. */
	path: string[];
	/** Cursor per directory key, so going out returns to the entry you came from. */
	cursors: Record<string, number>;
	/** First visible row in the current directory. */
	top: number;
	mode: SizeMode;
	/** Set when Back is pressed at the layer root: the screen hands control back. */
	left: boolean;
	/** Bumped by Refresh: walk again. */
	generation: number;
}

export const initialDrillState: DrillUiState = {path: [], cursors: {}, top: 0, mode: 'allocated', left: false, generation: 0};

/** Rows listed in a directory (undefined: the root while the walk runs); only the count and dirKey are read. */
export type Listing = (dirKey: string | undefined) => ReadonlyArray<{dirKey?: string}>;

export interface DrillAction {
	type: 'command';
	command: Command;
	/** Visible table rows. */
	page: number;
	listing: Listing;
	/** The tree's root key once the walk is done. */
	root?: string;
}

/** The state seen from a finished tree: the path starts at its root. */
export const withRoot = (state: DrillUiState, root: string | undefined): DrillUiState => (state.path.length === 0 && root !== undefined ? {...state, path: [root]} : state);

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

export const currentKey = (state: DrillUiState): string | undefined => state.path.at(-1);
export const cursorIn = (state: DrillUiState, rows: number): number => clamp(state.cursors[currentKey(state) ?? ''] ?? 0, 0, Math.max(0, rows - 1));

/** The window's first row, keeping the cursor visible. */
export function topFor(state: DrillUiState, rows: number, page: number): number {
	const cursor = cursorIn(state, rows);
	const size = Math.max(1, page);
	let top = clamp(state.top, 0, Math.max(0, rows - size));
	if (cursor < top) top = cursor;
	if (cursor >= top + size) top = cursor - size + 1;
	return top;
}

function moveTo(state: DrillUiState, index: number, rows: number, page: number): DrillUiState {
	const key = currentKey(state) ?? '';
	const next = {...state, cursors: {...state.cursors, [key]: clamp(index, 0, Math.max(0, rows - 1))}};
	return {...next, top: topFor(next, rows, page)};
}

export function drillReducer(previous: DrillUiState, action: DrillAction): DrillUiState {
	const state = withRoot(previous, action.root);
	const {command, page} = action;
	const listed = action.listing(currentKey(state));
	const rows = listed.length;
	const at = cursorIn(state, rows);
	switch (command) {
		case Command.Open: {
			const openKey = listed[at]?.dirKey;
			if (!openKey || state.path.length === 0) return state;
			return {...state, path: [...state.path, openKey], top: 0};
		}
		case Command.Back:
			if (state.path.length <= 1) return {...state, left: true};
			return {...state, path: state.path.slice(0, -1), top: 0};
		case Command.SizeMode:
			return {...state, mode: state.mode === 'allocated' ? 'apparent' : 'allocated'};
		case Command.Refresh:
			return {...state, generation: state.generation + 1};
		case Command.Up:
			return moveTo(state, at - 1, rows, page);
		case Command.Down:
			return moveTo(state, at + 1, rows, page);
		case Command.PageUp:
			return moveTo(state, at - Math.max(1, page), rows, page);
		case Command.PageDown:
			return moveTo(state, at + Math.max(1, page), rows, page);
		case Command.Top:
			return moveTo(state, 0, rows, page);
		case Command.Bottom:
			return moveTo(state, rows - 1, rows, page);
		default:
			return state;
	}
}
