/** Container table rows derived from the snapshot and the feed's growth figures. Pure. */
import {compareBy, GrowthTracker, type SortKey} from '../../domain/growth.js';
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
	// CRI pods carry a namespace; Podman pods have none.
	const raw = record.pod ? `${record.pod.namespace ? `${record.pod.namespace}/` : ''}${record.pod.name}/${record.name}` : record.name || record.id.slice(0, 12);
	return sanitize(raw);
}

export function buildRows(snapshot: NodeSnapshot | null, feed: Pick<FeedState, 'growth' | 'history'>, sort: SortKey): ContainerRow[] {
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
	return rows.sort(compareBy(sort));
}
