/**
 * Which items of a plan the operator keeps. Cleanup plans start with every item
 * selected; pickers (volumes one by one) start empty and every item the operator
 * selects there is chosen individually, which is the only way a named volume is
 * ever removed.
 */
import {makePlan, type PlanItem, type PrunePlan} from '../../domain/prune-plan.js';
import type {NodeSnapshot} from '../../domain/types.js';

export interface PlanDraft {
	/** Everything that can be chosen, as listed. */
	plan: PrunePlan;
	selected: readonly boolean[];
	/** A picker: selected items count as chosen individually. */
	individual: boolean;
}

export function draftOf(plan: PrunePlan, individual = false): PlanDraft {
	return {plan, selected: plan.items.map(() => !individual), individual};
}

export function toggleItem(draft: PlanDraft, index: number): PlanDraft {
	if (index < 0 || index >= draft.selected.length) return draft;
	return {...draft, selected: draft.selected.map((on, i) => (i === index ? !on : on))};
}

/** All when some are off, none when all are on. */
export function toggleAll(draft: PlanDraft): PlanDraft {
	const on = !draft.selected.every(Boolean);
	return {...draft, selected: draft.selected.map(() => on)};
}

export const selectedCount = (draft: PlanDraft) => draft.selected.filter(Boolean).length;

/**
 * The plan that would be executed: exactly the selected items, its estimate
 * recomputed for them together: a layer an unselected item still holds no longer counts.
 */
export function chosenPlan(draft: PlanDraft): PrunePlan {
	const items: PlanItem[] = draft.plan.items.filter((_, i) => draft.selected[i]).map(item => (draft.individual ? {...item, chosen: true} : item));
	const leftBehind = draft.plan.items.filter((_, i) => !draft.selected[i]);
	const plan = makePlan(draft.plan.title, items, draft.plan.heldLayers ?? [], leftBehind);
	if (draft.plan.caveat) plan.caveat = draft.plan.caveat;
	if (draft.plan.note) plan.note = draft.plan.note;
	return plan;
}

/** Every unreferenced volume, named ones included, to be picked one by one. */
export function volumePicker(snapshot: NodeSnapshot | null): PrunePlan | null {
	const items: PlanItem[] = [];
	for (const engine of snapshot?.engines ?? []) {
		for (const v of engine.usage.volumes ?? []) {
			if (v.refCount !== 0) continue;
			items.push({kind: 'volume', engine: engine.runtime.id, id: v.name, name: v.name, bytes: v.bytes ?? 0, chosen: false, named: !v.anonymous});
		}
	}
	if (items.length === 0) return null;
	return {title: 'Remove volumes chosen one by one', items, totalBytes: items.reduce((t, i) => t + i.bytes, 0)};
}
