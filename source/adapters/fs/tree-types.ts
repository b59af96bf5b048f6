/** What a tree walk of one layer returns: the one tree type (domain/file-tree.ts) plus the walk's own figures. */
import type {ChangeKind, PathClass, WorkerClassRules} from '../../domain/classify.js';
import type {DirNode, FileNode} from '../../domain/file-tree.js';
import type {DrillTotals} from '../../domain/drill-model.js';
import type {MetadataCopyUpFigures} from '../../domain/metadata-copy-up.js';
import type {RawName} from './raw-names.js';

export type {RawName} from './raw-names.js';

export interface RawChange {
	path: RawName;
	kind: ChangeKind;
	class: PathClass;
	bytes: number;
	lowerBytes?: number;
	dir: boolean;
	/** A C file with the lower file's size: what differs (META_* bits of domain/metadata-copy-up.ts). */
	metadata?: number;
	/** Its content compared with the lower copy: true when equal; absent when not compared. */
	contentSame?: boolean;
}

export interface WalkedTree {
	/** Every directory, in the order they were entered; the root's key is "/". */
	dirs: DirNode[];
	changes: RawChange[];
	totals: DrillTotals;
	unwalked: RawName[];
	/** Whether opaque directories could be detected (GNU tar with --xattrs). */
	opaque: {available: boolean; reason: string};
	/** Files copied up for their metadata alone: counts, evidence, what changed. */
	metadataCopyUp: MetadataCopyUpFigures;
}

export interface WalkProgress {
	entries: number;
	dirsDone: number;
	totals: DrillTotals;
	/** Finished top-level directories so far, largest first. */
	topLevel: FileNode[];
	current: RawName;
}

export interface TreeWalkOptions {
	/** Lower layers, topmost first (GraphDriver.Data.LowerDir order). */
	lowerDirs?: string[];
	signal?: AbortSignal;
	onProgress?: (progress: WalkProgress) => void;
	progressMs?: number;
	/** Files listed per directory besides subdirectories and C/D entries (default 8). */
	topK?: number;
	/** Directories this deep or shallower list their top K files; deeper ones only files of at least minDeepFileBytes (default 2). */
	shallowDepth?: number;
	/** Default 64 KiB. */
	minDeepFileBytes?: number;
	/** Find processes or worker threads sharing the walk (default 2). */
	workers?: number;
	/** List every A path in `changes` (report mode); otherwise A paths are only counted. */
	listAdded?: boolean;
	rules?: WorkerClassRules;
	/** Bytes read per walk to compare copy-up candidates with their lower copies, both copies counted (default 128 MiB; 0: none, all inferred). */
	contentBudgetBytes?: number;
	/** 'find' (default when GNU find is present): walk-find.ts; 'workers': walk-workers.ts. */
	walker?: 'find' | 'workers';
}

export class WalkAbortedError extends Error {
	constructor() {
		super('walk aborted');
		this.name = 'AbortError';
	}
}
