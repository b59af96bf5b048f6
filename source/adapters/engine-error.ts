/** A failure talking to an engine, already worded as one line with a hint. Exit code 2. */
export class EngineError extends Error {
	readonly exitCode = 2;
	constructor(
		message: string,
		readonly code: string = 'ENGINE',
	) {
		super(message);
		this.name = 'EngineError';
	}
}

/** Races a promise against a timer; on timeout aborts the controller and throws `onTimeout()`. */
export async function withDeadline<T>(
	run: (signal: AbortSignal) => Promise<T>,
	ms: number,
	onTimeout: () => Error,
): Promise<T> {
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
