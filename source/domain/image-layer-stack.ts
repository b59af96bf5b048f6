/**
 * The path trie the image analysis stacks layers in (pure). Paths are absolute ("/a/b").
 * Nodes are never removed: deletions clear the payload's flags, so nodes can be cached by path.
 */

export interface StackNode<T> {
	children: Map<string, StackNode<T>> | null;
	value: T | null;
	parent: StackNode<T> | null;
	/** Scratch marks of the layer being read: it lists something below this node / it stacked dive's parents. */
	childOf: number;
	diveOf: number;
}

export const splitPath = (path: string): string[] => path.split('/').filter(part => part !== '' && part !== '.');

export const newStackNode = <T>(parent: StackNode<T> | null = null): StackNode<T> => ({children: null, value: null, parent, childOf: -1, diveOf: -1});
