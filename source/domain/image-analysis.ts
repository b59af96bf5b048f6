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
import {DIVE_DIR, DIVE_FILE, DIVE_NONE, LayerStack, NONE} from './image-layer-stack.js';
import type {LayerWhiteout} from './image-findings.js';

export {LAYER_TYPES, columnsOf, entriesOf, nodeColumns, type LayerColumns, type LayerEntry, type LayerEntryType} from './image-layer-columns.js';

export interface LayerInput {
	/** Diff id of the layer. */
	digest: string;
	createdBy: string;
	entries: readonly LayerEntry[];
	/** The same entries as columns, when the loader has them (the analysis reads these). */
	columns?: LayerColumns;
	/** Directories whose lower contents this layer hides (overlay opaque / .wh..wh..opq). */
	opaqueDirs: string[];
	/** The same directories as nodes of `columns.stack`, when the listing built it. */
	opaqueNodes?: readonly number[];
}

/** A layer read as columns; its `entries` objects are made on first use (the console's trees). */
export function layerInputOf(digest: string, createdBy: string, columns: LayerColumns, opaqueDirs: string[], opaqueNodes?: readonly number[]): LayerInput {
	let entries: LayerEntry[] | undefined;
	return {
		digest,
		createdBy,
		columns,
		opaqueDirs,
		opaqueNodes,
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
const names = (path: string) => path.split('/').filter(part => part !== '' && part !== '.');
const norm = (path: string) => (isNormal(path) ? path : '/' + names(path).join('/'));

/** One layer's entries as trie nodes (the root dropped), with their types and sizes. */
interface LayerNodes {
	nodes: Int32Array;
	types: Uint8Array;
	sizes: Float64Array;
	/** The opaque directories' nodes, as layer.opaqueDirs. */
	opaque: readonly number[];
}

/** The listing's own nodes when it built `t` as it read, else each path looked up (made) in `t`. */
function layerNodes(t: LayerStack, layer: LayerInput, shared: boolean): LayerNodes {
	const c = layer.columns;
	if (shared && c?.nodes) return {nodes: c.nodes, types: c.types, sizes: c.bytes, opaque: layer.opaqueNodes ?? []};
	const {paths, types, bytes} = c ?? columnsOf(layer.entries);
	const nodes = new Int32Array(paths.length);
	let count = 0;
	for (let i = 0; i < paths.length; i++) {
		const node = t.node(paths[i]!);
		if (node !== 0) nodes[count++] = node;
	}
	const opaque = layer.opaqueDirs.map(dir => t.node(dir));
	if (count === paths.length) return {nodes, types, sizes: bytes, opaque};
	// Some path was the root ("/", "."): drop it.
	const keptTypes = new Uint8Array(count);
	const keptSizes = new Float64Array(count);
	for (let i = 0, k = 0; i < paths.length; i++) {
		if (t.node(paths[i]!) === 0) continue;
		keptTypes[k] = types[i]!;
		keptSizes[k++] = bytes[i]!;
	}
	return {nodes: nodes.subarray(0, count), types: keptTypes, sizes: keptSizes, opaque};
}

/** What a deletion or an overwrite hides: stored bytes not yet attributed, and the lowest layer that wrote them. */
interface Hidden {
	bytes: number;
	addedIn: number;
}

/** Sum of the visible file bytes of `nodes` (a subtree), cleared as it goes. */
function takeVisible(t: LayerStack, nodes: Int32Array, count: number): number {
	let sum = 0;
	const {visType, visBytes} = t;
	for (let i = 0; i < count; i++) {
		const n = nodes[i]!;
		const type = visType[n]!;
		if (type === NONE) continue;
		if (type !== T_DIR) sum += visBytes[n]!;
		visType[n] = NONE;
	}
	return sum;
}

/** Stored bytes of `nodes` (a subtree) not yet attributed; marks them attributed. Also the lowest layer seen. */
function attribute(t: LayerStack, nodes: Int32Array, count: number): Hidden {
	// The loops apart, each returning a number: a loop optimised while it runs (on-stack
	// replacement) then leaves to code that has run before.
	return {bytes: attributeBytes(t.stored, t.attributed, nodes, count), addedIn: lowestLayer(t.firstLayer, nodes, count)};
}

function attributeBytes(stored: Float64Array, attributed: Float64Array, nodes: Int32Array, count: number): number {
	let bytes = 0;
	for (let i = 0; i < count; i++) {
		const n = nodes[i]!;
		bytes += stored[n]! - attributed[n]!;
		attributed[n] = stored[n]!;
	}
	return bytes;
}

/** The lowest layer that wrote any of `nodes`, -1 when none. */
function lowestLayer(firstLayer: Int32Array, nodes: Int32Array, count: number): number {
	let lowest = -1;
	for (let i = 0; i < count; i++) {
		const first = firstLayer[nodes[i]!]!;
		if (first >= 0 && (lowest < 0 || first < lowest)) lowest = first;
	}
	return lowest;
}

// The per-layer passes below are plain loops over typed arrays, each in its own function, the
// rare cases (whiteouts, overwrites) called out of them: a cold process runs them once, so they
// must get optimised early and stay so.

/** Entries per call of a per-layer pass (ImageStacker.add). */
const PASS_SLICE = 2048;

/** A layer's columns cut into PASS_SLICE entries (views, no copy), `offset` the first one's index. */
function slicesOf(nodes: Int32Array, types: Uint8Array, sizes: Float64Array): Array<{offset: number; nodes: Int32Array; types: Uint8Array; sizes: Float64Array}> {
	const out = [];
	for (let a = 0; a < nodes.length; a += PASS_SLICE) out.push({offset: a, nodes: nodes.subarray(a, a + PASS_SLICE), types: types.subarray(a, a + PASS_SLICE), sizes: sizes.subarray(a, a + PASS_SLICE)});
	return out;
}

/** Adds to `out` the indexes (from `offset`) of the whiteouts among `types`. */
function whiteoutsIn(types: Uint8Array, offset: number, out: number[]): void {
	for (let i = 0; i < types.length; i++) if (types[i] === T_WHITEOUT) out.push(offset + i);
}

/** Marks each entry's parent as listing something in `layer`; returns the layer's bytes. */
function markParents(childOf: Int32Array, parent: Int32Array, nodes: Int32Array, sizes: Float64Array, layer: number): number {
	let bytes = 0;
	for (let i = 0; i < nodes.length; i++) {
		childOf[parent[nodes[i]!]!] = layer;
		bytes += sizes[i]!;
	}
	return bytes;
}

/** What a whiteout deletes (deleteSubtree). */
interface Deleted {
	/** dive's stacked bytes of the subtree before (the whiteout's leaf size when its path was a directory). */
	diveBytes: number;
	/** Visible file bytes it hides. */
	visibleBytes: number;
	/** Stored bytes not attributed before, and the lowest layer that wrote any of them (-1: none). */
	hiddenBytes: number;
	addedIn: number;
}

/**
 * A whiteout's subtree (`nodes`) deleted in one pass: its dive size read, then cleared from
 * dive's tree, its visible bytes taken, its stored bytes attributed. One loop, not one per
 * figure: it runs at the first deletion, often in the last layer, before V8 optimised any of it.
 */
function deleteSubtree(t: LayerStack, nodes: Int32Array, count: number): Deleted {
	const {dive, diveBytes, visType, visBytes, stored, attributed, firstLayer} = t;
	let diveSum = 0;
	let visible = 0;
	let hidden = 0;
	let lowest = -1;
	for (let i = 0; i < count; i++) {
		const n = nodes[i]!;
		if (dive[n] !== DIVE_NONE) diveSum += diveBytes[n]!;
		dive[n] = DIVE_NONE;
		const type = visType[n]!;
		if (type !== NONE && type !== T_DIR) visible += visBytes[n]!;
		visType[n] = NONE;
		hidden += stored[n]! - attributed[n]!;
		attributed[n] = stored[n]!;
		const first = firstLayer[n]!;
		if (first >= 0 && (lowest < 0 || first < lowest)) lowest = first;
	}
	return {diveBytes: diveSum, visibleBytes: visible, hiddenBytes: hidden, addedIn: lowest};
}

/**
 * dive's efficiency sums over the layers stacked so far, kept as each leaf is added, so the
 * figures need no pass over the whole trie: sum of cumulative sizes, of smallest sizes (paths
 * seen at least once), of cumulative sizes of paths seen twice or more (wasted), and the paths
 * that became a leaf a second time (the inefficiencies, once their bytes are known). Sums of
 * whole numbers: the order they are added in does not matter.
 */
class LeafSums {
	cumulative = 0;
	minimum = 0;
	wasted = 0;
	twice: Int32Array = new Int32Array(1024);
	twiceCount = 0;

	/** `twice` with room for `more` paths. */
	reserve(more: number): Int32Array {
		if (this.twiceCount + more > this.twice.length) {
			const grown = new Int32Array(Math.max(this.twice.length * 2, this.twiceCount + more));
			grown.set(this.twice.subarray(0, this.twiceCount));
			this.twice = grown;
		}
		return this.twice;
	}
}

/** One leaf of `bytes` at node `n` (a whiteout's: addLeaves leaves them out, their size is a walk). */
function addLeaf(t: LayerStack, n: number, bytes: number, sums: LeafSums): void {
	const count = t.effCount[n]!;
	const min = t.effMin[n]!;
	const cumulative = t.effCumulative[n]! + bytes;
	const lowest = count === 0 || bytes < min ? bytes : min;
	t.effCumulative[n] = cumulative;
	t.effMin[n] = lowest;
	t.effCount[n] = count + 1;
	sums.cumulative += bytes;
	sums.minimum += count === 0 ? bytes : lowest - min;
	sums.wasted += count === 1 ? cumulative : count >= 2 ? bytes : 0;
	if (count === 1) sums.reserve(1)[sums.twiceCount++] = n;
}

/**
 * dive's efficiency sums: each leaf of this layer's tree adds its bytes to its path's
 * cumulative size, minimum and count. A directory with any entry below it in the layer
 * (whiteouts included) is not a leaf; whiteouts are added apart (addLeaf). No branch that
 * only some entries take does work: a path first seen twice in the last layer must not send
 * the optimised loop back to the interpreter.
 */
function addLeaves(t: LayerStack, nodes: Int32Array, types: Uint8Array, sizes: Float64Array, layer: number, sums: LeafSums): void {
	const {childOf, effCumulative, effMin, effCount} = t;
	const twice = sums.reserve(nodes.length);
	let k = sums.twiceCount;
	let cumulative = 0;
	let minimum = 0;
	let wasted = 0;
	for (let i = 0; i < nodes.length; i++) {
		const type = types[i]!;
		const n = nodes[i]!;
		if ((type === T_DIR && childOf[n] === layer) || type === T_WHITEOUT) continue;
		const bytes = sizes[i]!;
		const count = effCount[n]!;
		const min = effMin[n]!;
		const sum = effCumulative[n]! + bytes;
		const smaller = bytes < min;
		const lowest = count === 0 || smaller ? bytes : min;
		const lowered = lowest - min;
		effCumulative[n] = sum;
		effMin[n] = lowest;
		effCount[n] = count + 1;
		cumulative += bytes;
		minimum += count === 0 ? bytes : lowered;
		wasted += count === 1 ? sum : count >= 2 ? bytes : 0;
		twice[k] = n;
		k += count === 1 ? 1 : 0;
	}
	sums.cumulative += cumulative;
	sums.minimum += minimum;
	sums.wasted += wasted;
	sums.twiceCount = k;
}

/** Figures of one layer's pass over its entries. */
interface Stacked {
	files: number;
	addedBytes: number;
	modifiedBytes: number;
	/** File bytes the entries store. */
	storedBytes: number;
	/** Visible bytes below that the entries hide (overwritten files, and what was under them). */
	hiddenBytes: number;
}

/** A file written where something is visible: everything stored at or below the path so far is now hidden. Returns the visible bytes it hides. */
function overwriteFile(t: LayerStack, node: number, layer: number, overwritten: LayerOverwrite[]): number {
	const {nodes, count} = t.subtree(node, true);
	const visible = takeVisible(t, nodes, count);
	const {bytes, addedIn} = attribute(t, nodes, count);
	if (bytes > 0) overwritten.push({layer, path: t.pathOf(node), hiddenBytes: bytes, addedIn});
	return visible;
}

/** A directory written where a non-directory is visible. */
function overwriteWithDir(t: LayerStack, node: number, layer: number, overwritten: LayerOverwrite[]): void {
	const {nodes, count} = t.subtree(node, true);
	const {bytes, addedIn} = attribute(t, nodes, count);
	if (bytes > 0) overwritten.push({layer, path: t.pathOf(node), hiddenBytes: bytes, addedIn});
}

/** dive's AddPath: missing intermediate nodes get an empty FileInfo (the end node gets the payload, children kept). */
function stackParents(t: LayerStack, node: number, layer: number): void {
	const parent = t.parent;
	const diveOf = t.diveOf;
	const dive = t.dive;
	for (let up = parent[node]!; up > 0 && diveOf[up] !== layer; up = parent[up]!) {
		diveOf[up] = layer;
		if (dive[up] === DIVE_NONE) {
			dive[up] = DIVE_FILE;
			t.diveBytes[up] = 0;
		}
	}
}

/** Overlay semantics for the layer's entries (whiteouts excluded): what each adds, modifies, hides. */
function stackEntries(t: LayerStack, nodes: Int32Array, types: Uint8Array, sizes: Float64Array, layer: number, overwritten: LayerOverwrite[]): Stacked {
	let files = 0;
	let addedBytes = 0;
	let modifiedBytes = 0;
	let storedBytes = 0;
	let hiddenBytes = 0;
	const {visType, visBytes, stored, firstLayer, dive, diveBytes} = t;
	for (let i = 0; i < nodes.length; i++) {
		const type = types[i]!;
		if (type === T_WHITEOUT) continue;
		const node = nodes[i]!;
		const size = sizes[i]!;
		const before = visType[node]!;
		if (type !== T_DIR) {
			files++;
			if (before !== NONE) {
				modifiedBytes += size;
				hiddenBytes += overwriteFile(t, node, layer, overwritten);
			} else addedBytes += size;
			stored[node] += size;
			storedBytes += size;
		} else if (before !== T_DIR) {
			addedBytes += size;
			if (before !== NONE) {
				hiddenBytes += visBytes[node]!;
				overwriteWithDir(t, node, layer, overwritten);
			}
		}
		if (firstLayer[node]! < 0) firstLayer[node] = layer;
		visType[node] = type;
		visBytes[node] = size;
		stackParents(t, node, layer);
		dive[node] = type === T_DIR ? DIVE_DIR : DIVE_FILE;
		diveBytes[node] = size;
	}
	return {files, addedBytes, modifiedBytes, storedBytes, hiddenBytes};
}

/**
 * Stacks an image's layers one at a time, bottom first (the listing hands each over as soon as
 * it and every layer below it are read), then gives the figures. Layers read into one trie by
 * their listing (`columns.stack` and `columns.nodes`) are stacked in it, else in a new one.
 */
export class ImageStacker {
	private t: LayerStack | undefined;
	private shared = false;
	private readonly summaries: ImageLayerSummary[] = [];
	private readonly deleted: LayerWhiteout[] = [];
	private readonly overwritten: LayerOverwrite[] = [];
	private readonly sums = new LeafSums();
	/** File bytes stored by the layers stacked, and of those the ones visible on top of them. */
	private storedBytes = 0;
	private visibleBytes = 0;

	add(layer: LayerInput): void {
		const index = this.summaries.length;
		if (!this.t) {
			const given = layer.columns?.stack;
			// The listing's trie, when no analysis used it yet.
			this.shared = given?.claim() === true;
			this.t = this.shared ? given : new LayerStack(1 << 12);
		}
		const t = this.t!;
		const own = this.shared && layer.columns?.stack === t && layer.columns.nodes !== undefined && (layer.opaqueDirs.length === 0 || layer.opaqueNodes !== undefined);
		if (this.shared && !own) throw new Error('a layer read apart from the others was stacked on their trie');
		const {nodes, types, sizes, opaque} = layerNodes(t, layer, own);
		// Each pass in slices of PASS_SLICE entries: its loop is optimised on entry after a few
		// calls, not on the stack in the middle of a big layer and then again on entry.
		const slices = slicesOf(nodes, types, sizes);
		let bytes = 0;
		for (const slice of slices) bytes += markParents(t.childOf, t.parent, slice.nodes, slice.sizes, index);
		for (const slice of slices) addLeaves(t, slice.nodes, slice.types, slice.sizes, index, this.sums);
		const whiteouts: number[] = [];
		for (const slice of slices) whiteoutsIn(slice.types, slice.offset, whiteouts);

		// Overlay semantics: whiteouts and opaque directories first, then this layer's entries.
		// A whiteout's subtree is walked once: its leaf size (dive's: the subtree in the layers
		// below when a directory there, else 0), then what it hides. Whiteouts are leaves, so
		// two of one layer never share a subtree.
		let removedBytes = 0;
		for (const i of whiteouts) {
			const node = nodes[i]!;
			const {nodes: below, count} = t.subtree(node, true);
			const wasDir = t.dive[node] === DIVE_DIR;
			const gone = deleteSubtree(t, below, count);
			addLeaf(t, node, wasDir ? gone.diveBytes : 0, this.sums);
			removedBytes += gone.visibleBytes;
			if (gone.addedIn >= 0) this.deleted.push({layer: index, path: t.pathOf(node), hiddenBytes: gone.hiddenBytes, addedIn: gone.addedIn});
		}
		for (let j = 0; j < opaque.length; j++) {
			const node = opaque[j]!;
			const {nodes: below, count} = t.subtree(node, false);
			removedBytes += takeVisible(t, below, count);
			const hidden = attribute(t, below, count);
			if (hidden.addedIn >= 0 && hidden.bytes > 0) this.deleted.push({layer: index, path: norm(layer.opaqueDirs[j]!), hiddenBytes: hidden.bytes, addedIn: hidden.addedIn});
		}
		let files = 0;
		let addedBytes = 0;
		let modifiedBytes = 0;
		let storedBytes = 0;
		let hiddenBytes = 0;
		for (const slice of slices) {
			const stacked = stackEntries(t, slice.nodes, slice.types, slice.sizes, index, this.overwritten);
			files += stacked.files;
			addedBytes += stacked.addedBytes;
			modifiedBytes += stacked.modifiedBytes;
			storedBytes += stacked.storedBytes;
			hiddenBytes += stacked.hiddenBytes;
		}
		// Whole numbers: exact in any order.
		this.storedBytes += storedBytes;
		this.visibleBytes += storedBytes - hiddenBytes - removedBytes;
		this.summaries.push({index, digest: layer.digest, createdBy: layer.createdBy, bytes, addedBytes, modifiedBytes, removedBytes, files});
	}

	/** The figures of the layers stacked. */
	finish(): ImageAnalysis {
		return figures(this.t ?? new LayerStack(1), this.summaries, this.deleted, this.overwritten, this.sums, this.storedBytes, this.visibleBytes);
	}
}

export function analyzeImage(layers: readonly LayerInput[]): ImageAnalysis {
	const stacker = new ImageStacker();
	// All or none of the layers on the listing's trie.
	const given = layers[0]?.columns?.stack;
	const together = given !== undefined && layers.every(l => l.columns?.stack === given && l.columns.nodes !== undefined && (l.opaqueDirs.length === 0 || l.opaqueNodes !== undefined));
	for (const layer of layers) stacker.add(together || layer.columns?.stack === undefined ? layer : {...layer, columns: {...layer.columns!, stack: undefined}});
	return stacker.finish();
}

/**
 * Of each node, the bytes stored at and below it and not visible in the final filesystem: one
 * pass from the last node to the root (a parent is made before its children: its id is lower).
 */
function invisibleBelow(t: LayerStack): Float64Array {
	const parent = t.parent;
	const below = new Float64Array(t.size);
	for (let n = t.size - 1; n > 0; n--) {
		const sum = below[n]! + invisibleAt(t, n);
		below[n] = sum;
		below[parent[n]!] += sum;
	}
	return below;
}

/** The bytes stored at exactly node `n` and not visible there. */
function invisibleAt(t: LayerStack, n: number): number {
	const type = t.visType[n]!;
	return t.stored[n]! - (type !== NONE && type !== T_DIR ? t.visBytes[n]! : 0);
}

/** The figures from the sums kept as the layers were stacked: no pass over the whole trie unless an inefficient path has entries below it. */
function figures(t: LayerStack, summaries: ImageLayerSummary[], deleted: LayerWhiteout[], overwritten: LayerOverwrite[], sums: LeafSums, stored: number, visibleBytes: number): ImageAnalysis {
	const {effCount, effCumulative} = t;
	// dive's inefficiencies: the paths that were a leaf twice or more, with bytes.
	const paths: number[] = [];
	let branches = false;
	for (let i = 0; i < sums.twiceCount; i++) {
		const n = sums.twice[i]!;
		if (effCumulative[n]! <= 0) continue;
		paths.push(n);
		if (t.firstChild[n] !== -1) branches = true;
	}
	// A path with nothing below it: its own bytes; else the pass over the trie.
	const below = branches ? invisibleBelow(t) : undefined;
	const inefficiencies: Inefficiency[] = paths.map(n => ({path: t.pathOf(n), count: effCount[n]!, cumulativeBytes: effCumulative[n]!, invisibleBytes: below ? below[n]! : invisibleAt(t, n)}));
	inefficiencies.sort((a, b) => b.cumulativeBytes - a.cumulativeBytes || (a.path < b.path ? -1 : 1));
	const sizeBytes = summaries.reduce((total, l) => total + l.bytes, 0);
	const userSizeBytes = sizeBytes - (summaries[0]?.bytes ?? 0);
	return {
		layers: summaries,
		sizeBytes,
		userSizeBytes,
		efficiency: sums.cumulative === 0 ? 1 : sums.minimum / sums.cumulative,
		wastedBytes: sums.wasted,
		userWastedPercent: userSizeBytes === 0 ? 0 : sums.wasted / userSizeBytes,
		invisibleBytes: stored - visibleBytes,
		visibleBytes,
		inefficiencies,
		deleted,
		overwritten,
	};
}
