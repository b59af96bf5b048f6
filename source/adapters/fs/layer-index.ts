/**
 * Incremental sizing of writable layers (the sampler: layer-sampler.ts, run in worker threads
 * by workers/sample-worker.ts). Per container it keeps an index of directories (with their
 * mtime/ctime) and files, built by the first scan's walk itself (`index`). Each pass lstat's
 * every known directory and re-reads only those whose mtime or ctime changed (new, deleted and
 * renamed names), re-stats files seen changing ("hot"), and spends a fixed budget of re-stats
 * per pass on the other files: first the "warm" queue (files modified shortly before the index
 * was built, newest first, and new files beyond the hot cap), then a round robin over all
 * files, so a file that starts growing in place (which changes no directory) is found within
 * files/budget passes. Nothing re-reads a whole layer after the first scan. Semantics match
 * size-tree.ts: apparent bytes of non-directories (hard links once), allocated bytes of every
 * inode, never follows symlinks, stays on one filesystem, names as bytes when a listing is not
 * valid UTF-8 (raw-names.ts).
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

const nameKey = (name: string | Buffer) => (typeof name === 'string' ? name : 'b:' + name.toString('latin1'));

type Path = string | Buffer;

interface FileEntry {
	path: Path;
	mtime: number;
	link: number;
	live: boolean;
	hot: number;
	dir?: undefined;
}

interface DirEntry {
	path: Path;
	mtime: number;
	ctime: number;
	alloc: number;
	entries: Map<string, FileEntry | {dir: DirEntry | null}>;
}

export interface Counter {
	stats: number;
	reads: number;
}

export class Layer {
	dev: number | null = null;
	readonly dirs = new Map<string, DirEntry>();
	readonly links = new Map<number, {refs: number; size: number; alloc: number}>();
	files: FileEntry[] = [];
	cursor = 0;
	warm: FileEntry[] = [];
	warmAt = 0;
	recent: FileEntry[] | null = null;
	indexStart = 0;
	readonly hot = new Set<FileEntry>();
	apparentBytes = 0;
	allocatedBytes = 0;
	inodes = 0;
	errors = 0;
	indexed = false;

	constructor(readonly root: string) {}

	// Every inode is counted once, whatever its number of names: `links` maps the inode
	// number (one filesystem per layer) to the figures counted for it, shared by all its
	// names (hard links, renames).
	addFile(entry: FileEntry, st: Stats): void {
		entry.mtime = st.mtimeMs;
		entry.link = st.ino;
		entry.live = true;
		this.files.push(entry);
		const shared = this.links.get(entry.link);
		if (shared) {
			shared.refs++;
			return;
		}
		const size = st.size;
		const alloc = st.blocks * 512;
		this.links.set(entry.link, {refs: 1, size, alloc});
		this.apparentBytes += size;
		this.allocatedBytes += alloc;
		this.inodes++;
	}

	removeFile(entry: FileEntry): void {
		entry.live = false;
		entry.hot = 0;
		this.hot.delete(entry);
		const shared = this.links.get(entry.link);
		if (!shared || --shared.refs > 0) return;
		this.links.delete(entry.link);
		this.apparentBytes -= shared.size;
		this.allocatedBytes -= shared.alloc;
		this.inodes--;
	}

	/** A file just found: while indexing, recent ones queue up (sorted later); in a pass, it is likely still being written. */
	fresh(entry: FileEntry): void {
		if (this.recent) {
			if (entry.mtime > this.indexStart - RECENT_MS) this.recent.push(entry);
		} else if (this.hot.size < NEW_HOT_MAX) this.heat(entry);
		else this.queue(entry);
	}

	queue(entry: FileEntry): void {
		if (this.warm.length - this.warmAt < WARM_MAX) this.warm.push(entry);
	}

	/** A file seen changing (or new): re-stat it every pass until it settles. */
	heat(entry: FileEntry): void {
		if (entry.hot > 0 || this.hot.size < HOT_MAX) {
			entry.hot = HOT_TICKS;
			this.hot.add(entry);
		} else this.queue(entry);
	}

	/** Re-stat one file; returns true when it changed. */
	restat(entry: FileEntry, counter: Counter): boolean {
		counter.stats++;
		let st: Stats;
		try {
			st = lstatSync(entry.path);
		} catch {
			return false; // vanished: the directory re-read drops it
		}
		if ((st.mode & S_IFMT) === S_IFDIR) return false; // replaced by a directory: the parent's re-read handles it
		const link = st.ino;
		if (link !== entry.link) {
			// Replaced under the same name (rename over it).
			this.removeFile(entry);
			this.addFile(entry, st);
			return true;
		}
		const shared = this.links.get(link);
		const size = st.size;
		const alloc = st.blocks * 512;
		const changed = st.mtimeMs !== entry.mtime || (shared && (shared.size !== size || shared.alloc !== alloc));
		entry.mtime = st.mtimeMs;
		if (shared) {
			this.apparentBytes += size - shared.size;
			this.allocatedBytes += alloc - shared.alloc;
			shared.size = size;
			shared.alloc = alloc;
		}
		return Boolean(changed);
	}

	addDir(path: Path, st: Stats, counter: Counter): DirEntry | null {
		if (st.dev !== this.dev) return null;
		const dir: DirEntry = {path, mtime: st.mtimeMs, ctime: st.ctimeMs, alloc: st.blocks * 512, entries: new Map()};
		this.dirs.set(nameKey(path), dir);
		this.allocatedBytes += dir.alloc;
		this.inodes++;
		this.readDir(dir, counter);
		return dir;
	}

	removeDir(dir: DirEntry): void {
		this.dirs.delete(nameKey(dir.path));
		this.allocatedBytes -= dir.alloc;
		this.inodes--;
		for (const entry of dir.entries.values()) {
			if (entry.dir) this.removeDir(entry.dir);
			else if ('live' in entry && entry.live) this.removeFile(entry);
		}
		dir.entries.clear();
	}

	/** (Re-)reads a directory's names: new names are stat'ed (new subdirectories walked), gone names dropped. */
	readDir(dir: DirEntry, counter: Counter): void {
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
				const sub = this.addDir(path, st, counter);
				dir.entries.set(key, {dir: sub});
			} else {
				const entry: FileEntry = {path, mtime: 0, link: 0, live: true, hot: 0};
				this.addFile(entry, st);
				this.fresh(entry);
				dir.entries.set(key, entry);
			}
		}
		if (!known) return;
		for (const [key, entry] of dir.entries) {
			if (seen!.has(key)) continue;
			dir.entries.delete(key);
			if (entry.dir) this.removeDir(entry.dir);
			else if ('live' in entry && entry.live) this.removeFile(entry);
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
		this.warm = this.recent.sort((a, b) => b.mtime - a.mtime).slice(0, WARM_MAX);
		this.recent = null;
		this.indexed = true;
	}

	reset(): void {
		this.dirs.clear();
		this.links.clear();
		this.files = [];
		this.cursor = 0;
		this.warm = [];
		this.warmAt = 0;
		this.recent = null;
		this.hot.clear();
		this.apparentBytes = this.allocatedBytes = this.inodes = this.errors = 0;
		this.indexed = false;
	}

	/** One incremental pass; `budget` limits the re-stats of files not seen changing (warm queue, then round robin). */
	tick(counter: Counter, budget: number): number {
		for (const dir of [...this.dirs.values()]) {
			if (!this.dirs.has(nameKey(dir.path))) continue; // removed by a parent's re-read in this pass
			counter.stats++;
			let st: Stats;
			try {
				st = lstatSync(dir.path);
			} catch {
				continue; // vanished: its parent's re-read removes it
			}
			const alloc = st.blocks * 512;
			if (alloc !== dir.alloc) {
				this.allocatedBytes += alloc - dir.alloc;
				dir.alloc = alloc;
			}
			if (st.mtimeMs !== dir.mtime || st.ctimeMs !== dir.ctime) {
				dir.mtime = st.mtimeMs;
				dir.ctime = st.ctimeMs;
				counter.reads++;
				this.readDir(dir, counter);
			}
		}
		for (const entry of [...this.hot]) {
			if (!entry.live) continue;
			if (this.restat(entry, counter)) {
				entry.hot = HOT_TICKS;
				this.hot.add(entry); // again, if it was replaced under its name
			} else if (--entry.hot <= 0) this.hot.delete(entry);
		}
		let left = budget;
		while (left > 0 && this.warmAt < this.warm.length) {
			const entry = this.warm[this.warmAt++];
			if (!entry.live || entry.hot > 0) continue;
			left--;
			if (this.restat(entry, counter)) this.heat(entry);
		}
		if (this.warmAt >= this.warm.length && this.warm.length > 0) {
			this.warm = [];
			this.warmAt = 0;
		}
		if (this.files.length > 2 * this.inodes + 64) {
			this.files = this.files.filter(e => e.live);
			this.cursor = 0;
		}
		const n = Math.min(left, this.files.length);
		for (let i = 0; i < n; i++) {
			if (this.cursor >= this.files.length) this.cursor = 0;
			const entry = this.files[this.cursor++];
			if (!entry.live || entry.hot > 0) continue;
			if (this.restat(entry, counter)) this.heat(entry);
		}
		return n;
	}
}
