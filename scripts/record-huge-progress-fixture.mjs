#!/usr/bin/env node
// Records the progress reports of a real walk over one directory with 100,000 entries into
// test/fixtures/drill-huge-progress.json, for the drill screen's UI test (test/ui/drill.test.tsx).
// Build first (npm run build), then: node scripts/record-huge-progress-fixture.mjs
// The walk is the console's (walkTree, the GNU find driver when present) with progressMs 0, so
// every report the walker makes is kept; each is stored as the drill service hands it to the
// screen (services/drill.ts: entries, dirsDone, totals, topLevel).
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {walkTree} from '../dist/source/adapters/fs/tree-walk.js';

const entries = 100_000;
const root = mkdtempSync(join(tmpdir(), 'ls-fx-huge-'));
try {
	mkdirSync(join(root, 'huge'));
	execFileSync('sh', ['-c', `seq 1 ${entries} | sed s/^/f/ | xargs touch`], {cwd: join(root, 'huge')});
	const progress = [];
	const tree = await walkTree(root, {progressMs: 0, onProgress: p => progress.push({entries: p.entries, dirsDone: p.dirsDone, totals: p.totals, topLevel: p.topLevel})});
	if (tree.totals.files !== entries) throw new Error(`walked ${tree.totals.files} files, expected ${entries}`);
	const fixture = {
		recordedAt: new Date().toISOString(),
		note: 'Recorded by scripts/record-huge-progress-fixture.mjs: every progress report of a walk over one directory with 100,000 empty files, in order; read by test/ui/drill.test.tsx.',
		entries,
		progress,
	};
	writeFileSync(new URL('../test/fixtures/drill-huge-progress.json', import.meta.url), `${JSON.stringify(fixture, null, '\t')}\n`);
	console.log(`${progress.length} progress reports recorded: ${progress.map(p => p.entries).join(', ')}`);
} finally {
	rmSync(root, {recursive: true, force: true});
}
