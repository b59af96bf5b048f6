/**
 * The drill-down walk of one layer: `walkTree(upperDir, options)` runs the GNU find driver
 * (walk-find.ts) when GNU find is present, else the worker-thread driver (walk-workers.ts). Both
 * feed the one DirAggregator (dir-aggregator.ts) with the rules of walk-rules.ts and return the
 * one tree type (domain/file-tree.ts).
 */
import {hasGnuFind} from './find-sizer.js';
import type {TreeWalkOptions, WalkedTree} from './tree-types.js';
import {walkTreeWithFind} from './walk-find.js';
import {walkTreeWithWorkers} from './walk-workers.js';

export {walkTreeWithFind} from './walk-find.js';
export {walkTreeWithWorkers} from './walk-workers.js';
export {WalkAbortedError, type RawChange, type RawName, type TreeWalkOptions, type WalkedTree, type WalkProgress} from './tree-types.js';

export function walkTree(upperDir: string, options: TreeWalkOptions = {}): Promise<WalkedTree> {
	const useFind = (options.walker ?? 'find') === 'find' && hasGnuFind();
	return useFind ? walkTreeWithFind(upperDir, options) : walkTreeWithWorkers(upperDir, options);
}
