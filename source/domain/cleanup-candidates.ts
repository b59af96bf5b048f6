import {classifyImage, imagesReferenced, isLive} from './ledger.js';
import {makePlan, type PlanItem, type PrunePlan} from './prune-plan.js';
import type {EngineSnapshot, ImageRecord} from './types.js';

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

export interface BuildCacheFilter {
	/** Only records last used before now - olderThanMs. */
	olderThanMs?: number;
	/** Remove least recently used records until at most this many bytes remain. */
	keepBytes?: number;
}

/** The cleanup plans one engine offers, each listing exactly the items it would remove. */
export function cleanupPlans(engine: EngineSnapshot, options: {now?: number; buildCache?: BuildCacheFilter} = {}): PrunePlan[] {
	const plans: PrunePlan[] = [];
	const id = engine.runtime.id;
	const stopped = engine.containers.filter(c => !isLive(c) && c.state !== 'removing');
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
	if (engine.usage.buildCache) plans.push(makePlan('Prune build cache', buildCacheItems(engine, options.now ?? Date.now(), options.buildCache)));
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

function buildCacheItems(engine: EngineSnapshot, now: number, filter: BuildCacheFilter = {}): PlanItem[] {
	let records = (engine.usage.buildCache ?? []).filter(r => !r.inUse && !r.shared);
	if (filter.olderThanMs !== undefined) records = records.filter(r => r.lastUsedAt !== undefined && now - r.lastUsedAt > filter.olderThanMs!);
	if (filter.keepBytes !== undefined) {
		const all = (engine.usage.buildCache ?? []).filter(r => !r.shared);
		let remaining = all.reduce((t, r) => t + r.bytes, 0);
		const lru = [...records].sort((a, b) => (a.lastUsedAt ?? 0) - (b.lastUsedAt ?? 0));
		records = [];
		for (const record of lru) {
			if (remaining <= filter.keepBytes) break;
			records.push(record);
			remaining -= record.bytes;
		}
	}
	return records.map(r => ({kind: 'build-cache', engine: engine.runtime.id, id: r.id, name: r.description || r.type, bytes: r.bytes, chosen: false}));
}
