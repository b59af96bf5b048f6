/**
 * The rules every tree walker applies, written once: the change marks, the path classes, the
 * lookup in the lower layers, top-K file selection, hidden deletes under opaque directories,
 * and error kinds. Marks follow what this engine's `docker diff` reports (moby's naive diff:
 * the container's view against the image's view, both read from upper + lower dirs without
 * mounting):
 *  A  path not in the image view (everything below a new directory is A too);
 *  C  in both views and lstat differs (mode, uid, gid, rdev; for non-directories also size or
 *     mtime), or a directory with any change below it (decided when its subtree is done);
 *  D  in the image view only: a whiteout in the upper dir, or an entry of a lower directory
 *     hidden by an opaque upper directory.
 */
import {lstatSync} from 'node:fs';
import type {ChangeKind, PathClass, WorkerClassRules} from '../../domain/classify.js';
import {displayName, nodeWeight, type EntryType, type FileNode} from '../../domain/file-tree.js';
import {META_MODE, META_OWNER, META_TIME} from '../../domain/metadata-copy-up.js';
import {join, listDir, text, under, type RawName} from './raw-names.js';
import {sizeTree} from './size-tree.js';

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFCHR = 0o020000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/** The lstat fields the rules read (a Stats, or a plain copy sent between threads). */
export interface StatLike {
	mode: number;
	uid: number;
	gid: number;
	rdev: number;
	size: number;
	mtimeMs: number;
	blocks: number;
}

export const pickStat = (st: StatLike | null): StatLike | null => st && {mode: st.mode, uid: st.uid, gid: st.gid, rdev: st.rdev, size: st.size, mtimeMs: st.mtimeMs, blocks: st.blocks};

export const isDirStat = (st: {mode: number}) => (st.mode & S_IFMT) === S_IFDIR;
export const isWhiteoutStat = (st: {mode: number; rdev: number}) => (st.mode & S_IFMT) === S_IFCHR && st.rdev === 0;

/** Error kinds, indexes into ERR_KEYS. */
export const ERR = {denied: 0, vanished: 1, tooLong: 2, other: 3} as const;
export const ERR_KEYS = ['denied', 'vanished', 'tooLong', 'other'] as const;

export function errorKind(err: unknown): number {
	const code = (err as {code?: string} | null)?.code;
	if (code === 'EACCES' || code === 'EPERM') return ERR.denied;
	if (code === 'ENOENT' || code === 'ENOTDIR') return ERR.vanished;
	if (code === 'ENAMETOOLONG') return ERR.tooLong;
	return ERR.other;
}

/** The same kinds from a message (find's stderr). */
export function errorKindOfMessage(message: string): number {
	if (/Permission denied|Operation not permitted/.test(message)) return ERR.denied;
	if (/No such file|Not a directory/.test(message)) return ERR.vanished;
	if (/too long/.test(message)) return ERR.tooLong;
	return ERR.other;
}

/** Times equal, or equal to the second when one side has whole seconds only (tar-extracted lower files). */
export function sameTime(a: number, b: number): boolean {
	if (a === b) return true;
	const sa = Math.floor(a / 1000);
	return sa === Math.floor(b / 1000) && (a === sa * 1000 || b === sa * 1000);
}

/**
 * A changed regular file whose lower copy is a regular file of the same size: a candidate for a
 * metadata-only copy-up. Returns what differs (META_* bits), or 0 when it is no candidate.
 */
export function metadataBits(old: StatLike, st: StatLike): number {
	if ((old.mode & S_IFMT) !== S_IFREG || (st.mode & S_IFMT) !== S_IFREG || old.size !== st.size) return 0;
	let bits = 0;
	if (old.uid !== st.uid || old.gid !== st.gid) bits |= META_OWNER;
	if (old.mode !== st.mode) bits |= META_MODE;
	if (!sameTime(old.mtimeMs, st.mtimeMs)) bits |= META_TIME;
	return bits;
}

export function statDifferent(old: StatLike, st: StatLike, dir: boolean): boolean {
	if (old.mode !== st.mode || old.uid !== st.uid || old.gid !== st.gid || old.rdev !== st.rdev) return true;
	return !dir && (old.size !== st.size || !sameTime(old.mtimeMs, st.mtimeMs));
}

/** The mark of a directory entered in the upper dir, from its lower counterpart (C for a changed directory is decided later). */
export function dirMark(rel: RawName, old: StatLike | null, st: StatLike | null): ChangeKind | null {
	if (rel === '') return null;
	if (!old) return 'A';
	return !isDirStat(old) || (st && statDifferent(old, st, true)) ? 'C' : null;
}

/** What the image view holds at one path. */
export interface LowerLook {
	/** The topmost lower entry. */
	old: StatLike | null;
	/** The layer (index) holding it, -1 without one. */
	layer: number;
	/** Layers (indexes) where it is a directory, down to the first non-directory or whiteout. */
	dirsIn: number[];
}

/** Leaf entry types by code (entries met in listings), see EntryType. */
export const LEAF = {file: 0, symlink: 2, whiteout: 3, other: 4, charDevice: 5} as const;
/** The LEAF code of a non-directory by its lstat mode (charDevice: still to be checked for a whiteout). */
export function leafOfMode(mode: number): number {
	const type = mode & S_IFMT;
	return type === S_IFREG ? LEAF.file : type === S_IFLNK ? LEAF.symlink : type === S_IFCHR ? LEAF.charDevice : LEAF.other;
}

const ENTRY_TYPES: EntryType[] = ['file', 'dir', 'symlink', 'whiteout', 'other', 'deleted'];

/** The class rules compiled, and the lower layers of one walk. */
export class WalkRules {
	readonly nClasses: number;
	readonly classes: PathClass[];
	private readonly nameRules: Array<{cls: number; re: RegExp}>;
	private readonly dirRules: Array<{cls: number; re: RegExp}>;

	constructor(
		readonly rules: WorkerClassRules,
		/** Lower layer directories, topmost first. */
		readonly lowers: readonly string[],
	) {
		this.classes = rules.classes as PathClass[];
		this.nClasses = rules.classes.length;
		this.nameRules = rules.nameRules.map(r => ({cls: r.cls, re: new RegExp(r.re)}));
		this.dirRules = rules.dirRules.map(r => ({cls: r.cls, re: new RegExp(r.re)}));
	}

	/** Class of a file by its name, -1 when none matches (the directory's class applies). */
	classOfName(name: string): number {
		for (const r of this.nameRules) if (r.re.test(name)) return r.cls;
		return -1;
	}

	classOfDir(rel: RawName): number {
		if (rel === '') return this.rules.other;
		const s = text(rel) + '/';
		for (const r of this.dirRules) if (r.re.test(s)) return r.cls;
		return this.rules.other;
	}

	/** The class of a file entry given its mark and lower size. */
	classOfFile(mark: ChangeKind | null, lowerBytes: number | undefined, name: string, dirCls: number): number {
		const r = this.rules;
		const cls = mark === 'D' ? r.whiteout : mark === 'C' && lowerBytes! >= r.copyUpThreshold ? r.copyUp : this.classOfName(name);
		return cls < 0 ? dirCls : cls;
	}

	/** The image view of `rel` in the given layers (the parent's dirsIn). */
	lookup(layers: readonly number[], rel: RawName): LowerLook {
		let old: StatLike | null = null;
		let layer = -1;
		const dirsIn: number[] = [];
		for (const i of layers) {
			let st: StatLike;
			try {
				st = lstatSync(under(this.lowers[i]!, rel));
			} catch {
				continue;
			}
			if (isWhiteoutStat(st)) break;
			if (!old) {
				old = st;
				layer = i;
			}
			if (!isDirStat(st) || !isDirStat(old)) break;
			dirsIn.push(i);
		}
		return {old, layer, dirsIn};
	}

	/** Bytes the image holds at a looked-up path: the file's size, or the lower directories' contents. */
	lowerBytesOf(look: LowerLook, rel: RawName): number {
		if (!isDirStat(look.old!)) return look.old!.size;
		let sum = 0;
		for (const i of look.dirsIn) sum += sizeTree(under(this.lowers[i]!, rel)).apparentBytes;
		return sum;
	}

	/**
	 * The mark of a non-directory entry (`type` a LEAF code after whiteout detection) and the lower
	 * bytes it replaces or deletes. `layers`: the parent's dirsIn (empty below new directories).
	 * For a C entry, `lower` is the lower lstat and `layer` the layer holding it.
	 */
	leafMark(layers: readonly number[], rel: RawName, type: number, st: StatLike | null): {mark: ChangeKind | null; lowerBytes?: number; lower?: StatLike; layer?: number} {
		if (layers.length === 0) return {mark: type === LEAF.whiteout ? null : 'A'};
		const look = this.lookup(layers, rel);
		if (type === LEAF.whiteout) return look.old ? {mark: 'D', lowerBytes: this.lowerBytesOf(look, rel)} : {mark: null};
		if (!look.old) return {mark: 'A'};
		if (st && statDifferent(look.old, st, false)) return {mark: 'C', lowerBytes: isDirStat(look.old) ? undefined : look.old.size, lower: look.old, layer: look.layer};
		return {mark: null};
	}

	/**
	 * Entries of the image's directory `rel` hidden by an opaque upper directory: every lower
	 * name not present in the upper one, as D entries with the bytes the lower layers hold.
	 */
	hiddenDeletes(rel: RawName, layers: readonly number[], present: ReadonlySet<string>): Array<{name: RawName; path: RawName; lowerBytes: number}> {
		const names = new Map<string, RawName>();
		for (const i of layers) {
			let list: Array<string | Buffer>;
			try {
				list = listDir(under(this.lowers[i]!, rel));
			} catch {
				continue;
			}
			for (const n of list) names.set(text(n), n);
		}
		const out: Array<{name: RawName; path: RawName; lowerBytes: number}> = [];
		for (const [k, n] of [...names].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
			if (present.has(k)) continue;
			const path = join(rel, n);
			const look = this.lookup(layers, path);
			if (!look.old) continue;
			out.push({name: n, path, lowerBytes: this.lowerBytesOf(look, path)});
		}
		return out;
	}

	/** A listed entry of the one tree type. */
	node(name: RawName, type: number, apparent: number, allocated: number, counted: boolean, mark: ChangeKind | null, cls: number, lowerBytes?: number): FileNode {
		const n: FileNode = {name, display: displayName(name), type: ENTRY_TYPES[type]!, apparentBytes: apparent, allocatedBytes: allocated, files: counted ? 1 : 0, inodes: counted ? 1 : 0, mark, class: this.classes[cls] ?? 'other'};
		if (lowerBytes !== undefined) n.lowerBytes = lowerBytes;
		return n;
	}
}

/**
 * Top-K file selection for one directory. C/D entries are always listed; other files only the
 * `topK` biggest, and in directories deeper than `shallowDepth` only files of at least
 * `minDeepBytes`. The rest are summed. The caller makes a node only for a file that is listed.
 */
export class TopFiles {
	readonly top: FileNode[] = [];
	count = 0;
	apparent = 0;
	allocated = 0;

	constructor(
		private readonly topK: number,
		private readonly listAll: boolean,
		private readonly minBytes: number,
	) {}

	/**
	 * Offers one unchanged (or A) file: returns the index in `top` where the caller puts its node
	 * (a new slot, or the smallest one, whose file joins the rest), or -1 when it joins the rest.
	 */
	slot(apparent: number, allocated: number): number {
		const w = Math.max(apparent, allocated);
		if (this.listAll || w >= this.minBytes) {
			const top = this.top;
			if (top.length < this.topK) return top.length;
			let min = 0;
			for (let i = 1; i < top.length; i++) if (nodeWeight(top[i]!) < nodeWeight(top[min]!)) min = i;
			if (nodeWeight(top[min]!) < w) {
				const loser = top[min]!;
				this.count++;
				this.apparent += loser.apparentBytes;
				this.allocated += loser.allocatedBytes;
				return min;
			}
		}
		this.count++;
		this.apparent += apparent;
		this.allocated += allocated;
		return -1;
	}
}
