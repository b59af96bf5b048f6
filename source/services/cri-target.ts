import type {CriClient} from '../adapters/cri/cri-client.js';
import {tryFilesystemStats} from '../adapters/fs/statfs.js';
import type {PlanItem} from '../domain/prune-plan.js';
import type {EngineSource} from './engines.js';
import type {EngineMutationTarget} from './mutations.js';

/**
 * CRI removals, by exact id: RemoveContainer only for exited containers and RemoveImage
 * only for unused images that are neither pinned nor the sandbox image (both checked by
 * re-validation against a fresh snapshot just before). Only services/mutations.ts uses this.
 */
export function criMutationTarget(source: EngineSource & {cri: {client: CriClient; id: string}}): EngineMutationTarget {
	let fsPath: string | undefined;
	return {
		endpoint: source.endpoint,
		remover: {
			async remove(item: PlanItem) {
				if (item.kind === 'container') await source.cri.client.removeContainer(item.id);
				else if (item.kind === 'image') await source.cri.client.removeImage(item.id);
				else throw new Error(`CRI has no ${item.kind} to remove`);
			},
		},
		refresh: async () => {
			const snapshot = await source.scan({pool: undefined as never, diskUsageTimeoutMs: 0});
			fsPath = snapshot.filesystem?.path;
			return snapshot;
		},
		filesystem: () => tryFilesystemStats(fsPath),
	};
}
