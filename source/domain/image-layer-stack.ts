/**
 * The path trie the image analysis stacks layers in (pure). Paths are absolute ("/a/b").
 * Nodes are never removed: deletions clear the payload's flags, so nodes can be cached by path.
 */

export interface StackNode<T> {
	children: Map<string, StackNode<T>> | null;
	value: T | null;
}

export const splitPath = (path: string): string[] => path.split('/').filter(part => part !== '' && part !== '.');

export const newStackNode = <T>(): StackNode<T> => ({children: null, value: null});
