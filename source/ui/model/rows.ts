/** Container table rows derived from the snapshot and the feed's growth figures. Pure. */
import {compareBy, GrowthTracker, sortKeys, type SortKey} from '../../domain/growth.js';
import {sanitize} from '../../domain/sanitize.js';
import type {ContainerRecord, NodeSnapshot} from '../../domain/types.js';
import type {FeedState} from '../../services/console-feed.js';

export interface ContainerRow {
	key: string;
	engine: string;
	/** Display text (sanitised), not yet truncated. */
	name: string;
	image: string;
	state: string;
	writableBytes: number | null;
	logBytes: number;
	/** Bytes per second, null until two samples exist. */
	growth: number | null;
	/** Recent writable sizes, oldest first. */
	series: number[];
	record: ContainerRecord;
}

export function containerName(record: ContainerRecord): string {
	const raw = record.pod ? `${record.pod.namespace}/${record.pod.name}/${record.name}` : record.name || record.id.slice(0, 12);
	return sanitize(raw);
}

export function buildRows(snapshot: NodeSnapshot | null, feed: Pick<FeedState, 'growth' | 'history'>, sort: SortKey): ContainerRow[] {
	return sortRows(collectRows(snapshot, feed), sort);
}

/** The rows in the order `sort` asks for (a new array; the rows themselves are shared, so memoised rows stay memoised). */
export function sortRows(rows: readonly ContainerRow[], sort: SortKey): ContainerRow[] {
	return [...rows].sort(compareBy(sort));
}

/** Every order at once, when a sample arrives: a key press (`s`) then only picks one. */
export function sortedOrders(rows: readonly ContainerRow[]): Record<SortKey, ContainerRow[]> {
	return Object.fromEntries(sortKeys.map(key => [key, sortRows(rows, key)])) as Record<SortKey, ContainerRow[]>;
}

/** Same cells on screen: a row rebuilt by a new sample with the same figures need not be drawn again. */
export function sameRowContent(a: ContainerRow, b: ContainerRow): boolean {
	if (a === b) return true;
	if (a.key !== b.key || a.name !== b.name || a.engine !== b.engine || a.image !== b.image || a.state !== b.state) return false;
	if (a.writableBytes !== b.writableBytes || a.logBytes !== b.logBytes || a.growth !== b.growth || a.series.length !== b.series.length) return false;
	return a.series.every((v, i) => v === b.series[i]);
}

/** Rows in the snapshot's order: built once per sample, not per key press (sorting is sortRows). */
export function collectRows(snapshot: NodeSnapshot | null, feed: Pick<FeedState, 'growth' | 'history'>): ContainerRow[] {
	if (!snapshot) return [];
	const rows: ContainerRow[] = [];
	for (const engine of snapshot.engines) {
		for (const record of engine.containers) {
			const key = GrowthTracker.key(record);
			rows.push({
				key,
				engine: sanitize(engine.runtime.name),
				name: containerName(record),
				image: sanitize(record.image),
				state: record.state,
				writableBytes: record.writableBytes,
				logBytes: record.logBytes,
				growth: feed.growth.get(key) ?? null,
				series: (feed.history.get(key) ?? []).map(s => s.bytes),
				record,
			});
		}
	}
	return rows;
}
