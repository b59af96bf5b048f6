import {execFileSync} from 'node:child_process';
import {linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {findSizes, hasGnuFind} from '../../source/adapters/fs/find-sizer.js';
import {sizeTreesWithin} from '../../source/adapters/fs/size-tree.js';
import {WalkPool} from '../../source/adapters/fs/walk-pool.js';

describe('find sizer agrees with the worker walker', () => {
	let base: string;
	const pool = new WalkPool();
	const roots: string[] = [];

	beforeAll(() => {
		base = mkdtempSync(join(tmpdir(), 'ls-find-'));
		for (let r = 0; r < 3; r++) {
			const root = join(base, `layer${r}`);
			mkdirSync(join(root, 'a/b/c'), {recursive: true});
			for (let i = 0; i < 50 * (r + 1); i++) writeFileSync(join(root, 'a', `f${i}`), 'x'.repeat(i * 37));
			writeFileSync(join(root, 'a/b/big'), Buffer.alloc(300_000, 1));
			linkSync(join(root, 'a/b/big'), join(root, 'a/b/c/big-link')); // counted once
			symlinkSync('/', join(root, 'a/to-root')); // never followed
			symlinkSync('loop', join(root, 'a/loop'));
			writeFileSync(Buffer.concat([Buffer.from(join(root, 'a/')), Buffer.from([0xff, 0xfe, 0x1b])]), 'bad name');
			execFileSync('mknod', [join(root, 'a/whiteout'), 'c', '0', '0']);
			execFileSync('truncate', ['-s', '1G', join(root, 'sparse')]);
			roots.push(root);
		}
	});
	afterAll(async () => {
		await pool.close();
		rmSync(base, {recursive: true, force: true});
	});

	it('is GNU find here', () => expect(hasGnuFind()).toBe(true));

	it('gives the same apparent, allocated, file and inode totals', async () => {
		const sizes = await findSizes([...roots, join(base, 'vanished')]);
		expect(sizes.has(join(base, 'vanished'))).toBe(false);
		for (const root of roots) {
			const mine = sizes.get(root)!;
			const theirs = await pool.sizeTree(root);
			expect({a: mine.apparentBytes, b: mine.allocatedBytes, f: mine.files, d: mine.dirs, i: mine.inodes}).toEqual({
				a: theirs.apparentBytes,
				b: theirs.allocatedBytes,
				f: theirs.files,
				d: theirs.dirs,
				i: theirs.inodes,
			});
			// The sparse file counts 1 GiB apparent but almost nothing allocated.
			expect(mine.apparentBytes).toBeGreaterThan(1024 ** 3);
			expect(mine.allocatedBytes).toBeLessThan(10 * 1024 ** 2);
			const du = Number(execFileSync('du', ['-s', '-B1', root], {encoding: 'utf8'}).split('\t')[0]);
			expect(mine.allocatedBytes).toBe(du);
		}
	});

	it('sizes small trees in this thread as find does, a vanished root left out, and gives up past its budget', async () => {
		const found = await findSizes(roots);
		const here = sizeTreesWithin([...roots, join(base, 'vanished')], 10_000)!;
		expect(here).toHaveLength(roots.length + 1);
		expect(here.at(-1)).toBeUndefined();
		for (const [i, root] of roots.entries()) {
			const {apparentBytes, allocatedBytes, files, dirs, inodes, errors} = found.get(root)!;
			const mine = here[i]!;
			expect({apparentBytes: mine.apparentBytes, allocatedBytes: mine.allocatedBytes, files: mine.files, dirs: mine.dirs, inodes: mine.inodes, errors: mine.errors}).toEqual({apparentBytes, allocatedBytes, files, dirs, inodes, errors});
		}
		expect(sizeTreesWithin(roots, 100)).toBeNull();
	});
});
