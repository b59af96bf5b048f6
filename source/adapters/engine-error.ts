import {OperatorError} from '../domain/operator-error.js';

/** A failure talking to an engine: one line naming the endpoint, a hint, a code. Exit code 2. */
export class EngineError extends OperatorError {
	constructor(message: string, hint = '', code = 'ENGINE') {
		super(message, {hint, code});
		this.name = 'EngineError';
	}
}

/** Races a promise against a timer; on timeout aborts the controller and throws `onTimeout()`. */
export async function withDeadline<T>(run: (signal: AbortSignal) => Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
	const controller = new AbortController();
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			controller.abort();
			reject(onTimeout());
		}, ms);
		timer.unref?.();
	});
	try {
		return await Promise.race([run(controller.signal), timeout]);
	} finally {
		clearTimeout(timer);
	}
}
