#!/usr/bin/env node
import type {Result} from 'meow';
import {loadCommandBundle, loadConsoleBundle} from './source/cli/console-bundle.js';
import {parseCommandArgs, parseConsoleArgs, type CliFlags, type FastCommand} from './source/cli/fast-args.js';
import {flagSpec, helpText} from './source/cli/help.js';
import type {ConsoleFlags} from './source/cli/run-console.js';

// `layerscope report | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(0);
	throw error;
});

/** The single executable defines __LAYERSCOPE_PKG__ (its version names the git commit); otherwise meow reads package.json. */
const pkg = (globalThis as {__LAYERSCOPE_PKG__?: Record<string, unknown>}).__LAYERSCOPE_PKG__;

/**
 * The console (no subcommand): its first frame is the cold start that counts; the
 * code-cached bundle (console-bundle.ts) holds everything from here to that frame.
 */
async function runConsole(flags: ConsoleFlags): Promise<number> {
	let bundle: ReturnType<typeof loadConsoleBundle> = null;
	try {
		bundle = loadConsoleBundle();
	} catch {
		bundle = null;
	}
	if (bundle) return bundle.runConsole(flags, bundle.saveCodeCache);
	return (await import('./source/cli/run-console.js')).runConsole(flags);
}

/**
 * `report` and `plan` with their own plain flags (issue 18): from the code-cached bundle
 * (dist/commands.cjs) when it is current, else the modules; no meow either way.
 */
async function runCommand(command: FastCommand, flags: CliFlags): Promise<number> {
	let bundle: ReturnType<typeof loadCommandBundle> = null;
	try {
		// LAYERSCOPE_NO_BUNDLE=1: the modules themselves (bench/report-cold.mjs --modules compares).
		bundle = process.env.LAYERSCOPE_NO_BUNDLE === '1' ? null : loadCommandBundle();
	} catch {
		bundle = null;
	}
	const commands = bundle ?? {
		runReport: (f: CliFlags) => import('./source/cli/run-report.js').then(m => m.runReport(f)),
		runPlan: (f: CliFlags) => import('./source/cli/run-plan.js').then(m => m.runPlan(f)),
	};
	try {
		return await (command === 'report' ? commands.runReport(flags) : commands.runPlan(flags));
	} finally {
		bundle?.saveCodeCache();
	}
}

async function route(cli: Result<typeof flagSpec>): Promise<number> {
	const [command, action] = cli.input;
	switch (command) {
		case 'report':
			return (await import('./source/cli/run-report.js')).runReport(cli.flags);
		case 'plan':
			return (await import('./source/cli/run-plan.js')).runPlan(cli.flags);
		case 'lab':
			return (await import('./source/cli/run-lab.js')).runLab(action, cli.flags);
		case 'guide':
			return (await import('./source/cli/run-guide.js')).runGuide(cli.flags);
		case undefined:
			return runConsole(cli.flags);
		default:
			process.stderr.write(`layerscope: unknown command "${command}". Try: layerscope --help\n`);
			return 2;
	}
}

async function main(): Promise<number> {
	// The console's plain flags skip meow, whose load is ≈ 85 ms of the console's cold start;
	// anything else (subcommands, --help, bad values) gets meow's parsing and errors.
	const fast = parseConsoleArgs(process.argv.slice(2));
	if (fast) {
		process.title = 'layerscope'; // what meow sets from package.json's bin
		return runConsole(fast);
	}
	const command = parseCommandArgs(process.argv.slice(2));
	if (command) {
		process.title = 'layerscope';
		return runCommand(command.command, command.flags);
	}
	const {default: meow} = await import('meow');
	return route(meow(helpText, {importMeta: import.meta, flags: flagSpec, allowUnknownFlags: false, pkg}));
}

main().then(
	code => {
		process.exitCode = code;
	},
	async error => {
		process.exitCode = (await import('./source/cli/fail.js')).fail(error, process.argv.slice(2).includes('--debug'));
	},
);
