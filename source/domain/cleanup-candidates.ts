import {classifyImage, imagesReferenced, isLive} from './ledger.js';
import {describeBuildCacheFilter, type BuildCacheFilter} from './build-cache-filter.js';
import {makePlan, type PlanItem, type PrunePlan} from './prune-plan.js';
import type {BuildCacheRecord, EngineSnapshot, ImageRecord} from './types.js';

/** Bytes freed by removing `chosen`: their layers that no other image keeps. */
export function freedImageBytes(chosen: readonly ImageRecord[], all: readonly ImageRecord[]): number {
	const ids = new Set(chosen.map(i => i.id));
	const kept = new Set(all.filter(i => !ids.has(i.id)).flatMap(i => i.layers.map(l => l.chainId)));
	const freed = new Map<string, number>();
	for (const image of chosen) {
		const layers = image.layers.length > 0 ? image.layers : [{chainId: `image:${image.id}`, bytes: image.virtualBytes}];
		for (const layer of layers) if (!kept.has(layer.chainId)) freed.set(layer.chainId, layer.bytes);
	}
	return [...freed.values()].reduce((t, b) => t + b, 0);
}

function imageItems(engine: EngineSnapshot, images: ImageRecord[]): PlanItem[] {
	// Per-item estimate: the layers only this image holds; the plan total is recomputed for the whole set.
	return images.map(image => ({
		kind: 'image' as const,
		engine: engine.runtime.id,
		id: image.id,
		name: image.tags[0] ?? image.id.replace(/^sha256:/, '').slice(0, 12),
		bytes: freedImageBytes([image], engine.images),
		chosen: false,
	}));
}

function withImageTotal(plan: PrunePlan, engine: EngineSnapshot): PrunePlan {
	const chosen = engine.images.filter(i => plan.items.some(item => item.id === i.id));
	return {...plan, totalBytes: freedImageBytes(chosen, engine.images)};
}

/** The cleanup plans one engine offers, each listing exactly the items it would remove. */
export function cleanupPlans(engine: EngineSnapshot, options: {now?: number; buildCache?: BuildCacheFilter} = {}): PrunePlan[] {
	const plans: PrunePlan[] = [];
	const id = engine.runtime.id;
	// A Podman pod's infra container goes with its pod, never on its own.
	const stopped = engine.containers.filter(c => !isLive(c) && c.state !== 'removing' && !c.infra);
	plans.push(
		makePlan(
			'Remove stopped containers',
			stopped.map(c => ({kind: 'container', engine: id, id: c.id, name: c.name, bytes: (c.writableBytes ?? 0) + c.logBytes, chosen: false})),
		),
	);
	const referenced = imagesReferenced(engine.containers);
	const removable = (image: ImageRecord) => !image.pinned && !image.sandbox;
	const dangling = engine.images.filter(i => classifyImage(i, referenced) === 'dangling' && removable(i));
	const unused = engine.images.filter(i => classifyImage(i, referenced) === 'unused' && removable(i));
	plans.push(withImageTotal(makePlan('Remove dangling images', imageItems(engine, dangling)), engine));
	plans.push(withImageTotal(makePlan('Remove unused images', imageItems(engine, unused)), engine));
	if (engine.usage.buildCache) plans.push(buildCachePlan(engine, options.now ?? Date.now(), options.buildCache));
	if (engine.usage.volumes) {
		const orphans = engine.usage.volumes.filter(v => v.refCount === 0 && v.anonymous);
		plans.push(
			makePlan(
				'Remove unreferenced anonymous volumes',
				orphans.map(v => ({kind: 'volume', engine: id, id: v.name, name: v.name, bytes: v.bytes ?? 0, chosen: false, named: false})),
			),
		);
	}
	return plans.filter(plan => plan.items.length > 0);
}

/** The build-cache plan for one filter; its title names the filter. Empty when nothing matches. */
export function buildCachePlan(engine: EngineSnapshot, now: number, filter: BuildCacheFilter = {}): PrunePlan {
	return makePlan(buildCacheTitle(filter), buildCacheItems(engine, now, filter));
}

export function buildCacheTitle(filter: BuildCacheFilter = {}): string {
	// No filter keeps the plain title other screens and the recorded fixtures know.
	return filter.olderThanMs === undefined && filter.keepBytes === undefined ? 'Prune build cache' : `Prune build cache: ${describeBuildCacheFilter(filter)}`;
}

/** What the build cache holds beyond what images share with it: what keep-storage caps (in-use records included). */
export function unsharedCacheBytes(records: readonly BuildCacheRecord[]): number {
	return records.filter(r => !r.shared).reduce((t, r) => t + r.bytes, 0);
}

/**
 * Exactly the records a `docker builder prune` with these options would consider, as
 * we read its semantics (see build-cache-filter.ts): never a record in use or shared
 * with an image; with olderThanMs only records whose last use is known and older; with
 * keepBytes the least recently used of those until the unshared total (in-use records
 * included, as BuildKit counts it) is at or below the amount.
 */
function buildCacheItems(engine: EngineSnapshot, now: number, filter: BuildCacheFilter = {}): PlanItem[] {
	const all = engine.usage.buildCache ?? [];
	// External records (Buildah's working containers on a Podman store) are shown, never pruned.
	let records = all.filter(r => !r.inUse && !r.shared && !r.external);
	if (filter.olderThanMs !== undefined) records = records.filter(r => r.lastUsedAt !== undefined && now - r.lastUsedAt > filter.olderThanMs!);
	if (filter.keepBytes !== undefined) {
		let remaining = unsharedCacheBytes(all);
		// Least recently used first; a record never used (no time) goes first, as in BuildKit.
		const lru = [...records].sort((a, b) => (a.lastUsedAt ?? 0) - (b.lastUsedAt ?? 0));
		records = [];
		for (const record of lru) {
			if (remaining <= filter.keepBytes) break;
			records.push(record);
			remaining -= record.bytes;
		}
	}
	return records.map(r => ({
		kind: 'build-cache' as const,
		engine: engine.runtime.id,
		id: r.id,
		name: r.description || r.type,
		bytes: r.bytes,
		chosen: false,
		lastUsedAt: r.lastUsedAt,
	}));
}
