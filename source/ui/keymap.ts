/**
 * Every key binding of the console, as data: which keys, in which scope, the label the help
 * shows, and the command it stands for. Matching (commandIn), the help overlay, the guide
 * footer and the hints in screens all read this one table; nothing else maps keys.
 *
 * A key is a token: one character ("k", "G", " "), a named key ("up", "return", "escape",
 * "backspace", …) or "ctrl+c". Scopes say where a binding applies; a screen asks for its
 * scopes in order, so the first scope wins (in a tree or a plan, `g` is the first row;
 * elsewhere it opens the guide).
 */

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
	Actions = 'actions',
	Guide = 'guide',
	Toggle = 'toggle',
	ToggleAll = 'toggleAll',
	Confirm = 'confirm',
	BuildCache = 'buildCache',
	SizeMode = 'sizeMode',
	DeletedOpen = 'deletedOpen',
	OtherFiles = 'otherFiles',
	Image = 'image',
	LayerPrev = 'layerPrev',
	LayerNext = 'layerNext',
	LayerScope = 'layerScope',
	PodGroups = 'podGroups',
}

/** The guide's own steps: inside the guide these take over. */
export type GuideCommand = 'next' | 'back' | 'leave' | 'open' | 'lineDown' | 'lineUp' | 'pageDown' | 'pageUp';
/** A one-line text prompt (typed confirmation, build-cache choice): every other key is text. */
export type PromptCommand = 'submit' | 'cancel' | 'erase';

export type Scope = 'global' | 'list' | 'tree' | 'plan' | 'guide' | 'prompt';

interface CommandOf {
	global: Command;
	list: Command;
	tree: Command;
	plan: Command;
	guide: GuideCommand;
	prompt: PromptCommand;
}

export type Binding<S extends Scope = Scope> = {
	[K in S]: {
		scope: K;
		command: CommandOf[K];
		keys: readonly string[];
		/** What the help overlay says; '' keeps the binding out of the help (a second key for a command listed elsewhere). */
		help: string;
	};
}[S];

export const keymap: readonly Binding[] = [
	// Order is the help overlay's: neighbours whose text is short share a line at 80 columns.
	{scope: 'list', command: Command.Up, keys: ['up', 'k'], help: 'move up'},
	{scope: 'list', command: Command.Down, keys: ['down', 'j'], help: 'move down'},
	{scope: 'list', command: Command.PageUp, keys: ['pageUp'], help: 'page up'},
	{scope: 'list', command: Command.PageDown, keys: ['pageDown'], help: 'page down'},
	{scope: 'list', command: Command.Top, keys: ['home'], help: 'first row (g in a tree)'},
	{scope: 'tree', command: Command.Top, keys: ['g'], help: ''},
	{scope: 'plan', command: Command.Top, keys: ['g'], help: ''},
	{scope: 'list', command: Command.Bottom, keys: ['end', 'G'], help: 'last row'},
	{scope: 'list', command: Command.Open, keys: ['return', 'right', 'l'], help: 'open: details, then its writable layer tree; into a directory'},
	{scope: 'list', command: Command.Back, keys: ['escape', 'backspace', 'delete', 'left', 'h'], help: 'back; out to the parent directory'},
	{scope: 'list', command: Command.Sort, keys: ['s'], help: 'sort: growth, writable, logs, name'},
	{scope: 'list', command: Command.PodGroups, keys: ['P'], help: 'pods: group containers'},
	{scope: 'global', command: Command.Refresh, keys: ['r'], help: 'full rescan now'},
	{scope: 'global', command: Command.Actions, keys: ['a'], help: 'actions: cleanup, redesign'},
	{scope: 'global', command: Command.Guide, keys: ['g'], help: 'guided walkthrough'},
	{scope: 'global', command: Command.Help, keys: ['?'], help: 'this help'},
	{scope: 'global', command: Command.OtherFiles, keys: ['f'], help: 'other files, classed'},
	{scope: 'global', command: Command.DeletedOpen, keys: ['d'], help: 'deleted files held open'},
	{scope: 'global', command: Command.Image, keys: ['i'], help: 'image explorer (layers)'},
	{scope: 'global', command: Command.Quit, keys: ['q', 'ctrl+c'], help: 'quit'},
	{scope: 'plan', command: Command.Toggle, keys: [' '], help: 'plan: pick or drop item'},
	{scope: 'plan', command: Command.ToggleAll, keys: ['*'], help: 'plan: pick all / none'},
	{scope: 'plan', command: Command.Confirm, keys: ['y'], help: 'plan: confirm (typed word for >1 GiB or volumes)'},
	{scope: 'plan', command: Command.BuildCache, keys: ['c'], help: 'actions: build cache to prune (all, 24h, 7d, keep 5GB)'},
	{scope: 'tree', command: Command.SizeMode, keys: ['b'], help: 'sizes: allocated/apparent'},
	{scope: 'tree', command: Command.LayerScope, keys: ['t'], help: 'layer: own / aggregated'},
	{scope: 'tree', command: Command.LayerPrev, keys: ['[', 'p'], help: 'image: older layer'},
	{scope: 'tree', command: Command.LayerNext, keys: [']', 'n'], help: 'image: newer layer'},
	{scope: 'guide', command: 'next', keys: ['right', 'l', 'return'], help: 'next step'},
	{scope: 'guide', command: 'back', keys: ['left', 'h'], help: 'previous step'},
	{scope: 'guide', command: 'open', keys: ['o'], help: 'open the console view this step teaches'},
	{scope: 'guide', command: 'leave', keys: ['escape'], help: 'leave the guide'},
	{scope: 'guide', command: 'lineDown', keys: ['down', 'j'], help: 'scroll the figures down'},
	{scope: 'guide', command: 'lineUp', keys: ['up', 'k'], help: 'scroll the figures up'},
	{scope: 'guide', command: 'pageDown', keys: ['pageDown', ' '], help: 'figures: a page down'},
	{scope: 'guide', command: 'pageUp', keys: ['pageUp'], help: 'figures: a page up'},
	{scope: 'prompt', command: 'submit', keys: ['return'], help: 'apply what was typed'},
	{scope: 'prompt', command: 'cancel', keys: ['escape'], help: 'cancel'},
	{scope: 'prompt', command: 'erase', keys: ['backspace', 'delete'], help: 'erase the last character'},
];

/** The console's help overlay: every binding outside the guide and the prompts, in table order. */
export const bindings: ReadonlyArray<Binding<'global' | 'list' | 'tree' | 'plan'>> = keymap.filter((b): b is Binding<'global' | 'list' | 'tree' | 'plan'> => b.help !== '' && b.scope !== 'guide' && b.scope !== 'prompt');

/** The subset of Ink's Key that bindings look at. */
export interface KeyInfo {
	upArrow?: boolean;
	downArrow?: boolean;
	leftArrow?: boolean;
	rightArrow?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
	home?: boolean;
	end?: boolean;
	return?: boolean;
	escape?: boolean;
	backspace?: boolean;
	delete?: boolean;
	ctrl?: boolean;
	meta?: boolean;
}

const named: ReadonlyArray<[keyof KeyInfo, string]> = [
	// Ink reports a lone Esc with meta set: escape first.
	['escape', 'escape'],
	['return', 'return'],
	['upArrow', 'up'],
	['downArrow', 'down'],
	['leftArrow', 'left'],
	['rightArrow', 'right'],
	['pageUp', 'pageUp'],
	['pageDown', 'pageDown'],
	['home', 'home'],
	['end', 'end'],
	['backspace', 'backspace'],
	['delete', 'delete'],
];

/** The token of one key press, as the table writes keys. */
export function keyToken(input: string, key: KeyInfo): string | undefined {
	for (const [flag, token] of named) if (key[flag]) return token;
	if (!input) return undefined;
	if (key.ctrl) return `ctrl+${input}`;
	if (key.meta) return `meta+${input}`;
	return input;
}

/** The command a key press stands for in the first of `scopes` that binds it. */
export function commandIn<S extends Scope>(scopes: readonly S[], input: string, key: KeyInfo): CommandOf[S] | undefined {
	const token = keyToken(input, key);
	if (token === undefined) return undefined;
	for (const scope of scopes) {
		const binding = keymap.find(b => b.scope === scope && b.keys.includes(token));
		if (binding) return binding.command as CommandOf[S];
	}
	return undefined;
}

/** The overview and the detail view: the global keys, then list navigation. */
export const consoleScopes = ['global', 'list'] as const;
/** A writable-layer tree: `g` is its first row. */
export const treeScopes = ['tree', 'list', 'global'] as const;
/** The actions screens (plans and advice): `g` is the first row. */
export const planScopes = ['plan', 'list', 'global'] as const;

/** The console's command for a key press (overview, detail, help). */
export const commandFor = (input: string, key: KeyInfo): Command | undefined => commandIn(consoleScopes, input, key);

const symbols: Record<string, string> = {
	up: '↑',
	down: '↓',
	left: '←',
	right: '→',
	pageUp: 'PgUp',
	pageDown: 'PgDn',
	home: 'Home',
	end: 'End',
	return: 'Enter',
	escape: 'Esc',
	backspace: '⌫',
	// Terminals send DEL for the ⌫ key, which Ink reports as delete: one key, shown once.
	delete: '',
	' ': 'space',
	'ctrl+c': '^C',
};

/** How a binding's keys are shown ("↑ k", "Esc ⌫ ← h", "q ^C"). */
export function keyLabel(binding: Pick<Binding, 'keys'>): string {
	return binding.keys
		.map(k => symbols[k] ?? k)
		.filter(Boolean)
		.join(' ');
}

/** The keys of a command in a scope, as shown ('' when unbound). */
export function keysFor(command: Command | GuideCommand | PromptCommand, scope?: Scope): string {
	const binding = keymap.find(b => b.command === command && b.help !== '' && (scope === undefined || b.scope === scope));
	return binding ? keyLabel(binding) : '';
}

/** The first key of a command, as shown (the guide footer's "q quit"). */
export function firstKeyFor(command: Command | GuideCommand | PromptCommand, scope?: Scope): string {
	const binding = keymap.find(b => b.command === command && b.help !== '' && (scope === undefined || b.scope === scope));
	return binding ? keyLabel({keys: binding.keys.slice(0, 1)}) : '';
}

/**
 * Keys typed faster than a frame (or over a slow SSH link) arrive as one chunk ("jj\r"):
 * one key press per character. Escape sequences and modified keys stay whole.
 */
export function splitKeys(input: string, key: KeyInfo): Array<{input: string; key: KeyInfo}> {
	if (input.length <= 1 || key.ctrl || key.meta || input.startsWith('\u001B')) return [{input, key}];
	return [...input].map(ch => ({input: ch, key: {return: ch === '\r', backspace: ch === '\x7f' || ch === '\b'}}));
}

/** Every command in a chunk of typed keys, in the first of `scopes` that binds each. */
export function commandsIn<S extends Scope>(scopes: readonly S[], input: string, key: KeyInfo): Array<CommandOf[S]> {
	return splitKeys(input, key).flatMap(k => commandIn(scopes, k.input, k.key) ?? []);
}
