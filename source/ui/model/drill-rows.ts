/** What the drill-down screen lists for one directory of a writable layer. Pure. */
import {pathClasses, type PathClass} from '../../domain/classify.js';
import type {DrillProgress, DrillTree} from '../../domain/drill-model.js';
import type {DirNode, EntryType, FileNode} from '../../domain/file-tree.js';
import type {ChangeKind} from '../../domain/classify.js';

export type SizeMode = 'allocated' | 'apparent';

export interface DrillRow {
	/** Stable within a directory (display names are unique there; the rest row has its own). */
	id: string;
	/** Display text (already sanitised), "/" appended for directories. */
	name: string;
	type: EntryType | 'rest';
	/** Bytes in the chosen mode. */
	size: number;
	allocatedBytes: number;
	apparentBytes: number;
	/** Of the parent directory, 0..1. */
	share: number;
	files: number;
	inodes: number;
	mark: ChangeKind | null;
	/** For directories the class holding most of its bytes; else the entry's own class. */
	class: PathClass;
	/** For directories: that class's share of the directory's bytes, 0..1. */
	classShare?: number;
	lowerBytes?: number;
	/** Navigable directory. */
	dirKey?: string;
	unreadable: boolean;
	/** For directories: files below copied up for metadata alone. */
	metadataCopyUp?: {files: number; bytes: number};
}

export const sizeOf = (item: {allocatedBytes: number; apparentBytes: number}, mode: SizeMode) => (mode === 'allocated' ? item.allocatedBytes : item.apparentBytes);

/** The class holding most apparent bytes of a directory, with its share; null when it holds none. */
export function dominantClass(dir: Pick<DirNode, 'classBytes'>): {class: PathClass; share: number} | null {
	let best = -1;
	let total = 0;
	dir.classBytes.forEach((b, i) => {
		total += b;
		if (best < 0 || b > dir.classBytes[best]!) best = i;
	});
	if (best < 0 || total <= 0 || !dir.classBytes[best]) return null;
	return {class: pathClasses[best] ?? 'other', share: dir.classBytes[best]! / total};
}

function row(entry: FileNode, dirs: ReadonlyMap<string, DirNode> | null, parentSize: number, mode: SizeMode): DrillRow {
	const sub = entry.dirKey ? dirs?.get(entry.dirKey) : undefined;
	const dominant = sub ? dominantClass(sub) : null;
	const size = sizeOf(entry, mode);
	return {
		// The walked directory's key is its identity; display text is not one (sanitising maps
		// different raw names onto the same text), so files fall back to it and uniqueIds settles ties.
		id: entry.dirKey ? `d:${entry.dirKey}` : `e:${entry.display}`,
		name: entry.type === 'dir' ? entry.display + '/' : entry.display,
		type: entry.type,
		size,
		allocatedBytes: entry.allocatedBytes,
		apparentBytes: entry.apparentBytes,
		share: parentSize > 0 ? size / parentSize : 0,
		files: entry.files,
		inodes: entry.inodes,
		mark: entry.mark,
		class: dominant?.class ?? entry.class,
		...(dominant ? {classShare: dominant.share} : {}),
		...(entry.lowerBytes !== undefined ? {lowerBytes: entry.lowerBytes} : {}),
		...(sub ? {dirKey: entry.dirKey} : {}),
		unreadable: sub?.unreadable ?? false,
		...(sub?.metadataCopyUp ? {metadataCopyUp: sub.metadataCopyUp} : {}),
	};
}

/** Row ids are React keys: a repeated one gets its rank among its namesakes appended. */
function uniqueIds(rows: DrillRow[]): DrillRow[] {
	const seen = new Map<string, number>();
	for (const r of rows) {
		const n = seen.get(r.id) ?? 0;
		seen.set(r.id, n + 1);
		if (n > 0) r.id = `${r.id}#${n}`;
	}
	return rows;
}

const bySize = (a: DrillRow, b: DrillRow) => b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Rows of one directory, largest first in the chosen mode; the unlisted small files last, as one row. */
export function dirRows(tree: Pick<DrillTree, 'dirs'>, dir: DirNode, mode: SizeMode): DrillRow[] {
	const parent = sizeOf(dir, mode);
	const rows = uniqueIds(dir.entries.map(e => row(e, tree.dirs, parent, mode)).sort(bySize));
	if (dir.rest.count > 0) {
		const size = sizeOf(dir.rest, mode);
		rows.push({
			id: 'rest',
			name: `(${dir.rest.count} smaller files)`,
			type: 'rest',
			size,
			allocatedBytes: dir.rest.allocatedBytes,
			apparentBytes: dir.rest.apparentBytes,
			share: parent > 0 ? size / parent : 0,
			files: dir.rest.count,
			inodes: dir.rest.count,
			mark: null,
			class: 'other',
			unreadable: false,
		});
	}
	return rows;
}

/** While the walk runs: the finished top-level directories (not navigable yet). */
export function progressRows(progress: DrillProgress, mode: SizeMode): DrillRow[] {
	const parent = sizeOf(progress.totals, mode);
	return uniqueIds(progress.topLevel.map(e => ({...row(e, null, parent, mode), dirKey: undefined})).sort(bySize));
}

export interface HeaviestPath {
	/** Display path inside the container. */
	path: string;
	row: DrillRow;
}

/**
 * The path that holds the layer's bytes: the largest top-level entry, then down while the
 * largest child holds at least half of its directory. Stops at a file or a spread-out directory.
 */
export function heaviestPath(tree: Pick<DrillTree, 'dirs' | 'rootKey'>, mode: SizeMode): HeaviestPath | null {
	let dir = tree.dirs.get(tree.rootKey);
	let found: HeaviestPath | null = null;
	for (let depth = 0; dir && depth < 64; depth++) {
		const top = dirRows(tree, dir, mode).find(r => r.type !== 'rest');
		if (!top || top.size <= 0 || (found && top.share < 0.5)) break;
		const base = dir.display === '/' ? '' : dir.display;
		found = {path: `${base}/${top.name.replace(/\/$/, '')}`, row: top};
		dir = top.dirKey ? tree.dirs.get(top.dirKey) : undefined;
	}
	return found;
}
