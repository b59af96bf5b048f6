import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';

/**
 * A full, synchronous garbage collection of the calling thread's heap (V8's `gc()`, which
 * Node hands out only with --expose-gc: the flag is set here, at run time, and the function
 * taken from a new context). For the exporter, a process that runs for weeks: left alone,
 * V8 lets a quiet thread's old generation fill with promoted garbage up to its next limit,
 * which the 30-minute soak saw as a steady climb of RSS (bench/exporter-soak.mjs).
 */
export function fullCollection(): () => void {
	setFlagsFromString('--expose-gc');
	return runInNewContext('gc') as () => void;
}

/** Runs a full collection every `everyMs` on this thread until the returned stop is called; never keeps the thread alive. */
export function collectEvery(everyMs: number): () => void {
	const collect = fullCollection();
	const timer = setInterval(() => collect(), everyMs);
	timer.unref();
	return () => clearInterval(timer);
}
