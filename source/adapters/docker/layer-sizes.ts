import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';
import type {LayerRef} from '../../domain/types.js';

/**
 * node:crypto loaded on the first chain id, not with this module: it is a dozen of Node's
 * modules (≈ 1.5 ms), and `image NAME` loads this module at its start but hashes only later,
 * while its finds run.
 */
const load = createRequire(import.meta.url);
const sha256 = (text: string): string => (load('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(text).digest('hex');

/** Chain ids as Docker computes them: chain[0] = diff[0], chain[i] = sha256(chain[i-1] + " " + diff[i]). */
export function chainIds(diffIds: readonly string[]): string[] {
	const chain: string[] = [];
	for (const diff of diffIds) {
		const parent = chain.at(-1);
		chain.push(parent ? `sha256:${sha256(`${parent} ${diff}`)}` : diff);
	}
	return chain;
}

/** Exact layer sizes from Docker's layer store on disk; null when it is not readable here. */
export function layersFromDisk(rootDir: string, driver: string, diffIds: readonly string[]): LayerRef[] | null {
	try {
		return chainIds(diffIds).map(chainId => {
			const file = join(rootDir, 'image', driver, 'layerdb', 'sha256', chainId.replace(/^sha256:/, ''), 'size');
			return {chainId, bytes: Number(readFileSync(file, 'utf8').trim())};
		});
	} catch {
		return null;
	}
}

export interface HistoryEntry {
	Size: number;
}

/**
 * Layer sizes from image history (newest first, as the API returns it). Empty-layer
 * entries have size 0 and are not told apart from empty layers, which also weigh 0,
 * so the non-zero sizes are matched to layers from the top down.
 */
export function layersFromHistory(diffIds: readonly string[], history: readonly HistoryEntry[]): LayerRef[] {
	const chain = chainIds(diffIds);
	const sizes = history.map(h => h.Size).filter(size => size > 0);
	const layers = chain.map(chainId => ({chainId, bytes: 0}));
	for (let i = 0; i < Math.min(sizes.length, layers.length); i++) layers[layers.length - 1 - i]!.bytes = sizes[i]!;
	return layers;
}

/** An image's layer diff ids from Docker's image store on disk (its config), without an inspect call. */
export function diffIdsFromDisk(rootDir: string, driver: string, imageId: string): string[] | null {
	const hex = imageId.replace(/^sha256:/, '');
	if (!/^[0-9a-f]{64}$/.test(hex)) return null;
	try {
		const config = JSON.parse(readFileSync(join(rootDir, 'image', driver, 'imagedb', 'content', 'sha256', hex), 'utf8')) as {rootfs?: {diff_ids?: string[]}};
		return Array.isArray(config.rootfs?.diff_ids) ? config.rootfs!.diff_ids! : null;
	} catch {
		return null;
	}
}
