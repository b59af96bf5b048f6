/** Which containers the guide talks about. Pure. */
import {rank} from '../../domain/growth.js';
import {GrowthTracker} from '../../domain/growth.js';
import {wordsFor, type EngineWords} from '../../domain/engine-words.js';
import type {ContainerRecord, NodeSnapshot} from '../../domain/types.js';
import type {DrilledContainer, GuideDrills, Mechanism, MetadataMechanism} from './guide-model.js';

export const keyOf = (record: Pick<ContainerRecord, 'engine' | 'id'>) => GrowthTracker.key(record);

export function allContainers(snapshot: NodeSnapshot | null): ContainerRecord[] {
	return snapshot ? snapshot.engines.flatMap(e => e.containers) : [];
}

/** Containers by growth (then size), as the overview ranks them. */
export function rankedByGrowth(snapshot: NodeSnapshot | null, growth: ReadonlyMap<string, number | null>) {
	const items = allContainers(snapshot).map(record => ({record, name: record.name, writableBytes: record.writableBytes, logBytes: record.logBytes, growth: growth.get(keyOf(record)) ?? null}));
	return rank(items, 'growth');
}

/** The container that grows fastest; null when nothing grows (or growth is not measured yet). */
export function topGrower(snapshot: NodeSnapshot | null, growth: ReadonlyMap<string, number | null>): ContainerRecord | null {
	const first = rankedByGrowth(snapshot, growth)[0];
	return first && first.growth !== null && first.growth > 0 ? first.record : null;
}

/** What step 4 drills into: the top grower, else the largest writable layer. */
export function focusContainer(snapshot: NodeSnapshot | null, growth: ReadonlyMap<string, number | null>): ContainerRecord | null {
	return topGrower(snapshot, growth) ?? rank(rankedByGrowth(snapshot, growth), 'writable')[0]?.record ?? null;
}

/**
 * The focus the guide keeps: its example stays the same container from step 3 to step 5 while it
 * still grows. A new top grower takes over only when it grows at least `lead` times as fast, or when
 * the focus is gone or no longer grows. Without this, two containers that take turns at the top
 * (bursty writers) would restart the drill-down at every sample and it would never finish.
 */
export function stickyFocus(previous: string | null, snapshot: NodeSnapshot | null, growth: ReadonlyMap<string, number | null>, lead = 2): ContainerRecord | null {
	const next = focusContainer(snapshot, growth);
	if (previous === null || next === null || keyOf(next) === previous) return next;
	const kept = allContainers(snapshot).find(c => keyOf(c) === previous);
	const own = growth.get(previous) ?? null;
	if (!kept || own === null || own <= 0) return next;
	const top = growth.get(keyOf(next)) ?? null;
	return top !== null && top >= lead * own ? next : kept;
}

/** The order in which other containers are drilled to find a copy-up and a whiteout: every one with a writable layer. */
export function searchOrder(snapshot: NodeSnapshot | null, focus: ContainerRecord | null, limit = 16): ContainerRecord[] {
	return allContainers(snapshot)
		.filter(c => c.upperDir && (!focus || keyOf(c) !== keyOf(focus)))
		.sort((a, b) => (b.writableBytes ?? 0) - (a.writableBytes ?? 0))
		.slice(0, limit);
}

const weight = (m: Mechanism) => m.change.lowerBytes ?? 0;

/** The biggest copy-up, whiteout and metadata-only copy-up among drilled containers; the focus container's own win ties. */
export function findMechanisms(drilled: readonly DrilledContainer[]): Pick<GuideDrills, 'copyUp' | 'whiteout' | 'metadataCopyUp'> {
	let copyUp: Mechanism | null = null;
	let whiteout: Mechanism | null = null;
	let metadataCopyUp: MetadataMechanism | null = null;
	for (const {record, tree} of drilled) {
		const m = tree.metadataCopyUp;
		if (m && (!metadataCopyUp || m.bytes > metadataCopyUp.summary.bytes)) metadataCopyUp = {record, summary: m};
		for (const change of tree.changes) {
			if (change.dir) continue;
			const found = {record, change};
			if (change.class === 'copy-up' && (!copyUp || weight(found) > weight(copyUp))) copyUp = found;
			if (change.kind === 'D' && (!whiteout || weight(found) > weight(whiteout))) whiteout = found;
		}
	}
	return {copyUp, whiteout, metadataCopyUp};
}

/**
 * The engine words a step speaks: the container's engine's when it talks about one, else the
 * first engine's (the guide on a node with one engine kind says only that kind's commands).
 */
export function wordsOf(snapshot: NodeSnapshot | null, record?: Pick<ContainerRecord, 'engine'> | null): EngineWords {
	const engines = snapshot?.engines ?? [];
	const engine = (record && engines.find(e => e.runtime.id === record.engine)) ?? engines[0];
	return wordsFor(engine?.runtime.kind);
}
