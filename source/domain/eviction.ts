/**
 * Kubelet hard-eviction thresholds and how close a filesystem is to them. Pure:
 * the kubelet config is read by adapters/kubelet-config.ts.
 */
import {defaultImageGc, type ImageGcThresholds} from './image-gc.js';
import type {FilesystemStats} from './types.js';

export type Threshold = {kind: 'percent'; value: number} | {kind: 'bytes'; value: number};

export interface EvictionThresholds {
	nodefsAvailable: Threshold;
	imagefsAvailable: Threshold;
	nodefsInodesFree: Threshold;
	/** Where the figures came from, for the header. */
	source: 'kubelet-defaults' | string;
	/** Which of the lookup steps gave them (absent: the kubelet's defaults). */
	origin?: ThresholdOrigin;
	/** imageGCHigh/LowThresholdPercent from the same source (absent: the kubelet's defaults, 85/80). */
	imageGc?: ImageGcThresholds;
	/** A kubelet runs on this node or a kubelet config exists: the kubelet collects unused images itself. */
	kubelet?: boolean;
}

/** The image GC thresholds in use (the kubelet's defaults when none were read). */
export const imageGcOf = (thresholds: EvictionThresholds): ImageGcThresholds => thresholds.imageGc ?? defaultImageGc;

/** --kubelet-config, the running kubelet's flags, /var/lib/kubelet/config.yaml, or the defaults. */
export type ThresholdOrigin = 'flag' | 'kubelet-process' | 'config-file' | 'defaults';

/** Short words for the header: where the thresholds came from. */
export function thresholdOriginLabel(thresholds: EvictionThresholds): string {
	switch (thresholds.origin) {
		case 'flag':
			return '--kubelet-config';
		case 'kubelet-process':
			return 'running kubelet';
		case 'config-file':
			return 'kubelet config';
		default:
			return 'kubelet defaults';
	}
}

export const defaultThresholds: EvictionThresholds = {
	nodefsAvailable: {kind: 'percent', value: 10},
	imagefsAvailable: {kind: 'percent', value: 15},
	nodefsInodesFree: {kind: 'percent', value: 5},
	source: 'kubelet-defaults',
};

const units: Record<string, number> = {
	'': 1,
	k: 1e3,
	M: 1e6,
	G: 1e9,
	T: 1e12,
	P: 1e15,
	E: 1e18,
	Ki: 2 ** 10,
	Mi: 2 ** 20,
	Gi: 2 ** 30,
	Ti: 2 ** 40,
	Pi: 2 ** 50,
	Ei: 2 ** 60,
};

/** A Kubernetes quantity ("500Mi", "1Gi", "2G", "1000") or a percentage ("10%"). null when malformed. */
export function parseThreshold(text: unknown): Threshold | null {
	if (typeof text === 'number' && Number.isFinite(text) && text >= 0) return {kind: 'bytes', value: text};
	if (typeof text !== 'string') return null;
	const value = text.trim();
	const pct = /^(\d+(?:\.\d+)?)%$/.exec(value);
	if (pct) {
		const n = Number(pct[1]);
		return n <= 100 ? {kind: 'percent', value: n} : null;
	}
	const q = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(value);
	if (!q) return null;
	return {kind: 'bytes', value: Math.round(Number(q[1]) * units[q[2] ?? '']!)};
}

/**
 * Thresholds from a kubelet `evictionHard` map. Kubelet replaces its defaults with
 * the map when one is set, so signals missing from a non-empty map are disabled (0%).
 */
export function thresholdsFromEvictionHard(evictionHard: unknown, source: string): {thresholds: EvictionThresholds; warnings: string[]} {
	if (!evictionHard || typeof evictionHard !== 'object' || Object.keys(evictionHard).length === 0) {
		return {thresholds: defaultThresholds, warnings: []};
	}
	const map = evictionHard as Record<string, unknown>;
	const warnings: string[] = [];
	const pick = (signal: string): Threshold => {
		if (!(signal in map)) return {kind: 'percent', value: 0};
		const parsed = parseThreshold(map[signal]);
		if (parsed) return parsed;
		warnings.push(`evictionHard ${signal}: cannot read "${String(map[signal])}"; using the kubelet default`);
		const fallback = {'nodefs.available': 'nodefsAvailable', 'imagefs.available': 'imagefsAvailable', 'nodefs.inodesFree': 'nodefsInodesFree'} as const;
		return defaultThresholds[fallback[signal as keyof typeof fallback]];
	};
	return {
		thresholds: {
			nodefsAvailable: pick('nodefs.available'),
			imagefsAvailable: pick('imagefs.available'),
			nodefsInodesFree: pick('nodefs.inodesFree'),
			source,
		},
		warnings,
	};
}

/** The threshold as an absolute amount of `total` (bytes or inodes). */
export function thresholdAmount(threshold: Threshold, total: number): number {
	return threshold.kind === 'percent' ? (threshold.value / 100) * total : threshold.value;
}

export function describeThreshold(threshold: Threshold): string {
	return threshold.kind === 'percent' ? `${threshold.value}%` : `${threshold.value} B`;
}

export type Level = 'ok' | 'warn' | 'critical';

/** Warn when what is left is within this factor of the threshold (e.g. 10% -> warn below 20%). */
export const warnFactor = 2;

export function level(available: number, threshold: number, total: number): Level {
	if (threshold <= 0) return available <= 0 ? 'critical' : available < 0.05 * total ? 'warn' : 'ok';
	if (available < threshold) return 'critical';
	return available < threshold * warnFactor ? 'warn' : 'ok';
}

export interface FilesystemPressure {
	space: Level;
	inodes: Level;
	/** The signal whose threshold this filesystem crosses first, e.g. "imagefs.available". */
	signal: string;
	/** Available bytes at which eviction starts. */
	thresholdBytes: number;
	inodesThreshold: number;
	worst: Level;
}

/**
 * A container engine's filesystem on a single-disk node is both nodefs and imagefs,
 * so the stricter of the two space thresholds applies.
 */
export function classifyFilesystem(fs: FilesystemStats, thresholds: EvictionThresholds = defaultThresholds): FilesystemPressure {
	const nodefs = thresholdAmount(thresholds.nodefsAvailable, fs.sizeBytes);
	const imagefs = thresholdAmount(thresholds.imagefsAvailable, fs.sizeBytes);
	const [signal, thresholdBytes] = imagefs > nodefs ? ['imagefs.available', imagefs] : ['nodefs.available', nodefs];
	const inodesThreshold = thresholdAmount(thresholds.nodefsInodesFree, fs.inodesTotal);
	const space = level(fs.availableBytes, thresholdBytes, fs.sizeBytes);
	const inodes = fs.inodesTotal > 0 ? level(fs.inodesFree, inodesThreshold, fs.inodesTotal) : 'ok';
	const order: Level[] = ['ok', 'warn', 'critical'];
	const worst = order[Math.max(order.indexOf(space), order.indexOf(inodes))]!;
	return {space, inodes, signal, thresholdBytes, inodesThreshold, worst};
}
