import {podEphemeral} from '../adapters/cri/pod-ephemeral.js';
import {advise, type ContainerClasses, type Suggestion} from '../domain/advise.js';
import type {BuildCacheFilter} from '../domain/build-cache-filter.js';
import type {ContainerRecord, EngineSnapshot} from '../domain/types.js';
import {containerClasses} from './container-classes.js';
import {drillContainer} from './drill.js';
import type {EngineSource} from './engines.js';
import {dockerImageFindings} from './image-advice.js';

/**
 * Everything advice needs: the classified writable layers of the top containers
 * (by growth, then size) and image findings, then the ranked suggestions.
 */
export async function gatherAdvice(
	engines: EngineSnapshot[],
	sources: EngineSource[],
	options: {
		growth?: (container: ContainerRecord) => number;
		drillTop?: number;
		signal?: AbortSignal;
		/** Build-cache prune choice (default: all unused) and the time ages are measured from. */
		buildCache?: BuildCacheFilter;
		now?: number;
		/** Smallest redesign worth showing (default 1 MiB). */
		minBytes?: number;
		/** kubelet --root-dir, where emptyDir volumes live (default /var/lib/kubelet). */
		kubeletRoot?: string;
	} = {},
): Promise<{classes: ContainerClasses[]; suggestions: Suggestion[]}> {
	const growth = options.growth ?? (() => 0);
	const top = engines
		.flatMap(e => e.containers)
		.filter(c => c.upperDir)
		.sort((a, b) => growth(b) - growth(a) || (b.writableBytes ?? 0) - (a.writableBytes ?? 0))
		.slice(0, options.drillTop ?? 3);
	const classes: ContainerClasses[] = [];
	for (const container of top) {
		options.signal?.throwIfAborted();
		try {
			const deadline = AbortSignal.timeout(30_000);
			const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
			const tree = await drillContainer(container, {signal, listAdded: true});
			classes.push(containerClasses(tree));
		} catch {
			// vanished meanwhile, or too slow: advice goes on without its breakdown
		}
	}
	options.signal?.throwIfAborted();
	const imageFindings = (await Promise.all(sources.map((s, i) => (s.docker ? dockerImageFindings(s.docker.client, engines[i]!) : [])))).flat();
	// CRI pods: writable layers and logs as the runtime reports them, plus emptyDirs on disk.
	const pods = engines.flatMap(engine => ('cri' in engine ? [{engine: engine.runtime.id, pods: podEphemeral(engine as Parameters<typeof podEphemeral>[0], {kubeletRoot: options.kubeletRoot})}] : []));
	const {buildCache, now, minBytes} = options;
	return {classes, suggestions: advise({engines, classes, imageFindings, pods, buildCache, now, minBytes})};
}
