import {execFileSync} from 'node:child_process';
import {appendFileSync, linkSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';

import {LayerSampler} from '../../source/adapters/fs/layer-sampler.js';
import {sizeTree} from '../../source/adapters/fs/size-tree.js';
import {SampleWorker} from '../../source/services/sample-worker-client.js';

const sampler = new LayerSampler();
const sample = (msg: {id: number} & Parameters<LayerSampler['sample']>[0]) => sampler.sample(msg);
const index = (root: string) => sampler.index(root);

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

/**
 * After the first scan's walk (index) no pass re-reads a whole layer: each pass stats the
 * directories, the files seen changing and a fixed budget of others. A write in place,
 * which changes no directory, must still be found within files/budget passes.
 */
describe('sample worker (bounded passes after the first scan)', () => {
	const root = mkdtempSync(join(tmpdir(), 'ls-sample-budget-'));
	afterAll(() => rmSync(root, {recursive: true, force: true}));
	const budget = 16;
	const pass = () => sample({id: 1, containers: [{id: 'c', root, logPath: null}], budget, indexBudget: 0});
	const walk = () => {
		const w = sizeTree(root);
		return {apparentBytes: w.apparentBytes, allocatedBytes: w.allocatedBytes, inodes: w.inodes, dirs: w.dirs, files: w.files};
	};
	const same = (size: {apparentBytes?: number; allocatedBytes?: number; inodes?: number}) => {
		const w = walk();
		return size.apparentBytes === w.apparentBytes && size.allocatedBytes === w.allocatedBytes && size.inodes === w.inodes;
	};
	/** Passes until the index agrees with a full walk (at most `limit`); every pass stays within dirs + budget + hot files. */
	const settle = (limit: number, hotFiles: number) => {
		for (let i = 1; i <= limit; i++) {
			const result = pass();
			expect(result.stats).toBeLessThanOrEqual(walk().dirs + budget + hotFiles);
			if (same(result.sizes.c)) return i;
		}
		return Infinity;
	};

	it('finds an old file written in place, in a directory whose mtime did not change', () => {
		const hourAgo = new Date(Date.now() - 3_600_000);
		for (let d = 0; d < 4; d++) {
			mkdirSync(join(root, `old/${d}`), {recursive: true});
			for (let f = 0; f < 50; f++) {
				writeFileSync(join(root, `old/${d}/${f}`), 'o'.repeat(100));
				utimesSync(join(root, `old/${d}/${f}`), hourAgo, hourAgo);
			}
		}
		const first = index(root);
		expect({apparentBytes: first.apparentBytes, allocatedBytes: first.allocatedBytes, inodes: first.inodes}).toEqual((({apparentBytes, allocatedBytes, inodes}) => ({apparentBytes, allocatedBytes, inodes}))(walk()));
		const dirBefore = statSync(join(root, 'old/3')).mtimeMs;
		appendFileSync(join(root, 'old/3/49'), Buffer.alloc(70_000));
		expect(statSync(join(root, 'old/3')).mtimeMs).toBe(dirBefore);
		expect(settle(Math.ceil(walk().files / budget) + 1, 1)).toBeLessThan(Infinity);
	});

	it('does not re-stat every recently written file each pass, yet follows them', () => {
		mkdirSync(join(root, 'fresh'));
		const halfMinuteAgo = new Date(Date.now() - 30_000);
		for (let f = 0; f < 300; f++) {
			writeFileSync(join(root, `fresh/${f}`), 'f'.repeat(f));
			utimesSync(join(root, `fresh/${f}`), halfMinuteAgo, halfMinuteAgo);
		}
		appendFileSync(join(root, 'fresh/0'), 'growing'); // the newest file when the scan runs
		index(root);
		appendFileSync(join(root, 'fresh/0'), Buffer.alloc(9000)); // still growing: re-stated in the first pass
		expect(settle(1, 1)).toBe(1);
		appendFileSync(join(root, 'fresh/150'), Buffer.alloc(9000));
		expect(settle(Math.ceil(walk().files / budget) + 1, 2)).toBeLessThan(Infinity);
	});

	it('makes only a few of many new files hot, and still follows the rest', () => {
		index(root);
		mkdirSync(join(root, 'burst'));
		for (let f = 0; f < 200; f++) writeFileSync(join(root, `burst/${f}`), 'b'.repeat(f));
		const found = pass();
		expect(same(found.sizes.c)).toBe(true); // new names are stat'ed when their directory is re-read
		appendFileSync(join(root, 'burst/199'), Buffer.alloc(5000)); // the last one, past the hot cap
		expect(settle(Math.ceil(walk().files / budget) + 1, 64)).toBeLessThan(Infinity);
	});
});

/** The index keeps files in reusable slots: names dropped and added in any order must still agree with the walker. */
describe('sample worker (compact index: reused slots, late hard links)', () => {
	const root = mkdtempSync(join(tmpdir(), 'ls-sample-slots-'));
	afterAll(() => rmSync(root, {recursive: true, force: true}));
	const mine = new LayerSampler();
	const pass = () => mine.sample({containers: [{id: 'c', root, logPath: null}], budget: 1e9, indexBudget: Infinity}).sizes.c;
	const expectSame = () => {
		const a = pass();
		const w = sizeTree(root);
		expect({apparentBytes: a.apparentBytes, allocatedBytes: a.allocatedBytes, inodes: a.inodes}).toEqual({apparentBytes: w.apparentBytes, allocatedBytes: w.allocatedBytes, inodes: w.inodes});
		return w;
	};

	it('reuses the slots of deleted files for new ones, and counts a hard link made after the index once', () => {
		for (let d = 0; d < 3; d++) {
			mkdirSync(join(root, `d${d}`));
			for (let f = 0; f < 40; f++) writeFileSync(join(root, `d${d}/f${f}`), 'x'.repeat(d * 1000 + f));
		}
		expect(mine.index(root).files).toBe(120);
		expectSame();
		rmSync(join(root, 'd1'), {recursive: true});
		for (let f = 0; f < 30; f++) writeFileSync(join(root, `d0/new${f}`), 'n'.repeat(5000 + f)); // into freed slots
		expectSame();
		linkSync(join(root, 'd2/f7'), join(root, 'd0/late-link')); // the inode was indexed with one name
		expectSame();
		rmSync(join(root, 'd2/f7'));
		expectSame();
		appendFileSync(join(root, 'd0/late-link'), Buffer.alloc(20_000)); // its last name now
		expectSame();
		rmSync(join(root, 'd0/late-link'));
		expect(expectSame().files).toBe(40 + 30 + 39);
		expect(mine.index(root).files).toBe(40 + 30 + 39);
	});
});

/** The exporter's engines share one walker thread: each client keeps its own layers there. */
describe('sample worker threads shared by several samplers', () => {
	const a = mkdtempSync(join(tmpdir(), 'ls-share-a-'));
	const b = mkdtempSync(join(tmpdir(), 'ls-share-b-'));
	afterAll(() => {
		rmSync(a, {recursive: true, force: true});
		rmSync(b, {recursive: true, force: true});
	});

	it('keeps the layers of each client when another client samples, and ends the thread with the last client', async () => {
		writeFileSync(join(a, 'x'), 'a'.repeat(1234));
		for (let f = 0; f < 300; f++) writeFileSync(join(a, `empty${f}`), '');
		writeFileSync(join(b, 'y'), 'b'.repeat(4321));
		const first = new SampleWorker(10, Infinity, 1); // 10 cold re-stats per pass: a new walk of `a` takes 302
		const second = first.share();
		try {
			expect((await first.sample([{id: 'a', root: a, logPath: null}])).sizes.a).toMatchObject({indexed: true, apparentBytes: 1234});
			expect((await second.sample([{id: 'b', root: b, logPath: null}])).sizes.b).toMatchObject({indexed: true, apparentBytes: 4321});
			// The other client's pass did not forget this layer: a pass over the kept index, not a new walk.
			const again = await first.sample([{id: 'a', root: a, logPath: null}], {});
			expect(again.sizes.a).toMatchObject({indexed: true, apparentBytes: 1234});
			expect(again.stats).toBeLessThan(50);
			await second.close(); // the thread stays for `first`
			expect((await first.sample([{id: 'a', root: a, logPath: null}])).sizes.a).toMatchObject({indexed: true, apparentBytes: 1234});
		} finally {
			await first.close();
		}
	});

	it('closes every client when they close at once, also before the thread answered anything', async () => {
		// The exporter closes all its engines' samplers together on SIGTERM: the last close ends
		// the thread while another client's `forget` is in flight, which must not wait forever.
		const first = new SampleWorker(10, Infinity, 1);
		const second = first.share();
		const third = first.share();
		await Promise.all([first.close(), second.close(), third.close()]);
		const again = new SampleWorker(10, Infinity, 1);
		const other = again.share();
		const walk = again.sample([{id: 'a', root: a, logPath: null}]).catch(() => 'ended');
		await Promise.all([again.close(), other.close()]);
		expect(await walk).toBeDefined();
	});
});
