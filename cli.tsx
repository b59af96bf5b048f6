#!/usr/bin/env node
import meow from 'meow';
import {fail} from './source/cli/fail.js';
import {flagSpec, helpText} from './source/cli/help.js';

// The single executable defines __LAYERSCOPE_PKG__ (its version names the git commit); otherwise meow reads package.json.
const cli = meow(helpText, {importMeta: import.meta, flags: flagSpec, allowUnknownFlags: false, pkg: (globalThis as {__LAYERSCOPE_PKG__?: Record<string, unknown>}).__LAYERSCOPE_PKG__});

// `layerscope report | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(0);
	throw error;
});

async function main(): Promise<number> {
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
			return (await import('./source/cli/run-console.js')).runConsole(cli.flags);
		default:
			process.stderr.write(`layerscope: unknown command "${command}". Try: layerscope --help\n`);
			return 2;
	}
}

main().then(
	code => {
		process.exitCode = code;
	},
	error => {
		process.exitCode = fail(error, cli.flags.debug);
	},
);
