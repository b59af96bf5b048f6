import type {ConsoleServices} from '../services/console-services.js';
import {resolveReadOnly} from '../services/read-only.js';

/**
 * What the console holds before the engine modules are loaded: the frozen read-only
 * decision (so the banner is there from the first frame) and no way to change anything.
 */
export function pendingServices(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): ConsoleServices {
	const notYet = () => Promise.reject(new Error('still connecting to the engine'));
	return {readOnly: resolveReadOnly(flag, env), mutations: null, drill: notYet, advice: notYet};
}
