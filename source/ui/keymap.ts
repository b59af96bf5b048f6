/** Every key binding of the console, in one place. The help overlay reads this table. */

export enum Command {
	Up = 'up',
	Down = 'down',
	PageUp = 'pageUp',
	PageDown = 'pageDown',
	Top = 'top',
	Bottom = 'bottom',
	Open = 'open',
	Back = 'back',
	Sort = 'sort',
	Refresh = 'refresh',
	Help = 'help',
	Quit = 'quit',
}

/** The subset of Ink's Key that bindings look at. */
export interface KeyInfo {
	upArrow?: boolean;
	downArrow?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
	home?: boolean;
	end?: boolean;
	return?: boolean;
	escape?: boolean;
	backspace?: boolean;
	delete?: boolean;
	ctrl?: boolean;
}

export interface Binding {
	command: Command;
	/** As shown in the help overlay. */
	keys: string;
	help: string;
	match: (input: string, key: KeyInfo) => boolean;
}

export const bindings: readonly Binding[] = [
	{command: Command.Up, keys: '↑ k', help: 'move up', match: (i, k) => Boolean(k.upArrow) || i === 'k'},
	{command: Command.Down, keys: '↓ j', help: 'move down', match: (i, k) => Boolean(k.downArrow) || i === 'j'},
	{command: Command.PageUp, keys: 'PgUp', help: 'page up', match: (_, k) => Boolean(k.pageUp)},
	{command: Command.PageDown, keys: 'PgDn', help: 'page down', match: (_, k) => Boolean(k.pageDown)},
	{command: Command.Top, keys: 'Home g', help: 'first container', match: (i, k) => Boolean(k.home) || i === 'g'},
	{command: Command.Bottom, keys: 'End G', help: 'last container', match: (i, k) => Boolean(k.end) || i === 'G'},
	{command: Command.Open, keys: 'Enter', help: 'container details', match: (_, k) => Boolean(k.return)},
	{command: Command.Back, keys: 'Esc ⌫', help: 'back', match: (_, k) => Boolean(k.escape || k.backspace || k.delete)},
	{command: Command.Sort, keys: 's', help: 'sort: growth, writable, logs, name', match: i => i === 's'},
	{command: Command.Refresh, keys: 'r', help: 'full rescan now', match: i => i === 'r'},
	{command: Command.Help, keys: '?', help: 'this help', match: i => i === '?'},
	{command: Command.Quit, keys: 'q ^C', help: 'quit', match: (i, k) => i === 'q' || (Boolean(k.ctrl) && i === 'c')},
];

export function commandFor(input: string, key: KeyInfo): Command | undefined {
	return bindings.find(binding => binding.match(input, key))?.command;
}

export function keysFor(command: Command): string {
	return bindings.find(binding => binding.command === command)?.keys ?? '';
}
