/**
 * What a set of plan items frees together. Image layers are counted once, and
 * only when nothing left behind still holds them: not an image outside the set,
 * not an item of the plan the operator left unselected. Every other item frees
 * its own bytes. Pure set arithmetic on chain ids.
 */
import type {LayerRef} from './types.js';

export interface EstimableItem {
	bytes: number;
	/** Image items: the image's layers. Absent: the item frees `bytes` by itself. */
	layers?: readonly LayerRef[];
}

/** Bytes freed by removing `chosen` together while every layer in `held` (and every layer of `leftBehind`) stays. */
export function jointBytes(chosen: readonly EstimableItem[], held: Iterable<string> = [], leftBehind: readonly EstimableItem[] = []): number {
	const kept = new Set(held);
	for (const item of leftBehind) for (const layer of item.layers ?? []) kept.add(layer.chainId);
	const freed = new Map<string, number>();
	let own = 0;
	for (const item of chosen) {
		if (!item.layers) {
			own += item.bytes;
			continue;
		}
		for (const layer of item.layers) if (!kept.has(layer.chainId)) freed.set(layer.chainId, layer.bytes);
	}
	let total = own;
	for (const bytes of freed.values()) total += bytes;
	return total;
}

/** Chain ids held by the images of `all` that are not in `chosenIds`. */
export function heldLayers(all: readonly {id: string; layers: readonly LayerRef[]}[], chosenIds: ReadonlySet<string>): string[] {
	const held = new Set<string>();
	for (const image of all) if (!chosenIds.has(image.id)) for (const layer of image.layers) held.add(layer.chainId);
	return [...held];
}

/** Measured against estimated free space: agree within 10%, with a floor for filesystem metadata. */
export const agreementRatio = 0.1;
/**
 * statfs counts blocks, not file sizes: a removal also frees directories, inodes,
 * whole blocks around small files and journal space, and a layer's size is its
 * apparent bytes. 1 MiB covers that noise for small plans (a few hundred small
 * files at 4 KiB blocks).
 */
export const agreementFloorBytes = 1024 ** 2;

export interface Agreement {
	agree: boolean;
	/** measured - estimated. */
	differenceBytes: number;
}

export function reclaimAgreement(estimatedBytes: number, measuredBytes: number): Agreement {
	const differenceBytes = measuredBytes - estimatedBytes;
	const allowed = Math.max(agreementFloorBytes, Math.abs(estimatedBytes) * agreementRatio);
	return {agree: Math.abs(differenceBytes) <= allowed, differenceBytes};
}

export interface ReclaimCheck {
	/** What the removed items were estimated to free together. */
	estimatedBytes: number;
	/** statfs free-space gain; null when not measurable here. */
	measuredBytes: number | null;
	/** Kinds of the items actually removed. */
	kinds: readonly string[];
	/** The plan's caveat (see PrunePlan.caveat): the likely cause when less was freed. */
	caveat?: string;
}

const mib = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MiB`;

/**
 * For an idle engine, what statfs measured agrees with the estimate (see
 * reclaimAgreement). Otherwise one line: how far apart, and the likely cause.
 */
export function reclaimWarning(check: ReclaimCheck): string | null {
	if (check.measuredBytes === null || check.kinds.length === 0) return null;
	const {agree, differenceBytes} = reclaimAgreement(check.estimatedBytes, check.measuredBytes);
	if (agree) return null;
	const head = `measured ${mib(check.measuredBytes)} differs from the ${mib(check.estimatedBytes)} estimated by more than 10%`;
	let cause: string;
	if (differenceBytes < 0 && check.caveat) cause = check.caveat;
	else if (differenceBytes < 0 && check.kinds.includes('container')) cause = 'a process may still hold a removed file open (deleted but open), or something wrote to this filesystem meanwhile (the engine was not idle)';
	else if (differenceBytes < 0) cause = 'something wrote to this filesystem meanwhile: the engine (running containers, builds, logs) or another process was not idle';
	else cause = 'something else freed space on this filesystem meanwhile, or the removed files took more blocks than their apparent size (many small files)';
	return `${head}: likely ${cause}`;
}
