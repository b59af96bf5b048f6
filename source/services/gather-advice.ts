import {podEphemeral} from '../adapters/cri/pod-ephemeral.js';
import {advise, type ContainerClasses, type Suggestion} from '../domain/advise.js';
import type {BuildCacheFilter} from '../domain/build-cache-filter.js';
import {imageGcOf, type EvictionThresholds} from '../domain/eviction.js';
import type {ImageGcThresholds} from '../domain/image-gc.js';
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
		/** A kubelet on this node, with its image GC thresholds: unused CRI images are its to collect. */
		kubelet?: {imageGc: ImageGcThresholds} | null;
	} = {},
): Promise<{classes: ContainerClasses[]; suggestions: Suggestion[]}> {
	const growth = options.growth ?? (() => 0);
	const drillTop = options.drillTop ?? 3;
	const layers = engines.flatMap(e => e.containers).filter(c => c.upperDir);
	const size = (c: ContainerRecord) => c.writableBytes ?? 0;
	// The fastest growers (what fills the disk next) and the biggest layers (what fills it now).
	const growers = layers
		.filter(c => growth(c) > 0)
		.sort((a, b) => growth(b) - growth(a) || size(b) - size(a))
		.slice(0, drillTop);
	const biggest = [...layers].sort((a, b) => size(b) - size(a));
	const top = [...growers, ...biggest.filter(c => !growers.includes(c)).slice(0, drillTop)];
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
	const {buildCache, now, minBytes, kubelet} = options;
	return {classes, suggestions: advise({engines, classes, imageFindings, pods, buildCache, now, minBytes, kubelet})};
}

/** The advice's view of the kubelet: present (running, or its config exists) with its image GC thresholds, or null. */
export function kubeletOf(thresholds: EvictionThresholds | undefined): {imageGc: ImageGcThresholds} | null {
	return thresholds?.kubelet ? {imageGc: imageGcOf(thresholds)} : null;
}
