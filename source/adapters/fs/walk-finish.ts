/** Set-up and last step shared by both tree-walk drivers. */
import {classRulesForWorker} from '../../domain/classify.js';
import type {DirAggregator} from './dir-aggregator.js';
import {findHiddenDeletes} from './opaque-xattr.js';
import {TreeAssembly} from './tree-assembly.js';
import type {TreeWalkOptions, WalkedTree} from './tree-types.js';
import {WalkRules} from './walk-rules.js';

export function walkSetup(upperDir: string, options: TreeWalkOptions) {
	const rules = new WalkRules(options.rules ?? classRulesForWorker(), options.lowerDirs ?? []);
	const assembly = new TreeAssembly(rules.classes, options.listAdded ?? false);
	const root = upperDir.length > 1 ? upperDir.replace(/\/+$/, '') : upperDir;
	const progressMs = options.progressMs ?? 200;
	let last = Date.now();
	/** Reports progress at most every progressMs. */
	const progress = () => {
		if (options.onProgress && Date.now() - last >= progressMs) {
			last = Date.now();
			options.onProgress(assembly.progress());
		}
	};
	return {root, rules, assembly, progress};
}

type WalkFigures = Pick<DirAggregator, 'links' | 'classLowerBytes' | 'unwalked' | 'otherFs' | 'candidates'>;

/** Hard links, walk figures and the opaque directories (one batched xattr read) go in; the tree comes out. */
export function finishWalk(root: string, rules: WalkRules, assembly: TreeAssembly, ...parts: WalkFigures[]): WalkedTree {
	for (const p of parts) {
		assembly.addLinks(p.links);
		assembly.addWalkFigures(p);
	}
	const hidden = findHiddenDeletes(
		root,
		parts.flatMap(p => p.candidates),
		rules,
		assembly.opaque,
	);
	return assembly.build(hidden, rules.rules.whiteout);
}
