/**
 * The "other files" walk: the drill-down walker (tree-walk.ts) run over the rest of
 * a filesystem. The only file that calls walkTree for it and reads its tree type,
 * so a change of the walker's internals touches only this adapter. Same safety as
 * the drill: lstat only (no symlinks), one filesystem, hard links once.
 */
import {statSync} from 'node:fs';
import {dirname} from 'node:path';
import type {DrillProgress} from '../../domain/drill-model.js';
import type {WalkedDir, WalkedFile} from '../../domain/other-files.js';
import {dirPathsOf} from './tree-paths.js';
import {walkTree, type RawName} from './tree-walk.js';

/** The drill-down walker's own progress (the drill screen shows the same), plus the path it is in. */
export interface OtherWalkProgress extends DrillProgress {
	bytes: number;
	current: string;
}

export interface OtherWalk {
	root: WalkedDir;
	dirs: WalkedDir[];
	files: WalkedFile[];
	/** Entries that could not be read (denied, vanished, too long). */
	errors: number;
	unwalked: string[];
}

const text = (name: RawName) => (typeof name === 'string' ? name : Buffer.from(name).toString('utf8'));

/** The mount point holding `path`: the highest ancestor on the same device. */
export function mountPointOf(path: string): string {
	let current = path;
	const device = statSync(path).dev;
	for (;;) {
		const parent = dirname(current);
		if (parent === current) return current;
		try {
			if (statSync(parent).dev !== device) return current;
		} catch {
			return current;
		}
		current = parent;
	}
}

/**
 * Walks `root` on its own filesystem; every directory with its subtree's allocated
 * bytes (what statfs counts), and every file the walker lists (topK per directory:
 * large enough for a log directory's archives).
 */
export async function walkOtherFiles(root: string, options: {signal?: AbortSignal; onProgress?: (p: OtherWalkProgress) => void; topK?: number} = {}): Promise<OtherWalk> {
	const base = root === '/' ? '' : root.replace(/\/+$/, '');
	const abs = (rel: RawName) => (text(rel) === '' ? root : base + text(rel));
	const tree = await walkTree(root, {
		signal: options.signal,
		topK: options.topK ?? 256,
		onProgress: options.onProgress && (p => options.onProgress!({entries: p.entries, dirsDone: p.dirsDone, totals: p.totals, topLevel: p.topLevel, bytes: p.totals.allocatedBytes, current: base + text(p.current)})),
	});
	const rel = dirPathsOf(tree.dirs, text);
	const dirs: WalkedDir[] = [];
	const files: WalkedFile[] = [];
	for (const d of tree.dirs) {
		const path = abs(rel(d.key));
		const parent = d.parentKey === null ? null : abs(rel(d.parentKey));
		dirs.push({path, parent, bytes: d.allocatedBytes});
		for (const e of d.entries) if (e.type === 'file') files.push({path: `${path === '/' ? '' : path}/${text(e.name)}`, dir: path, bytes: e.allocatedBytes});
	}
	const errors = tree.totals.errors.denied + tree.totals.errors.vanished + tree.totals.errors.tooLong + tree.totals.errors.other;
	return {root: dirs.find(d => d.parent === null)!, dirs, files, errors, unwalked: tree.unwalked.map(text)};
}
