/**
 * A path trie for stacking image layers (pure). Paths are absolute ("/a/b"), split on "/".
 * Each node may hold a payload; removing a node drops its whole subtree.
 */

export interface StackNode<T> {
	children: Map<string, StackNode<T>> | null;
	value: T | null;
}

export const splitPath = (path: string): string[] => path.split('/').filter(part => part !== '' && part !== '.');

export class PathTrie<T> {
	readonly root: StackNode<T> = {children: null, value: null};

	get(path: string): StackNode<T> | null {
		let node: StackNode<T> | undefined = this.root;
		for (const part of splitPath(path)) {
			node = node.children?.get(part);
			if (!node) return null;
		}
		return node;
	}

	/** Finds or creates the node at `path` (intermediate nodes get no payload). */
	ensure(path: string): StackNode<T> {
		let node = this.root;
		for (const part of splitPath(path)) {
			node.children ??= new Map();
			let next = node.children.get(part);
			if (!next) {
				next = {children: null, value: null};
				node.children.set(part, next);
			}
			node = next;
		}
		return node;
	}

	/** Removes the node at `path` with its subtree; returns it (null when absent). */
	remove(path: string): StackNode<T> | null {
		const parts = splitPath(path);
		if (parts.length === 0) return null;
		const parent = this.get('/' + parts.slice(0, -1).join('/'));
		const last = parts.at(-1)!;
		const node = parent?.children?.get(last);
		if (!node) return null;
		parent!.children!.delete(last);
		return node;
	}
}

/** Visits every node with a payload below (and including) `node`, depth first. */
export function visitValues<T>(node: StackNode<T>, visit: (value: T, path: string) => void, path = ''): void {
	if (node.value !== null) visit(node.value, path || '/');
	if (node.children) for (const [name, child] of node.children) visitValues(child, visit, `${path}/${name}`);
}
