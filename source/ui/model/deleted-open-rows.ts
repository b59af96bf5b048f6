/** Rows of the deleted-but-open screen: files grouped by holder, biggest holder first. Pure. */
import {allDeletedOpen, displayPath, holderKey, holderLabel} from '../../domain/deleted-open.js';
import type {DeletedOpenFile, NodeSnapshot} from '../../domain/types.js';

export interface DeletedOpenRow {
	kind: 'holder' | 'file';
	/** Display-safe text. */
	text: string;
	allocated: number;
	apparent: number | null;
}

export function deletedOpenRows(snapshot: NodeSnapshot | null): {rows: DeletedOpenRow[]; files: number; bytes: number; scanned: boolean} {
	const engines = snapshot?.engines ?? [];
	const scanned = engines.some(e => e.deletedOpen);
	const files = allDeletedOpen(engines);
	const groups = new Map<string, DeletedOpenFile[]>();
	for (const file of files) groups.set(holderKey(file), [...(groups.get(holderKey(file)) ?? []), file]);
	const rows: DeletedOpenRow[] = [];
	const total = (list: DeletedOpenFile[]) => list.reduce((t, f) => t + f.allocatedBytes, 0);
	for (const list of [...groups.values()].sort((a, b) => total(b) - total(a))) {
		rows.push({kind: 'holder', text: holderLabel(list[0]!), allocated: total(list), apparent: null});
		for (const f of list) rows.push({kind: 'file', text: `${displayPath(f)}  pid ${f.pid} fd ${f.fd}${f.holders.length > 1 ? ` (+${f.holders.length - 1} fd)` : ''}`, allocated: f.allocatedBytes, apparent: f.bytes});
	}
	return {rows, files: files.length, bytes: total(files), scanned};
}
