import type {ConsoleFlags} from './run-console.js';

export interface GuideFlags extends ConsoleFlags {
	readOnly?: boolean;
	auditLog?: string;
}

/**
 * `layerscope guide`: the console, opened straight into the guided walkthrough on the
 * connected node. Everything else (engine, terminal handling, services) is the console's.
 */
export async function runGuide(flags: GuideFlags): Promise<number> {
	const {launchConsole} = await import('./launch-console.js');
	return launchConsole({...flags, start: 'guide'});
}
