/** Container table rows derived from the snapshot and the feed's growth figures. Pure. */
import {compareBy, GrowthTracker, sortKeys, type SortKey} from '../../domain/growth.js';
import {sanitize} from '../../domain/sanitize.js';
import {stringWidth} from '../../domain/text-width.js';
import {middle} from './fit.js';
import type {ContainerRecord, EngineKind, NodeSnapshot} from '../../domain/types.js';
import type {FeedState} from '../../services/console-feed.js';

export interface ContainerRow {
	key: string;
	engine: string;
	/** The engine's kind: which words (domain/engine-words.ts) the screens use for this container. */
	kind: EngineKind;
	/** Display text (sanitised), not yet truncated: the container's own name first, then its pod (see containerName). */
	name: string;
	/** The container's own name (sanitised). */
	container: string;
	/** `namespace/pod` on CRI engines, the pod's name on Podman (sanitised), else ''. */
	pod: string;
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

/**
 * What tells containers apart comes first: on a Kubernetes node every container of a pod
 * shares `namespace/pod`, so the container's own name leads and the pod follows it
 * ("node-exporter  monitoring/node-exporter-7d9f8-x2x9q"); cutting the end keeps it.
 */
export function containerName(record: ContainerRecord): string {
	const own = sanitize(record.name || record.id.slice(0, 12));
	return record.pod ? `${own}  ${podName(record)}` : own;
}

/** `namespace/pod` (CRI) or the pod's name (Podman pods have no namespace), sanitised; '' outside a pod. */
export function podName(record: ContainerRecord): string {
	return record.pod ? sanitize(record.pod.namespace ? `${record.pod.namespace}/${record.pod.name}` : record.pod.name) : '';
}

/** The NAME cell at `width` columns: the container's name whole when it fits, the pod cut from the middle after it. */
export function nameCell(row: Pick<ContainerRow, 'name' | 'container' | 'pod'>, width: number): string {
	if (!row.pod) return row.name;
	const room = width - stringWidth(row.container) - 1;
	if (room < 6) return row.container;
	return `${row.container} ${middle(row.pod, room)}`;
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
			// A row is one container of one engine: keyed by the engine it is listed under (unique
			// in a snapshot), since two engines of one kind can both hold a container "docker/<id>".
			const key = GrowthTracker.key(record);
			rows.push({
				key: engine.runtime.id === record.engine ? key : GrowthTracker.key({engine: engine.runtime.id, id: record.id}),
				engine: sanitize(engine.runtime.name),
				kind: engine.runtime.kind,
				name: containerName(record),
				container: sanitize(record.name || record.id.slice(0, 12)),
				pod: podName(record),
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
