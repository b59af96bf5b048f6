/**
 * Builds the one tree while a walk runs: each directory arrives with its OWN aggregates (its
 * inode and the files directly in it) and is rolled into its parent as soon as it and all its
 * subdirectories are done; the directory's mark is decided then (C when anything below it
 * changed). Two ways in: direct (open/close on this thread: the find walk, parents known by
 * index) or closed records by key (add: worker threads' batches, parents found by key). At the
 * end hard links seen at several paths keep their bytes at the first path in depth-first sorted
 * order (what du charges), and hidden deletes found under opaque directories are added.
 */
import type {ChangeKind, PathClass} from '../../domain/classify.js';
import type {DrillTotals} from '../../domain/drill-model.js';
import {displayName, nodeWeight, type DirNode, type FileNode} from '../../domain/file-tree.js';
import {META_MODE, META_OWNER, META_TIME, emptyMetadataFigures, type MetadataCopyUpFigures} from '../../domain/metadata-copy-up.js';
import {DIFFERS, SAME, UNCHECKED, type CopyUpCandidate} from './copy-up-content.js';
import {asBuf, keyOf, relOfKey, text, type RawName} from './raw-names.js';
import type {RawChange, WalkedTree, WalkProgress} from './tree-types.js';

/** TreeAssembly.state fields. */
const S = 4;
const PARENT = 0;
const WAITING = 1;
const OLD = 2;
const CHANGED = 3;

/** A directory closed by a worker thread: its node holds its own aggregates only. */
export interface ClosedDir {
	node: DirNode;
	name: RawName;
	/** Subdirectories that will arrive (closed) later. */
	subdirs: number;
	/** In the image view. */
	old: boolean;
	/** Something directly in it changed. */
	changed: boolean;
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

/** Deleted entries of an opaque directory's lower view. */
export interface HiddenDeletes {
	key: string;
	deletes: Array<{name: RawName; path: RawName; lowerBytes: number}>;
}

/** Copy-up candidates with their content verdicts (copy-up-content.ts). */
export interface MetadataInput {
	candidates: readonly CopyUpCandidate[];
	verdicts: Uint8Array;
	comparedBytes: number;
	budgetBytes: number;
	/** Index of the metadata-copy-up class. */
	cls: number;
}

/** Depth-first sorted-name order: '/' sorts below every byte, so compare with it as 0. */
function pathOrder(a: RawName, b: RawName): number {
	const x = Buffer.from(asBuf(a)).map(c => (c === 0x2f ? 0 : c));
	const y = Buffer.from(asBuf(b)).map(c => (c === 0x2f ? 0 : c));
	return Buffer.compare(x, y);
}

const sameName = (a: RawName, b: RawName) => (typeof a === 'string' && typeof b === 'string' ? a === b : asBuf(a).equals(asBuf(b)));
/**
 * Heaviest first; equal weights (a directory's allocated blocks often are) by apparent bytes,
 * then by name, so every walker lists a directory in the same order whatever order it met
 * the entries in.
 */
const byWeight = (a: FileNode, b: FileNode) =>
	nodeWeight(b) - nodeWeight(a) || b.apparentBytes - a.apparentBytes || (typeof a.name === 'string' && typeof b.name === 'string' ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : Buffer.compare(asBuf(a.name), asBuf(b.name)));

export function emptyTotals(nClasses: number): DrillTotals {
	return {
		apparentBytes: 0,
		allocatedBytes: 0,
		files: 0,
		dirs: 0,
		inodes: 0,
		classBytes: new Array<number>(nClasses).fill(0),
		classLowerBytes: new Array<number>(nClasses).fill(0),
		marks: {A: 0, C: 0, D: 0},
		errors: {denied: 0, vanished: 0, tooLong: 0, other: 0},
		otherFs: 0,
	};
}

export class TreeAssembly {
	private readonly dirs: DirNode[] = [];
	/** Raw name per directory (its entry in the parent is made from it). */
	private readonly names: RawName[] = [];
	/** key -> index, filled lazily (lookup) up to `indexed`. */
	private readonly index = new Map<string, number>();
	private indexed = 0;
	private rootIndex = -1;
	/**
	 * Per directory, S ints at S * index: the parent's index (-1 when only its key is known);
	 * things not yet rolled in (subdirectories, plus itself while open; -1 once finalised); in
	 * the image; changed below. Typed, so a million directories cost no GC work.
	 */
	private state = new Int32Array(S * 1024);
	/** Per directory with a change record: that record. */
	private readonly changeOf = new Map<number, RawChange>();
	/** Finished directories whose parent record has not arrived yet (a subtree done by another thread). */
	private readonly orphans = new Map<string, number[]>();
	private readonly changes: RawChange[] = [];
	private readonly links: LinkSighting[] = [];
	readonly unwalked: RawName[] = [];
	readonly opaque = {available: true, reason: ''};
	/** Own aggregates of the directories met so far (progress; classLowerBytes and otherFs are final). */
	readonly running: DrillTotals;
	private readonly topLevel: FileNode[] = [];
	private entries = 0;
	private current: RawName = '';

	constructor(
		private readonly classes: readonly PathClass[],
		/** List A directories in `changes` too (report mode). */
		private readonly listAdded: boolean,
	) {
		this.running = emptyTotals(classes.length);
	}

	private push(d: DirNode, name: RawName, parent: number, waiting: number, old: boolean, changed: boolean): number {
		const g = this.dirs.length;
		this.dirs.push(d);
		this.names.push(name);
		if (S * g + S > this.state.length) {
			const grown = new Int32Array(this.state.length * 2);
			grown.set(this.state);
			this.state = grown;
		}
		const o = S * g;
		this.state[o + PARENT] = parent;
		this.state[o + WAITING] = waiting;
		this.state[o + OLD] = old ? 1 : 0;
		this.state[o + CHANGED] = changed ? 1 : 0;
		if (d.parentKey === null) this.rootIndex = g;
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
	open(d: DirNode, name: RawName, parent: number, old: boolean, counted: boolean): number {
		const g = this.push(d, name, parent, 1, old, false);
		if (parent >= 0 && counted) this.state[S * parent + WAITING]!++;
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

	/** Entries met since the last call (progress inside a huge directory). */
	met(entries: number): void {
		this.entries += entries;
	}

	/** Direct assembly: directory g has all its own entries (its subdirectories may still be open). */
	close(g: number, changed: boolean): void {
		if (changed) this.state[S * g + CHANGED] = 1;
		this.current = relOfKey(this.dirs[g]!.key);
		if (--this.state[S * g + WAITING]! === 0) this.finalize(g);
	}

	addChange(c: RawChange): void {
		this.changes.push(c);
	}

	/** Closed directories from a worker thread, parents before or after their subdirectories. */
	add(closed: readonly ClosedDir[]): void {
		const t = this.running;
		const base = this.dirs.length;
		for (const c of closed) {
			const d = c.node;
			for (let i = 0; i < d.classBytes.length; i++) t.classBytes[i]! += d.classBytes[i]!;
			t.apparentBytes += d.apparentBytes;
			t.allocatedBytes += d.allocatedBytes;
			t.files += d.files;
			t.inodes += d.inodes;
			t.dirs++;
			this.push(d, c.name, -1, c.subdirs, c.old, c.changed);
		}
		for (let g = base; g < this.dirs.length; g++) {
			const key = this.dirs[g]!.key;
			const adopted = this.orphans.size > 0 ? this.orphans.get(key) : undefined;
			if (adopted) {
				this.orphans.delete(key);
				for (const child of adopted) this.addChild(g, child);
			}
			if (this.state[S * g + WAITING] === 0) this.finalize(g);
		}
		if (closed.length > 0) this.current = relOfKey(closed[closed.length - 1]!.node.key);
	}

	addLinks(links: readonly LinkSighting[]): void {
		for (const l of links) this.links.push(l);
	}

	addWalkFigures(f: {classLowerBytes: readonly number[]; unwalked: readonly RawName[]; otherFs: number}): void {
		for (let c = 0; c < this.classes.length; c++) this.running.classLowerBytes[c]! += f.classLowerBytes[c] ?? 0;
		for (const u of f.unwalked) if (this.unwalked.length < 100) this.unwalked.push(u);
		this.running.otherFs += f.otherFs;
	}

	/** Running totals (own aggregates of the directories listed so far) and the finished top-level directories. */
	progress(): WalkProgress {
		const topLevel = [...this.topLevel].sort(byWeight).map(e => ({...e}));
		return {entries: this.entries, dirsDone: this.dirs.length, totals: structuredClone(this.running), topLevel, current: this.current};
	}

	build(hidden: readonly HiddenDeletes[] = [], whiteout = 0, metadata?: MetadataInput): WalkedTree {
		const metadataCopyUp = metadata ? this.applyMetadataCopyUps(metadata) : emptyMetadataFigures();
		this.resolveLinks();
		for (const h of hidden) this.addHiddenDeletes(h, whiteout);
		const root = this.dirs[this.rootIndex];
		const totals = emptyTotals(this.classes.length);
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
		return {dirs: this.dirs, changes: this.changes, totals, unwalked: this.unwalked, opaque: this.opaque, metadataCopyUp};
	}

	/**
	 * Metadata-only copy-ups, once contents were compared: a candidate found equal, or not
	 * compared but with its mtime unchanged, moves from its class to metadata-copy-up in its
	 * entry, its change record, its directory and every directory above, which count it. One
	 * found different, or not compared with a new mtime, keeps its class.
	 */
	private applyMetadataCopyUps(m: MetadataInput): MetadataCopyUpFigures {
		const fig = emptyMetadataFigures(m.budgetBytes);
		fig.comparedBytes = m.comparedBytes;
		if (m.candidates.length === 0) return fig;
		const metaName = this.classes[m.cls] ?? 'other';
		// Records by path, built only for candidates that came from another thread (cloned).
		let changes: Map<string, RawChange> | undefined;
		let links: Map<string, LinkSighting> | undefined;
		const entryMaps = new Map<number, Map<string, FileNode>>();
		const owners = new Map<number, number>();
		const classLower = this.running.classLowerBytes;
		for (let i = 0; i < m.candidates.length; i++) {
			const c = m.candidates[i]!;
			const v = m.verdicts[i]!;
			let change = c.direct?.change;
			if (!c.direct) {
				if (!changes) {
					changes = new Map();
					for (const x of this.changes) if (!x.dir && x.kind === 'C') changes.set(keyOf(x.path), x);
				}
				change = changes.get(keyOf(c.rel));
			}
			if (change) {
				change.metadata = c.bits;
				if (v !== UNCHECKED) change.contentSame = v === SAME;
			}
			if (v === DIFFERS) {
				fig.differs++;
				continue;
			}
			if (v === UNCHECKED && c.bits & META_TIME) {
				fig.unchecked++;
				continue;
			}
			if (v === SAME) fig.confirmed++;
			else fig.inferred++;
			fig.files++;
			fig.bytes += c.bytes;
			if (c.bits & META_OWNER) {
				fig.owner++;
				// uid and gid (32 bits each) as one number key
				const o = c.uid * 0x1_0000_0000 + c.gid;
				owners.set(o, (owners.get(o) ?? 0) + 1);
			}
			if (c.bits & META_MODE) fig.mode++;
			if (c.bits & META_TIME) fig.time++;
			if (change) change.class = metaName;
			if (this.links.length > 0) {
				if (!links) {
					links = new Map();
					for (const l of this.links) links.set(keyOf(l.rel), l);
				}
				const link = links.get(keyOf(c.rel));
				if (link) link.cls = m.cls;
			}
			classLower[c.cls]! -= c.bytes;
			classLower[m.cls]! += c.bytes;
			const g = c.direct ? c.direct.g : this.lookup(c.key);
			if (g === undefined) continue;
			let entry = c.direct?.entry;
			if (!c.direct) {
				let names = entryMaps.get(g);
				if (!names) {
					names = new Map();
					for (const e of this.dirs[g]!.entries) if (e.type !== 'dir') names.set(text(e.name), e);
					entryMaps.set(g, names);
				}
				entry = names.get(text(c.name));
			}
			if (entry) entry.class = metaName;
			for (let at = g; at >= 0; at = this.state[S * at + PARENT]!) {
				const d = this.dirs[at]!;
				d.classBytes[c.cls]! -= c.bytes;
				d.classBytes[m.cls]! += c.bytes;
				const own = (d.metadataCopyUp ??= {files: 0, bytes: 0});
				own.files++;
				own.bytes += c.bytes;
			}
		}
		let top: {owner: number; files: number} | undefined;
		for (const [owner, files] of owners) if (!top || files > top.files) top = {owner, files};
		if (top) fig.topOwner = {owner: `${Math.floor(top.owner / 0x1_0000_0000)}:${top.owner % 0x1_0000_0000}`, files: top.files};
		return fig;
	}

	private dirChange(g: number, kind: ChangeKind): void {
		const d = this.dirs[g]!;
		if (kind === 'A' && !this.listAdded) return;
		const change: RawChange = {path: relOfKey(d.key), kind, class: d.class, bytes: d.apparentBytes, dir: true};
		this.changes.push(change);
		this.changeOf.set(g, change);
	}

	/** All subdirectories are in: decide the mark, sort the entries, roll into the parent. */
	private finalize(g: number): void {
		for (;;) {
			const d = this.dirs[g]!;
			this.state[S * g + WAITING] = -1;
			if (!d.mark && this.state[S * g + OLD] && this.state[S * g + CHANGED]) d.mark = 'C';
			if (d.mark) {
				d.marks[d.mark]++;
				this.dirChange(g, d.mark);
			}
			if (d.entries.length > 1) d.entries.sort(byWeight);
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
		d.parentKey = p.key; // the parent's own string: a cloned copy can go
		this.state[S * g + PARENT] = pg;
		p.apparentBytes += d.apparentBytes;
		p.allocatedBytes += d.allocatedBytes;
		p.files += d.files;
		p.dirs += d.dirs;
		p.inodes += d.inodes;
		for (let c = 0; c < p.classBytes.length; c++) p.classBytes[c]! += d.classBytes[c]!;
		p.marks.A += d.marks.A;
		p.marks.C += d.marks.C;
		p.marks.D += d.marks.D;
		p.errors.denied += d.errors.denied;
		p.errors.vanished += d.errors.vanished;
		p.errors.tooLong += d.errors.tooLong;
		p.errors.other += d.errors.other;
		if (d.mark || this.state[S * g + CHANGED]) this.state[S * pg + CHANGED] = 1;
		const name = this.names[g]!;
		const entry: FileNode = {
			name,
			display: displayName(name),
			type: 'dir',
			apparentBytes: d.apparentBytes,
			allocatedBytes: d.allocatedBytes,
			files: d.files,
			inodes: d.inodes,
			mark: d.mark,
			class: d.class,
			dirKey: d.key,
		};
		p.entries.push(entry);
		this.state[S * pg + WAITING]!--;
		if (p.parentKey === null) this.topLevel.push(entry);
	}

	/** The entry of directory g in its parent, and the parent's index. */
	private entryOf(g: number): {pg: number; entry: FileNode | undefined} | undefined {
		const x = this.dirs[g]!;
		if (x.parentKey === null) return undefined;
		const pg = this.parentIndex(g, x.parentKey);
		if (pg === undefined) return undefined;
		return {pg, entry: this.dirs[pg]!.entries.find(e => e.dirKey === x.key)};
	}

	/**
	 * An inode met at several paths keeps its bytes at its first path in depth-first sorted
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
		const resort = new Set<DirNode>();
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
					const x: DirNode = this.dirs[g]!;
					x.apparentBytes -= s.apparent;
					x.allocatedBytes -= s.allocated;
					x.files--;
					x.inodes--;
					x.classBytes[s.cls]! -= s.apparent;
					const change = this.changeOf.get(g);
					if (change) change.bytes -= s.apparent;
					const up = this.entryOf(g);
					if (up?.entry) {
						up.entry.apparentBytes -= s.apparent;
						up.entry.allocatedBytes -= s.allocated;
						up.entry.files--;
						up.entry.inodes--;
					}
					g = up?.pg;
					if (g !== undefined) resort.add(this.dirs[g]!);
				}
			}
		}
		for (const d of resort) d.entries.sort(byWeight);
		if (losers.size > 0) for (const c of this.changes) if (!c.dir && losers.has(keyOf(c.path))) c.bytes = 0;
	}

	/**
	 * D entries of an opaque directory, found after the walk (one tar per walk reads every
	 * candidate's xattr). The directory and every unmarked image directory above it become C.
	 */
	private addHiddenDeletes(h: HiddenDeletes, whiteout: number): void {
		const g = this.lookup(h.key);
		if (g === undefined || h.deletes.length === 0) return;
		const cls = this.classes[whiteout] ?? 'other';
		const d = this.dirs[g]!;
		for (const x of h.deletes) {
			this.running.classLowerBytes[whiteout]! += x.lowerBytes;
			this.changes.push({path: x.path, kind: 'D', class: cls, bytes: 0, lowerBytes: x.lowerBytes, dir: false});
			d.entries.push({name: x.name, display: displayName(x.name), type: 'deleted', apparentBytes: 0, allocatedBytes: 0, files: 0, inodes: 0, mark: 'D', class: cls, lowerBytes: x.lowerBytes});
		}
		d.entries.sort(byWeight);
		const n = h.deletes.length;
		let newlyChanged = 0;
		let propagate = true;
		for (let at: number | undefined = g; at !== undefined; ) {
			const x: DirNode = this.dirs[at]!;
			x.marks.D += n;
			x.marks.C += newlyChanged;
			const up = this.entryOf(at);
			if (propagate && !x.mark && this.state[S * at + OLD]) {
				x.mark = 'C';
				x.marks.C++;
				newlyChanged++;
				this.dirChange(at, 'C');
				if (up?.entry) up.entry.mark = 'C';
			} else propagate = false;
			at = up?.pg;
		}
	}
}
