/**
 * Per-directory aggregation for the find-driven tree walk (find-tree.ts), on the main thread:
 * the same marks, classes and top-K entries as tree-walk-worker.cjs, written straight into the
 * RawDir records of the TreeAssembly (direct assembly: no packed batches, no key lookups; a
 * directory is registered when entered and closed after its last entry). Entries come from find
 * records (or Node lstat for the few directories listed before the split); lower layers are
 * lstat'ed only below directories that exist in the image. Hard links: every sighting keeps its
 * bytes and is reported, so TreeAssembly.resolveLinks keeps the first one in sorted path order,
 * as du charges it.
 */
import {lstatSync, type Stats} from 'node:fs';
import type {ChangeKind, WorkerClassRules} from '../../domain/classify.js';
import type {DrillTotals} from '../../domain/drill-model.js';
import type {RawDir, RawEntry, RawName} from './tree-walk.js';
import {keyOf, newDir, type LinkSighting, type TreeAssembly} from './tree-merge.js';

import {opaqueXattr, walkCore} from './walk-core.js';

const sizeTree = (p: string | Buffer) => walkCore().sizeTree(p);
const listDir = (p: string | Buffer) => walkCore().listDir(p);
const readOpaque = (paths: Array<string | Buffer>) => opaqueXattr().readOpaque(paths);

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFCHR = 0o020000;
const ENTRY_TYPES = ['file', 'dir', 'symlink', 'whiteout', 'other', 'deleted'] as const;
export const ERR = {denied: 0, vanished: 1, tooLong: 2, other: 3};
const ERR_KEYS = ['denied', 'vanished', 'tooLong', 'other'] as const;
const NONE: number[] = [];

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
	/** The upper directory's lstat, for the C check (only below image directories). */
	st: Stats | null;
	lowers: number[];
	opaque: boolean;
}

/** What a subdirectory needs of its parent. */
export interface ParentRef {
	/** Index in the TreeAssembly. */
	g: number;
	key: string;
	depth: number;
}

/** An open directory: its RawDir (filled in place) and the walk state kept until it closes. */
export interface Frame extends ParentRef {
	d: RawDir;
	rel: RawName;
	dev: number;
	lowers: number[];
	opaque: boolean;
	cls: number;
	/** In the image view. */
	old: boolean;
	changed: number;
	top: RawEntry[] | null;
	present: Set<string> | null;
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
	/** Called every few directories (progress). */
	onFlush?: () => void;
}

const weight = (e: RawEntry) => Math.max(e.apparentBytes, e.allocatedBytes);

export class FindTreeBuilder {
	readonly links: LinkSighting[] = [];
	readonly classLowerBytes: number[];
	readonly unwalked: RawName[] = [];
	otherFs = 0;
	private readonly nClasses: number;
	private readonly nameRules: Array<{cls: number; re: RegExp}>;
	private readonly dirRules: Array<{cls: number; re: RegExp}>;
	private readonly run: DrillTotals;
	private closed = 0;
	/** Entries met since the assembly was last told (progress inside a huge directory). */
	private fresh = 0;

	constructor(private readonly cfg: BuilderConfig) {
		this.nClasses = cfg.rules.classes.length;
		this.classLowerBytes = new Array<number>(this.nClasses).fill(0);
		this.nameRules = cfg.rules.nameRules.map(r => ({cls: r.cls, re: new RegExp(r.re)}));
		this.dirRules = cfg.rules.dirRules.map(r => ({cls: r.cls, re: new RegExp(r.re)}));
		this.run = cfg.assembly.totalsSoFar;
	}

	get opaque() {
		return opaqueXattr().opaqueState;
	}

	abs(rel: RawName): string | Buffer {
		return typeof rel === 'string' ? this.cfg.root + rel : Buffer.concat([Buffer.from(this.cfg.root), asBuf(rel)]);
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
		frame.d.errors[ERR_KEYS[kind]!]++;
		if (kind === ERR.tooLong && this.unwalked.length < 100) this.unwalked.push(rel());
	}

	unreadable(frame: Frame): void {
		frame.d.unreadable = true;
	}

	/** Describes subdirectory `name` of `parent` (lower lookups only when the parent is in the image). */
	subDir(parent: Frame, name: RawName, upper: Stats | null, blocks: number, dev: number, opaqueNow: boolean): SubDir {
		const rel = join(parent.rel, name);
		let old: Stats | null = null;
		let lowers = NONE;
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
		const sub: SubDir = {name, rel, blocks, dev, old, st: upper, lowers, opaque: false};
		if (opaqueNow && lowers.length > 0) sub.opaque = readOpaque([this.abs(rel)]).size > 0;
		return sub;
	}

	markOpaque(subs: SubDir[]): void {
		const candidates = subs.filter(s => s.lowers.length > 0);
		if (candidates.length === 0) return;
		for (const i of readOpaque(candidates.map(c => this.abs(c.rel)))) candidates[i]!.opaque = true;
	}

	/**
	 * Enters a directory. `counted`: the parent has not been told about it (expect()) already.
	 */
	frame(sub: SubDir, parent: ParentRef | null, counted = true): Frame {
		let mark: ChangeKind | null = null;
		if (sub.rel !== '') {
			if (!sub.old) mark = 'A';
			else if (!isDir(sub.old) || (sub.st && statDifferent(sub.old, sub.st, true))) mark = 'C';
		}
		return this.open(parent, sub.name, sub.rel, sub.blocks, sub.dev, mark, sub.old !== null, sub.lowers, sub.opaque, counted);
	}

	/** A subdirectory met in a find stream (entered at once). */
	enter(parent: Frame, name: RawName, blocks: number, dev: number): Frame {
		if (parent.lowers.length > 0) return this.frame(this.subDir(parent, name, null, blocks, dev, true), parent);
		// Below a directory the image does not have: everything is A, nothing to look up.
		return this.open(parent, name, join(parent.rel, name), blocks, dev, 'A', false, NONE, false, true);
	}

	private open(parent: ParentRef | null, name: RawName, rel: RawName, blocks: number, dev: number, mark: ChangeKind | null, old: boolean, lowers: number[], opaque: boolean, counted: boolean): Frame {
		const cls = rel === '' ? this.cfg.rules.other : this.classOfDir(rel);
		const key = keyOf(rel);
		const d = newDir(key, parent ? parent.key : null, rel, name, mark, cls, blocks * 512, this.nClasses);
		const g = this.cfg.assembly.open(d, parent ? parent.g : -1, old, counted);
		return {g, key, depth: parent ? parent.depth + 1 : 0, d, rel, dev, lowers, opaque, cls, old, changed: 0, top: null, present: opaque ? new Set() : null};
	}

	/** `frame` will get `n` subdirectories entered later with counted = false. */
	expect(frame: Frame, n: number): void {
		this.cfg.assembly.expect(frame.g, n);
	}

	private record(rel: RawName, kind: ChangeKind, cls: number, bytes: number, lowerBytes: number | undefined): void {
		if (kind !== 'A' || this.cfg.listAdded) this.cfg.assembly.addChange({path: rel, kind, cls, bytes, lowerBytes, dir: false});
	}

	private entry(name: RawName, type: number, apparent: number, allocated: number, mark: ChangeKind | null, cls: number, lowerBytes: number | undefined): RawEntry {
		return {name, type: ENTRY_TYPES[type]!, apparentBytes: apparent, allocatedBytes: allocated, files: 1, inodes: 1, mark, cls, lowerBytes};
	}

	private keep(frame: Frame, name: RawName, type: number, apparent: number, allocated: number, mark: ChangeKind | null, cls: number, lowerBytes: number | undefined): void {
		if (mark === 'C' || mark === 'D') return void frame.d.entries.push(this.entry(name, type, apparent, allocated, mark, cls, lowerBytes));
		const w = apparent > allocated ? apparent : allocated;
		let restApparent = apparent;
		let restAllocated = allocated;
		if (frame.depth <= this.cfg.shallowDepth || w >= this.cfg.minDeepBytes) {
			const top = (frame.top ??= []);
			if (top.length < this.cfg.topK) return void top.push(this.entry(name, type, apparent, allocated, mark, cls, lowerBytes));
			let min = 0;
			for (let i = 1; i < top.length; i++) if (weight(top[i]!) < weight(top[min]!)) min = i;
			if (weight(top[min]!) < w) {
				const loser = top[min]!;
				top[min] = this.entry(name, type, apparent, allocated, mark, cls, lowerBytes);
				restApparent = loser.apparentBytes;
				restAllocated = loser.allocatedBytes;
			}
		}
		const rest = frame.d.rest;
		rest.count++;
		rest.apparentBytes += restApparent;
		rest.allocatedBytes += restAllocated;
	}

	/**
	 * One non-directory entry. `type`: 0 file, 2 symlink, 4 other, 5 char device (checked for a
	 * whiteout by lstat). Sizes from find; below image directories the upper entry is lstat'ed.
	 * `id` (dev:ino) only matters when nlink > 1.
	 */
	leaf(frame: Frame, name: RawName, nameText: string, type: number, size: number, blocks: number, nlink: number, id: string): void {
		if (++this.fresh === 4096) {
			this.cfg.assembly.close(-1, 0, this.fresh);
			this.fresh = 0;
			this.cfg.onFlush?.();
		}
		if (frame.present) frame.present.add(nameText);
		let mark: ChangeKind | null = 'A';
		let lowerBytes: number | undefined;
		let rel: RawName | undefined;
		if (frame.lowers.length > 0 || type === 5) {
			mark = null;
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
		}
		const apparent = size;
		const allocated = blocks * 512;
		const rules = this.cfg.rules;
		let cls = mark === 'D' ? rules.whiteout : mark === 'C' && lowerBytes! >= rules.copyUpThreshold ? rules.copyUp : this.classOfName(nameText);
		if (cls < 0) cls = frame.cls;
		const d = frame.d;
		d.files++;
		d.inodes++;
		d.apparentBytes += apparent;
		d.allocatedBytes += allocated;
		d.classBytes[cls]! += apparent;
		const t = this.run;
		t.files++;
		t.inodes++;
		t.apparentBytes += apparent;
		t.allocatedBytes += allocated;
		t.classBytes[cls]! += apparent;
		if (lowerBytes !== undefined) this.classLowerBytes[cls]! += lowerBytes;
		if (mark) {
			d.marks[mark]++;
			frame.changed = 1;
			if (mark !== 'A' || this.cfg.listAdded) this.record((rel ??= join(frame.rel, name)), mark, cls, apparent, lowerBytes);
		}
		if (nlink > 1) this.links.push({id, rel: (rel ??= join(frame.rel, name)), key: frame.key, g: frame.g, name, apparent, allocated, cls});
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
			frame.d.marks.D++;
			frame.changed = 1;
			this.classLowerBytes[rules.whiteout]! += lowerBytes;
			this.record(rel, 'D', rules.whiteout, 0, lowerBytes);
			frame.d.entries.push({name: n, type: 'deleted', apparentBytes: 0, allocatedBytes: 0, files: 0, inodes: 0, mark: 'D', cls: rules.whiteout, lowerBytes});
		}
	}

	/** The directory's own entries are all in: hand it to the assembly (it rolls up once its subdirectories are done). */
	finish(frame: Frame): void {
		if (frame.present) {
			this.hiddenDeletes(frame, frame.present);
			frame.present = null;
		}
		if (frame.top) for (const e of frame.top) frame.d.entries.push(e);
		this.cfg.assembly.close(frame.g, frame.changed, this.fresh);
		this.fresh = 0;
		if ((++this.closed & 63) === 0) this.cfg.onFlush?.();
	}
}
