import {sanitize} from '../domain/sanitize.js';

/** One line on stderr, exit 2; the stack only with --debug. */
export function fail(error: unknown, debug: boolean): number {
	const hint = (error as {hint?: string} | null)?.hint;
	const message = (error instanceof Error ? error.message : String(error)) + (hint ? ` (hint: ${hint})` : '');
	process.stderr.write(`layerscope: ${sanitize(message.split('\n')[0])}\n`);
	if (debug && error instanceof Error && error.stack) process.stderr.write(error.stack + '\n');
	return 2;
}
