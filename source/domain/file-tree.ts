/**
 * The one file-tree type, from the walk to the screen (the drill-down today; image layers and
 * the "other files" breakdown reuse it). Like dive's FileNode: every node carries its own
 * sizes and its diff mark against the layers below (A added, C changed, D deleted). A
 * directory is a DirNode (its subtree's aggregates, its listed entries); its parent lists it
 * as a FileNode of type 'dir' whose dirKey names it. Walkers build these records directly:
 * raw names stay for identity, `display` is sanitised once, when the node is made. Pure data.
 */
import type {ChangeKind, PathClass} from './classify.js';
import {sanitize, sanitizeBytes} from './sanitize.js';

export type EntryType = 'file' | 'dir' | 'symlink' | 'whiteout' | 'other' | 'deleted';

/** A raw name: a string when valid UTF-8, bytes otherwise. */
export type NodeName = string | Uint8Array;

export interface NodeCounts {
	/** File contents, each hard link once (what `docker ps -s` counts). */
	apparentBytes: number;
	/** blocks * 512, directories included. */
	allocatedBytes: number;
	files: number;
	dirs: number;
	inodes: number;
}

export interface NodeErrors {
	/** EACCES / EPERM. */
	denied: number;
	/** ENOENT / ENOTDIR: gone between readdir and lstat (a live container). */
	vanished: number;
	/** ENAMETOOLONG: the subtree below was not walked. */
	tooLong: number;
	other: number;
}

/** One entry of a directory: a file, a link, a whiteout, a deleted lower entry, or a subdirectory's summary. */
export interface FileNode {
	name: NodeName;
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
	/** For directories: the key of its DirNode. */
	dirKey?: string;
}

/** A directory with its whole subtree's aggregates. */
export interface DirNode extends NodeCounts {
	/** Opaque identity, unique per directory; use it to navigate. */
	key: string;
	parentKey: string | null;
	/** Absolute path inside the layer, display-safe ("/" for the root). */
	display: string;
	mark: ChangeKind | null;
	class: PathClass;
	/** Apparent bytes per class, in pathClasses order. */
	classBytes: number[];
	marks: {A: number; C: number; D: number};
	errors: NodeErrors;
	/** True when the directory itself could not be listed. */
	unreadable: boolean;
	/** Every subdirectory, the largest files, and every changed (C/D) entry; largest first once the walk ends. */
	entries: FileNode[];
	/** Files not listed in `entries`, summed. */
	rest: {count: number; apparentBytes: number; allocatedBytes: number};
	/** Files below copied up for their metadata alone (class metadata-copy-up), when any. */
	metadataCopyUp?: {files: number; bytes: number};
}

const utf8 = new TextDecoder('utf-8', {fatal: true});

/** Raw name -> exact string when it is valid UTF-8, else undefined. */
export function exactName(raw: NodeName): string | undefined {
	if (typeof raw === 'string') return raw;
	try {
		return utf8.decode(raw);
	} catch {
		return undefined;
	}
}

/** Printable ASCII without a backslash: sanitize() would return it unchanged. */
const plainAscii = /^[\x20-\x5b\x5d-\x7e]*$/;

/** The only text a screen may print for a raw name. */
export function displayName(raw: NodeName): string {
	if (typeof raw === 'string' && plainAscii.test(raw)) return raw;
	const s = exactName(raw);
	return s === undefined ? sanitizeBytes(raw as Uint8Array) : sanitize(s);
}

/** A fresh directory node holding only its own inode. */
export function newDirNode(key: string, parentKey: string | null, display: string, mark: ChangeKind | null, cls: PathClass, allocated: number, nClasses: number): DirNode {
	return {
		key,
		parentKey,
		display,
		mark,
		class: cls,
		apparentBytes: 0,
		allocatedBytes: allocated,
		files: 0,
		dirs: 1,
		inodes: 1,
		classBytes: new Array<number>(nClasses).fill(0),
		marks: {A: 0, C: 0, D: 0},
		errors: {denied: 0, vanished: 0, tooLong: 0, other: 0},
		unreadable: false,
		entries: [],
		rest: {count: 0, apparentBytes: 0, allocatedBytes: 0},
	};
}

/** Largest first (allocated or apparent, whichever is bigger). */
export const nodeWeight = (e: {apparentBytes: number; allocatedBytes: number}) => Math.max(e.apparentBytes, e.allocatedBytes);
