/**
 * Keys of the drill-down screen that the shared keymap does not have yet.
 * To be folded into keymap.ts (Command.SizeMode bound to `a`; ← h added to Back,
 * → l added to Open) once the console has landed; then this file only re-exports.
 */
import {Command, commandFor, type KeyInfo} from './keymap.js';

export const DrillCommand = {SizeMode: 'sizeMode'} as const;
export type AnyCommand = Command | (typeof DrillCommand)[keyof typeof DrillCommand];

export interface DrillKeyInfo extends KeyInfo {
	leftArrow?: boolean;
	rightArrow?: boolean;
}

export const drillBindings = [
	{command: DrillCommand.SizeMode, keys: 'a', help: 'tree: allocated / apparent sizes', match: (i: string) => i === 'a'},
	{command: Command.Back, keys: '← h', help: 'tree: out to the parent directory', match: (i: string, k: DrillKeyInfo) => Boolean(k.leftArrow) || i === 'h'},
	{command: Command.Open, keys: '→ l', help: 'tree: into the directory', match: (i: string, k: DrillKeyInfo) => Boolean(k.rightArrow) || i === 'l'},
] as const;

export function drillCommandFor(input: string, key: DrillKeyInfo): AnyCommand | undefined {
	return drillBindings.find(b => b.match(input, key))?.command ?? commandFor(input, key);
}
