import {classifyImage, imagesReferenced, isLive} from './ledger.js';
import {jointBytes} from './reclaim-estimate.js';
import type {EngineSnapshot, LayerRef} from './types.js';

export type PlanItemKind = 'container' | 'image' | 'volume' | 'build-cache' | 'open-file';

export interface PlanItem {
	kind: PlanItemKind;
	engine: string;
	/** Exact id (container id, image id, volume name, build-cache record id). Removal is by this id only. */
	id: string;
	/** Raw display name (sanitise before showing). */
	name: string;
	bytes: number;
	/** True when the operator picked this item by itself (required for named volumes). */
	chosen: boolean;
	/** Named (non-anonymous) volume: only ever removed when chosen individually. */
	named?: boolean;
	/** Build cache: when the record was last used (ms since epoch), shown so the operator sees why it was picked. */
	lastUsedAt?: number;
	/** open-file (truncate a deleted file held open): the holder and the file, all re-checked at execution. */
	openFile?: OpenFileRef;
	/** Image: its layers (chain ids), so a plan counts a layer its images share once, and only when nothing left behind holds it. */
	layers?: LayerRef[];
}

/** A deleted-but-open file as planned: the same process (pid + start time), the same fd, the same inode. */
export interface OpenFileRef {
	pid: number;
	startTime: number;
	fd: number;
	device: number;
	statDevice: number;
	inode: number;
}

export interface PrunePlan {
	title: string;
	items: PlanItem[];
	/** What the items free together (see reclaim-estimate.ts), not the sum of each item's own figure. */
	totalBytes: number;
	/** Chain ids that something this plan leaves behind still holds (other images, unselected items): never counted. */
	heldLayers?: string[];
	/** Why executing may free less than estimated (shown with the estimate). */
	caveat?: string;
	/** What the estimate leaves out on purpose, and why (shown with it when there is no caveat). */
	note?: string;
}

export const typedConfirmationThreshold = 1024 ** 3;

/** Plans over 1 GiB, or holding any volume, need the operator to type the confirmation word. */
export function needsTypedConfirmation(plan: PrunePlan): boolean {
	return plan.totalBytes > typedConfirmationThreshold || plan.items.some(item => item.kind === 'volume');
}

export function confirmationWord(plan: PrunePlan): string {
	return `delete ${plan.items.length}`;
}

/**
 * A plan of exactly `items`, its estimate computed for the items together: layers
 * in `held`, or held by a `leftBehind` item, do not count.
 */
export function makePlan(title: string, items: PlanItem[], held: readonly string[] = [], leftBehind: readonly PlanItem[] = []): PrunePlan {
	// Never plan a named volume that was not chosen individually.
	const safe = items.filter(item => !(item.kind === 'volume' && item.named && !item.chosen));
	const heldLayers = [...new Set([...held, ...leftBehind.flatMap(item => (item.layers ?? []).map(l => l.chainId))])];
	const plan: PrunePlan = {title, items: safe, totalBytes: jointBytes(safe, heldLayers)};
	if (heldLayers.length > 0 || safe.some(item => item.layers)) plan.heldLayers = heldLayers;
	return plan;
}

/** What the items of `plan` that pass `keep` free together, the plan's other items left behind. */
export function estimateOf(plan: PrunePlan, keep: (item: PlanItem) => boolean): number {
	return jointBytes(
		plan.items.filter(keep),
		plan.heldLayers ?? [],
		plan.items.filter(item => !keep(item)),
	);
}

export type Verdict = {ok: true} | {ok: false; reason: string};

/**
 * Re-validation at execution time against a fresh snapshot: each item must still
 * exist and still be safe to remove (container stopped, image unreferenced, volume
 * unreferenced, cache record not in use). Anything that changed is skipped.
 */
export function revalidate(item: PlanItem, now: EngineSnapshot): Verdict {
	switch (item.kind) {
		case 'container': {
			const container = now.containers.find(c => c.id === item.id);
			if (!container) return {ok: false, reason: 'no longer exists'};
			if (isLive(container) || container.state === 'removing') return {ok: false, reason: `is ${container.state} now`};
			if (container.infra) return {ok: false, reason: 'is a pod infra container'};
			return {ok: true};
		}
		case 'image': {
			const image = now.images.find(i => i.id === item.id);
			if (!image) return {ok: false, reason: 'no longer exists'};
			const users = now.containers.filter(c => c.imageId === item.id);
			if (users.length > 0) return {ok: false, reason: `now used by ${users.length} container(s)`};
			if (image.pinned) return {ok: false, reason: 'is pinned'};
			if (image.sandbox) return {ok: false, reason: 'is the sandbox (pause) or pod infra image'};
			if (classifyImage(image, imagesReferenced(now.containers)) === 'inUse') return {ok: false, reason: 'is in use'};
			return {ok: true};
		}
		case 'volume': {
			const volume = now.usage.volumes?.find(v => v.name === item.id);
			if (!volume) return {ok: false, reason: 'no longer exists (or its usage is unknown)'};
			if (volume.refCount !== 0) return {ok: false, reason: `now referenced by ${volume.refCount ?? 'an unknown number of'} container(s)`};
			if (!volume.anonymous && !item.chosen) return {ok: false, reason: 'is a named volume that was not chosen individually'};
			return {ok: true};
		}
		case 'open-file': {
			// `now` comes from a rescan of the planned pids only: every file listed belongs to one of them.
			const ref = item.openFile;
			if (!ref) return {ok: false, reason: 'names no open file'};
			const mine = now.deletedOpen?.filter(f => f.pid === ref.pid) ?? [];
			if (mine.some(f => f.startTime !== ref.startTime)) return {ok: false, reason: 'the holder restarted since the plan (same pid, another process)'};
			const same = mine.find(f => f.device === ref.device && f.inode === ref.inode);
			if (!same) return {ok: false, reason: 'the holder exited, restarted or closed the file since the plan'};
			if (!same.holders.some(h => h.pid === ref.pid && h.fd === ref.fd)) return {ok: false, reason: `fd ${ref.fd} no longer points to that file`};
			return {ok: true};
		}
		case 'build-cache': {
			const record = now.usage.buildCache?.find(r => r.id === item.id);
			if (!record) return {ok: false, reason: 'no longer exists'};
			if (record.inUse) return {ok: false, reason: 'is in use by a build'};
			if (record.external) return {ok: false, reason: 'belongs to another tool (an external container): remove it with that tool'};
			// Chosen by age or least-recent use: a record a build used since the preview no longer fits that choice.
			if (item.lastUsedAt !== undefined && record.lastUsedAt !== undefined && record.lastUsedAt > item.lastUsedAt) return {ok: false, reason: 'was used again since the plan'};
			return {ok: true};
		}
	}
}
