/** Set-up and last step shared by both tree-walk drivers. */
import {classRulesForWorker} from '../../domain/classify.js';
import {compareCopyUps, defaultContentBudgetBytes} from './copy-up-content.js';
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
	const budget = Math.max(0, options.contentBudgetBytes ?? defaultContentBudgetBytes);
	return {root, rules, assembly, progress, budget};
}

type WalkFigures = Pick<DirAggregator, 'links' | 'classLowerBytes' | 'unwalked' | 'otherFs' | 'candidates' | 'copyUps'>;

/**
 * Hard links, walk figures, the opaque directories (one batched xattr read) and the copy-up
 * candidates (contents compared in this process within `budget` bytes) go in; the tree comes out.
 */
export async function finishWalk(root: string, rules: WalkRules, assembly: TreeAssembly, budget: number, ...parts: WalkFigures[]): Promise<WalkedTree> {
	for (const p of parts) {
		assembly.addLinks(p.links);
		assembly.addWalkFigures(p);
	}
	const candidates = parts.length === 1 ? parts[0]!.copyUps : parts.flatMap(p => p.copyUps);
	// Both at once: the tar reading opaque xattrs runs while the contents are compared.
	const [hidden, {verdicts, comparedBytes}] = await Promise.all([
		findHiddenDeletes(
			root,
			parts.flatMap(p => p.candidates),
			rules,
			assembly.opaque,
		),
		compareCopyUps(root, rules.lowers, candidates, budget),
	]);
	return assembly.build(hidden, rules.rules.whiteout, {candidates, verdicts, comparedBytes, budgetBytes: budget, cls: rules.rules.metadataCopyUp});
}
