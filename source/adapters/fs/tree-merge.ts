/**
 * Main-thread side of the parallel tree walk: collects the workers' packed per-directory
 * records (own aggregates only), resolves hard links seen by several tasks (the first path in
 * sorted order keeps the bytes, as du charges them), then rolls subtrees up, decides the
 * directory marks and lists every subdirectory in its parent.
 */
import type {ChangeKind} from '../../domain/classify.js';
import type {DrillTotals} from '../../domain/drill-model.js';
import type {RawChange, RawDir, RawEntry, RawName, RawProgress, RawTree} from './tree-walk.js';

/** Field offsets of one packed directory record; keep in step with tree-walk-worker.cjs. */
const R = {APP: 0, ALLOC: 1, FILES: 2, INODES: 3, DEPTH: 4, MARK: 5, OLD: 6, CHANGED: 7, CLS: 8, UNREAD: 9, ERR: 10, REST: 14, MARKS: 17, SUBDIRS: 20, CLASS: 21};
const KINDS: Array<ChangeKind | null> = [null, 'A', 'C', 'D'];
/** TreeAssembly.state fields. */
const S = 4;
const PARENT = 0;
const WAITING = 1;
const OLD = 2;
const CHANGED = 3;

export interface DirBatch {
	nums: Float64Array;
	count: number;
	/** rel, name, parentKey per directory. */
	meta: Array<RawName | null>;
	/** (index in batch, entry) pairs. */
	ents: Array<number | RawEntry>;
	changes: RawChange[];
	entries: number;
}

export interface LinkSighting {
	id: string;
	rel: RawName;
	key: string;
	/** Index of the directory in the assembly, when known (direct assembly). */
	g?: number;
	name: RawName;
	apparent: number;
	allocated: number;
	cls: number;
}

export interface TaskDone {
	links: LinkSighting[];
	classLowerBytes: number[];
	unwalked: RawName[];
	otherFs: number;
	opaque: {available: boolean; reason: string};
}

const bytes = (raw: RawName): Buffer => (typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));

export const keyOf = (rel: RawName): string => (rel === '' ? '/' : typeof rel === 'string' ? rel : '\0b64:' + bytes(rel).toString('base64'));

/** Depth-first sorted-name order: '/' sorts below every byte, so compare with it as 0. */
function pathOrder(a: RawName, b: RawName): number {
	const x = Buffer.from(bytes(a)).map(c => (c === 0x2f ? 0 : c));
	const y = Buffer.from(bytes(b)).map(c => (c === 0x2f ? 0 : c));
	return Buffer.compare(x, y);
}

const sameName = (a: RawName, b: RawName) => (typeof a === 'string' && typeof b === 'string' ? a === b : bytes(a).equals(bytes(b)));
/** Small integers as Smis (no boxed double per field); larger values stay doubles. */
const int = (x: number) => (x <= 0x3fffffff && x >= -0x40000000 ? x | 0 : x);
const weight = (e: RawEntry) => Math.max(e.apparentBytes, e.allocatedBytes);

const zeros: number[][] = [];

/** A fresh directory record (own inode only); the same shape for both walkers. */
export function newDir(key: string, parentKey: string | null, rel: RawName, name: RawName, mark: ChangeKind | null, cls: number, allocated: number, nClasses: number): RawDir {
	return {
		key, parentKey, rel, name, mark, cls,
		apparentBytes: 0, allocatedBytes: allocated, files: 0, dirs: 1, inodes: 1,
		classBytes: (zeros[nClasses] ??= Array.from({length: nClasses}, () => 0)).slice(),
		marks: {A: 0, C: 0, D: 0},
		errors: {denied: 0, vanished: 0, tooLong: 0, other: 0},
		unreadable: false,
		entries: [],
		rest: {count: 0, apparentBytes: 0, allocatedBytes: 0},
	};
}

export function emptyTotals(nClasses: number): DrillTotals {
	return {
		apparentBytes: 0, allocatedBytes: 0, files: 0, dirs: 0, inodes: 0,
		classBytes: new Array<number>(nClasses).fill(0), classLowerBytes: new Array<number>(nClasses).fill(0),
		marks: {A: 0, C: 0, D: 0}, errors: {denied: 0, vanished: 0, tooLong: 0, other: 0}, otherFs: 0,
	};
}

/**
 * Builds the tree while the walk runs, so nothing but the cross-task hard-link fix-up is left
 * at the end. Two ways in: packed batches from the worker threads (addBatch: each record becomes
 * a RawDir at once, parents found by key), or direct assembly on this thread (open/close: the
 * find walk registers a RawDir when it enters a directory and closes it after its last entry,
 * parents known by index, no per-directory key lookups). Either way a directory is finalised
 * (rolled into its parent) as soon as it and all its subdirectories are done.
 */
export class TreeAssembly {
	private readonly dirs: RawDir[] = [];
	/** key -> index, filled lazily (lookup) up to `indexed`. */
	private readonly index = new Map<string, number>();
	private indexed = 0;
	private rootIndex = -1;
	/**
	 * Per directory, S ints at S * index: the parent's index (-1 when only its key is known, as
	 * from worker batches); things not yet rolled in (subdirectories, plus itself while open; -1
	 * once finalised); in the image; changed below. Typed, so a million directories cost no GC work.
	 */
	private state = new Int32Array(S * 1024);
	/** Per directory with a change record: that record. */
	private readonly changeOf = new Map<number, RawChange>();
	/** Finished directories whose parent record has not arrived yet (a donated subtree). */
	private readonly orphans = new Map<string, number[]>();
	private readonly changes: RawChange[] = [];
	private readonly links: LinkSighting[] = [];
	private readonly unwalked: RawName[] = [];
	private readonly opaque = {available: true, reason: ''};
	private readonly running: DrillTotals;
	private readonly topLevel: RawEntry[] = [];
	private readonly width: number;
	private entries = 0;
	private current: RawName = '';
	/** Own aggregates of directories under direct assembly are added here as they are met. */
	readonly totalsSoFar: DrillTotals;

	constructor(
		private readonly nClasses: number,
		/** List A directories in `changes` too (report mode). */
		private readonly listAdded: boolean,
	) {
		this.width = R.CLASS + nClasses;
		this.running = emptyTotals(nClasses);
		this.totalsSoFar = this.running;
	}

	private push(d: RawDir, parent: number, waiting: number, old: number, changed: number): number {
		const g = this.dirs.length;
		this.dirs.push(d);
		if (S * g + S > this.state.length) {
			const grown = new Int32Array(this.state.length * 2);
			grown.set(this.state);
			this.state = grown;
		}
		const o = S * g;
		this.state[o + PARENT] = parent;
		this.state[o + WAITING] = waiting;
		this.state[o + OLD] = old;
		this.state[o + CHANGED] = changed;
		return g;
	}

	private lookup(key: string): number | undefined {
		while (this.indexed < this.dirs.length) this.index.set(this.dirs[this.indexed]!.key, this.indexed++);
		return this.index.get(key);
	}

	/**
	 * Direct assembly: registers directory `d` when it is entered and returns its index.
	 * `counted`: the parent does not know about it yet (otherwise see expect()).
	 */
	open(d: RawDir, parent: number, old: boolean, counted: boolean): number {
		const g = this.push(d, parent, 1, old ? 1 : 0, 0);
		if (parent >= 0 && counted) this.state[S * parent + WAITING]!++;
		if (d.parentKey === null) this.rootIndex = g;
		const t = this.running;
		t.allocatedBytes += d.allocatedBytes;
		t.inodes++;
		t.dirs++;
		return g;
	}

	/** Directory g will get `n` subdirectories opened later with counted = false. */
	expect(g: number, n: number): void {
		this.state[S * g + WAITING]! += n;
	}

	/** Directory g has all its own entries (its subdirectories may still be open); g = -1 only counts `entries` met. */
	close(g: number, changed: number, entries: number): void {
		this.entries += entries;
		if (g < 0) return;
		if (changed) this.state[S * g + CHANGED] = 1;
		this.current = this.dirs[g]!.rel;
		if (--this.state[S * g + WAITING]! === 0) this.finalize(g);
	}

	addChange(c: RawChange): void {
		this.changes.push(c);
	}

	addBatch(b: DirBatch): void {
		for (const c of b.changes) this.changes.push(c);
		this.entries += b.entries;
		const base = this.dirs.length;
		const n = b.nums;
		const t = this.running;
		for (let i = 0; i < b.count; i++) {
			const o = i * this.width;
			const rel = b.meta[3 * i]!;
			const classBytes = new Array<number>(this.nClasses);
			for (let c = 0; c < this.nClasses; c++) t.classBytes[c]! += classBytes[c] = int(n[o + R.CLASS + c]!);
			t.apparentBytes += n[o + R.APP]!;
			t.allocatedBytes += n[o + R.ALLOC]!;
			t.files += n[o + R.FILES]!;
			t.inodes += n[o + R.INODES]!;
			t.dirs++;
			const d: RawDir = {
				key: keyOf(rel), parentKey: b.meta[3 * i + 2] as string | null, rel, name: b.meta[3 * i + 1]!,
				mark: KINDS[n[o + R.MARK]!]!, cls: int(n[o + R.CLS]!),
				apparentBytes: int(n[o + R.APP]!), allocatedBytes: int(n[o + R.ALLOC]!), files: int(n[o + R.FILES]!), dirs: 1, inodes: int(n[o + R.INODES]!),
				classBytes,
				marks: {A: int(n[o + R.MARKS]!), C: int(n[o + R.MARKS + 1]!), D: int(n[o + R.MARKS + 2]!)},
				errors: {denied: int(n[o + R.ERR]!), vanished: int(n[o + R.ERR + 1]!), tooLong: int(n[o + R.ERR + 2]!), other: int(n[o + R.ERR + 3]!)},
				unreadable: n[o + R.UNREAD] === 1,
				entries: [],
				rest: {count: int(n[o + R.REST]!), apparentBytes: int(n[o + R.REST + 1]!), allocatedBytes: int(n[o + R.REST + 2]!)},
			};
			this.push(d, -1, n[o + R.SUBDIRS]!, n[o + R.OLD]!, n[o + R.CHANGED]!);
			if (d.parentKey === null) this.rootIndex = base + i;
		}
		for (let j = 0; j < b.ents.length; j += 2) this.dirs[base + (b.ents[j] as number)]!.entries.push(b.ents[j + 1] as RawEntry);
		for (let i = 0; i < b.count; i++) {
			const g = base + i;
			const adopted = this.orphans.size > 0 ? this.orphans.get(this.dirs[g]!.key) : undefined;
			if (adopted) {
				this.orphans.delete(this.dirs[g]!.key);
				for (const child of adopted) this.addChild(g, child);
			}
			if (this.state[S * g + WAITING] === 0) this.finalize(g);
		}
		if (b.count > 0) this.current = b.meta[3 * (b.count - 1)]!;
	}

	addTask(t: TaskDone): void {
		for (const l of t.links) this.links.push(l);
		for (let c = 0; c < this.nClasses; c++) this.running.classLowerBytes[c]! += t.classLowerBytes[c] ?? 0;
		for (const u of t.unwalked) if (this.unwalked.length < 100) this.unwalked.push(u);
		this.running.otherFs += t.otherFs;
		if (!t.opaque.available) Object.assign(this.opaque, t.opaque);
	}

	/** Running totals (own aggregates of the directories listed so far) and the finished top-level directories. */
	progress(): RawProgress {
		const topLevel = [...this.topLevel].sort((a, b) => weight(b) - weight(a)).map(e => ({...e}));
		return {entries: this.entries, dirsDone: this.dirs.length, totals: structuredClone(this.running), topLevel, current: this.current};
	}

	build(): RawTree {
		this.resolveLinks();
		const root = this.dirs[this.rootIndex];
		const totals = emptyTotals(this.nClasses);
		totals.classLowerBytes = this.running.classLowerBytes;
		totals.otherFs = this.running.otherFs;
		if (root) {
			Object.assign(totals, {apparentBytes: root.apparentBytes, allocatedBytes: root.allocatedBytes, files: root.files, dirs: root.dirs, inodes: root.inodes});
			totals.classBytes = [...root.classBytes];
			totals.marks = {...root.marks};
			totals.errors = {...root.errors};
		}
		let open = false;
		for (let g = 0; g < this.dirs.length; g++) if (this.state[S * g + WAITING]! > 0) open = true;
		if (this.orphans.size > 0 || open) throw new Error('tree walk lost track of some directories');
		return {dirs: this.dirs, changes: this.changes, totals, unwalked: this.unwalked, opaque: this.opaque};
	}

	/** All subdirectories are in: decide the mark, sort the entries, roll into the parent. */
	private finalize(g: number): void {
		for (;;) {
			const d = this.dirs[g]!;
			this.state[S * g + WAITING] = -1;
			if (!d.mark && this.state[S * g + OLD] && this.state[S * g + CHANGED]) d.mark = 'C';
			if (d.mark) d.marks[d.mark]++;
			if (d.mark && (d.mark !== 'A' || this.listAdded)) {
				const change: RawChange = {path: d.rel, kind: d.mark, cls: d.cls, bytes: d.apparentBytes, dir: true};
				this.changes.push(change);
				this.changeOf.set(g, change);
			}
			if (d.entries.length > 1) d.entries.sort((a, b) => weight(b) - weight(a));
			if (d.parentKey === null) return;
			const pg = this.parentIndex(g, d.parentKey);
			if (pg === undefined) {
				const list = this.orphans.get(d.parentKey);
				if (list) list.push(g);
				else this.orphans.set(d.parentKey, [g]);
				return;
			}
			this.addChild(pg, g);
			if (this.state[S * pg + WAITING] !== 0) return;
			g = pg;
		}
	}

	private parentIndex(g: number, parentKey: string): number | undefined {
		const pg = this.state[S * g + PARENT]!;
		return pg >= 0 ? pg : this.lookup(parentKey);
	}

	private addChild(pg: number, g: number): void {
		const p = this.dirs[pg]!;
		const d = this.dirs[g]!;
		d.parentKey = p.key; // the parent's own string: the cloned copy can go
		p.apparentBytes += d.apparentBytes;
		p.allocatedBytes += d.allocatedBytes;
		p.files += d.files;
		p.dirs += d.dirs;
		p.inodes += d.inodes;
		for (let c = 0; c < this.nClasses; c++) p.classBytes[c]! += d.classBytes[c]!;
		p.marks.A += d.marks.A;
		p.marks.C += d.marks.C;
		p.marks.D += d.marks.D;
		p.errors.denied += d.errors.denied;
		p.errors.vanished += d.errors.vanished;
		p.errors.tooLong += d.errors.tooLong;
		p.errors.other += d.errors.other;
		if (d.mark || this.state[S * g + CHANGED]) this.state[S * pg + CHANGED] = 1;
		const entry: RawEntry = {name: d.name, type: 'dir', apparentBytes: d.apparentBytes, allocatedBytes: d.allocatedBytes, files: d.files, inodes: d.inodes, mark: d.mark, cls: d.cls, dirKey: d.key};
		p.entries.push(entry);
		this.state[S * pg + WAITING]!--;
		if (p.parentKey === null) this.topLevel.push(entry);
	}

	/**
	 * An inode met by several tasks keeps its bytes at its first path in depth-first sorted
	 * order; the others give theirs back, up to the root.
	 */
	private resolveLinks(): void {
		const byId = new Map<string, LinkSighting[]>();
		for (const s of this.links) {
			const list = byId.get(s.id);
			if (list) list.push(s);
			else byId.set(s.id, [s]);
		}
		const losers = new Set<string>();
		const resort = new Set<RawDir>();
		for (const group of byId.values()) {
			if (group.length < 2) continue;
			group.sort((a, b) => pathOrder(a.rel, b.rel));
			for (const s of group.slice(1)) {
				let g = s.g ?? this.lookup(s.key);
				if (g === undefined) continue;
				const d = this.dirs[g]!;
				const e = d.entries.find(x => x.type !== 'dir' && sameName(x.name, s.name));
				if (e) {
					e.apparentBytes = e.allocatedBytes = e.files = e.inodes = 0;
					resort.add(d);
				} else {
					d.rest.apparentBytes -= s.apparent;
					d.rest.allocatedBytes -= s.allocated;
				}
				losers.add(keyOf(s.rel));
				while (g !== undefined) {
					const x: RawDir = this.dirs[g]!;
					x.apparentBytes -= s.apparent;
					x.allocatedBytes -= s.allocated;
					x.files--;
					x.inodes--;
					x.classBytes[s.cls]! -= s.apparent;
					const change = this.changeOf.get(g);
					if (change) change.bytes -= s.apparent;
					const pg: number | undefined = x.parentKey === null ? undefined : this.parentIndex(g, x.parentKey);
					const entry = pg === undefined ? undefined : this.dirs[pg]!.entries.find(e => e.dirKey === x.key);
					if (entry) {
						entry.apparentBytes -= s.apparent;
						entry.allocatedBytes -= s.allocated;
						entry.files--;
						entry.inodes--;
					}
					g = pg;
					if (g !== undefined) resort.add(this.dirs[g]!);
				}
			}
		}
		for (const d of resort) d.entries.sort((a, b) => weight(b) - weight(a));
		if (losers.size > 0) for (const c of this.changes) if (!c.dir && losers.has(keyOf(c.path))) c.bytes = 0;
	}
}
