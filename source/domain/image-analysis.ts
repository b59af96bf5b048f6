/**
 * Layer-by-layer analysis of an image (pure): what each layer adds, modifies and removes,
 * dive's efficiency figures, and the exact bytes stored in layers but invisible in the
 * final filesystem.
 *
 * dive's definitions (wagoodman/dive, dive/filetree/efficiency.go and dive/image/analysis.go):
 * - every leaf node of every layer tree (files, symlinks, empty directories, whiteouts) adds
 *   its size to its path's cumulative size; a whiteout of a directory counts the size of that
 *   directory's subtree in the stack of the layers below, a whiteout of a file counts 0;
 * - efficiency = sum over paths of their smallest size seen / sum of their cumulative sizes
 *   (1 when nothing was seen);
 * - wasted bytes = sum of the cumulative sizes of the paths seen in two or more layers (the
 *   last visible copy included);
 * - user wasted percent = wasted bytes / sum of the sizes of every layer but the first;
 * - sizes are tar header sizes: file contents, 0 for directories, symlinks, devices and the
 *   second name of a hard link; opaque markers (.wh..wh..opq) are ignored; the root is never
 *   a leaf (an empty layer adds nothing).
 * One departure: dive stops reading a layer at a whiteout whose path is absent below (its
 * lookup fails); here such a whiteout counts 0 and the layer is read to the end.
 */
import {columnsOf, entriesOf, LAYER_TYPES, type LayerColumns, type LayerEntry} from './image-layer-columns.js';
import {DIVE_DIR, DIVE_FILE, DIVE_NONE, LayerStack, NONE, splitPath} from './image-layer-stack.js';
import type {LayerWhiteout} from './image-findings.js';

export {LAYER_TYPES, columnsOf, entriesOf, type LayerColumns, type LayerEntry, type LayerEntryType} from './image-layer-columns.js';

export interface LayerInput {
	/** Diff id of the layer. */
	digest: string;
	createdBy: string;
	entries: readonly LayerEntry[];
	/** The same entries as columns, when the loader has them (the analysis reads these). */
	columns?: LayerColumns;
	/** Directories whose lower contents this layer hides (overlay opaque / .wh..wh..opq). */
	opaqueDirs: string[];
}

/** A layer read as columns; its `entries` objects are made on first use (the console's trees). */
export function layerInputOf(digest: string, createdBy: string, columns: LayerColumns, opaqueDirs: string[]): LayerInput {
	let entries: LayerEntry[] | undefined;
	return {
		digest,
		createdBy,
		columns,
		opaqueDirs,
		get entries() {
			return (entries ??= entriesOf(columns));
		},
	};
}

export interface ImageLayerSummary {
	index: number;
	digest: string;
	createdBy: string;
	/** dive's layer size: sum of the layer's tar-header sizes. */
	bytes: number;
	/** Bytes of files new at their path. */
	addedBytes: number;
	/** Bytes of files replacing a path that was visible below. */
	modifiedBytes: number;
	/** Visible bytes below that this layer deletes (whiteouts, opaque directories). */
	removedBytes: number;
	/** Non-directory entries, whiteouts excluded. */
	files: number;
}

export interface Inefficiency {
	path: string;
	/** Layers in which the path is a leaf (dive's count). */
	count: number;
	cumulativeBytes: number;
	/** Of those bytes, the ones not visible in the final filesystem. */
	invisibleBytes: number;
}

/** A file (or subtree) hidden by a later layer that writes the same path. */
export interface LayerOverwrite {
	layer: number;
	path: string;
	hiddenBytes: number;
	addedIn: number;
}

export interface ImageAnalysis {
	layers: ImageLayerSummary[];
	sizeBytes: number;
	/** Every layer but the first (dive: the base image's layer). */
	userSizeBytes: number;
	efficiency: number;
	wastedBytes: number;
	/** wastedBytes / userSizeBytes, a ratio as dive prints it (0 when both are 0). */
	userWastedPercent: number;
	/** File bytes stored in some layer and not visible in the final filesystem. */
	invisibleBytes: number;
	/** Bytes visible in the final filesystem. */
	visibleBytes: number;
	inefficiencies: Inefficiency[];
	deleted: LayerWhiteout[];
	overwritten: LayerOverwrite[];
}

const T_DIR = LAYER_TYPES.indexOf('dir');
const T_WHITEOUT = LAYER_TYPES.indexOf('whiteout');

const isNormal = (p: string) => p.length > 1 && p.charCodeAt(0) === 47 && p.charCodeAt(p.length - 1) !== 47 && !p.includes('//') && !p.includes('/./') && !p.endsWith('/.');
const norm = (path: string) => (isNormal(path) ? path : '/' + splitPath(path).join('/'));
/** "" for the root, else the normalised path. */
const key = (path: string) => {
	const p = norm(path);
	return p === '/' ? '' : p;
};

/** The layer's columns with every path normalised ("/a/b"), the root dropped. */
function normalColumns(layer: LayerInput): LayerColumns {
	const c = layer.columns ?? columnsOf(layer.entries);
	let normal = true;
	for (const p of c.paths) if (!isNormal(p)) normal = false;
	if (normal) return c;
	const keep: number[] = [];
	const paths: string[] = [];
	c.paths.forEach((p, i) => {
		const n = norm(p);
		if (n === '/') return;
		keep.push(i);
		paths.push(n);
	});
	return {paths, types: Uint8Array.from(keep, i => c.types[i]!), bytes: Float64Array.from(keep, i => c.bytes[i]!)};
}

export function analyzeImage(layers: readonly LayerInput[]): ImageAnalysis {
	const t = new LayerStack(1 << 12);
	const summaries: ImageLayerSummary[] = [];
	const deleted: LayerWhiteout[] = [];
	const overwritten: LayerOverwrite[] = [];
	const effNodes: number[] = [];
	let scratch = 0;

	/** Sum of visible file bytes at and below `id` (self optional), cleared as it goes when `clear`. */
	const takeVisible = (id: number, self: boolean, clear: boolean): number => {
		scratch = 0;
		t.each(id, self, n => {
			const type = t.visType[n]!;
			if (type === NONE) return;
			if (type !== T_DIR) scratch += t.visBytes[n]!;
			if (clear) t.visType[n] = NONE;
		});
		return scratch;
	};
	/** Stored bytes at and below `id` not yet attributed; marks them attributed. Also the lowest layer seen. */
	const attribute = (id: number, self: boolean): {bytes: number; addedIn: number} => {
		let bytes = 0;
		let addedIn = -1;
		t.each(id, self, n => {
			bytes += t.stored[n]! - t.attributed[n]!;
			t.attributed[n] = t.stored[n]!;
			const first = t.firstLayer[n]!;
			if (first >= 0 && (addedIn < 0 || first < addedIn)) addedIn = first;
		});
		return {bytes, addedIn};
	};

	layers.forEach((layer, index) => {
		const {paths, types, bytes: sizes} = normalColumns(layer);
		const count = paths.length;
		const summary: ImageLayerSummary = {index, digest: layer.digest, createdBy: layer.createdBy, bytes: 0, addedBytes: 0, modifiedBytes: 0, removedBytes: 0, files: 0};
		// Each entry's node, once; a node that gets an entry below it in this layer is marked.
		const nodes = new Int32Array(count);
		for (let i = 0; i < count; i++) {
			const node = t.node(paths[i]!);
			t.childOf[t.parent[node]!] = index;
			nodes[i] = node;
			summary.bytes += sizes[i]!;
		}
		// dive: leaves of this layer's tree; a directory with any entry below it (whiteouts included) is not a leaf.
		const leafSizes = new Float64Array(count).fill(-1);
		for (let i = 0; i < count; i++) {
			const type = types[i]!;
			const node = nodes[i]!;
			if (type === T_DIR && t.childOf[node] === index) continue;
			let bytes = sizes[i]!;
			if (type === T_WHITEOUT) {
				bytes = 0;
				if (t.dive[node] === DIVE_DIR) {
					scratch = 0;
					t.each(node, true, n => {
						if (t.dive[n] !== DIVE_NONE) scratch += t.diveBytes[n]!;
					});
					bytes = scratch;
				}
			}
			leafSizes[i] = bytes;
		}
		for (let i = 0; i < count; i++) {
			const bytes = leafSizes[i]!;
			if (bytes < 0) continue;
			const n = nodes[i]!;
			t.effCumulative[n] += bytes;
			if (t.effMin[n]! < 0 || bytes < t.effMin[n]!) t.effMin[n] = bytes;
			if (t.effCount[n]++ === 0) effNodes.push(n);
		}

		// Overlay semantics: whiteouts and opaque directories first, then this layer's entries.
		for (let i = 0; i < count; i++) {
			if (types[i] !== T_WHITEOUT) continue;
			const node = nodes[i]!;
			summary.removedBytes += takeVisible(node, true, true);
			const {bytes, addedIn} = attribute(node, true);
			if (addedIn >= 0) deleted.push({layer: index, path: paths[i]!, hiddenBytes: bytes, addedIn});
			t.each(node, true, n => {
				t.dive[n] = DIVE_NONE;
			});
		}
		for (const dir of layer.opaqueDirs) {
			const node = t.node(key(dir));
			summary.removedBytes += takeVisible(node, false, true);
			const {bytes, addedIn} = attribute(node, false);
			if (addedIn >= 0 && bytes > 0) deleted.push({layer: index, path: norm(dir), hiddenBytes: bytes, addedIn});
		}
		for (let i = 0; i < count; i++) {
			const type = types[i]!;
			if (type === T_WHITEOUT) continue;
			const node = nodes[i]!;
			const size = sizes[i]!;
			const before = t.visType[node]!;
			if (type !== T_DIR) {
				summary.files++;
				if (before !== NONE) {
					summary.modifiedBytes += size;
					// Everything stored at or below this path so far is now hidden.
					takeVisible(node, true, true);
					const {bytes, addedIn} = attribute(node, true);
					if (bytes > 0) overwritten.push({layer: index, path: paths[i]!, hiddenBytes: bytes, addedIn});
				} else summary.addedBytes += size;
				t.stored[node] += size;
			} else if (before !== T_DIR) {
				summary.addedBytes += size;
				if (before !== NONE) {
					const {bytes, addedIn} = attribute(node, true);
					if (bytes > 0) overwritten.push({layer: index, path: paths[i]!, hiddenBytes: bytes, addedIn});
				}
			}
			if (t.firstLayer[node]! < 0) t.firstLayer[node] = index;
			t.visType[node] = type;
			t.visBytes[node] = size;
			// dive's AddPath: missing intermediate nodes get an empty FileInfo; the end node gets the payload, children kept.
			for (let up = t.parent[node]!; up > 0 && t.diveOf[up] !== index; up = t.parent[up]!) {
				t.diveOf[up] = index;
				if (t.dive[up] === DIVE_NONE) {
					t.dive[up] = DIVE_FILE;
					t.diveBytes[up] = 0;
				}
			}
			t.dive[node] = type === T_DIR ? DIVE_DIR : DIVE_FILE;
			t.diveBytes[node] = size;
		}
		summaries.push(summary);
	});

	let stored = 0;
	let visibleBytes = 0;
	for (let n = 0; n < t.size; n++) {
		stored += t.stored[n]!;
		const type = t.visType[n]!;
		if (type !== NONE && type !== T_DIR) visibleBytes += t.visBytes[n]!;
	}

	let minimum = 0;
	let cumulative = 0;
	let wastedBytes = 0;
	const inefficiencies: Inefficiency[] = [];
	for (const node of effNodes) {
		const cum = t.effCumulative[node]!;
		minimum += t.effMin[node]!;
		cumulative += cum;
		if (t.effCount[node]! < 2) continue;
		wastedBytes += cum;
		if (cum === 0) continue;
		let invisible = 0;
		t.each(node, true, n => {
			const type = t.visType[n]!;
			invisible += t.stored[n]! - (type !== NONE && type !== T_DIR ? t.visBytes[n]! : 0);
		});
		inefficiencies.push({path: t.paths[node]!, count: t.effCount[node]!, cumulativeBytes: cum, invisibleBytes: invisible});
	}
	inefficiencies.sort((a, b) => b.cumulativeBytes - a.cumulativeBytes || (a.path < b.path ? -1 : 1));
	const sizeBytes = summaries.reduce((total, l) => total + l.bytes, 0);
	const userSizeBytes = sizeBytes - (summaries[0]?.bytes ?? 0);
	return {
		layers: summaries,
		sizeBytes,
		userSizeBytes,
		efficiency: cumulative === 0 ? 1 : minimum / cumulative,
		wastedBytes,
		userWastedPercent: userSizeBytes === 0 ? 0 : wastedBytes / userSizeBytes,
		invisibleBytes: stored - visibleBytes,
		visibleBytes,
		inefficiencies,
		deleted,
		overwritten,
	};
}
