/** Keys of the actions flow → intents. Navigation comes from the keymap; in the prompt every key is text. */
import {Command, commandIn, type KeyInfo, planScopes, splitKeys} from '../keymap.js';
import type {ConfirmKey} from './confirm-state.js';
import type {ActionsPhase} from './actions-state.js';

export type ActionsIntent =
	| {type: 'move'; delta: number}
	| {type: 'open'}
	| {type: 'back'}
	| {type: 'toggle'}
	| {type: 'toggle-all'}
	| {type: 'confirm'}
	| {type: 'key'; input: string; key: ConfirmKey}
	| {type: 'recompute'}
	| {type: 'filter-open'}
	| {type: 'help'}
	| {type: 'image'}
	| {type: 'quit'};

const moves: Partial<Record<Command, number>> = {
	[Command.Up]: -1,
	[Command.Down]: 1,
	[Command.PageUp]: -10,
	[Command.PageDown]: 10,
	[Command.Top]: -Infinity,
	[Command.Bottom]: Infinity,
};

function one(phase: ActionsPhase, input: string, key: KeyInfo & ConfirmKey): ActionsIntent[] {
	// Typing a confirmation or a build-cache choice: every key is text (Esc and Enter included).
	if (phase === 'confirm' || phase === 'filter') return [{type: 'key', input, key}];
	if (phase === 'running') return [];
	const command = commandIn(planScopes, input, key);
	if (command === undefined) return [];
	const delta = moves[command];
	if (delta !== undefined) return [{type: 'move', delta: Math.max(-1e6, Math.min(1e6, delta))}];
	switch (command) {
		case Command.Open:
			return [{type: 'open'}];
		case Command.Toggle:
			return [{type: 'toggle'}];
		case Command.ToggleAll:
			return [{type: 'toggle-all'}];
		case Command.Confirm:
			return [{type: 'confirm'}];
		case Command.BuildCache:
			return phase === 'list' || phase === 'plan' ? [{type: 'filter-open'}] : [];
		case Command.Back:
			return [{type: 'back'}];
		case Command.Refresh:
			return phase === 'list' ? [{type: 'recompute'}] : [];
		case Command.Help:
			return phase === 'list' ? [{type: 'help'}] : [];
		case Command.Image:
			return phase === 'list' ? [{type: 'image'}] : [];
		case Command.Quit:
			return [{type: 'quit'}];
		default:
			return [];
	}
}

/** Keys typed faster than a frame arrive as one chunk ("delete 3\r", "jj"): one intent per key. */
export function actionsIntent(phase: ActionsPhase, input: string, key: KeyInfo & ConfirmKey): ActionsIntent[] {
	return splitKeys(input, key).flatMap(k => one(phase, k.input, k.key));
}
