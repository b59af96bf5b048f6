/**
 * Growth of writable layers: samples -> smoothed bytes per second, ranking,
 * and the node-level time until an eviction threshold is crossed. Pure.
 */
import type {ContainerRecord} from './types.js';

export interface Sample {
	/** Milliseconds since the epoch. */
	at: number;
	bytes: number;
}

/** Samples kept per container; the rate uses the last `window` of them. */
export const historyLength = 30;
export const defaultWindow = 12;

/**
 * Theil–Sen slope (median of pairwise slopes) of the last `window` samples, in bytes/s.
 * One noisy sample moves only a minority of the pairs, so it cannot reorder the list.
 * null with fewer than two samples.
 */
export function growthRate(samples: readonly Sample[], window = defaultWindow): number | null {
	const recent = samples.slice(-window);
	if (recent.length < 2) return null;
	const slopes: number[] = [];
	for (let i = 0; i < recent.length; i++) {
		for (let j = i + 1; j < recent.length; j++) {
			const dt = (recent[j]!.at - recent[i]!.at) / 1000;
			if (dt > 0) slopes.push((recent[j]!.bytes - recent[i]!.bytes) / dt);
		}
	}
	if (slopes.length === 0) return null;
	slopes.sort((a, b) => a - b);
	const mid = slopes.length >> 1;
	return slopes.length % 2 ? slopes[mid]! : (slopes[mid - 1]! + slopes[mid]!) / 2;
}

/** Per-container sample history, keyed by "engine/id". Pure bookkeeping, no timers. */
export class GrowthTracker {
	private readonly history = new Map<string, Sample[]>();

	constructor(
		readonly window = defaultWindow,
		readonly keep = historyLength,
		/** What is tracked: the writable layer by default; `logBytes` for log growth. */
		readonly measure: (container: ContainerRecord) => number | null = c => c.writableBytes,
	) {}

	/** A tracker of container log files (json-file logs and their rotations). */
	static forLogs(): GrowthTracker {
		return new GrowthTracker(defaultWindow, historyLength, c => c.logBytes);
	}

	static key(container: Pick<ContainerRecord, 'engine' | 'id'>): string {
		return `${container.engine}/${container.id}`;
	}

	/** Records one sample per sized container; containers that vanished are forgotten. */
	record(at: number, containers: readonly ContainerRecord[]): void {
		const present = new Set<string>();
		for (const container of containers) {
			const key = GrowthTracker.key(container);
			present.add(key);
			const bytes = this.measure(container);
			if (bytes === null) continue;
			const list = this.history.get(key) ?? [];
			if (list.length > 0 && list[list.length - 1]!.at >= at) continue;
			list.push({at, bytes});
			if (list.length > this.keep) list.splice(0, list.length - this.keep);
			this.history.set(key, list);
		}
		for (const key of this.history.keys()) if (!present.has(key)) this.history.delete(key);
	}

	samples(key: string): readonly Sample[] {
		return this.history.get(key) ?? [];
	}

	rate(key: string): number | null {
		return growthRate(this.samples(key), this.window);
	}

	rates(): Map<string, number | null> {
		return new Map([...this.history.keys()].map(key => [key, this.rate(key)]));
	}
}

export type SortKey = 'growth' | 'writable' | 'logs' | 'name';
export const sortKeys: readonly SortKey[] = ['growth', 'writable', 'logs', 'name'];

export function nextSort(current: SortKey): SortKey {
	return sortKeys[(sortKeys.indexOf(current) + 1) % sortKeys.length]!;
}

export interface Rankable {
	name: string;
	writableBytes: number | null;
	logBytes: number;
	growth: number | null;
}

const num = (value: number | null) => value ?? -Infinity;

/** Comparator for the container table: by the sort key, then by size, then by name. */
/** localeCompare's order, without building a collator per comparison (500 rows: thousands of comparisons). */
let collator: Intl.Collator | undefined;
const byName = (a: Rankable, b: Rankable) => (collator ??= new Intl.Collator()).compare(a.name, b.name);

export function compareBy(sort: SortKey): (a: Rankable, b: Rankable) => number {
	const bySize = (a: Rankable, b: Rankable) => num(b.writableBytes) - num(a.writableBytes) || byName(a, b);
	switch (sort) {
		case 'growth':
			return (a, b) => num(b.growth) - num(a.growth) || bySize(a, b);
		case 'writable':
			return bySize;
		case 'logs':
			return (a, b) => b.logBytes - a.logBytes || bySize(a, b);
		case 'name':
			return (a, b) => byName(a, b) || bySize(a, b);
	}
}

export function rank<T extends Rankable>(items: readonly T[], sort: SortKey = 'growth'): T[] {
	return [...items].sort(compareBy(sort));
}

/** Sum of positive growth: what fills the disk. Shrinking containers do not buy time. */
export function totalGrowth(rates: Iterable<number | null>): number {
	let total = 0;
	for (const rate of rates) if (rate !== null && rate > 0) total += rate;
	return total;
}

/**
 * Seconds until `availableBytes` falls to `thresholdBytes` at `growthBytesPerSec`.
 * 0 when already past it; null when nothing grows.
 */
export function timeToThreshold(availableBytes: number, thresholdBytes: number, growthBytesPerSec: number): number | null {
	if (availableBytes <= thresholdBytes) return 0;
	if (!(growthBytesPerSec > 0)) return null;
	return (availableBytes - thresholdBytes) / growthBytesPerSec;
}
