#!/usr/bin/env node
import type {Result} from 'meow';
import {EXPORTER_THREAD_ARG, isExporterThreadData} from './source/cli/exporter-thread-protocol.js';
import {parseCommandArgs, parseConsoleArgs} from './source/cli/fast-args.js';
import {flagSpec, helpText} from './source/cli/help.js';
import {launchCommand} from './source/cli/launch-command.js';
import {launchConsole as runConsole} from './source/cli/launch-console.js';

// `layerscope report | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(0);
	throw error;
});

/** The single executable defines __LAYERSCOPE_PKG__ (its version names the git commit); otherwise meow reads package.json. */
const pkg = (globalThis as {__LAYERSCOPE_PKG__?: Record<string, unknown>}).__LAYERSCOPE_PKG__;

async function route(cli: Result<typeof flagSpec>): Promise<number> {
	const [command, action] = cli.input;
	switch (command) {
		case 'report':
			return (await import('./source/cli/run-report.js')).runReport(cli.flags);
		case 'plan':
			return (await import('./source/cli/run-plan.js')).runPlan(cli.flags);
		case 'lab':
			return (await import('./source/cli/run-lab.js')).runLab(action, cli.flags);
		case 'exporter': {
			// The exporter samples every 15 s unless --interval is given (meow's default is the console's 5).
			const given = process.argv.slice(2).some(arg => arg === '--interval' || arg.startsWith('--interval='));
			return (await import('./source/cli/run-exporter.js')).runExporter({...cli.flags, interval: given ? cli.flags.interval : undefined});
		}
		case 'image':
			return (await import('./source/cli/run-image.js')).runImage(action, cli.flags);
		case 'guide':
			return (await import('./source/cli/run-guide.js')).runGuide(cli.flags);
		case undefined:
			return runConsole(cli.flags);
		default: {
			const {OperatorError} = await import('./source/domain/operator-error.js');
			throw new OperatorError(`unknown command "${command}"`, {hint: 'layerscope --help lists the commands', code: 'BAD_COMMAND'});
		}
	}
}

async function main(): Promise<number> {
	// `layerscope exporter` runs its service on a worker thread started with this entry and
	// EXPORTER_THREAD_ARG (cli/run-exporter.ts); any other start leaves worker_threads unloaded.
	if (process.argv.includes(EXPORTER_THREAD_ARG)) {
		const {isMainThread, workerData} = await import('node:worker_threads');
		if (!isMainThread && isExporterThreadData(workerData)) {
			await (await import('./source/cli/exporter-thread.js')).runExporterThread(workerData);
			return 0;
		}
	}
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
		return launchCommand(command.command, command.flags, command.action);
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
