import {sanitize} from './sanitize.js';

export interface OperatorErrorOptions {
	/** What to try next, shown after the message: "(hint: …)". */
	hint?: string;
	/** A stable, machine-readable name for the failure (ENOENT, TIMEOUT, NO_ENGINE, BAD_FLAG, …). */
	code?: string;
	cause?: unknown;
}

/**
 * A failure the operator can act on: one line saying what went wrong, and a hint saying
 * what to try. Every command ends on it with exit 2 and no stack trace (unless --debug).
 * Engine and CRI errors extend it; anything else thrown is shown by its first line.
 */
export class OperatorError extends Error {
	readonly exitCode = 2;
	readonly hint: string;
	readonly code: string;
	constructor(message: string, options: OperatorErrorOptions = {}) {
		super(oneLine(message), options.cause === undefined ? undefined : {cause: options.cause});
		this.name = 'OperatorError';
		this.hint = oneLine(options.hint ?? '');
		this.code = options.code ?? 'OPERATOR';
	}
}

/** Line breaks and the blanks around them become one space. */
export function oneLine(text: string): string {
	return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** The first non-blank line of a text: what a multi-line error from a library says first. */
export function firstLine(text: string): string {
	return (
		text
			.split(/\r?\n/)
			.find(line => line.trim() !== '')
			?.trim() ?? ''
	);
}

/** What an error says, on one line, without its hint. Untrusted text: sanitize before display (formatError does). */
export function errorLine(error: unknown): string {
	if (error instanceof OperatorError) return error.message;
	return firstLine(error instanceof Error ? error.message : String(error));
}

/** The hint an error carries (an OperatorError, or any object with a `hint` string), or ''. */
export function errorHint(error: unknown): string {
	const hint = (error as {hint?: unknown} | null | undefined)?.hint;
	return typeof hint === 'string' ? oneLine(hint) : '';
}

/**
 * The one way an error is shown to the operator, in every command, the console and the
 * exporter: one sanitized line, the hint in parentheses after it.
 */
export function formatError(error: unknown): string {
	const hint = errorHint(error);
	return sanitize(errorLine(error) + (hint ? ` (hint: ${hint})` : ''));
}

/** What a command writes on stderr when it ends on `error`: "layerscope: …", the stack only with `debug`. */
export function errorReport(error: unknown, debug = false): string {
	const stack = debug && error instanceof Error && error.stack ? `${error.stack}\n` : '';
	return `layerscope: ${formatError(error)}\n${stack}`;
}
