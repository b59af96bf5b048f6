import {classifyImage, imagesReferenced, isLive} from './ledger.js';
import type {EngineSnapshot} from './types.js';

export type PlanItemKind = 'container' | 'image' | 'volume' | 'build-cache';

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
}

export interface PrunePlan {
	title: string;
	items: PlanItem[];
	totalBytes: number;
}

export const typedConfirmationThreshold = 1024 ** 3;

/** Plans over 1 GiB, or holding any volume, need the operator to type the confirmation word. */
export function needsTypedConfirmation(plan: PrunePlan): boolean {
	return plan.totalBytes > typedConfirmationThreshold || plan.items.some(item => item.kind === 'volume');
}

export function confirmationWord(plan: PrunePlan): string {
	return `delete ${plan.items.length}`;
}

export function makePlan(title: string, items: PlanItem[]): PrunePlan {
	// Never plan a named volume that was not chosen individually.
	const safe = items.filter(item => !(item.kind === 'volume' && item.named && !item.chosen));
	return {title, items: safe, totalBytes: safe.reduce((total, item) => total + item.bytes, 0)};
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
