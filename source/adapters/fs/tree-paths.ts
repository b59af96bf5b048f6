/**
 * Directory paths of a walked tree. A DirNode keeps only its display path; its raw name is the
 * entry its parent lists with its key. Callers that need raw-derived paths (the "other files"
 * walk, the image explorer's layer listing) rebuild them here, from the root down, once each.
 */
import type {DirNode, NodeName} from '../../domain/file-tree.js';

/** `key -> path relative to the walked root` ('' for the root, '/a/b' below it), names turned into text by `text`. */
export function dirPathsOf(dirs: readonly DirNode[], text: (name: NodeName) => string): (key: string) => string {
	const nameOf = new Map<string, NodeName>();
	for (const d of dirs) for (const e of d.entries) if (e.dirKey !== undefined) nameOf.set(e.dirKey, e.name);
	const byKey = new Map(dirs.map(d => [d.key, d]));
	const known = new Map<string, string>();
	const path = (key: string): string => {
		const hit = known.get(key);
		if (hit !== undefined) return hit;
		const d = byKey.get(key);
		const value = !d || d.parentKey === null ? '' : `${path(d.parentKey)}/${text(nameOf.get(key) ?? '')}`;
		known.set(key, value);
		return value;
	};
	return path;
}
