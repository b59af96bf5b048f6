/**
 * The drill-down model of one container's writable layer: the one tree type (file-tree.ts,
 * directory aggregates with docker-diff marks) plus a flat change list.
 * Pure data. Raw names are kept for identity; every `display` field has already
 * been through sanitizeBytes and is the only text a screen may print.
 */
import type {ChangeKind, ClassBytes, PathClass} from './classify.js';
import type {DirNode, FileNode, NodeCounts, NodeErrors} from './file-tree.js';
import type {MetadataChange, MetadataCopyUpSummary} from './metadata-copy-up.js';

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
	/** Same size as the lower file: what changed against its lstat. */
	metadataChange?: MetadataChange[];
	/** Content compared with the lower copy: true equal, false different; absent when not compared. */
	contentSame?: boolean;
}

export interface DrillTotals extends NodeCounts {
	classBytes: number[];
	classLowerBytes: number[];
	marks: {A: number; C: number; D: number};
	errors: NodeErrors;
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
	dirs: Map<string, DirNode>;
	/** Flat like `docker diff`. In the console, A entries are counted (marks.A) but listed only when asked for. */
	changes: DrillChange[];
	totals: DrillTotals;
	classes: ClassBytes[];
	/** Files copied up for their metadata alone, with the likely cause; absent when none. */
	metadataCopyUp?: MetadataCopyUpSummary;
	/** Paths (display-safe) whose subtree could not be walked (name too long), capped. */
	unwalked: string[];
	warnings: string[];
}

export interface DrillProgress {
	entries: number;
	dirsDone: number;
	totals: DrillTotals;
	/** Finished top-level directories so far, largest first. */
	topLevel: FileNode[];
}
