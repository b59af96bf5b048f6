import {spawn, type ChildProcess} from 'node:child_process';
import {cliPath} from './cli.js';
import {waitFor} from './lab.js';

export interface RunningExporter {
	url: string;
	child: ChildProcess;
	stderr(): string;
	metrics(): Promise<string>;
	stop(): Promise<number | null>;
}

/** `layerscope exporter` from dist/, on a port the OS picks; resolves once it serves. */
export async function startExporter(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunningExporter> {
	let stderr = '';
	const child = spawn(process.execPath, [cliPath, 'exporter', '--listen', '127.0.0.1:0', ...args], {env: {...process.env, ...env}, stdio: ['ignore', 'ignore', 'pipe']});
	child.stderr!.on('data', chunk => (stderr += chunk));
	const url = await waitFor('the exporter to listen', async () => {
		if (child.exitCode !== null) throw new Error(`exporter exited ${child.exitCode}: ${stderr}`);
		return /http:\/\/(127\.0\.0\.1:\d+)\/metrics/.exec(stderr)?.[1];
	});
	return {
		url: `http://${url}`,
		child,
		stderr: () => stderr,
		metrics: async () => (await fetch(`http://${url}/metrics`)).text(),
		stop: () =>
			new Promise(resolve => {
				if (child.exitCode !== null) return resolve(child.exitCode);
				child.once('exit', code => resolve(code));
				child.kill('SIGTERM');
			}),
	};
}

/** The value of one series in an exposition, or undefined. `match` tests the label part. */
export function sample(text: string, name: string, match: (labels: string) => boolean = () => true): number | undefined {
	for (const line of text.split('\n')) {
		if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
		const labels = line.slice(name.length, line.lastIndexOf(' '));
		if (match(labels)) return Number(line.slice(line.lastIndexOf(' ') + 1));
	}
	return undefined;
}
