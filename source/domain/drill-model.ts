/**
 * The drill-down model of one container's writable layer: a du-style tree of
 * directory aggregates with docker-diff marks, plus a flat change list.
 * Pure data. Raw names are kept for identity; every `display` field has already
 * been through sanitizeBytes and is the only text a screen may print.
 */
import type {ChangeKind, ClassBytes, PathClass} from './classify.js';

export type EntryType = 'file' | 'dir' | 'symlink' | 'whiteout' | 'other' | 'deleted';

export interface DrillCounts {
	/** File contents, each hard link once (what `docker ps -s` counts). */
	apparentBytes: number;
	/** blocks * 512, directories included. */
	allocatedBytes: number;
	files: number;
	dirs: number;
	inodes: number;
}

export interface DrillErrors {
	/** EACCES / EPERM. */
	denied: number;
	/** ENOENT / ENOTDIR: gone between readdir and lstat (a live container). */
	vanished: number;
	/** ENAMETOOLONG: the subtree below was not walked. */
	tooLong: number;
	other: number;
}

export interface DrillEntry {
	/** Raw name: a string when valid UTF-8, bytes otherwise. */
	name: string | Uint8Array;
	display: string;
	type: EntryType;
	apparentBytes: number;
	allocatedBytes: number;
	/** Files and inodes below (1 for a file). */
	files: number;
	inodes: number;
	mark: ChangeKind | null;
	class: PathClass;
	/** For C files: size of the lower file replaced; for D: bytes the lower layers still hold. */
	lowerBytes?: number;
	/** For directories: the key of its DrillDir. */
	dirKey?: string;
}

export interface DrillDir extends DrillCounts {
	/** Opaque identity, unique per directory; use it to navigate. */
	key: string;
	parentKey: string | null;
	/** Absolute path inside the container, display-safe ("/" for the layer root). */
	display: string;
	mark: ChangeKind | null;
	class: PathClass;
	/** Apparent bytes per class, in pathClasses order. */
	classBytes: number[];
	marks: {A: number; C: number; D: number};
	errors: DrillErrors;
	/** True when the directory itself could not be listed. */
	unreadable: boolean;
	/** Every subdirectory, the largest files, and every changed (C/D) entry; largest first. */
	entries: DrillEntry[];
	/** Files not listed in `entries`, summed. */
	rest: {count: number; apparentBytes: number; allocatedBytes: number};
}

export interface DrillChange {
	/** Display-safe path (sanitizeBytes). */
	path: string;
	/** Present when the raw path is not valid UTF-8: the exact bytes. */
	pathBase64?: string;
	kind: ChangeKind;
	class: PathClass;
	/** Apparent bytes in the writable layer (a directory: its subtree; a hard link: counted once). */
	bytes: number;
	lowerBytes?: number;
	dir?: boolean;
}

export interface DrillTotals extends DrillCounts {
	classBytes: number[];
	classLowerBytes: number[];
	marks: {A: number; C: number; D: number};
	errors: DrillErrors;
	/** Directories on another filesystem (mounts inside the layer) that were not entered. */
	otherFs: number;
}

export interface DrillTree {
	containerId: string;
	source: 'walk' | 'engine';
	/** True for the engine fallback: sizes come from at most N archive stats. */
	approximate: boolean;
	complete: boolean;
	rootKey: string;
	dirs: Map<string, DrillDir>;
	/** Flat like `docker diff`. In the console, A entries are counted (marks.A) but listed only when asked for. */
	changes: DrillChange[];
	totals: DrillTotals;
	classes: ClassBytes[];
	/** Paths (display-safe) whose subtree could not be walked (name too long), capped. */
	unwalked: string[];
	warnings: string[];
}

export interface DrillProgress {
	entries: number;
	dirsDone: number;
	totals: DrillTotals;
	/** Finished top-level directories so far, largest first. */
	topLevel: DrillEntry[];
}
