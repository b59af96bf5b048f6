/** Keys of the image explorer → intents. Bindings come from the keymap. */
import {Command, commandsIn, type KeyInfo, treeScopes} from '../keymap.js';
import type {ImageIntent} from './image-state.js';

const moves: Partial<Record<Command, number>> = {
	[Command.Up]: -1,
	[Command.Down]: 1,
	[Command.PageUp]: -10,
	[Command.PageDown]: 10,
	[Command.Top]: -Infinity,
	[Command.Bottom]: Infinity,
};

function one(command: Command): ImageIntent[] {
	const delta = moves[command];
	if (delta !== undefined) return [{type: 'move', delta}];
	switch (command) {
		case Command.Open:
			return [{type: 'open'}];
		case Command.Back:
			return [{type: 'back'}];
		case Command.LayerPrev:
			return [{type: 'layer', delta: -1}];
		case Command.LayerNext:
			return [{type: 'layer', delta: 1}];
		case Command.LayerScope:
			return [{type: 'scope'}];
		case Command.Refresh:
			return [{type: 'reload'}];
		case Command.Help:
			return [{type: 'help'}];
		case Command.Quit:
			return [{type: 'quit'}];
		default:
			return [];
	}
}

/** Keys typed faster than a frame arrive as one chunk ("]]jj\r"): one intent per key. */
export function imageIntents(input: string, key: KeyInfo): ImageIntent[] {
	return commandsIn(treeScopes, input, key).flatMap(one);
}
