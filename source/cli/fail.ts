import {errorReport} from '../domain/operator-error.js';

/** One line on stderr (message and hint), exit 2; the stack only with --debug. */
export function fail(error: unknown, debug: boolean): number {
	process.stderr.write(errorReport(error, debug));
	return 2;
}
