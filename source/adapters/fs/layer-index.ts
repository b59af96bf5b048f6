/**
 * Incremental sizing of writable layers (the sampler: layer-sampler.ts, run in worker threads
 * by workers/sample-worker.ts). Per container it keeps an index of directories (with their
 * mtime/ctime) and files, built by the first scan's walk itself (`index`). Each pass lstat's
 * the directories seen changing ("hot") and a quota of the others, round robin (all of them
 * where there are few: domain/sample-budget.ts sets the quotas, so that a layer of 130,000
 * directories does not cost 130,000 lstat a pass), and re-reads only those whose mtime or
 * ctime changed (new, deleted and renamed names); it re-stats files seen changing ("hot"), and
 * spends a quota of re-stats per pass on the other files: first the "warm" queue (files
 * modified shortly before the index was built, newest first, and new files beyond the hot
 * cap), then a round robin over all files, so a file that starts growing in place (which
 * changes no directory) is found within files/quota passes. Nothing re-reads a whole layer
 * after the first scan. Semantics match
 * size-tree.ts: apparent bytes of non-directories (hard links once), allocated bytes of every
 * inode, never follows symlinks, stays on one filesystem, names as bytes when a listing is not
 * valid UTF-8 (raw-names.ts).
 *
 * Memory: one layer of 2,000 files is kept in column arrays (typed arrays for the numbers,
 * slots reused through a free list), not one object per file: a file costs about 100 bytes
 * (its name, once, as the key of its directory's map; its inode's figures shared by its hard
 * links), which brings 100 layers × 2,000 files from about 80 MiB of heap to about 20.
 */
import {lstatSync, type Stats} from 'node:fs';
import {join, listDir} from './raw-names.js';

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const HOT_TICKS = 6; // a file stays hot for this many passes after it last changed
const HOT_MAX = 1024; // per layer: files seen changing beyond this wait in the warm queue
const NEW_HOT_MAX = 64; // per layer: new files (likely still being written) made hot at once
const RECENT_MS = 60_000; // files modified this shortly before the index go to the warm queue
const WARM_MAX = 10_000; // per layer: beyond this, files wait for the round robin
const HOT_DIRS_MAX = 1024; // per layer: directories seen changing, lstat'ed every pass for HOT_TICKS passes

const nameKey = (name: string | Buffer) => (typeof name === 'string' ? name : 'b:' + name.toString('latin1'));

type Path = string | Buffer;

/** A directory's names: a file's slot (a number), a subdirectory, or null (a mount point: another filesystem). */
type Child = number | DirEntry | null;

interface DirEntry {
	path: Path;
	mtime: number;
	ctime: number;
	alloc: number;
	entries: Map<string, Child>;
	/** Set once a re-read of its parent removed it. */
	gone?: boolean;
}

export interface Counter {
	stats: number;
	reads: number;
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T, length: number): T {
	if (length <= array.length) return array;
	const next = new (array.constructor as new (n: number) => T)(Math.max(length, Math.ceil(array.length * 1.5), 64));
	next.set(array);
	return next;
}

/** Slots 0..high-1 of a column table, with a free list of released slots. */
class Slots {
	high = 0;
	private readonly free: number[] = [];

	take(): number {
		return this.free.pop() ?? this.high++;
	}

	release(slot: number): void {
		this.free.push(slot);
	}

	get live(): number {
		return this.high - this.free.length;
	}
}

export class Layer {
	dev: number | null = null;
	readonly dirs = new Map<string, DirEntry>();
	// Inodes (each counted once, whatever its number of names): inode number -> slot.
	private readonly inodeOf = new Map<number, number>();
	private inodeSlots = new Slots();
	private inoNumber = new Float64Array(0);
	private inoRefs = new Int32Array(0);
	private inoSize = new Float64Array(0);
	private inoAlloc = new Float64Array(0);
	// Files (names of non-directories), by slot.
	private fileSlots = new Slots();
	private fileName: Path[] = [];
	private fileDir: DirEntry[] = [];
	private fileInode = new Int32Array(0);
	private fileMtime = new Float64Array(0);
	/** Passes left while hot; 0 when cold. */
	private fileHot = new Uint8Array(0);
	private fileLive = new Uint8Array(0);
	cursor = 0;
	warm: number[] = [];
	warmAt = 0;
	recent: number[] | null = null;
	indexStart = 0;
	readonly hot = new Set<number>();
	/** Directories seen changing: passes left while hot. */
	readonly hotDirs = new Map<DirEntry, number>();
	/** The round robin over `dirs` (a live Map iterator). */
	private dirCursor: IterableIterator<DirEntry> | undefined;
	apparentBytes = 0;
	allocatedBytes = 0;
	inodes = 0;
	errors = 0;
	indexed = false;

	constructor(readonly root: string) {}

	/** Names of non-directories in the index. */
	get files(): number {
		return this.fileSlots.live;
	}

	private pathOf(slot: number): Path {
		return join(this.fileDir[slot]!.path, this.fileName[slot]!) as Path;
	}

	private newFile(dir: DirEntry, name: Path): number {
		const slot = this.fileSlots.take();
		const n = this.fileSlots.high;
		if (n > this.fileInode.length) {
			this.fileInode = grown(this.fileInode, n);
			this.fileMtime = grown(this.fileMtime, n);
			this.fileHot = grown(this.fileHot, n);
			this.fileLive = grown(this.fileLive, n);
		}
		this.fileName[slot] = name;
		this.fileDir[slot] = dir;
		this.fileHot[slot] = 0;
		return slot;
	}

	// Every inode is counted once, whatever its number of names: the inode's slot holds the
	// figures counted for it, shared by all its names (hard links, renames).
	private addFile(slot: number, st: Stats): void {
		this.fileMtime[slot] = st.mtimeMs;
		this.fileLive[slot] = 1;
		const known = this.inodeOf.get(st.ino);
		if (known !== undefined) {
			this.fileInode[slot] = known;
			this.inoRefs[known]!++;
			return;
		}
		const inode = this.inodeSlots.take();
		const n = this.inodeSlots.high;
		if (n > this.inoNumber.length) {
			this.inoNumber = grown(this.inoNumber, n);
			this.inoRefs = grown(this.inoRefs, n);
			this.inoSize = grown(this.inoSize, n);
			this.inoAlloc = grown(this.inoAlloc, n);
		}
		this.inodeOf.set(st.ino, inode);
		this.fileInode[slot] = inode;
		const size = st.size;
		const alloc = st.blocks * 512;
		this.inoNumber[inode] = st.ino;
		this.inoRefs[inode] = 1;
		this.inoSize[inode] = size;
		this.inoAlloc[inode] = alloc;
		this.apparentBytes += size;
		this.allocatedBytes += alloc;
		this.inodes++;
	}

	/** The name no longer counts (its inode's figures go with its last name); the slot is kept. */
	private unlinkFile(slot: number): void {
		this.fileLive[slot] = 0;
		this.fileHot[slot] = 0;
		this.hot.delete(slot);
		const inode = this.fileInode[slot]!;
		if (--this.inoRefs[inode]! > 0) return;
		this.inodeOf.delete(this.inoNumber[inode]!);
		this.inodeSlots.release(inode);
		this.apparentBytes -= this.inoSize[inode]!;
		this.allocatedBytes -= this.inoAlloc[inode]!;
		this.inodes--;
	}

	/** A name gone from its directory: uncounted, its slot freed for the next new file. */
	private dropFile(slot: number): void {
		if (this.fileLive[slot]) this.unlinkFile(slot);
		this.fileName[slot] = '';
		this.fileDir[slot] = undefined as unknown as DirEntry;
		this.fileSlots.release(slot);
	}

	/** A file just found: while indexing, recent ones queue up (sorted later); in a pass, it is likely still being written. */
	private fresh(slot: number): void {
		if (this.recent) {
			if (this.fileMtime[slot]! > this.indexStart - RECENT_MS) this.recent.push(slot);
		} else if (this.hot.size < NEW_HOT_MAX) this.heat(slot);
		else this.queue(slot);
	}

	private queue(slot: number): void {
		if (this.warm.length - this.warmAt < WARM_MAX) this.warm.push(slot);
	}

	/** A file seen changing (or new): re-stat it every pass until it settles. */
	private heat(slot: number): void {
		if (this.fileHot[slot]! > 0 || this.hot.size < HOT_MAX) {
			this.fileHot[slot] = HOT_TICKS;
			this.hot.add(slot);
		} else this.queue(slot);
	}

	/** Re-stat one file; returns true when it changed. */
	private restat(slot: number, counter: Counter): boolean {
		counter.stats++;
		let st: Stats;
		try {
			st = lstatSync(this.pathOf(slot));
		} catch {
			return false; // vanished: the directory re-read drops it
		}
		if ((st.mode & S_IFMT) === S_IFDIR) return false; // replaced by a directory: the parent's re-read handles it
		const inode = this.fileInode[slot]!;
		if (st.ino !== this.inoNumber[inode]) {
			// Replaced under the same name (rename over it).
			this.unlinkFile(slot);
			this.addFile(slot, st);
			return true;
		}
		const size = st.size;
		const alloc = st.blocks * 512;
		const changed = st.mtimeMs !== this.fileMtime[slot] || this.inoSize[inode] !== size || this.inoAlloc[inode] !== alloc;
		this.fileMtime[slot] = st.mtimeMs;
		this.apparentBytes += size - this.inoSize[inode]!;
		this.allocatedBytes += alloc - this.inoAlloc[inode]!;
		this.inoSize[inode] = size;
		this.inoAlloc[inode] = alloc;
		return changed;
	}

	private addDir(path: Path, st: Stats, counter: Counter): DirEntry | null {
		if (st.dev !== this.dev) return null;
		const dir: DirEntry = {path, mtime: st.mtimeMs, ctime: st.ctimeMs, alloc: st.blocks * 512, entries: new Map()};
		this.dirs.set(nameKey(path), dir);
		this.allocatedBytes += dir.alloc;
		this.inodes++;
		this.readDir(dir, counter);
		return dir;
	}

	private removeChild(child: Child): void {
		if (typeof child === 'number') this.dropFile(child);
		else if (child) this.removeDir(child);
	}

	private removeDir(dir: DirEntry): void {
		dir.gone = true;
		this.hotDirs.delete(dir);
		this.dirs.delete(nameKey(dir.path));
		this.allocatedBytes -= dir.alloc;
		this.inodes--;
		for (const child of dir.entries.values()) this.removeChild(child);
		dir.entries.clear();
	}

	/** (Re-)reads a directory's names: new names are stat'ed (new subdirectories walked), gone names dropped. */
	private readDir(dir: DirEntry, counter: Counter): void {
		let names: Path[];
		try {
			names = listDir(dir.path);
		} catch {
			this.errors++;
			return;
		}
		const known = dir.entries.size > 0;
		const seen = known ? new Set<string>() : null;
		for (const name of names) {
			const key = nameKey(name);
			if (known) {
				seen!.add(key);
				if (dir.entries.has(key)) continue;
			}
			const path = join(dir.path, name) as Path;
			let st: Stats;
			counter.stats++;
			try {
				st = lstatSync(path);
			} catch {
				this.errors++;
				continue;
			}
			if ((st.mode & S_IFMT) === S_IFDIR) {
				dir.entries.set(key, this.addDir(path, st, counter));
			} else {
				// The name is kept once: as the map's key, and (the same string) in the file's slot.
				const slot = this.newFile(dir, typeof name === 'string' ? key : name);
				this.addFile(slot, st);
				this.fresh(slot);
				dir.entries.set(key, slot);
			}
		}
		if (!known) return;
		for (const [key, child] of dir.entries) {
			if (seen!.has(key)) continue;
			dir.entries.delete(key);
			this.removeChild(child);
		}
	}

	index(counter: Counter): void {
		this.reset();
		let st: Stats;
		try {
			st = lstatSync(this.root);
		} catch {
			this.errors++;
			return;
		}
		this.dev = st.dev;
		this.recent = [];
		this.indexStart = Date.now();
		this.addDir(this.root, st, counter);
		// Files modified just before the scan are the likeliest to be growing: the first
		// passes' budget re-stats them first, newest first (not all of them every pass).
		const mtime = this.fileMtime;
		this.warm = this.recent.sort((a, b) => mtime[b]! - mtime[a]!).slice(0, WARM_MAX);
		this.recent = null;
		this.indexed = true;
		this.trim();
	}

	/** Columns cut to their used length once the index is built (they grew by half at a time). */
	private trim(): void {
		const files = this.fileSlots.high;
		this.fileInode = this.fileInode.slice(0, files);
		this.fileMtime = this.fileMtime.slice(0, files);
		this.fileHot = this.fileHot.slice(0, files);
		this.fileLive = this.fileLive.slice(0, files);
		const inodes = this.inodeSlots.high;
		this.inoNumber = this.inoNumber.slice(0, inodes);
		this.inoRefs = this.inoRefs.slice(0, inodes);
		this.inoSize = this.inoSize.slice(0, inodes);
		this.inoAlloc = this.inoAlloc.slice(0, inodes);
	}

	reset(): void {
		this.dirs.clear();
		this.inodeOf.clear();
		this.inodeSlots = new Slots();
		this.inoNumber = new Float64Array(0);
		this.inoRefs = new Int32Array(0);
		this.inoSize = new Float64Array(0);
		this.inoAlloc = new Float64Array(0);
		this.fileSlots = new Slots();
		this.fileName = [];
		this.fileDir = [];
		this.fileInode = new Int32Array(0);
		this.fileMtime = new Float64Array(0);
		this.fileHot = new Uint8Array(0);
		this.fileLive = new Uint8Array(0);
		this.cursor = 0;
		this.warm = [];
		this.warmAt = 0;
		this.recent = null;
		this.hot.clear();
		this.hotDirs.clear();
		this.dirCursor = undefined;
		this.apparentBytes = this.allocatedBytes = this.inodes = this.errors = 0;
		this.indexed = false;
	}

	/** lstat one known directory: its allocation, and a re-read when its mtime or ctime moved (names added, removed, renamed). Returns true when it changed. */
	private checkDir(dir: DirEntry, counter: Counter): boolean {
		counter.stats++;
		let st: Stats | undefined;
		try {
			st = lstatSync(dir.path, {throwIfNoEntry: false});
		} catch {
			return false;
		}
		if (!st) return false; // vanished: its parent's re-read removes it
		const alloc = st.blocks * 512;
		if (alloc !== dir.alloc) {
			this.allocatedBytes += alloc - dir.alloc;
			dir.alloc = alloc;
		}
		if (st.mtimeMs === dir.mtime && st.ctimeMs === dir.ctime) return false;
		dir.mtime = st.mtimeMs;
		dir.ctime = st.ctimeMs;
		counter.reads++;
		this.readDir(dir, counter);
		return true;
	}

	/** Directories seen changing are lstat'ed every pass for a while (a directory being filled keeps changing). */
	private heatDir(dir: DirEntry): void {
		if (this.hotDirs.has(dir) || this.hotDirs.size < HOT_DIRS_MAX) this.hotDirs.set(dir, HOT_TICKS);
	}

	/**
	 * The directories of one pass. With a budget of at least every directory, each is lstat'ed;
	 * otherwise the hot ones, then `dirBudget` more round robin (a live iterator over the map:
	 * directories added meanwhile join the current sweep, removed ones drop out of it), so one
	 * sweep over all of them takes directories/dirBudget passes.
	 */
	private tickDirs(counter: Counter, dirBudget: number): void {
		if (dirBudget >= this.dirs.size) {
			for (const dir of [...this.dirs.values()]) {
				if (dir.gone) continue; // removed by a parent's re-read in this pass
				if (this.checkDir(dir, counter)) this.heatDir(dir);
			}
			return;
		}
		const checked = new Set<DirEntry>();
		for (const [dir, ticks] of [...this.hotDirs]) {
			if (dir.gone) {
				this.hotDirs.delete(dir);
				continue;
			}
			checked.add(dir);
			if (this.checkDir(dir, counter)) this.hotDirs.set(dir, HOT_TICKS);
			else if (ticks <= 1) this.hotDirs.delete(dir);
			else this.hotDirs.set(dir, ticks - 1);
		}
		let wrapped = false;
		for (let left = dirBudget; left > 0; left--) {
			let next = this.dirCursor?.next();
			if (!next || next.done) {
				if (wrapped) break; // fewer directories than the budget: all seen
				wrapped = true;
				this.dirCursor = this.dirs.values();
				next = this.dirCursor.next();
				if (next.done) break;
			}
			const dir = next.value;
			if (dir.gone || checked.has(dir)) continue;
			if (this.checkDir(dir, counter)) this.heatDir(dir);
		}
	}

	/**
	 * One incremental pass: `dirBudget` directories (all of them by default) and `budget` re-stats
	 * of files not seen changing (warm queue, then round robin); hot directories and files besides.
	 */
	tick(counter: Counter, budget: number, dirBudget = Infinity): number {
		this.tickDirs(counter, dirBudget);
		for (const slot of [...this.hot]) {
			if (!this.fileLive[slot]) continue;
			if (this.restat(slot, counter)) {
				this.fileHot[slot] = HOT_TICKS;
				this.hot.add(slot); // again, if it was replaced under its name
			} else if (--this.fileHot[slot]! <= 0) this.hot.delete(slot);
		}
		let left = budget;
		while (left > 0 && this.warmAt < this.warm.length) {
			const slot = this.warm[this.warmAt++]!;
			if (!this.fileLive[slot] || this.fileHot[slot]! > 0) continue;
			left--;
			if (this.restat(slot, counter)) this.heat(slot);
		}
		if (this.warmAt >= this.warm.length && this.warm.length > 0) {
			this.warm = [];
			this.warmAt = 0;
		}
		const high = this.fileSlots.high;
		const n = Math.min(left, high);
		for (let i = 0; i < n; i++) {
			if (this.cursor >= high) this.cursor = 0;
			const slot = this.cursor++;
			if (!this.fileLive[slot] || this.fileHot[slot]! > 0) continue;
			if (this.restat(slot, counter)) this.heat(slot);
		}
		return n;
	}
}
