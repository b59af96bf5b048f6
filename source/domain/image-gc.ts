/**
 * The kubelet's own image garbage collector, next to its hard eviction. Pure: the
 * figures are read by adapters/kubelet-config.ts from the same source as evictionHard.
 *
 * The kubelet (pkg/kubelet/images/image_gc_manager.go) checks every 5 minutes:
 * usage = 100 - available*100/capacity of the image filesystem; at usage >=
 * imageGCHighThresholdPercent it deletes unused images (least recently used first)
 * until usage is down to imageGCLowThresholdPercent. A high threshold of 100 turns it
 * off. The sandbox (pause) image and pinned images are never collected.
 */
import {duration} from './format.js';
import {timeToThreshold} from './growth.js';
import type {FilesystemStats} from './types.js';

export interface ImageGcThresholds {
	/** imageGCHighThresholdPercent: image GC starts at this disk usage (0..100; 100 disables it). */
	highPercent: number;
	/** imageGCLowThresholdPercent: image GC frees down to this usage. */
	lowPercent: number;
}

export const defaultImageGc: ImageGcThresholds = {highPercent: 85, lowPercent: 80};

const percentOf = (value: unknown): number | null => {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 100 ? n : null;
};

/**
 * imageGCHighThresholdPercent / imageGCLowThresholdPercent from a kubelet config (or its
 * --image-gc-high-threshold / --image-gc-low-threshold flags), the kubelet's defaults
 * (85/80) for whatever is missing. A value that does not parse, or low > high, falls back
 * to the defaults with a warning, as the kubelet refuses such a config.
 */
export function imageGcFrom(values: {high?: unknown; low?: unknown}, source: string): {imageGc: ImageGcThresholds; warnings: string[]} {
	const warnings: string[] = [];
	const pick = (raw: unknown, name: string, fallback: number): number => {
		if (raw === undefined || raw === null) return fallback;
		const n = percentOf(raw);
		if (n !== null) return n;
		warnings.push(`${source}: ${name} "${String(raw)}" is not a percentage from 0 to 100; using the kubelet default ${fallback}`);
		return fallback;
	};
	const highPercent = pick(values.high, 'imageGCHighThresholdPercent', defaultImageGc.highPercent);
	const lowPercent = pick(values.low, 'imageGCLowThresholdPercent', defaultImageGc.lowPercent);
	if (lowPercent > highPercent) {
		warnings.push(`${source}: imageGCLowThresholdPercent ${lowPercent} is above imageGCHighThresholdPercent ${highPercent}; using the kubelet defaults 85/80`);
		return {imageGc: defaultImageGc, warnings};
	}
	return {imageGc: {highPercent, lowPercent}, warnings};
}

/** Image GC is off at a high threshold of 100. */
export const imageGcEnabled = (gc: ImageGcThresholds) => gc.highPercent < 100;

/** Available bytes at which image GC starts (usage reaches the high threshold). */
export function imageGcStartBytes(fs: Pick<FilesystemStats, 'sizeBytes'>, gc: ImageGcThresholds): number {
	return (fs.sizeBytes * (100 - gc.highPercent)) / 100;
}

/** Bytes image GC wants to free right now: down to the low threshold (0 below the high one). */
export function imageGcWantsBytes(fs: Pick<FilesystemStats, 'sizeBytes' | 'availableBytes'>, gc: ImageGcThresholds): number {
	if (!imageGcEnabled(gc) || fs.availableBytes > imageGcStartBytes(fs, gc)) return 0;
	return Math.max(0, (fs.sizeBytes * (100 - gc.lowPercent)) / 100 - fs.availableBytes);
}

export interface ReclaimOrder {
	/** What the kubelet does first as the disk fills at the current growth. */
	first: 'image-gc' | 'eviction';
	/** Seconds until image GC starts (0: due now); null when nothing grows or image GC is off. */
	imageGcEta: number | null;
	/** Seconds until the eviction threshold; null when nothing grows. */
	evictionEta: number | null;
	/** Available bytes at which each starts. */
	imageGcAtBytes: number | null;
	evictionAtBytes: number;
	enabled: boolean;
}

/**
 * Which comes first as the filesystem fills: image GC (available falls to
 * capacity*(100-high)/100) or hard eviction (available below `evictionAtBytes`, the
 * strictest of nodefs/imagefs on a one-disk node). At equal thresholds image GC comes
 * first: it starts at usage >= high, eviction only below the threshold, and the
 * eviction manager itself reclaims unused images before it evicts a pod.
 */
export function reclaimOrder(fs: Pick<FilesystemStats, 'sizeBytes' | 'availableBytes'>, evictionAtBytes: number, gc: ImageGcThresholds, growthBytesPerSec: number): ReclaimOrder {
	const enabled = imageGcEnabled(gc);
	const gcAt = enabled ? imageGcStartBytes(fs, gc) : null;
	const evictionEta = timeToThreshold(fs.availableBytes, evictionAtBytes, growthBytesPerSec);
	const imageGcEta = gcAt === null ? null : timeToThreshold(fs.availableBytes, gcAt, growthBytesPerSec);
	const first = gcAt !== null && gcAt >= evictionAtBytes ? 'image-gc' : 'eviction';
	return {first, imageGcEta, evictionEta, imageGcAtBytes: gcAt, evictionAtBytes, enabled};
}

const when = (eta: number | null) => (eta === null ? 'not at the current growth' : eta === 0 ? 'now' : `in ${duration(eta)}`);

/** One sentence: which comes first, and when (guide, report): "image GC comes first, in 12m; eviction in 41m". */
export function reclaimOrderSentence(order: ReclaimOrder): string {
	if (!order.enabled) return `image GC is off (imageGCHighThresholdPercent 100): eviction comes first, ${when(order.evictionEta)}`;
	if (order.imageGcEta === null && order.evictionEta === null) return `${order.first === 'image-gc' ? 'image GC' : 'eviction'} comes first as the disk fills; nothing is growing now`;
	const gcText = `image GC ${when(order.imageGcEta)}`;
	const evText = `eviction ${when(order.evictionEta)}`;
	return order.first === 'image-gc' ? `image GC comes first, ${when(order.imageGcEta)}; ${evText}` : `eviction comes first, ${when(order.evictionEta)}; ${gcText}`;
}

/** A few words for the header: "image GC in 12m, then eviction in 41m". */
export function reclaimOrderShort(order: ReclaimOrder): string {
	const short = (eta: number | null) => (eta === null ? '—' : eta === 0 ? 'now' : `in ${duration(eta)}`);
	if (!order.enabled) return `eviction ${short(order.evictionEta)} (image GC off)`;
	return order.first === 'image-gc' ? `image GC ${short(order.imageGcEta)}, eviction ${short(order.evictionEta)}` : `eviction ${short(order.evictionEta)}, image GC ${short(order.imageGcEta)}`;
}
