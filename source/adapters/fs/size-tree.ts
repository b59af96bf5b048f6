/** The plain size of one tree (no marks, no classes): the scan's per-layer figure. */
import {lstatSync, type Stats} from 'node:fs';
import {join, listDir} from './raw-names.js';

export interface TreeSize {
	/** File contents, each hard link once: what Docker's SizeRw counts. */
	apparentBytes: number;
	/** blocks * 512 of every inode, directories included: what the disk feels. */
	allocatedBytes: number;
	files: number;
	dirs: number;
	inodes: number;
	/** Entries that could not be read (vanished, permission denied, name too long). */
	errors: number;
	errorSamples: Array<{path: string; code: string}>;
	/** Directories on another filesystem that were not entered. */
	otherFs: number;
	/** Subtrees not walked because their path exceeds PATH_MAX. */
	unwalked: number;
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;

/**
 * Synchronous walk of `root`: lstat only (never follows symlinks), hard links once, one
 * filesystem, names as bytes when a listing is not valid UTF-8. Errors are counted, never thrown.
 */
export function sizeTree(root: string | Buffer): TreeSize {
	return walk(root, {left: Number.POSITIVE_INFINITY})!;
}

/**
 * sizeTree of each root, here and now, when all of them hold at most `maxEntries` entries in
 * all; null (after at most that many lstat calls) when they hold more. A root that cannot be
 * read (vanished) is undefined, as findSizes leaves it out. Sizing a few small layers costs
 * less than starting a `find` process (report on a small node).
 */
export function sizeTreesWithin(roots: ReadonlyArray<string | Buffer>, maxEntries: number): Array<TreeSize | undefined> | null {
	const budget = {left: maxEntries};
	const sizes: Array<TreeSize | undefined> = [];
	for (const root of roots) {
		const size = walk(root, budget);
		if (!size) return null;
		sizes.push(size.inodes === 0 ? undefined : size);
	}
	return sizes;
}

/** The walk; null as soon as it would lstat more entries than `budget.left`. */
function walk(root: string | Buffer, budget: {left: number}): TreeSize | null {
	const r: TreeSize = {apparentBytes: 0, allocatedBytes: 0, files: 0, dirs: 0, inodes: 0, errors: 0, errorSamples: [], otherFs: 0, unwalked: 0};
	const seen = new Set<string>();
	const fail = (path: string | Buffer, err: unknown) => {
		const code = (err as {code?: string} | null)?.code;
		r.errors++;
		if (code === 'ENAMETOOLONG') r.unwalked++;
		if (r.errorSamples.length < 5) r.errorSamples.push({path: Buffer.from(path).toString('base64'), code: code ?? 'EIO'});
	};
	let rootStat: Stats;
	if (--budget.left < 0) return null;
	try {
		rootStat = lstatSync(root);
	} catch (err) {
		fail(root, err);
		return r;
	}
	const dev = rootStat.dev;
	const stack: Array<string | Buffer> = [];
	const visit = (path: string | Buffer, st: Stats) => {
		if ((st.mode & S_IFMT) === S_IFDIR) {
			if (st.dev !== dev) {
				r.otherFs++;
				return;
			}
			r.dirs++;
			r.inodes++;
			r.allocatedBytes += st.blocks * 512;
			stack.push(path);
			return;
		}
		if (st.nlink > 1) {
			const key = st.dev + ':' + st.ino;
			if (seen.has(key)) return;
			seen.add(key);
		}
		r.files++;
		r.inodes++;
		r.apparentBytes += st.size;
		r.allocatedBytes += st.blocks * 512;
	};
	visit(root, rootStat);
	while (stack.length > 0) {
		const dir = stack.pop()!;
		let names: Array<string | Buffer>;
		try {
			names = listDir(dir);
		} catch (err) {
			fail(dir, err);
			continue;
		}
		if ((budget.left -= names.length) < 0) return null;
		for (const name of names) {
			const path = join(dir, name) as string | Buffer;
			let st: Stats;
			try {
				st = lstatSync(path);
			} catch (err) {
				fail(path, err);
				continue;
			}
			visit(path, st);
		}
	}
	return r;
}
