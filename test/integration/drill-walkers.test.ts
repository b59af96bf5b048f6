import {execFileSync} from 'node:child_process';
import {linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {walkTree, type RawName, type WalkedTree} from '../../source/adapters/fs/tree-walk.js';

// The find-driven walk (default) and the worker-thread walk (fallback without GNU find) are two
// implementations of the same rules: on one overlay-shaped tree they must agree with each other
// and with du. The tree is big enough for the find walk to split it into chunks over two finds.
const text = (n: RawName) => (typeof n === 'string' ? n : Buffer.from(n).toString('latin1'));
const du = (flag: string, dir: string) => Number(execFileSync('du', ['-s', flag, dir], {encoding: 'utf8'}).split('\t')[0]);
const changeSet = (t: WalkedTree) => new Set(t.changes.map(c => `${c.kind} ${text(c.path)}`));

describe('the two drill-down walkers on one tree', () => {
	let root: string;
	let upper: string;
	let lower: string;
	let byFind: WalkedTree;
	let byWorkers: WalkedTree;

	beforeAll(async () => {
		root = mkdtempSync(join(tmpdir(), 'ls-walkers-'));
		lower = join(root, 'lower');
		upper = join(root, 'upper');
		for (const d of ['opt/app/sub', 'keep', 'gone/deep']) mkdirSync(join(lower, d), {recursive: true});
		writeFileSync(join(lower, 'a'), 'a\n');
		writeFileSync(join(lower, 'big'), Buffer.alloc(200_000));
		writeFileSync(join(lower, 'keep/x'), 'x\n');
		writeFileSync(join(lower, 'keep/y'), 'y\n');
		writeFileSync(join(lower, 'gone/deep/g'), 'g\n');
		mkdirSync(join(upper, 'keep'), {recursive: true});
		writeFileSync(join(upper, 'big'), Buffer.alloc(200_001)); // copy-up, C
		writeFileSync(join(upper, 'keep/x'), 'xx\n'); // C
		execFileSync('mknod', [join(upper, 'a'), 'c', '0', '0']); // whiteout of a file, D
		execFileSync('mknod', [join(upper, 'gone'), 'c', '0', '0']); // whiteout of a directory, D
		for (let w = 0; w < 6; w++) {
			for (let e = 0; e < 5; e++) {
				const dir = join(upper, `w${w}`, `e${e}`, 'f');
				mkdirSync(dir, {recursive: true});
				for (let f = 0; f < 9; f++) writeFileSync(join(dir, `n${f}`), Buffer.alloc((w + 1) * (e + 1) * (f + 1) * 97));
			}
		}
		linkSync(join(upper, 'w0/e0/f/n1'), join(upper, 'w5/e4/hl')); // a hard link across top-level directories
		linkSync(join(upper, 'w1/e1/f/n2'), join(upper, 'w1/e1/hl'));
		symlinkSync('loop', join(upper, 'w2/loop'));
		symlinkSync('/', join(upper, 'w2/rootlink'));
		execFileSync('mkfifo', [join(upper, 'w2/fifo')]);
		execFileSync('mknod', [join(upper, 'w2/null'), 'c', '1', '3']); // a char device that is not a whiteout
		writeFileSync(Buffer.from(`${upper}/w3/bad\xff\xfename`, 'latin1'), 'y');
		mkdirSync(Buffer.from(`${upper}/w3/dir\x1b[31m\xff`, 'latin1'));
		writeFileSync(Buffer.from(`${upper}/w3/dir\x1b[31m\xff/inner.log`, 'latin1'), 'z\n');
		writeFileSync(join(upper, 'w4/sparse'), '');
		truncateSync(join(upper, 'w4/sparse'), 1024 ** 3);
		const options = {lowerDirs: [lower], listAdded: true};
		byFind = await walkTree(upper, {...options, walker: 'find'});
		byWorkers = await walkTree(upper, {...options, walker: 'workers'});
	});
	afterAll(() => rmSync(root, {recursive: true, force: true}));

	it('allocates exactly what du -B1 reports, hard links once, and agree on the totals', () => {
		expect(byFind.totals.allocatedBytes).toBe(du('-B1', upper));
		expect(byFind.totals).toEqual(byWorkers.totals);
		expect(byFind.dirs.length).toBe(byWorkers.dirs.length);
		expect(byFind.totals.errors).toEqual({denied: 0, vanished: 0, tooLong: 0, other: 0});
	});

	it('give the same A/C/D changes, whiteouts included, and never enter a symlink', () => {
		expect(changeSet(byFind)).toEqual(changeSet(byWorkers));
		const marks = changeSet(byFind);
		for (const m of ['C /big', 'C /keep/x', 'D /a', 'D /gone', 'A /w3/bad\xff\xfename', 'A /w2/rootlink']) expect(marks).toContain(m);
		expect(byFind.totals.marks).toEqual(byWorkers.totals.marks);
		expect(byFind.dirs.some(d => d.key.startsWith('/w2/rootlink'))).toBe(false);
		const w2 = byFind.dirs.find(d => d.key === '/w2')!;
		expect(w2.entries.find(e => e.name === 'null')).toMatchObject({type: 'other'});
	});

	it('agree on every directory, hard links included (both keep an inode at its first path)', () => {
		const workers = new Map(byWorkers.dirs.map(d => [d.key, d]));
		for (const d of byFind.dirs) {
			const rel = d.key;
			const other = workers.get(rel)!;
			expect(other, rel).toBeDefined();
			const pick = (x: typeof d) => ({
				apparent: x.apparentBytes,
				allocated: x.allocatedBytes,
				files: x.files,
				dirs: x.dirs,
				mark: x.mark,
				class: x.class,
				classBytes: x.classBytes,
				marks: x.marks,
				rest: x.rest,
				entries: x.entries.map(e => ({...e, name: text(e.name)})),
			});
			expect(pick(d), rel).toEqual(pick(other));
		}
	});
});
