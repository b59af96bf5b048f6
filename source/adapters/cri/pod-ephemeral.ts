import {join} from 'node:path';
import type {PodStorage} from '../../domain/pod-ephemeral-advice.js';
import type {EngineSnapshot, PodRef} from '../../domain/types.js';
import type {CriPod} from './cri-snapshot.js';
import {allocatedBytesUnder} from './allocated-size.js';

/** A pod's local ephemeral storage, the way kubelet's eviction manager adds it up (the domain's type). */
export type PodEphemeralUsage = PodStorage;

export interface PodEphemeralOptions {
	/** kubelet --root-dir (default /var/lib/kubelet). */
	kubeletRoot?: string;
	/** Sizes one pod's emptyDir directory (default: allocatedBytesUnder, walked now). */
	sizeDir?: (path: string) => number;
}

/** A sizer that re-walks a directory at most every `ttlMs` (the console's pod rows ask at every sample). */
export function cachedDirSizer(ttlMs = 30_000, now: () => number = Date.now): (path: string) => number {
	const cache = new Map<string, {bytes: number; at: number}>();
	return path => {
		const hit = cache.get(path);
		if (hit && now() - hit.at < ttlMs) return hit.bytes;
		const bytes = allocatedBytesUnder(path);
		cache.set(path, {bytes, at: now()});
		return bytes;
	};
}

/** Per-pod ephemeral storage, largest first. Pods known only from `cri.pods` are included with 0 containers. */
export function podEphemeral(snapshot: EngineSnapshot & {cri?: {pods: CriPod[]}}, options: PodEphemeralOptions = {}): PodEphemeralUsage[] {
	const kubeletRoot = options.kubeletRoot ?? '/var/lib/kubelet';
	const byUid = new Map<string, PodEphemeralUsage>();
	const entry = (pod: PodRef): PodEphemeralUsage => {
		let usage = byUid.get(pod.uid);
		if (!usage) {
			usage = {pod, containerIds: [], writableBytes: 0, unsizedContainers: 0, logBytes: 0, emptyDirBytes: 0, totalBytes: 0};
			byUid.set(pod.uid, usage);
		}
		return usage;
	};
	for (const {pod} of snapshot.cri?.pods ?? []) entry(pod);
	for (const container of snapshot.containers) {
		if (!container.pod) continue;
		const usage = entry(container.pod);
		usage.containerIds.push(container.id);
		const writable = container.writableAllocatedBytes ?? container.writableBytes;
		if (writable === null) usage.unsizedContainers++;
		else usage.writableBytes += writable;
		usage.logBytes += container.logBytes;
	}
	for (const usage of byUid.values()) {
		if (/^[\w.-]+$/.test(usage.pod.uid) && usage.pod.uid !== '.' && usage.pod.uid !== '..') {
			usage.emptyDirBytes = (options.sizeDir ?? allocatedBytesUnder)(join(kubeletRoot, 'pods', usage.pod.uid, 'volumes', 'kubernetes.io~empty-dir'));
		}
		usage.totalBytes = usage.writableBytes + usage.logBytes + usage.emptyDirBytes;
	}
	return [...byUid.values()].sort((a, b) => b.totalBytes - a.totalBytes);
}
