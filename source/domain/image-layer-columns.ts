/**
 * One layer's entries as columns (pure): a path array and two typed arrays instead of an object
 * per file, so that an image of 100,000 files costs the garbage collector little. The analysis
 * reads these; the console's layer trees ask for `entries` (objects), made on first use.
 */

import type {LayerStack} from './image-layer-stack.js';

export const LAYER_TYPES = ['file', 'dir', 'symlink', 'whiteout', 'other'] as const;
export type LayerEntryType = (typeof LAYER_TYPES)[number];

export interface LayerEntry {
	/** Absolute path inside the image; for a whiteout, the path it deletes. */
	path: string;
	type: LayerEntryType;
	/** Tar-header size: file contents (a hard link's second name: 0), 0 for anything else. */
	bytes: number;
}

export interface LayerColumns {
	/** Absolute paths ("/a/b"); a listing that has `nodes` makes them on first read. */
	paths: readonly string[];
	/** Index into LAYER_TYPES. */
	types: Uint8Array;
	bytes: Float64Array;
	/** Each entry's node in `stack`, when the listing built the trie as it read (the analysis then reads no path). */
	nodes?: Int32Array;
	stack?: LayerStack;
}

/** Columns whose paths are made from the trie on first read. */
export function nodeColumns(stack: LayerStack, nodes: Int32Array, types: Uint8Array, bytes: Float64Array): LayerColumns {
	let paths: string[] | undefined;
	return {
		types,
		bytes,
		nodes,
		stack,
		get paths() {
			return (paths ??= Array.from(nodes, node => stack.pathOf(node)));
		},
	};
}

const typeCode = new Map<string, number>(LAYER_TYPES.map((t, i) => [t, i]));

export function columnsOf(entries: readonly LayerEntry[]): LayerColumns {
	const n = entries.length;
	const paths = new Array<string>(n);
	const types = new Uint8Array(n);
	const bytes = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const e = entries[i]!;
		paths[i] = e.path;
		types[i] = typeCode.get(e.type)!;
		bytes[i] = e.bytes;
	}
	return {paths, types, bytes};
}

export function entriesOf(columns: LayerColumns): LayerEntry[] {
	const {paths, types, bytes} = columns;
	const out = new Array<LayerEntry>(paths.length);
	for (let i = 0; i < paths.length; i++) out[i] = {path: paths[i]!, type: LAYER_TYPES[types[i]!]!, bytes: bytes[i]!};
	return out;
}
