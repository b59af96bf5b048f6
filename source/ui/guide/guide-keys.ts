/**
 * The guide's own keys. The console's keymap binds `g` (Command.Guide) to open it; inside
 * the guide these take over. The guide footer and the help overlay read this table.
 */
export type GuideCommand = 'next' | 'back' | 'leave' | 'open';

export interface GuideKey {
	upArrow?: boolean;
	downArrow?: boolean;
	leftArrow?: boolean;
	rightArrow?: boolean;
	return?: boolean;
	escape?: boolean;
	ctrl?: boolean;
	meta?: boolean;
}

export interface GuideBinding {
	command: GuideCommand;
	keys: string;
	help: string;
	match: (input: string, key: GuideKey) => boolean;
}

export const guideBindings: readonly GuideBinding[] = [
	{command: 'next', keys: '→ l Enter', help: 'next step', match: (i, k) => Boolean(k.rightArrow || k.return) || i === 'l'},
	{command: 'back', keys: '← h', help: 'previous step', match: (i, k) => Boolean(k.leftArrow) || i === 'h'},
	{command: 'open', keys: 'o', help: 'open the console view this step teaches', match: i => i === 'o'},
	{command: 'leave', keys: 'Esc', help: 'leave the guide', match: (_, k) => Boolean(k.escape)},
];

export function guideCommandFor(input: string, key: GuideKey): GuideCommand | undefined {
	// Ink reports a lone Esc with meta set.
	if (key.escape) return 'leave';
	if (key.ctrl || key.meta) return undefined;
	return guideBindings.find(b => b.match(input, key))?.command;
}

/** Keys typed faster than a frame arrive as one chunk ("ll\r"): one command per character. */
export function guideCommandsFor(input: string, key: GuideKey): GuideCommand[] {
	const list = input.length > 1 && !key.ctrl && !key.meta && !input.startsWith('\u001B') ? [...input].map(ch => guideCommandFor(ch, {return: ch === '\r'})) : [guideCommandFor(input, key)];
	return list.filter((c): c is GuideCommand => c !== undefined);
}

export const guideKeysFor = (command: GuideCommand) => guideBindings.find(b => b.command === command)?.keys ?? '';
