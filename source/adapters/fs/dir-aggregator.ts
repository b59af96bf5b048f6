/**
 * The one directory aggregator every tree walker drives: it turns the entries a driver meets
 * (from GNU find records or from readdir/lstat) into DirNode records of the one tree type with
 * their own aggregates, marks, classes and top-K entries, using the rules of walk-rules.ts.
 * Finished directories go to a sink: the TreeAssembly directly (the find driver, on the main
 * thread) or a batch posted by a worker thread. Directories present in both the upper and a
 * lower layer are collected as opaque candidates: their xattrs are read once per walk, after it.
 */
import {lstatSync, type Stats} from 'node:fs';
import type {ChangeKind} from '../../domain/classify.js';
import type {DrillTotals} from '../../domain/drill-model.js';
import {displayName, newDirNode, type DirNode} from '../../domain/file-tree.js';
import type {CopyUpCandidate} from './copy-up-content.js';
import {join, keyOf, listDir, text, under, type RawName} from './raw-names.js';
import type {LinkSighting} from './tree-assembly.js';
import type {RawChange} from './tree-types.js';
import {ERR, ERR_KEYS, LEAF, TopFiles, dirMark, errorKind, isDirStat, isWhiteoutStat, leafOfMode, metadataBits, type LowerLook, type StatLike, type WalkRules} from './walk-rules.js';

const NONE: number[] = [];

/** An open directory: its node (filled in place) and the walk state kept until it closes. */
export interface Frame {
	node: DirNode;
	name: RawName;
	rel: RawName;
	depth: number;
	dev: number;
	/** Lower layers where this directory exists as a directory (empty: nothing below is in the image). */
	lowers: number[];
	cls: number;
	/** In the image view. */
	old: boolean;
	changed: boolean;
	top: TopFiles | null;
	/** Subdirectories listed in it (worker walk: the assembly waits for that many). */
	subdirs: number;
	/** Index in the TreeAssembly (direct assembly), else -1. */
	g: number;
}

/** Where finished directories go. */
export interface DirSink {
	/** A directory was entered (direct assembly registers it now and returns its index). */
	opened(frame: Frame, parent: Frame | null, counted: boolean): number;
	/** All its own entries are in. */
	closed(frame: Frame): void;
	change(c: RawChange): void;
	/** `n` entries met since the last call (progress). */
	met(n: number): void;
}

/** A subdirectory met by listDirectory(), not entered yet. */
export interface Subdir {
	name: RawName;
	rel: RawName;
	st: Stats;
}

export interface OpaqueCandidate {
	key: string;
	rel: RawName;
	lowers: number[];
}

export interface AggregatorConfig {
	root: string;
	rules: WalkRules;
	topK: number;
	shallowDepth: number;
	minDeepBytes: number;
	listAdded: boolean;
	sink: DirSink;
	/** Own aggregates of files as they are met (direct assembly's progress), or null. */
	running: DrillTotals | null;
}

export class DirAggregator {
	readonly links: LinkSighting[] = [];
	readonly classLowerBytes: number[];
	readonly unwalked: RawName[] = [];
	readonly candidates: OpaqueCandidate[] = [];
	readonly copyUps: CopyUpCandidate[] = [];
	/** Names lstat'ed by listDirectory (walk-find times the root's listing by it). */
	listed = 0;
	otherFs = 0;
	private fresh = 0;

	constructor(private readonly cfg: AggregatorConfig) {
		this.classLowerBytes = new Array<number>(cfg.rules.nClasses).fill(0);
	}

	abs(rel: RawName): string | Buffer {
		return under(this.cfg.root, rel);
	}

	fail(frame: Frame, err: unknown, rel: () => RawName): void {
		this.failKind(frame, errorKind(err), rel);
	}

	failKind(frame: Frame, kind: number, rel: () => RawName): void {
		frame.node.errors[ERR_KEYS[kind]!]++;
		if (kind === ERR.tooLong && this.unwalked.length < 100) this.unwalked.push(rel());
	}

	unreadable(frame: Frame): void {
		frame.node.unreadable = true;
	}

	/** The image view of subdirectory `rel` of `parent`, or null below new directories. */
	look(parent: Frame, rel: RawName): LowerLook | null {
		return parent.lowers.length > 0 ? this.cfg.rules.lookup(parent.lowers, rel) : null;
	}

	/**
	 * Enters a directory. `look`: its image view (look()); `st`: its upper lstat when known (read
	 * here when the C check needs it). `counted`: the parent has not been told about it already.
	 */
	enter(parent: Frame | null, name: RawName, rel: RawName, blocks: number, dev: number, look: LowerLook | null, st: StatLike | null, counted = true): Frame {
		const old = look?.old ?? null;
		const inImage = old !== null && isDirStat(old);
		if (inImage && !st) {
			try {
				st = lstatSync(this.abs(rel));
			} catch {
				st = null;
			}
		}
		const mark: ChangeKind | null = parent === null ? null : dirMark(rel, old, st);
		const rules = this.cfg.rules;
		const cls = rules.classOfDir(rel);
		const key = keyOf(rel);
		const node = newDirNode(key, parent ? parent.node.key : null, key === '/' ? '/' : displayName(rel), mark, rules.classes[cls] ?? 'other', blocks * 512, rules.nClasses);
		const lowers = parent === null ? rules.lowers.map((_, i) => i) : inImage ? look!.dirsIn : NONE;
		const frame: Frame = {node, name, rel, depth: parent ? parent.depth + 1 : 0, dev, lowers, cls, old: old !== null, changed: false, top: null, subdirs: 0, g: -1};
		if (parent && lowers.length > 0) this.candidates.push({key, rel, lowers});
		frame.g = this.cfg.sink.opened(frame, parent, counted);
		return frame;
	}

	/** Enters the walk's root, lstat'ed like every directory; null when that fails (recorded, and the root finished empty). */
	enterRoot(): Frame | null {
		let st: Stats;
		try {
			st = lstatSync(this.cfg.root);
		} catch (err) {
			const frame = this.enter(null, '', '', 0, 0, null, null);
			this.unreadable(frame);
			this.fail(frame, err, () => '');
			this.finish(frame);
			return null;
		}
		return this.enter(null, '', '', st.blocks, st.dev, null, st);
	}

	/** A subdirectory of `parent` met in a listing: looks it up below and enters it. */
	enterChild(parent: Frame, name: RawName, blocks: number, dev: number, st: StatLike | null, counted = true): Frame {
		const rel = join(parent.rel, name);
		return this.enter(parent, name, rel, blocks, dev, this.look(parent, rel), st, counted);
	}

	/**
	 * Lists one entered directory with readdir and one lstat per entry (symlinks are never
	 * followed), in sorted name order (raw bytes for a listing that is not valid UTF-8) so that
	 * hard links are charged to the same directory every walk. Non-directories go to leaf();
	 * subdirectories on another filesystem are counted in otherFs and skipped; the others are
	 * returned in name order, not entered, and counted in `frame.subdirs`. A listing or lstat
	 * that fails is recorded on the frame (an unreadable directory is marked so) and the walk
	 * goes on. The driver still calls finish(frame) once it is done with the directory.
	 */
	listDirectory(frame: Frame): Subdir[] {
		let names: Array<string | Buffer> = [];
		try {
			names = listDir(this.abs(frame.rel));
		} catch (err) {
			this.unreadable(frame);
			this.fail(frame, err, () => frame.rel);
		}
		this.listed += names.length;
		if (names.length > 1) names.sort(typeof names[0] === 'string' ? undefined : (Buffer.compare as (x: string | Buffer, y: string | Buffer) => number));
		const subdirs: Subdir[] = [];
		for (const name of names) {
			const rel = join(frame.rel, name);
			let st: Stats;
			try {
				st = lstatSync(this.abs(rel));
			} catch (err) {
				this.fail(frame, err, () => rel);
				continue;
			}
			if (!isDirStat(st)) {
				this.leaf(frame, name, text(name), leafOfMode(st.mode), st.size, st.blocks, st.nlink, st.dev + ':' + st.ino, st);
				continue;
			}
			if (st.dev !== frame.dev) {
				this.otherFs++;
				continue;
			}
			subdirs.push({name, rel, st});
		}
		frame.subdirs = subdirs.length;
		return subdirs;
	}

	/**
	 * One non-directory entry. `type`: a LEAF code (charDevice: checked for a whiteout by
	 * lstat). `st`: its lstat when the driver has it; otherwise it is read here when the marks
	 * need it (below image directories, char devices). `id` (dev:ino) only matters when nlink > 1.
	 */
	leaf(frame: Frame, name: RawName, nameText: string, type: number, size: number, blocks: number, nlink: number, id: string, st: StatLike | null): void {
		if (++this.fresh === 4096) {
			this.cfg.sink.met(this.fresh);
			this.fresh = 0;
		}
		let rel: RawName | undefined;
		let mark: ChangeKind | null = 'A';
		let lowerBytes: number | undefined;
		let lower: StatLike | undefined;
		let layer: number | undefined;
		const rules = this.cfg.rules;
		if (frame.lowers.length > 0 || type === LEAF.charDevice) {
			rel = join(frame.rel, name);
			if (!st) {
				try {
					st = lstatSync(this.abs(rel));
				} catch (err) {
					this.fail(frame, err, () => rel!);
					return;
				}
			}
			if (type === LEAF.charDevice) type = isWhiteoutStat(st) ? LEAF.whiteout : LEAF.other;
			({mark, lowerBytes, lower, layer} = rules.leafMark(frame.lowers, rel, type, st));
		}
		const apparent = size;
		const allocated = blocks * 512;
		const cls = rules.classOfFile(mark, lowerBytes, nameText, frame.cls);
		const d = frame.node;
		let candidate: CopyUpCandidate | undefined;
		if (lower && type === LEAF.file) {
			const bits = metadataBits(lower, st!);
			if (bits !== 0) this.copyUps.push((candidate = {key: d.key, name, rel: rel!, bytes: apparent, layer: layer!, bits, cls, uid: st!.uid, gid: st!.gid}));
		}
		d.files++;
		d.inodes++;
		d.apparentBytes += apparent;
		d.allocatedBytes += allocated;
		d.classBytes[cls]! += apparent;
		const t = this.cfg.running;
		if (t) {
			t.files++;
			t.inodes++;
			t.apparentBytes += apparent;
			t.allocatedBytes += allocated;
			t.classBytes[cls]! += apparent;
		}
		if (lowerBytes !== undefined) this.classLowerBytes[cls]! += lowerBytes;
		if (mark) {
			d.marks[mark]++;
			frame.changed = true;
			if (mark !== 'A' || this.cfg.listAdded) {
				const change: RawChange = {path: (rel ??= join(frame.rel, name)), kind: mark, class: rules.classes[cls] ?? 'other', bytes: apparent, ...(lowerBytes !== undefined ? {lowerBytes} : {}), dir: false};
				this.cfg.sink.change(change);
				// Direct assembly (this thread): the candidate keeps its records, no lookup later.
				if (candidate && frame.g >= 0) candidate.direct = {g: frame.g, change};
			}
		}
		if (nlink > 1) this.links.push({id, rel: (rel ??= join(frame.rel, name)), key: d.key, ...(frame.g >= 0 ? {g: frame.g} : {}), name, apparent, allocated, cls});
		if (mark === 'C' || mark === 'D') {
			const node = rules.node(name, type, apparent, allocated, true, mark, cls, lowerBytes);
			if (candidate?.direct) candidate.direct.entry = node;
			return void d.entries.push(node);
		}
		const cfg = this.cfg;
		const top = (frame.top ??= new TopFiles(cfg.topK, frame.depth <= cfg.shallowDepth, cfg.minDeepBytes));
		const slot = top.slot(apparent, allocated);
		if (slot >= 0) top.top[slot] = rules.node(name, type, apparent, allocated, true, mark, cls, lowerBytes);
	}

	/** The directory's own entries are all in: hand it to the sink. */
	finish(frame: Frame): void {
		const top = frame.top;
		if (top) {
			for (const e of top.top) frame.node.entries.push(e);
			const rest = frame.node.rest;
			rest.count += top.count;
			rest.apparentBytes += top.apparent;
			rest.allocatedBytes += top.allocated;
			frame.top = null;
		}
		this.cfg.sink.met(this.fresh);
		this.fresh = 0;
		this.cfg.sink.closed(frame);
	}
}
