/**
 * Which image layer each of Docker's BuildKit build-cache records is. Docker's BuildKit
 * keeps its snapshots in the engine's own layer store, and records them in
 * `<data-root>/buildkit/snapshots.db` (bbolt): one bucket per snapshot, named by the
 * record's id, whose `chainid` key is the layer's chain id. The engine's API does not say
 * this (its build-cache records only carry `Shared`).
 */
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import type {BuildCacheRecord} from '../../domain/types.js';
import {readBoltBuckets} from './bolt-read.js';

/**
 * Record id → chain id; null when there is no such database (not Docker's BuildKit: Podman's
 * Buildah, a remote engine) or it cannot be read or understood: then nothing is known.
 */
export function buildKitLayerChains(rootDir: string): Map<string, string> | null {
	const file = join(rootDir, 'buildkit', 'snapshots.db');
	if (!existsSync(file)) return null;
	try {
		const chains = new Map<string, string>();
		for (const [name, keys] of readBoltBuckets(file)) {
			const chain = keys.get('chainid')?.toString('latin1');
			if (chain && /^sha256:[0-9a-f]{64}$/.test(chain)) chains.set(name, chain);
		}
		return chains;
	} catch {
		return null;
	}
}

/** The records with their layer (chainId: string or null) when the database could be read, unchanged otherwise. */
export function withLayerChains(records: BuildCacheRecord[], rootDir: string | undefined): BuildCacheRecord[] {
	if (!rootDir || records.length === 0) return records;
	const chains = buildKitLayerChains(rootDir);
	if (!chains) return records;
	return records.map(r => ({...r, chainId: chains.get(r.id) ?? null}));
}
