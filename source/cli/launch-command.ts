import {loadCommandBundle} from './console-bundle.js';
import type {CliFlags, FastCommand} from './fast-args.js';

/**
 * `report`, `plan` and `image NAME` with their own plain flags: from the code-cached bundle
 * (dist/commands.cjs) when it is current, else the modules; no meow either way.
 */
export async function launchCommand(command: FastCommand, flags: CliFlags, action?: string): Promise<number> {
	let bundle: ReturnType<typeof loadCommandBundle> = null;
	try {
		// LAYERSCOPE_NO_BUNDLE=1: the modules themselves (bench/report-cold.mjs --modules compares).
		bundle = process.env.LAYERSCOPE_NO_BUNDLE === '1' ? null : loadCommandBundle();
	} catch {
		bundle = null;
	}
	const commands = bundle ?? {
		runReport: (f: CliFlags) => import('./run-report.js').then(m => m.runReport(f)),
		runPlan: (f: CliFlags) => import('./run-plan.js').then(m => m.runPlan(f)),
		runImage: (name: string | undefined, f: CliFlags) => import('./run-image.js').then(m => m.runImage(name, f)),
	};
	try {
		return await (command === 'report' ? commands.runReport(flags) : command === 'plan' ? commands.runPlan(flags) : commands.runImage(action, flags));
	} finally {
		bundle?.saveCodeCache();
	}
}
