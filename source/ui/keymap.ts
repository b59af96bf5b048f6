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
	// actions screens (issue 6)
	Actions = 'actions',
	Guide = 'guide',
	Toggle = 'toggle',
	ToggleAll = 'toggleAll',
	Confirm = 'confirm',
	BuildCache = 'buildCache',
	// drill-down (issue 5)
	SizeMode = 'sizeMode',
	// other files (issue 14)
	OtherFiles = 'otherFiles',
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
	leftArrow?: boolean;
	rightArrow?: boolean;
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
	{command: Command.Top, keys: 'Home', help: 'first row (also g inside a tree or a plan)', match: (_, k) => Boolean(k.home)},
	{command: Command.Bottom, keys: 'End G', help: 'last container', match: (i, k) => Boolean(k.end) || i === 'G'},
	{command: Command.Open, keys: 'Enter → l', help: 'open: details, then its writable layer tree; into a directory', match: (i, k) => Boolean(k.return || k.rightArrow) || i === 'l'},
	{command: Command.Back, keys: 'Esc ⌫ ← h', help: 'back; out to the parent directory', match: (i, k) => Boolean(k.escape || k.backspace || k.delete || k.leftArrow) || i === 'h'},
	{command: Command.Sort, keys: 's', help: 'sort: growth, writable, logs, name', match: i => i === 's'},
	{command: Command.Refresh, keys: 'r', help: 'full rescan now', match: i => i === 'r'},
	// actions screens (issue 6)
	{command: Command.Actions, keys: 'a', help: 'actions: cleanup plans and redesign advice', match: i => i === 'a'},
	{command: Command.Guide, keys: 'g', help: 'guided walkthrough on this node', match: i => i === 'g'},
	{command: Command.Toggle, keys: 'space', help: 'plan: pick or drop the item at the cursor', match: i => i === ' '},
	{command: Command.ToggleAll, keys: '*', help: 'plan: pick all / none', match: i => i === '*'},
	{command: Command.Confirm, keys: 'y', help: 'plan: confirm (typed word for >1 GiB or volumes)', match: i => i === 'y'},
	{command: Command.BuildCache, keys: 'c', help: 'actions: build cache to prune (all, 24h, 7d, keep 5GB)', match: (i, k) => i === 'c' && !k.ctrl},
	// drill-down (issue 5)
	{command: Command.SizeMode, keys: 'b', help: 'tree: sizes allocated / apparent', match: i => i === 'b'},
	{command: Command.OtherFiles, keys: 'f', help: 'files outside the engines: the rest of the filesystem, classed', match: i => i === 'f'},
	{command: Command.Help, keys: '?', help: 'this help', match: i => i === '?'},
	{command: Command.Quit, keys: 'q ^C', help: 'quit', match: (i, k) => i === 'q' || (Boolean(k.ctrl) && i === 'c')},
];

export function commandFor(input: string, key: KeyInfo): Command | undefined {
	return bindings.find(binding => binding.match(input, key))?.command;
}

export function keysFor(command: Command): string {
	return bindings.find(binding => binding.command === command)?.keys ?? '';
}

/**
 * For screens that list rows and read their own keys (drill-down, actions): there `g`
 * means the first row, as in less and ncdu; elsewhere it opens the guide.
 */
export function listCommandFor(input: string, key: KeyInfo): Command | undefined {
	const command = commandFor(input, key);
	return command === Command.Guide ? Command.Top : command;
}
