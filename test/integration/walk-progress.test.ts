import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {walkTree, type WalkProgress} from '../../source/adapters/fs/tree-walk.js';

// README's failure table, row 8: a directory with 100,000 entries shows a growing entry count
// while it is walked. The console reports progress at most every 200 ms (progressMs), so how
// many counts a screen shows depends on the clock; here progressMs is 0, so every report the
// walker makes is seen, and the sequence depends only on the tree: the find driver reports
// every 4096 entries, the worker driver with each batch it posts (every 65,536 entries).
const entries = 100_000;

describe('progress of a walk over a directory with 100,000 entries', () => {
	let root: string;

	beforeAll(() => {
		root = mkdtempSync(join(tmpdir(), 'ls-progress-'));
		mkdirSync(join(root, 'huge'));
		execFileSync('sh', ['-c', `seq 1 ${entries} | sed s/^/f/ | xargs touch`], {cwd: join(root, 'huge')});
	});
	afterAll(() => rmSync(root, {recursive: true, force: true}));

	for (const [walker, least] of [
		['find', 20],
		['workers', 2],
	] as const) {
		it(`reports increasing entry counts that end at the total (${walker} driver)`, async () => {
			const seen: WalkProgress[] = [];
			const tree = await walkTree(root, {walker, progressMs: 0, onProgress: p => seen.push(p)});
			expect(tree.totals.files).toBe(entries);
			const counts = seen.map(p => p.entries);
			const distinct = [...new Set(counts)];
			expect(distinct.length, `counts reported: ${counts.join(', ')}`).toBeGreaterThanOrEqual(least);
			for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeGreaterThanOrEqual(counts[i - 1]!);
			expect(counts.at(-1)).toBe(entries);
			// The running totals grow with the count: files met so far, never more than the walk finds.
			for (const p of seen) expect(p.totals.files).toBeLessThanOrEqual(entries);
			expect(seen.at(-1)!.totals.files).toBe(entries);
		});
	}
});
