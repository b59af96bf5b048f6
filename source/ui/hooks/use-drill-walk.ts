import {useEffect, useState} from 'react';
import type {DrillProgress, DrillTree} from '../../domain/drill-model.js';
import type {ContainerRecord} from '../../domain/types.js';
import type {ConsoleServices} from '../../services/console-services.js';
import {formatError} from '../../domain/operator-error.js';

export type DrillWalk = {status: 'running'; progress: DrillProgress | null} | {status: 'done'; tree: DrillTree} | {status: 'failed'; message: string; notFound: boolean} | {status: 'unavailable'};

/** ENOENT on the upperdir (the layer was removed) or the engine's 404. */
export function isNotFound(error: unknown): boolean {
	const e = error as {code?: string; message?: string} | null;
	if (e?.code === 'NOT_FOUND' || e?.code === 'ENOENT') return true;
	return /\bENOENT\b|no such container/i.test(e?.message ?? '');
}

/**
 * Runs services.drill for one container while the view is mounted: progress while it runs,
 * the tree when done. Unmounting (leaving the view) or a new generation aborts the walk.
 */
export function useDrillWalk(services: Pick<ConsoleServices, 'drill'> | undefined, record: ContainerRecord | undefined, generation = 0): DrillWalk {
	const [walk, setWalk] = useState<DrillWalk>(() => (services ? {status: 'running', progress: null} : {status: 'unavailable'}));
	const id = record?.id;
	useEffect(() => {
		if (!services || !record) return;
		const controller = new AbortController();
		setWalk({status: 'running', progress: null});
		services.drill(record, {signal: controller.signal, onProgress: progress => !controller.signal.aborted && setWalk({status: 'running', progress})}).then(
			tree => !controller.signal.aborted && setWalk({status: 'done', tree}),
			error => !controller.signal.aborted && setWalk({status: 'failed', message: formatError(error), notFound: isNotFound(error)}),
		);
		return () => controller.abort();
	}, [services, id, generation]);
	return walk;
}
