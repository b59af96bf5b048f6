/**
 * The "Other files" breakdown as a du-style tree: classes at the top, their paths
 * under them, then the walked directories below any path. Pure: the screen keeps a
 * stack of keys and a cursor; these functions list what a key holds.
 */
import {otherFileClasses, type OtherFileClass} from '../../domain/other-files.js';
import {percent} from '../../domain/format.js';
import type {OtherFilesBreakdown} from '../../services/other-files.js';
import {bytes} from './formatting.js';

export interface OtherRow {
	/** "class:<cls>", "fs:<i>" or a directory path; null: a leaf (no children). */
	key: string | null;
	label: string;
	bytes: number;
	cls?: OtherFileClass;
	/** For the line under the table: owner and fix, or the pod. */
	note: string;
}

/** Children of each directory path, for descending below a classed path. */
export function childIndex(breakdown: OtherFilesBreakdown): Map<string, {path: string; bytes: number}[]> {
	const index = new Map<string, {path: string; bytes: number}[]>();
	for (const d of breakdown.dirs) {
		if (d.parent === null) continue;
		const list = index.get(d.parent) ?? [];
		list.push({path: d.path, bytes: d.bytes});
		index.set(d.parent, list);
	}
	for (const list of index.values()) list.sort((a, b) => b.bytes - a.bytes);
	return index;
}

const note = (cls: OtherFileClass) => `${otherFileClasses[cls].owner} · fix: ${otherFileClasses[cls].fix}`;

/** The rows under `key` (undefined: the top of one filesystem's breakdown). */
export function otherRows(breakdown: OtherFilesBreakdown, children: ReadonlyMap<string, {path: string; bytes: number}[]>, key: string | undefined): OtherRow[] {
	if (key === undefined) {
		const rows: OtherRow[] = [];
		for (const [cls, total] of Object.entries(breakdown.summary.byClass) as [OtherFileClass, number][]) {
			rows.push({key: `class:${cls}`, label: otherFileClasses[cls].label, bytes: total, cls, note: note(cls)});
		}
		return rows.sort((a, b) => b.bytes - a.bytes);
	}
	if (key.startsWith('class:')) {
		const cls = key.slice(6) as OtherFileClass;
		return breakdown.entries
			.filter(e => e.class === cls)
			.map(e => ({
				key: children.has(e.path) ? e.path : null,
				label: e.path,
				bytes: e.bytes,
				cls,
				note: e.pod
					? `pod ${e.pod.namespace}/${e.pod.name} (uid ${e.pod.uid}) · ${note(cls)}`
					: e.podUid
						? `pod uid ${e.podUid} (not known to a connected engine) · ${note(cls)}`
						: e.user !== undefined
							? `user ${e.user} · ${note(cls)}`
							: note(cls),
			}));
	}
	return (children.get(key) ?? []).map(c => ({key: children.has(c.path) ? c.path : null, label: c.path, bytes: c.bytes, note: 'directory (allocated bytes, subtree)'}));
}

const signed = (n: number) => `${n < 0 ? '−' : '+'}${bytes(Math.abs(n))}`;

/**
 * residual = used − ledger − classified − unclassified − deleted-open, residual first so a
 * narrow terminal never cuts it off; then how much used moved while the walk ran (others
 * writing): the residual is only known to that much.
 */
export function residualLine(b: OtherFilesBreakdown): string {
	const r = b.residualBytes;
	const open = b.deletedOpenBytes === null ? ' (deleted-open: not scanned, not root)' : ` − deleted-open ${bytes(b.deletedOpenBytes)}`;
	const churn = b.churnBytes === 0 ? '' : `; used moved ${signed(b.churnBytes)} during the walk`;
	const twice = b.summary.duplicateBytes > 0 ? `; ${bytes(b.summary.duplicateBytes)} seen twice through bind mounts, not added` : '';
	return `residual ${r < 0 ? '−' : ''}${bytes(Math.abs(r))} (${percent(Math.abs(r), b.usedBytes)} of used) = used ${bytes(b.usedBytes)} − ledger ${bytes(b.ledgerBytes)} − classified ${bytes(b.summary.classifiedBytes)} − unclassified ${bytes(b.summary.unclassifiedBytes)}${open}${churn}${twice}`;
}
