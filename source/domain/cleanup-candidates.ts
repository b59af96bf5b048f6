import {buildCacheHold} from './build-cache-layers.js';
import {classifyImage, imagesReferenced, isLive} from './ledger.js';
import {describeBuildCacheFilter, type BuildCacheFilter} from './build-cache-filter.js';
import {makePlan, type PlanItem, type PrunePlan} from './prune-plan.js';
import {heldLayers, jointBytes} from './reclaim-estimate.js';
import type {BuildCacheRecord, EngineSnapshot, ImageRecord, LayerRef} from './types.js';

/** An image's layers; an image whose layers are unknown is one layer of its own. */
export function layersOf(image: ImageRecord): LayerRef[] {
	return image.layers.length > 0 ? image.layers : [{chainId: `image:${image.id}`, bytes: image.virtualBytes}];
}

const withLayers = (all: readonly ImageRecord[]) => all.map(image => ({id: image.id, layers: layersOf(image)}));

/** Bytes freed by removing `chosen` together: their layers that no other image keeps (nor `alsoHeld`: build-cache records), each once. */
export function freedImageBytes(chosen: readonly ImageRecord[], all: readonly ImageRecord[], alsoHeld: Iterable<string> = []): number {
	const held = [...heldLayers(withLayers(all), new Set(chosen.map(i => i.id))), ...alsoHeld];
	return jointBytes(
		chosen.map(image => ({bytes: 0, layers: layersOf(image)})),
		held,
	);
}

const mib = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MiB`;

/**
 * Image items whose estimate is joint: each item shows what removing it alone frees,
 * the plan counts what they free together, and the layers every other image of the
 * engine holds are never counted.
 */
function imagePlan(title: string, engine: EngineSnapshot, images: readonly ImageRecord[]): PrunePlan {
	// Layers build-cache records keep stay on disk whatever images go: never counted as freed.
	const cache = buildCacheHold(engine.images, engine.usage.buildCache);
	const items: PlanItem[] = images.map(image => ({
		kind: 'image' as const,
		engine: engine.runtime.id,
		id: image.id,
		name: image.tags[0] ?? image.id.replace(/^sha256:/, '').slice(0, 12),
		bytes: freedImageBytes([image], engine.images, cache.held),
		chosen: false,
		layers: layersOf(image),
	}));
	const byOthers = heldLayers(withLayers(engine.images), new Set(images.map(i => i.id)));
	const plan = makePlan(title, items, [...byOthers, ...cache.held]);
	if (cache.unknownShared > 0) {
		// The engine does not say here which layers a shared record holds, so they cannot be left out of the estimate.
		plan.caveat = `${cache.unknownShared} build-cache record(s) share layers with images and keep them on disk until the build cache is pruned (not known here which: the estimate may be too high)`;
	} else {
		// Layers these images alone hold, that only build-cache records keep: what pruning the build cache first would add.
		const others = new Set(byOthers);
		const kept = new Map<string, number>();
		for (const image of images) for (const layer of layersOf(image)) if (cache.held.has(layer.chainId) && !others.has(layer.chainId)) kept.set(layer.chainId, layer.bytes);
		const keptBytes = [...kept.values()].reduce((t, b) => t + b, 0);
		if (kept.size > 0) plan.note = `not counted: ${mib(keptBytes)} in ${kept.size} layer(s) only these images and build-cache records hold: they stay on disk until the build cache is pruned too`;
	}
	return plan;
}

export const allUnusedImagesTitle = 'Remove unused images, dangling included';

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
	plans.push(imagePlan('Remove dangling images', engine, dangling));
	plans.push(imagePlan('Remove unused images', engine, unused));
	// What `docker image prune -a` takes: its estimate is the ledger's unused + dangling reclaimable bytes.
	if (dangling.length > 0 && unused.length > 0) plans.push(imagePlan(allUnusedImagesTitle, engine, [...unused, ...dangling]));
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
