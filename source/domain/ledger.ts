import {buildCacheHold} from './build-cache-layers.js';
import {deletedOpenEntry} from './deleted-open.js';
import type {ContainerRecord, EngineSnapshot, ImageRecord, LedgerEntry} from './types.js';

export type {LedgerEntry} from './types.js';

export interface Ledger {
	liveLayers: LedgerEntry;
	stoppedContainers: LedgerEntry;
	containerLogs: LedgerEntry;
	imagesInUse: LedgerEntry;
	unusedImages: LedgerEntry;
	danglingImages: LedgerEntry;
	/** null until the engine's disk-usage answer arrives (or when it has none). */
	buildCache: LedgerEntry | null;
	volumes: LedgerEntry | null;
	/** Files deleted but still held open (allocated bytes); null until /proc was scanned. */
	deletedOpen: LedgerEntry | null;
}

export type LedgerCategory = keyof Ledger;

export const ledgerCategories: readonly LedgerCategory[] = ['liveLayers', 'stoppedContainers', 'containerLogs', 'imagesInUse', 'unusedImages', 'danglingImages', 'buildCache', 'volumes', 'deletedOpen'];

const liveStates = new Set(['running', 'paused', 'restarting']);

export function isLive(container: ContainerRecord): boolean {
	return liveStates.has(container.state);
}

export function isDangling(image: ImageRecord): boolean {
	return image.tags.filter(tag => tag !== '<none>:<none>').length === 0;
}

export type ImageClass = 'inUse' | 'unused' | 'dangling';

/** Ids of images referenced by any container (running or not). Sandbox images count as in use too. */
export function imagesReferenced(containers: readonly ContainerRecord[]): Set<string> {
	return new Set(containers.map(c => c.imageId).filter(Boolean));
}

export function classifyImage(image: ImageRecord, referenced: ReadonlySet<string>): ImageClass {
	if (referenced.has(image.id) || image.sandbox) return 'inUse';
	return isDangling(image) ? 'dangling' : 'unused';
}

const rank: Record<ImageClass, number> = {inUse: 0, unused: 1, dangling: 2};

/**
 * Splits image bytes into in-use / unused / dangling so that every layer counts
 * once: a layer shared by an in-use and an unused image is in use, a layer shared
 * by an unused and a dangling image is unused. reclaimableBytes is what removing
 * every unused and dangling image together frees (`docker image prune -a`): their
 * layers, minus those a pinned image keeps and those build-cache records keep
 * (domain/build-cache-layers.ts); the two add up to that plan's estimate.
 */
export function imageLedger(images: readonly ImageRecord[], containers: readonly ContainerRecord[], buildCacheHeld: ReadonlySet<string> = new Set()) {
	const referenced = imagesReferenced(containers);
	const layerClass = new Map<string, {cls: ImageClass; bytes: number}>();
	const pinnedLayers = new Set<string>();
	const result = {
		inUse: {bytes: 0, count: 0, reclaimableBytes: 0},
		unused: {bytes: 0, count: 0, reclaimableBytes: 0},
		dangling: {bytes: 0, count: 0, reclaimableBytes: 0},
	};
	for (const image of images) {
		const cls = classifyImage(image, referenced);
		result[cls].count++;
		const layers = image.layers.length > 0 ? image.layers : [{chainId: `image:${image.id}`, bytes: image.virtualBytes}];
		for (const layer of layers) {
			if (image.pinned) pinnedLayers.add(layer.chainId);
			const seen = layerClass.get(layer.chainId);
			if (!seen || rank[cls] < rank[seen.cls]) layerClass.set(layer.chainId, {cls, bytes: layer.bytes});
		}
	}
	for (const [chainId, {cls, bytes}] of layerClass) {
		result[cls].bytes += bytes;
		if (cls !== 'inUse' && !pinnedLayers.has(chainId) && !buildCacheHeld.has(chainId)) result[cls].reclaimableBytes += bytes;
	}
	return result;
}

export function buildLedger(engine: EngineSnapshot): Ledger {
	const live = engine.containers.filter(isLive);
	const stopped = engine.containers.filter(c => !isLive(c));
	const sum = (list: readonly ContainerRecord[], pick: (c: ContainerRecord) => number | null) => list.reduce((total, c) => total + (pick(c) ?? 0), 0);
	const images = imageLedger(engine.images, engine.containers, buildCacheHold(engine.images, engine.usage.buildCache).held);
	const {buildCache, volumes} = engine.usage;
	return {
		liveLayers: {bytes: sum(live, c => c.writableBytes), count: live.length},
		stoppedContainers: {bytes: sum(stopped, c => c.writableBytes), count: stopped.length},
		containerLogs: {
			bytes: sum(engine.containers, c => c.logBytes),
			count: engine.containers.filter(c => c.logPath).length,
		},
		imagesInUse: images.inUse,
		unusedImages: images.unused,
		danglingImages: images.dangling,
		buildCache: buildCache && {
			bytes: buildCache.filter(r => !r.shared).reduce((t, r) => t + r.bytes, 0),
			count: buildCache.length,
			reclaimableBytes: buildCache.filter(r => !r.shared && !r.inUse && !r.external).reduce((t, r) => t + r.bytes, 0),
		},
		volumes: volumes && {
			bytes: volumes.reduce((t, v) => t + Math.max(0, v.bytes ?? 0), 0),
			count: volumes.length,
			reclaimableBytes: volumes.filter(v => v.refCount === 0).reduce((t, v) => t + Math.max(0, v.bytes ?? 0), 0),
		},
		deletedOpen: deletedOpenEntry(engine.deletedOpen),
	};
}

/** Sum of every category's bytes; build cache and volumes count 0 until known. */
export function ledgerTotal(ledger: Ledger): number {
	return ledgerCategories.reduce((total, key) => total + (ledger[key]?.bytes ?? 0), 0);
}

/** Bytes on the filesystem that none of the categories accounts for. */
export function otherBytes(ledger: Ledger, usedBytes: number): number {
	return Math.max(0, usedBytes - ledgerTotal(ledger));
}
