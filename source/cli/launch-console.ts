import {loadConsoleBundle} from './console-bundle.js';
import type {ConsoleFlags} from './run-console.js';

/**
 * Starts the console: from the code-cached bundle (dist/console.cjs, see console-bundle.ts)
 * when it is current, else from the modules themselves. The console's first frame is the
 * cold start that counts; the bundle holds everything from here to that frame.
 */
export async function launchConsole(flags: ConsoleFlags): Promise<number> {
	let bundle: ReturnType<typeof loadConsoleBundle> = null;
	try {
		bundle = loadConsoleBundle();
	} catch {
		bundle = null;
	}
	if (bundle) return bundle.runConsole(flags, bundle.saveCodeCache);
	const [{runConsole}, ui] = await Promise.all([import('./run-console.js'), import('../ui/console-entry.js')]);
	return runConsole(flags, ui);
}
