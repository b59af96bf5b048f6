import {useEffect, useState} from 'react';
import type {Suggestion} from '../../domain/advise.js';
import type {NodeSnapshot} from '../../domain/types.js';
import type {ConsoleServices} from '../../services/console-services.js';
import {formatError} from '../../domain/operator-error.js';

export interface AdviceStatus {
	status: 'waiting' | 'running' | 'done' | 'error';
	suggestions: Suggestion[];
	/** The snapshot the suggestions were computed from. */
	snapshot: NodeSnapshot | null;
	elapsedMs: number;
	error: string | null;
	/** While waiting: the full scan still running, if that is what it waits for. */
	scanning?: string | null;
}

/**
 * Suggestions for the current snapshot, computed when the screen opens and again when
 * `generation` changes (r, or after a cleanup: then only from a snapshot taken after
 * `notBefore`). Leaving the screen aborts the computation and drops its result.
 */
export function useAdvice(services: ConsoleServices | undefined, snapshot: NodeSnapshot | null, generation: number, notBefore = 0, scanning: string | null = null, growth?: ReadonlyMap<string, number | null>): AdviceStatus {
	const [state, setState] = useState<AdviceStatus>({status: 'waiting', suggestions: [], snapshot: null, elapsedMs: 0, error: null});
	// A snapshot still being filled in (sizes or images not read yet) would give wrong plans: wait for the scan.
	// /system/df (build cache, volumes) may take minutes on a big node; advice does not wait for it.
	const filling = scanning !== null && scanning !== 'disk-usage';
	const ready = snapshot !== null && snapshot.takenAt >= notBefore && !filling;
	useEffect(() => {
		if (!services || !ready || !snapshot) {
			setState(s => ({...s, status: services ? 'waiting' : 'error', error: services ? null : 'no action services in this session'}));
			return;
		}
		const controller = new AbortController();
		const started = Date.now();
		setState(s => ({...s, status: 'running', elapsedMs: 0, error: null}));
		const timer = setInterval(() => setState(s => (s.status === 'running' ? {...s, elapsedMs: Date.now() - started} : s)), 500);
		services
			.advice(snapshot, {signal: controller.signal, growth})
			.then(({suggestions}) => {
				if (!controller.signal.aborted) setState({status: 'done', suggestions, snapshot, elapsedMs: Date.now() - started, error: null});
			})
			.catch(error => {
				if (!controller.signal.aborted) setState(s => ({...s, status: 'error', error: formatError(error)}));
			})
			.finally(() => clearInterval(timer));
		return () => {
			controller.abort();
			clearInterval(timer);
		};
		// The snapshot is read when a computation starts; later samples do not restart it.
	}, [services, ready, generation]);
	return state.status === 'waiting' ? {...state, scanning: filling ? scanning : null} : state;
}
