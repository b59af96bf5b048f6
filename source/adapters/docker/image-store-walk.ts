/**
 * One image layer's file list from its overlay2 `diff` directory, walked with the drill-down
 * walker (the only file of the image explorer that knows the walker's tree shape). Every
 * entry is listed (no top-K), sizes as a layer tar's headers give them: file contents, hard
 * links once, 0 for directories, symlinks and devices. Whiteouts (0/0 character devices)
 * delete their path; opaque directories come from the trusted.overlay.opaque xattr.
 */
import type {LayerEntry} from '../../domain/image-analysis.js';
import {classRulesForWorker} from '../../domain/classify.js';
import {walkTree} from '../fs/tree-walk.js';
import {readOpaque} from '../fs/opaque-xattr.js';
import {dirPathsOf} from '../fs/tree-paths.js';
import {nameText, type LayerListing} from './image-export.js';

export class LayerWalkError extends Error {}

const join = (dir: string, name: string) => (dir === '/' ? '' : dir) + '/' + name;

/** No path classes: the image explorer does not use them, and their regexes cost per name. */
let rules: ReturnType<typeof classRulesForWorker> | undefined;

/** Every entry of one layer directory; opaque directories are read apart (readOpaqueDirs), once candidates are known. */
export async function walkLayerDir(diffDir: string, options: {signal?: AbortSignal} = {}): Promise<LayerListing> {
	rules ??= {...classRulesForWorker(), nameRules: [], dirRules: []};
	const tree = await walkTree(diffDir, {topK: Number.POSITIVE_INFINITY, shallowDepth: Number.POSITIVE_INFINITY, minDeepFileBytes: 0, listAdded: false, signal: options.signal, rules, workers: 1});
	const e = tree.totals.errors;
	if (e.denied + e.tooLong + e.other > 0 || tree.unwalked.length > 0 || tree.totals.otherFs > 0) {
		throw new LayerWalkError(`${diffDir}: ${e.denied} unreadable, ${e.tooLong + tree.unwalked.length} too long, ${e.other} other errors`);
	}
	const entries: LayerEntry[] = [];
	const rel = dirPathsOf(tree.dirs, nameText);
	for (const d of tree.dirs) {
		const path = rel(d.key) || '/';
		if (d.rest.count > 0) throw new LayerWalkError(`${diffDir}: the walker left ${d.rest.count} entries of ${path} unlisted`);
		if (d.parentKey !== null) {
			entries.push({path, type: 'dir', bytes: 0});
		}
		for (const x of d.entries) {
			if (x.type === 'dir' || x.type === 'deleted') continue;
			const type = x.type === 'whiteout' ? 'whiteout' : x.type === 'file' ? 'file' : x.type === 'symlink' ? 'symlink' : 'other';
			entries.push({path: join(path, nameText(x.name)), type, bytes: type === 'file' ? x.apparentBytes : 0});
		}
	}
	return {entries, opaqueDirs: []};
}

/** Which of `dirs` (paths inside the layer) carry trusted.overlay.opaque; `available` false when that cannot be read. */
export function readOpaqueDirs(diffDir: string, dirs: readonly string[]): {opaqueDirs: string[]; available: boolean} {
	if (dirs.length === 0) return {opaqueDirs: [], available: true};
	const state = {available: true, reason: ''};
	const found = readOpaque(
		dirs.map(d => Buffer.concat([Buffer.from(diffDir), Buffer.from(d, 'utf8')])),
		state,
	);
	return {opaqueDirs: [...found].map(i => dirs[i]!), available: state.available};
}
