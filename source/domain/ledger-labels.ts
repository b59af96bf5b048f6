import type {LedgerCategory} from './ledger.js';

export const ledgerLabels: Record<LedgerCategory, string> = {
	liveLayers: 'Live writable layers',
	stoppedContainers: 'Stopped containers',
	containerLogs: 'Container logs',
	imagesInUse: 'Images in use',
	unusedImages: 'Unused images',
	danglingImages: 'Dangling images',
	buildCache: 'Build cache',
	volumes: 'Volumes',
	deletedOpen: 'Deleted, still open',
};

/** Bytes that are reclaimable by cleanup in each category (not counting redesign). */
export function reclaimable(category: LedgerCategory, entry: {bytes: number; reclaimableBytes?: number} | null): number | null {
	if (!entry) return null;
	if (entry.reclaimableBytes !== undefined) return entry.reclaimableBytes;
	if (category === 'stoppedContainers' || category === 'unusedImages' || category === 'danglingImages') return entry.bytes;
	return 0;
}
