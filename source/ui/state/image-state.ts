/** Navigation state of the image explorer, separate from the view so it is testable without rendering. */
import type {TreeScope} from '../model/image-tree.js';

export interface ImageUiState {
	/** Selected layer (0 = oldest). */
	layer: number;
	scope: TreeScope;
	/** Directory shown in the tree pane ("/" = the layer root). */
	dir: string;
	/** Cursor per directory, so going out returns to the entry you came from. */
	cursors: Record<string, number>;
	top: number;
	/** Set when Back is pressed at the root: the screen hands control back. */
	left: boolean;
	/** Bumped by Refresh: load the image again. */
	generation: number;
}

export const initialImageState: ImageUiState = {layer: 0, scope: 'changes', dir: '/', cursors: {}, top: 0, left: false, generation: 0};

export type ImageIntent = {type: 'move'; delta: number} | {type: 'open'} | {type: 'back'} | {type: 'layer'; delta: number} | {type: 'scope'} | {type: 'reload'} | {type: 'help'} | {type: 'quit'};

export interface ImageAction {
	intent: ImageIntent;
	/** Layers in the image. */
	layers: number;
	/** Rows of the current directory: only the count and which are directories are read. */
	rows: ReadonlyArray<{path: string; dir: boolean}>;
	page: number;
	/** The directory the view shows (it falls back to "/" when the layer lacks the current one). */
	dir?: string;
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

export const cursorOf = (state: ImageUiState, rows: number) => clamp(state.cursors[state.dir] ?? 0, 0, Math.max(0, rows - 1));

export function topOf(state: ImageUiState, rows: number, page: number): number {
	const cursor = cursorOf(state, rows);
	const size = Math.max(1, page);
	let top = clamp(state.top, 0, Math.max(0, rows - size));
	if (cursor < top) top = cursor;
	if (cursor >= top + size) top = cursor - size + 1;
	return top;
}

const parentOf = (dir: string) => dir.slice(0, dir.lastIndexOf('/')) || '/';

export function imageReducer(previous: ImageUiState, action: ImageAction): ImageUiState {
	const state = action.dir === undefined ? previous : {...previous, dir: action.dir};
	const {intent, rows, page} = action;
	const at = cursorOf(state, rows.length);
	switch (intent.type) {
		case 'move': {
			const target = intent.delta === -Infinity ? 0 : intent.delta === Infinity ? rows.length - 1 : at + intent.delta;
			const next = {...state, cursors: {...state.cursors, [state.dir]: clamp(target, 0, Math.max(0, rows.length - 1))}};
			return {...next, top: topOf(next, rows.length, page)};
		}
		case 'open': {
			const row = rows[at];
			return row?.dir ? {...state, dir: row.path, top: 0} : state;
		}
		case 'back':
			return state.dir === '/' ? {...state, left: true} : {...state, dir: parentOf(state.dir), top: 0};
		case 'layer': {
			const layer = clamp(state.layer + intent.delta, 0, Math.max(0, action.layers - 1));
			// Each layer has its own tree: keep the directory, it may exist there too (the view falls back to "/").
			return layer === state.layer ? state : {...state, layer, top: 0};
		}
		case 'scope':
			return {...state, scope: state.scope === 'changes' ? 'aggregated' : 'changes', top: 0};
		case 'reload':
			return {...state, generation: state.generation + 1};
		default:
			return state;
	}
}
