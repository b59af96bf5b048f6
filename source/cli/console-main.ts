/**
 * Entry of dist/console.cjs (scripts/bundle-ui.mjs): everything from runConsole to the
 * console's first frame, in one file that V8 can cache compiled (console-bundle.ts).
 * The engine modules stay outside it: run-console.ts loads them after the first frame.
 */
import * as ui from '../ui/console-entry.js';
import {runConsole as run, type ConsoleFlags} from './run-console.js';

export function runConsole(flags: ConsoleFlags, afterFirstFrame?: () => void): Promise<number> {
	return run(flags, ui, afterFirstFrame);
}

export {ui};
