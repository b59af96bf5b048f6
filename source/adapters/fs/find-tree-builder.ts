/**
 * Per-directory aggregation for the find-driven tree walk (find-tree.ts), on the main thread:
 * the same marks, classes, top-K entries and packed directory records as tree-walk-worker.cjs,
 * fed into the same TreeAssembly. Entries come from find records (or Node lstat for the few
 * directories listed before the split); lower layers are lstat'ed only below directories that
 * exist in the image. Hard links: every sighting keeps its bytes and is reported, so
 * TreeAssembly.resolveLinks keeps the first one in sorted path order, as du charges it.
 */
import {lstatSync, type Stats} from 'node:fs';
import type {ChangeKind, WorkerClassRules} from '../../domain/classify.js';
import type {RawChange, RawEntry, RawName} from './tree-walk.js';
import {keyOf, type LinkSighting, type TreeAssembly} from './tree-merge.js';

import {opaqueXattr, walkCore} from './walk-core.js';

const sizeTree = (p: string | Buffer) => walkCore().sizeTree(p);
const listDir = (p: string | Buffer) => walkCore().listDir(p);
const readOpaque = (paths: Array<string | Buffer>) => opaqueXattr().readOpaque(paths);

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFCHR = 0o020000;
const R = {APP: 0, ALLOC: 1, FILES: 2, INODES: 3, DEPTH: 4, MARK: 5, OLD: 6, CHANGED: 7, CLS: 8, UNREAD: 9, ERR: 10, REST: 14, MARKS: 17, SUBDIRS: 20, CLASS: 21};
const ENTRY_TYPES = ['file', 'dir', 'symlink', 'whiteout', 'other', 'deleted'] as const;
export const ERR = {denied: 0, vanished: 1, tooLong: 2, other: 3};

const isDir = (st: Stats) => (st.mode & S_IFMT) === S_IFDIR;
const isWhiteout = (st: Stats) => (st.mode & S_IFMT) === S_IFCHR && st.rdev === 0;
export const text = (p: RawName): string => (typeof p === 'string' ? p : Buffer.from(p).toString('latin1'));
const asBuf = (p: RawName): Buffer => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p.buffer, p.byteOffset, p.byteLength));
export function join(dir: RawName, name: RawName): RawName {
	if (typeof dir === 'string' && typeof name === 'string') return dir + '/' + name;
	return Buffer.concat([asBuf(dir), Buffer.from('/'), asBuf(name)]);
}

function sameTime(a: number, b: number): boolean {
	if (a === b) return true;
	const sa = Math.floor(a / 1000);
	return sa === Math.floor(b / 1000) && (a === sa * 1000 || b === sa * 1000);
}

function statDifferent(old: Stats, st: Stats, dir: boolean): boolean {
	if (old.mode !== st.mode || old.uid !== st.uid || old.gid !== st.gid || old.rdev !== st.rdev) return true;
	return !dir && (old.size !== st.size || !sameTime(old.mtimeMs, st.mtimeMs));
}

export function errorKind(err: unknown): number {
	const code = (err as {code?: string} | null)?.code;
	if (code === 'EACCES' || code === 'EPERM') return ERR.denied;
	if (code === 'ENOENT' || code === 'ENOTDIR') return ERR.vanished;
	if (code === 'ENAMETOOLONG') return ERR.tooLong;
	return ERR.other;
}

/** A subdirectory about to be entered. */
export interface SubDir {
	name: RawName;
	rel: RawName;
	blocks: number;
	dev: number;
	old: Stats | null;
	lowers: number[];
	opaque: boolean;
}

export interface Frame {
	key: string; parentKey: string | null; name: RawName; rel: RawName; depth: number; dev: number;
	lowers: number[]; opaque: boolean; cls: number; mark: number; old: number; changed: number; unreadable: number;
	app: number; alloc: number; files: number; err: number[]; rest: number[]; marks: number[]; classBytes: number[];
	subdirs: number; top: RawEntry[]; kept: RawEntry[]; present: Set<string> | null;
}

export interface BuilderConfig {
	root: string;
	lowers: string[];
	rules: WorkerClassRules;
	topK: number;
	shallowDepth: number;
	minDeepBytes: number;
	listAdded: boolean;
	assembly: TreeAssembly;
	batchDirs: number;
	onFlush?: () => void;
}

const weight = (e: RawEntry) => Math.max(e.apparentBytes, e.allocatedBytes);

export class FindTreeBuilder {
	readonly links: LinkSighting[] = [];
	readonly classLowerBytes: number[];
	readonly unwalked: RawName[] = [];
	otherFs = 0;
	entries = 0;
	private readonly nClasses: number;
	private readonly width: number;
	private readonly nameRules: Array<{cls: number; re: RegExp}>;
	private readonly dirRules: Array<{cls: number; re: RegExp}>;
	private nums!: Float64Array;
	private count = 0;
	private meta: Array<RawName | null> = [];
	private ents: Array<number | RawEntry> = [];
	private changes: RawChange[] = [];
	private batchEntries = 0;

	constructor(private readonly cfg: BuilderConfig) {
		this.nClasses = cfg.rules.classes.length;
		this.width = R.CLASS + this.nClasses;
		this.classLowerBytes = new Array<number>(this.nClasses).fill(0);
		this.nameRules = cfg.rules.nameRules.map(r => ({cls: r.cls, re: new RegExp(r.re)}));
		this.dirRules = cfg.rules.dirRules.map(r => ({cls: r.cls, re: new RegExp(r.re)}));
		this.reset();
	}

	get opaque() {
		return opaqueXattr().opaqueState;
	}

	abs(rel: RawName): string | Buffer {
		return typeof rel === 'string' ? this.cfg.root + rel : Buffer.concat([Buffer.from(this.cfg.root), asBuf(rel)]);
	}

	private reset(): void {
		// TreeAssembly.addBatch copies what it needs at once: the record buffer is reused.
		this.nums ??= new Float64Array(this.cfg.batchDirs * this.width);
		this.count = 0;
		this.meta = [];
		this.ents = [];
		this.changes = [];
		this.batchEntries = 0;
	}

	flush(): void {
		if (this.count === 0 && this.changes.length === 0 && this.batchEntries === 0) return;
		this.cfg.assembly.addBatch({nums: this.nums, count: this.count, meta: this.meta, ents: this.ents, changes: this.changes, entries: this.batchEntries});
		this.reset();
		this.cfg.onFlush?.();
	}

	private classOfName(name: string): number {
		for (const r of this.nameRules) if (r.re.test(name)) return r.cls;
		return -1;
	}

	private classOfDir(rel: RawName): number {
		const s = text(rel) + '/';
		for (const r of this.dirRules) if (r.re.test(s)) return r.cls;
		return this.cfg.rules.other;
	}

	private lookup(layers: number[], rel: RawName): {old: Stats | null; dirsIn: number[]} {
		let old: Stats | null = null;
		const dirsIn: number[] = [];
		for (const i of layers) {
			let st: Stats;
			try {
				st = lstatSync(typeof rel === 'string' ? this.cfg.lowers[i] + rel : Buffer.concat([Buffer.from(this.cfg.lowers[i]!), asBuf(rel)]));
			} catch {
				continue;
			}
			if (isWhiteout(st)) break;
			if (!old) old = st;
			if (!isDir(st) || !isDir(old)) break;
			dirsIn.push(i);
		}
		return {old, dirsIn};
	}

	private lowerBytesOf(look: {old: Stats | null; dirsIn: number[]}, rel: RawName): number {
		if (!isDir(look.old!)) return look.old!.size;
		let sum = 0;
		for (const i of look.dirsIn) sum += sizeTree(typeof rel === 'string' ? this.cfg.lowers[i] + rel : Buffer.concat([Buffer.from(this.cfg.lowers[i]!), asBuf(rel)])).apparentBytes;
		return sum;
	}

	fail(frame: Frame, err: unknown, rel: () => RawName): void {
		this.failKind(frame, errorKind(err), rel);
	}

	failKind(frame: Frame, kind: number, rel: () => RawName): void {
		frame.err[kind]!++;
		if (kind === ERR.tooLong && this.unwalked.length < 100) this.unwalked.push(rel());
	}

	/** Describes subdirectory `name` of `parent` (lower lookups only when the parent is in the image). */
	subDir(parent: Frame, name: RawName, upper: Stats | null, blocks: number, dev: number, opaqueNow: boolean): SubDir {
		const rel = join(parent.rel, name);
		let old: Stats | null = null;
		let lowers: number[] = [];
		if (parent.lowers.length > 0) {
			const look = this.lookup(parent.lowers, rel);
			old = look.old;
			if (old && isDir(old)) lowers = look.dirsIn;
			if (!upper) {
				try {
					upper = lstatSync(this.abs(rel));
				} catch {
					upper = null;
				}
			}
		}
		const sub: SubDir = {name, rel, blocks, dev, old, lowers, opaque: false};
		(sub as SubDir & {st?: Stats | null}).st = upper;
		if (opaqueNow && lowers.length > 0) sub.opaque = readOpaque([this.abs(rel)]).size > 0;
		return sub;
	}

	markOpaque(subs: SubDir[]): void {
		const candidates = subs.filter(s => s.lowers.length > 0);
		if (candidates.length === 0) return;
		for (const i of readOpaque(candidates.map(c => this.abs(c.rel)))) candidates[i]!.opaque = true;
	}

	frame(sub: SubDir, parent: Frame | null): Frame {
		const cls = sub.rel === '' ? this.cfg.rules.other : this.classOfDir(sub.rel);
		let mark = 0;
		if (sub.rel !== '') {
			const st = (sub as SubDir & {st?: Stats | null}).st;
			if (!sub.old) mark = 1;
			else if (!isDir(sub.old) || (st && statDifferent(sub.old, st, true))) mark = 2;
		}
		if (parent) parent.subdirs++;
		return {
			key: keyOf(sub.rel), parentKey: parent ? parent.key : null, name: sub.name, rel: sub.rel, depth: parent ? parent.depth + 1 : 0, dev: sub.dev,
			lowers: sub.lowers, opaque: sub.opaque, cls, mark, old: sub.old ? 1 : 0, changed: 0, unreadable: 0,
			app: 0, alloc: sub.blocks * 512, files: 0, err: [0, 0, 0, 0], rest: [0, 0, 0], marks: [0, 0, 0], classBytes: new Array<number>(this.nClasses).fill(0),
			subdirs: 0, top: [], kept: [], present: sub.opaque ? new Set() : null,
		};
	}

	private record(rel: RawName, kind: ChangeKind, cls: number, bytes: number, lowerBytes: number | undefined): void {
		if (kind !== 'A' || this.cfg.listAdded) this.changes.push({path: rel, kind, cls, bytes, lowerBytes, dir: false});
	}

	private keep(frame: Frame, name: RawName, type: number, apparent: number, allocated: number, mark: ChangeKind | null, cls: number, lowerBytes: number | undefined): void {
		const make = (): RawEntry => ({name, type: ENTRY_TYPES[type]!, apparentBytes: apparent, allocatedBytes: allocated, files: 1, inodes: 1, mark, cls, lowerBytes});
		if (mark === 'C' || mark === 'D') return void frame.kept.push(make());
		const w = Math.max(apparent, allocated);
		const top = frame.top;
		let restApparent = apparent;
		let restAllocated = allocated;
		if (frame.depth <= this.cfg.shallowDepth || w >= this.cfg.minDeepBytes) {
			if (top.length < this.cfg.topK) return void top.push(make());
			let min = 0;
			for (let i = 1; i < top.length; i++) if (weight(top[i]!) < weight(top[min]!)) min = i;
			if (weight(top[min]!) < w) {
				const loser = top[min]!;
				top[min] = make();
				restApparent = loser.apparentBytes;
				restAllocated = loser.allocatedBytes;
			}
		}
		frame.rest[0]!++;
		frame.rest[1]! += restApparent;
		frame.rest[2]! += restAllocated;
	}

	/**
	 * One non-directory entry. `type`: 0 file, 2 symlink, 4 other, 5 char device (checked for a
	 * whiteout by lstat). Sizes from find; below image directories the upper entry is lstat'ed.
	 */
	leaf(frame: Frame, name: RawName, nameText: string, type: number, size: number, blocks: number, nlink: number, id: string): void {
		this.entries++;
		this.batchEntries++;
		if (frame.present) frame.present.add(nameText);
		let mark: ChangeKind | null = null;
		let lowerBytes: number | undefined;
		let rel: RawName | undefined;
		if (frame.lowers.length > 0 || type === 5) {
			rel = join(frame.rel, name);
			let st: Stats;
			try {
				st = lstatSync(this.abs(rel));
			} catch (err) {
				this.fail(frame, err, () => rel!);
				return;
			}
			if (type === 5) type = isWhiteout(st) ? 3 : 4;
			if (frame.lowers.length > 0) {
				const look = this.lookup(frame.lowers, rel);
				if (type === 3) {
					if (look.old) {
						mark = 'D';
						lowerBytes = this.lowerBytesOf(look, rel);
					}
				} else if (!look.old) mark = 'A';
				else if (statDifferent(look.old, st, false)) {
					mark = 'C';
					if (!isDir(look.old)) lowerBytes = look.old.size;
				}
			} else if (type !== 3) mark = 'A';
		} else mark = 'A';
		const apparent = size;
		const allocated = blocks * 512;
		const rules = this.cfg.rules;
		let cls = mark === 'D' ? rules.whiteout : mark === 'C' && lowerBytes! >= rules.copyUpThreshold ? rules.copyUp : this.classOfName(nameText);
		if (cls < 0) cls = frame.cls;
		frame.files++;
		frame.app += apparent;
		frame.alloc += allocated;
		frame.classBytes[cls]! += apparent;
		if (lowerBytes !== undefined) this.classLowerBytes[cls]! += lowerBytes;
		if (mark) {
			frame.marks[mark === 'A' ? 0 : mark === 'C' ? 1 : 2]!++;
			frame.changed = 1;
			if (mark !== 'A' || this.cfg.listAdded) this.record((rel ??= join(frame.rel, name)), mark, cls, apparent, lowerBytes);
		}
		if (nlink > 1) this.links.push({id, rel: (rel ??= join(frame.rel, name)), key: frame.key, name, apparent, allocated, cls});
		this.keep(frame, name, type, apparent, allocated, mark, cls, lowerBytes);
	}

	/** Entries of the image's directory hidden by an opaque upper directory: D. */
	private hiddenDeletes(frame: Frame, present: Set<string>): void {
		const names = new Map<string, RawName>();
		for (const i of frame.lowers) {
			let list: Array<string | Buffer>;
			try {
				list = listDir(typeof frame.rel === 'string' ? this.cfg.lowers[i] + frame.rel : Buffer.concat([Buffer.from(this.cfg.lowers[i]!), asBuf(frame.rel)]));
			} catch {
				continue;
			}
			for (const n of list) names.set(text(n), n);
		}
		const rules = this.cfg.rules;
		for (const [k, n] of [...names].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
			if (present.has(k)) continue;
			const rel = join(frame.rel, n);
			const look = this.lookup(frame.lowers, rel);
			if (!look.old) continue;
			const lowerBytes = this.lowerBytesOf(look, rel);
			frame.marks[2]!++;
			frame.changed = 1;
			this.classLowerBytes[rules.whiteout]! += lowerBytes;
			this.record(rel, 'D', rules.whiteout, 0, lowerBytes);
			frame.kept.push({name: n, type: 'deleted', apparentBytes: 0, allocatedBytes: 0, files: 0, inodes: 0, mark: 'D', cls: rules.whiteout, lowerBytes});
		}
	}

	finish(frame: Frame): void {
		if (frame.present) hiddenDeletesSafe(this, frame);
		if (this.count === this.cfg.batchDirs) this.flush();
		const o = this.count * this.width;
		const nums = this.nums;
		nums[o + R.APP] = frame.app;
		nums[o + R.ALLOC] = frame.alloc;
		nums[o + R.FILES] = frame.files;
		nums[o + R.INODES] = frame.files + 1;
		nums[o + R.DEPTH] = frame.depth;
		nums[o + R.MARK] = frame.mark;
		nums[o + R.OLD] = frame.old;
		nums[o + R.CHANGED] = frame.changed;
		nums[o + R.CLS] = frame.cls;
		nums[o + R.UNREAD] = frame.unreadable;
		nums[o + R.SUBDIRS] = frame.subdirs;
		for (let i = 0; i < 4; i++) nums[o + R.ERR + i] = frame.err[i]!;
		for (let i = 0; i < 3; i++) nums[o + R.REST + i] = frame.rest[i]!;
		for (let i = 0; i < 3; i++) nums[o + R.MARKS + i] = frame.marks[i]!;
		for (let i = 0; i < this.nClasses; i++) nums[o + R.CLASS + i] = frame.classBytes[i]!;
		this.meta.push(frame.rel, frame.name, frame.parentKey);
		for (const e of frame.kept) this.ents.push(this.count, e);
		for (const e of frame.top) this.ents.push(this.count, e);
		this.count++;
		if (this.count === this.cfg.batchDirs) this.flush();
	}

	/** Called by finish() for opaque directories. */
	runHiddenDeletes(frame: Frame): void {
		this.hiddenDeletes(frame, frame.present!);
		frame.present = null;
	}
}

function hiddenDeletesSafe(b: FindTreeBuilder, frame: Frame): void {
	b.runHiddenDeletes(frame);
}
