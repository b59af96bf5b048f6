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
import {newStackNode, splitPath, type StackNode} from './image-layer-stack.js';
import type {LayerWhiteout} from './image-findings.js';

export type LayerEntryType = 'file' | 'dir' | 'symlink' | 'whiteout' | 'other';

export interface LayerEntry {
	/** Absolute path inside the image; for a whiteout, the path it deletes. */
	path: string;
	type: LayerEntryType;
	/** Tar-header size: file contents (a hard link's second name: 0), 0 for anything else. */
	bytes: number;
}

export interface LayerInput {
	/** Diff id of the layer. */
	digest: string;
	createdBy: string;
	entries: LayerEntry[];
	/** Directories whose lower contents this layer hides (overlay opaque / .wh..wh..opq). */
	opaqueDirs: string[];
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

interface Visible {
	layer: number;
	type: LayerEntryType;
	bytes: number;
}

interface Node {
	/** File bytes stored at exactly this path, over the layers stacked so far. */
	stored: number;
	/** Of `stored`, the bytes already attributed to a deletion or an overwrite. */
	attributed: number;
	firstLayer: number;
	visible: Visible | null;
	/** dive's stacked tree: present (with its IsDir and size) or null. */
	dive: {isDir: boolean; bytes: number} | null;
	effCount: number;
	effCumulative: number;
	effMin: number;
}

const newNode = (): Node => ({stored: 0, attributed: 0, firstLayer: -1, visible: null, dive: null, effCount: 0, effCumulative: 0, effMin: -1});

type N = StackNode<Node>;
const data = (node: N): Node => (node.value ??= newNode());

/** Visits every payload at and below `node` (`self`: the node's own too). */
function eachNode(node: N, visit: (n: Node) => void, self: boolean): void {
	if (self && node.value) visit(node.value);
	if (node.children) for (const child of node.children.values()) eachNode(child, visit, true);
}

/** "" for the root, else "/a/b": the parent of "/a/b/c" is "/a/b", of "/a" is "". */
const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/'));
const isNormal = (p: string) => p.length > 1 && p.charCodeAt(0) === 47 && p.charCodeAt(p.length - 1) !== 47 && !p.includes('//') && !p.includes('/./') && !p.endsWith('/.');
const norm = (path: string) => (isNormal(path) ? path : '/' + splitPath(path).join('/'));

/** Sum of visible file bytes at and below `node` (self optional), cleared as it goes when `clear`. */
function takeVisible(node: N, self: boolean, clear: boolean): number {
	let bytes = 0;
	eachNode(
		node,
		n => {
			if (n.visible) {
				if (n.visible.type !== 'dir') bytes += n.visible.bytes;
				if (clear) n.visible = null;
			}
		},
		self,
	);
	return bytes;
}

/** Stored bytes at and below `node` not yet attributed; marks them attributed. Also the lowest layer seen. */
function attribute(node: N, self: boolean): {bytes: number; addedIn: number} {
	let bytes = 0;
	let addedIn = -1;
	eachNode(
		node,
		n => {
			bytes += n.stored - n.attributed;
			n.attributed = n.stored;
			if (n.firstLayer >= 0 && (addedIn < 0 || n.firstLayer < addedIn)) addedIn = n.firstLayer;
		},
		self,
	);
	return {bytes, addedIn};
}

export function analyzeImage(layers: readonly LayerInput[]): ImageAnalysis {
	const trie = {root: newStackNode<Node>()};
	const summaries: ImageLayerSummary[] = [];
	const deleted: LayerWhiteout[] = [];
	const overwritten: LayerOverwrite[] = [];
	const effNodes: Array<{node: Node; path: string}> = [];
	// Nodes are never removed (deletions clear their flags), so directory nodes can be cached by path.
	const dirs = new Map<string, N>([['', trie.root]]);
	const dirNode = (path: string): N => {
		let node = dirs.get(path);
		if (node) return node;
		const slash = path.lastIndexOf('/');
		node = child(dirNode(path.slice(0, slash)), path.slice(slash + 1));
		dirs.set(path, node);
		return node;
	};
	const child = (parent: N, name: string): N => {
		let node = parent.children?.get(name);
		if (!node) {
			node = newStackNode(parent);
			(parent.children ??= new Map()).set(name, node);
		}
		return node;
	};
	const nodeAt = (path: string): N => (path === '' || path === '/' ? trie.root : child(dirNode(parentOf(path)), path.slice(path.lastIndexOf('/') + 1)));

	layers.forEach((layer, index) => {
		const entries = layer.entries.every(e => isNormal(e.path)) ? layer.entries : layer.entries.map(e => ({...e, path: norm(e.path)})).filter(e => e.path !== '/');
		const summary: ImageLayerSummary = {index, digest: layer.digest, createdBy: layer.createdBy, bytes: 0, addedBytes: 0, modifiedBytes: 0, removedBytes: 0, files: 0};
		// Each entry's node, once; a node that gets an entry below it in this layer is marked.
		const nodes: N[] = new Array(entries.length);
		for (let i = 0; i < entries.length; i++) {
			const path = entries[i]!.path;
			const slash = path.lastIndexOf('/');
			const parent = dirNode(path.slice(0, slash));
			parent.childOf = index;
			nodes[i] = child(parent, path.slice(slash + 1));
			summary.bytes += entries[i]!.bytes;
		}
		// dive: leaves of this layer's tree; a directory with any entry below it (whiteouts included) is not a leaf.
		const leafSizes: number[] = new Array(entries.length).fill(-1);
		for (let i = 0; i < entries.length; i++) {
			const e = entries[i]!;
			if (e.type === 'dir' && nodes[i]!.childOf === index) continue;
			let bytes = e.bytes;
			if (e.type === 'whiteout') {
				bytes = 0;
				const below = nodes[i]!;
				if (below.value?.dive?.isDir)
					eachNode(
						below,
						n => {
							if (n.dive) bytes += n.dive.bytes;
						},
						true,
					);
			}
			leafSizes[i] = bytes;
		}
		for (let i = 0; i < entries.length; i++) {
			const bytes = leafSizes[i]!;
			if (bytes < 0) continue;
			const n = data(nodes[i]!);
			n.effCumulative += bytes;
			if (n.effMin < 0 || bytes < n.effMin) n.effMin = bytes;
			if (n.effCount++ === 0) effNodes.push({node: n, path: entries[i]!.path});
		}

		// Overlay semantics: whiteouts and opaque directories first, then this layer's entries.
		for (let i = 0; i < entries.length; i++) {
			const e = entries[i]!;
			if (e.type !== 'whiteout') continue;
			const node = nodes[i]!;
			summary.removedBytes += takeVisible(node, true, true);
			const {bytes, addedIn} = attribute(node, true);
			if (addedIn >= 0) deleted.push({layer: index, path: e.path, hiddenBytes: bytes, addedIn});
			eachNode(
				node,
				n => {
					n.dive = null;
				},
				true,
			);
		}
		for (const dir of layer.opaqueDirs) {
			const node = nodeAt(norm(dir));
			summary.removedBytes += takeVisible(node, false, true);
			const {bytes, addedIn} = attribute(node, false);
			if (addedIn >= 0 && bytes > 0) deleted.push({layer: index, path: norm(dir), hiddenBytes: bytes, addedIn});
		}
		for (let i = 0; i < entries.length; i++) {
			const e = entries[i]!;
			if (e.type === 'whiteout') continue;
			const node = nodes[i]!;
			const n = data(node);
			const before = n.visible;
			if (e.type !== 'dir') {
				summary.files++;
				if (before) summary.modifiedBytes += e.bytes;
				else summary.addedBytes += e.bytes;
				if (before) {
					// Everything stored at or below this path so far is now hidden.
					takeVisible(node, true, true);
					const {bytes, addedIn} = attribute(node, true);
					if (bytes > 0) overwritten.push({layer: index, path: e.path, hiddenBytes: bytes, addedIn});
				}
				n.stored += e.bytes;
			} else if (before?.type !== 'dir') {
				summary.addedBytes += e.bytes;
				if (before) {
					const {bytes, addedIn} = attribute(node, true);
					if (bytes > 0) overwritten.push({layer: index, path: e.path, hiddenBytes: bytes, addedIn});
				}
			}
			if (n.firstLayer < 0) n.firstLayer = index;
			n.visible = {layer: index, type: e.type, bytes: e.bytes};
			// dive's AddPath: missing intermediate nodes get an empty FileInfo; the end node gets the payload, children kept.
			for (let up = node.parent; up && up !== trie.root && up.diveOf !== index; up = up.parent) {
				up.diveOf = index;
				data(up).dive ??= {isDir: false, bytes: 0};
			}
			n.dive = {isDir: e.type === 'dir', bytes: e.bytes};
		}
		summaries.push(summary);
	});

	let stored = 0;
	let visibleBytes = 0;
	eachNode(
		trie.root,
		n => {
			stored += n.stored;
			if (n.visible && n.visible.type !== 'dir') visibleBytes += n.visible.bytes;
		},
		true,
	);

	let minimum = 0;
	let cumulative = 0;
	let wastedBytes = 0;
	const inefficiencies: Inefficiency[] = [];
	for (const {node, path} of effNodes) {
		minimum += node.effMin;
		cumulative += node.effCumulative;
		if (node.effCount < 2) continue;
		wastedBytes += node.effCumulative;
		if (node.effCumulative === 0) continue;
		let invisible = 0;
		eachNode(
			nodeAt(path),
			n => {
				invisible += n.stored - (n.visible && n.visible.type !== 'dir' ? n.visible.bytes : 0);
			},
			true,
		);
		inefficiencies.push({path, count: node.effCount, cumulativeBytes: node.effCumulative, invisibleBytes: invisible});
	}
	inefficiencies.sort((a, b) => b.cumulativeBytes - a.cumulativeBytes || (a.path < b.path ? -1 : 1));
	const sizeBytes = summaries.reduce((t, l) => t + l.bytes, 0);
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
