import {estimateOf, revalidate, type PlanItem, type PrunePlan} from '../domain/prune-plan.js';
import type {EngineSnapshot, FilesystemStats} from '../domain/types.js';
import type {AuditLog} from './audit-log.js';
import {formatError} from '../domain/operator-error.js';

/** Removes one item by exact id. Implemented by DockerMutator and the CRI mutator. */
export interface Remover {
	remove(item: PlanItem): Promise<void>;
}

export interface EngineMutationTarget {
	endpoint: string;
	remover: Remover;
	/** A fresh, unsized view of the engine (containers, images, volumes, cache) for re-validation. */
	refresh: (plan: PrunePlan) => Promise<EngineSnapshot>;
	/** statfs of the engine's filesystem, to measure what was reclaimed. */
	filesystem: () => FilesystemStats | null;
}

export interface ItemOutcome {
	item: PlanItem;
	outcome: 'removed' | 'skipped' | 'failed';
	reason?: string;
	measuredBytes: number | null;
}

export interface ExecutionResult {
	outcomes: ItemOutcome[];
	estimatedBytes: number;
	/** What the removed items were estimated to free together (skipped and failed items left behind): what statfs should see. */
	removedEstimatedBytes: number;
	/** The plan's caveat: why executing may free less than estimated. */
	caveat?: string;
	/** Free-space gain measured by statfs before and after, null when not measurable here. */
	measuredBytes: number | null;
	warnings: string[];
}

const free = (fs: FilesystemStats | null) => (fs ? fs.availableBytes : null);
const gain = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before);

/**
 * The one path to remove anything. It does not exist in read-only mode (see
 * createMutationService). Each item is re-validated against a fresh view right
 * before removal and removed by id; an item that changed is skipped with its reason.
 */
export class MutationService {
	constructor(
		private readonly targets: ReadonlyMap<string, EngineMutationTarget>,
		private readonly audit: AuditLog,
	) {}

	async execute(plan: PrunePlan, onItem?: (outcome: ItemOutcome) => void): Promise<ExecutionResult> {
		const outcomes: ItemOutcome[] = [];
		const warnings: string[] = [];
		const engines = [...new Set(plan.items.map(item => item.engine))];
		const fresh = new Map<string, EngineSnapshot>();
		for (const engine of engines) {
			const target = this.targets.get(engine);
			if (target) fresh.set(engine, await target.refresh(plan));
		}
		const startFree = new Map(engines.map(e => [e, free(this.targets.get(e)?.filesystem() ?? null)]));
		for (const item of plan.items) {
			const target = this.targets.get(item.engine);
			const now = fresh.get(item.engine);
			let result: ItemOutcome;
			if (!target || !now) result = {item, outcome: 'skipped', reason: `engine ${item.engine} is not connected`, measuredBytes: null};
			else {
				const verdict = revalidate(item, now);
				if (!verdict.ok) result = {item, outcome: 'skipped', reason: verdict.reason, measuredBytes: null};
				else {
					const before = free(target.filesystem());
					try {
						await target.remover.remove(item);
						result = {item, outcome: 'removed', measuredBytes: gain(before, free(target.filesystem()))};
					} catch (error) {
						result = {item, outcome: 'failed', reason: formatError(error), measuredBytes: null};
					}
				}
			}
			outcomes.push(result);
			onItem?.(result);
			const failure = this.audit.append({
				engine: item.engine,
				endpoint: target?.endpoint ?? '',
				item: {kind: item.kind, id: item.id, name: item.name},
				estimatedBytes: item.bytes,
				measuredBytes: result.measuredBytes,
				outcome: result.outcome,
				reason: result.reason,
			});
			if (failure && !warnings.includes(failure)) warnings.push(failure);
		}
		let measured: number | null = 0;
		for (const engine of engines) {
			const delta = gain(startFree.get(engine) ?? null, free(this.targets.get(engine)?.filesystem() ?? null));
			measured = measured === null || delta === null ? null : measured + delta;
		}
		const removed = new Set(outcomes.filter(o => o.outcome === 'removed').map(o => o.item));
		const result: ExecutionResult = {outcomes, estimatedBytes: plan.totalBytes, removedEstimatedBytes: estimateOf(plan, item => removed.has(item)), measuredBytes: measured, warnings};
		if (plan.caveat) result.caveat = plan.caveat;
		return result;
	}
}

/** Read-only mode gets no mutation service at all: nothing to call, not a disabled button. */
export function createMutationService(options: {readOnly: boolean}, build: () => {targets: Map<string, EngineMutationTarget>; audit: AuditLog}): MutationService | null {
	if (options.readOnly) return null;
	const {targets, audit} = build();
	return new MutationService(targets, audit);
}
