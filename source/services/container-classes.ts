import type {ContainerClasses} from '../domain/advise.js';
import type {DrillTree} from '../domain/drill-model.js';

/** Bytes per class of one drilled container, with the largest changed path of each class. */
export function containerClasses(tree: DrillTree): ContainerClasses {
	const top = new Map<string, {path: string; bytes: number; lowerBytes?: number}>();
	for (const change of tree.changes) {
		if (change.dir) continue;
		const best = top.get(change.class);
		const weight = change.bytes + (change.lowerBytes ?? 0);
		if (!best || weight > best.bytes + (best.lowerBytes ?? 0)) top.set(change.class, {path: change.path, bytes: change.bytes, lowerBytes: change.lowerBytes});
	}
	const m = tree.metadataCopyUp;
	return {
		containerId: tree.containerId,
		...(m ? {metadataCopyUp: {files: m.files, bytes: m.bytes, cause: m.cause, owner: m.owner, mode: m.mode, time: m.time, ...(m.topOwner ? {topOwner: m.topOwner.owner} : {}), confirmed: m.confirmed, inferred: m.inferred}} : {}),
		classes: tree.classes.filter(c => c.bytes > 0).map(c => ({class: c.class, bytes: c.bytes, topPath: top.get(c.class)?.path, lowerBytes: top.get(c.class)?.lowerBytes})),
	};
}
