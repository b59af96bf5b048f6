import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';

export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
	ms: number;
}

/** Runs the built CLI (dist/cli.js) as an operator would. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, options: {timeoutMs?: number; command?: string[]} = {}): Promise<CliResult> {
	const started = Date.now();
	const [file, ...pre] = options.command ?? [process.execPath, cliPath];
	return new Promise(resolve => {
		execFile(file!, [...pre, ...args], {env: {...process.env, ...env}, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
			resolve({code, stdout, stderr, ms: Date.now() - started});
		});
	});
}
