/**
 * Image layers that build-cache records keep on disk. Docker's BuildKit stores each
 * record's result as a layer of the engine's layer store (the record's chain id, read
 * from BuildKit's snapshot database by adapters/docker/buildkit-snapshots.ts); while the
 * record exists, that layer and every layer below it stay, whatever images are removed.
 * Pure.
 */
import type {BuildCacheRecord, LayerRef} from './types.js';

export interface BuildCacheHold {
	/** Chain ids the records keep: their own layers and the layers below them. */
	held: Set<string>;
	/** Records shared with images whose layer is not known here (remote engine, another store): the estimate cannot leave theirs out. */
	unknownShared: number;
	/** Records whose layer is known and kept. */
	records: number;
}

export function buildCacheHold(images: readonly {layers: readonly LayerRef[]}[], records: readonly BuildCacheRecord[] | null): BuildCacheHold {
	const held = new Set<string>();
	let unknownShared = 0;
	let count = 0;
	const tops = new Set<string>();
	for (const record of records ?? []) {
		if (record.chainId === undefined) {
			if (record.shared) unknownShared++;
			continue;
		}
		if (record.chainId === null) continue;
		tops.add(record.chainId);
		count++;
	}
	if (tops.size === 0) return {held, unknownShared, records: count};
	for (const chainId of tops) held.add(chainId);
	// A layer keeps its parents: every layer below a held one in an image's chain.
	for (const image of images) {
		let top = -1;
		for (let i = 0; i < image.layers.length; i++) if (tops.has(image.layers[i]!.chainId)) top = i;
		for (let i = 0; i <= top; i++) held.add(image.layers[i]!.chainId);
	}
	return {held, unknownShared, records: count};
}
