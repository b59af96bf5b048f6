/**
 * The image explorer's tree for one layer (pure): either that layer's own changes, marked
 * A (new path), M (replaces a path visible below) or D (deletes what was visible below),
 * or the aggregated filesystem up to that layer with that layer's changes marked.
 * Sizes are du-style: a directory's is the sum of the files below it.
 */
import type {LayerInput} from '../../domain/image-analysis.js';
import {sanitize} from '../../domain/sanitize.js';

export type LayerMark = 'A' | 'M' | 'D';
export type TreeScope = 'changes' | 'aggregated';

interface TNode {
	children: Map<string, TNode> | null;
	dir: boolean;
	bytes: number;
	mark: LayerMark | null;
	/** Cached subtree size and file count. */
	total?: number;
	files?: number;
}

export interface ImageTreeRow {
	/** Absolute path, raw: the identity used to navigate. */
	path: string;
	/** Sanitised name, the only text printed. */
	name: string;
	dir: boolean;
	mark: LayerMark | null;
	bytes: number;
	files: number;
}

export interface ImageTree {
	layer: number;
	scope: TreeScope;
	root: TNode;
	totalBytes: number;
	/** Files (not directories) added, modified, and paths deleted by the layer. */
	marks: Record<LayerMark, number>;
}

const parts = (path: string) => path.split('/').filter(p => p !== '' && p !== '.');
const newNode = (dir: boolean): TNode => ({children: null, dir, bytes: 0, mark: null});

function at(root: TNode, path: string, create: boolean): TNode | null {
	let node = root;
	for (const part of parts(path)) {
		let next = node.children?.get(part);
		if (!next) {
			if (!create) return null;
			node.children ??= new Map();
			next = newNode(true);
			node.children.set(part, next);
		}
		node = next;
	}
	return node;
}

function remove(root: TNode, path: string): TNode | null {
	const p = parts(path);
	const parent = at(root, '/' + p.slice(0, -1).join('/'), false);
	const node = parent?.children?.get(p.at(-1)!) ?? null;
	if (node) parent!.children!.delete(p.at(-1)!);
	return node;
}

function sum(node: TNode): number {
	if (node.total !== undefined) return node.total;
	let total = node.dir ? 0 : node.bytes;
	let files = node.dir ? 0 : 1;
	if (node.children)
		for (const child of node.children.values()) {
			total += sum(child);
			files += child.files!;
		}
	node.files = files;
	return (node.total = total);
}

/** Applies one layer to a visible tree (overlay semantics). */
function apply(root: TNode, layer: LayerInput): void {
	for (const e of layer.entries) if (e.type === 'whiteout') remove(root, e.path);
	for (const dir of layer.opaqueDirs) {
		const node = at(root, dir, false);
		if (node) node.children = null;
	}
	for (const e of layer.entries) {
		if (e.type === 'whiteout') continue;
		const node = at(root, e.path, true)!;
		node.dir = e.type === 'dir';
		node.bytes = e.bytes;
		if (!node.dir) node.children = null;
	}
}

const copy = (node: TNode): TNode => ({
	children: node.children ? new Map([...node.children].map(([k, v]) => [k, copy(v)])) : null,
	dir: node.dir,
	bytes: node.bytes,
	mark: null,
});

/** The visible tree after layers 0..upTo-1 (a cache keeps the last one for stepping through layers). */
export function stackTo(layers: readonly LayerInput[], upTo: number): TNode {
	const root = newNode(true);
	for (let i = 0; i < upTo; i++) apply(root, layers[i]!);
	return root;
}

export function buildImageTree(layers: readonly LayerInput[], index: number, scope: TreeScope, below: TNode = stackTo(layers, index)): ImageTree {
	const layer = layers[index]!;
	const marks: Record<LayerMark, number> = {A: 0, M: 0, D: 0};
	const root = scope === 'aggregated' ? copy(below) : newNode(true);
	const ghost = (path: string, old: TNode) => {
		const node = at(root, path, true)!;
		node.dir = old.dir;
		node.bytes = 0;
		node.mark = 'D';
		node.total = sum(old);
		node.files = old.files;
		node.children = null;
		marks.D++;
	};
	for (const e of layer.entries) {
		if (e.type !== 'whiteout') continue;
		const old = at(below, e.path, false);
		if (!old) continue;
		if (scope === 'aggregated') remove(root, e.path);
		ghost(e.path, old);
	}
	for (const dir of layer.opaqueDirs) {
		const old = at(below, dir, false);
		if (!old?.children) continue;
		if (scope === 'aggregated') {
			const node = at(root, dir, false);
			if (node) node.children = null;
		}
		for (const [name, child] of old.children) ghost(`${dir === '/' ? '' : dir}/${name}`, child);
	}
	for (const e of layer.entries) {
		if (e.type === 'whiteout') continue;
		const old = at(below, e.path, false);
		const node = at(root, e.path, true)!;
		const wasGhost = node.mark === 'D';
		node.dir = e.type === 'dir';
		node.bytes = e.bytes;
		node.total = undefined;
		node.files = undefined;
		if (!node.dir) node.children = null;
		// A directory the layer lists was touched by it (something below changed): M when it existed.
		const mark: LayerMark = !old ? 'A' : 'M';
		if (wasGhost) marks.D--;
		node.mark = wasGhost ? 'M' : mark;
		if (!node.dir) marks[node.mark]++;
	}
	return {layer: index, scope, root, totalBytes: sum(root), marks};
}

/** Rows of the directory at `path`, largest first (D rows by the bytes they delete). */
export function imageTreeRows(tree: ImageTree, path: string): ImageTreeRow[] {
	const dir = at(tree.root, path, false);
	if (!dir?.children) return [];
	const rows: ImageTreeRow[] = [];
	for (const [name, child] of dir.children) {
		rows.push({path: `${path === '/' ? '' : path}/${name}`, name: sanitize(name), dir: child.dir, mark: child.mark, bytes: sum(child), files: child.files ?? 0});
	}
	return rows.sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
}

/** Whether a path is a directory with rows (Enter goes in). */
export const isOpenable = (row: ImageTreeRow | undefined) => Boolean(row?.dir);
