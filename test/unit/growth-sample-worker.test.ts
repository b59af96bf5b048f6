import {execFileSync} from 'node:child_process';
import {appendFileSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';

const require = createRequire(import.meta.url);
const {sample} = require('../../source/adapters/fs/sample-worker.cjs');
const {sizeTree} = require('../../source/adapters/fs/walk-worker.cjs');

/** The incremental index must agree with the full walker on the same tree, after every kind of change. */
describe('sample worker (incremental layer index)', () => {
	const root = mkdtempSync(join(tmpdir(), 'ls-sample-'));
	afterAll(() => rmSync(root, {recursive: true, force: true}));
	const pass = () => sample({id: 1, containers: [{id: 'c', root, logPath: null}], budget: 1e9, indexBudget: Infinity}).sizes.c;
	const walk = () => {
		const w = sizeTree(root);
		return {apparentBytes: w.apparentBytes, allocatedBytes: w.allocatedBytes, inodes: w.inodes};
	};
	const expectSame = () => {
		const mine = pass();
		expect({apparentBytes: mine.apparentBytes, allocatedBytes: mine.allocatedBytes, inodes: mine.inodes}).toEqual(walk());
	};

	it('indexes a tree like the walker: hard links once, symlinks, whiteouts, non-UTF-8 names', () => {
		mkdirSync(join(root, 'a/b'), {recursive: true});
		writeFileSync(join(root, 'a/b/file'), Buffer.alloc(10_000));
		linkSync(join(root, 'a/b/file'), join(root, 'a/link'));
		symlinkSync('/etc/passwd', join(root, 'a/sym'));
		execFileSync('mknod', [join(root, 'a/whiteout'), 'c', '0', '0']);
		writeFileSync(Buffer.concat([Buffer.from(root + '/bad-'), Buffer.from([0xff, 0xfe]), Buffer.from('.txt')]), 'x'.repeat(777));
		const first = pass();
		expect(first.indexed).toBe(true);
		expectSame();
	});

	it('follows appends, truncation, new and deleted subtrees, renames and replacement', () => {
		appendFileSync(join(root, 'a/b/file'), Buffer.alloc(5000));
		expectSame();
		truncateSync(join(root, 'a/b/file'), 10);
		expectSame();
		mkdirSync(join(root, 'n/m/o'), {recursive: true});
		for (let i = 0; i < 50; i++) writeFileSync(join(root, `n/m/o/${i}`), 'y'.repeat(i * 100));
		expectSame();
		execFileSync('mv', [join(root, 'n/m'), join(root, 'a/moved')]);
		expectSame();
		writeFileSync(join(root, 'replacement'), 'z'.repeat(3000));
		execFileSync('mv', [join(root, 'replacement'), join(root, 'a/b/file')]);
		expectSame();
		rmSync(join(root, 'a'), {recursive: true});
		expectSame();
	});

	it('forgets containers that are no longer listed', () => {
		const result = sample({id: 2, containers: [], budget: 10, indexBudget: 10});
		expect(result.sizes).toEqual({});
		const again = sample({id: 3, containers: [{id: 'c', root, logPath: null}], budget: 10, indexBudget: -1}); // no index budget left: a forgotten layer is not indexed
		expect(again.sizes.c.indexed).toBe(false);
	});
});
