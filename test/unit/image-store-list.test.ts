import {execFileSync} from 'node:child_process';
import {linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {LayerWalkError, listLayerDirs} from '../../source/adapters/docker/image-store-list.js';
import {analyzeImage, entriesOf, ImageStacker, layerInputOf} from '../../source/domain/image-analysis.js';

/** Sets trusted.overlay.opaque (root and python3 needed); false when it cannot. */
function markOpaque(dir: string): boolean {
	try {
		execFileSync('python3', ['-c', 'import os,sys; os.setxattr(sys.argv[1], "trusted.overlay.opaque", b"y")', dir], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}

describe('listLayerDirs: every layer directory in one pass', () => {
	let base: string;
	const layers: string[] = [];
	let opaqueSet = false;
	const root = process.getuid?.() === 0;

	beforeAll(() => {
		base = mkdtempSync(join(tmpdir(), 'ls-store-list-'));
		for (let i = 0; i < 3; i++) layers.push(join(base, `l${i}`, 'diff'));
		const [l0, l1, l2] = layers as [string, string, string];
		mkdirSync(join(l0, 'etc/conf.d'), {recursive: true});
		writeFileSync(join(l0, 'etc/conf.d/a'), 'aaaa');
		writeFileSync(join(l0, 'etc/big'), Buffer.alloc(5000, 1));
		mkdirSync(join(l0, 'empty'));
		mkdirSync(join(l1, 'etc'), {recursive: true});
		writeFileSync(join(l1, 'etc/big'), 'replaced');
		// Three names of one inode: the first in depth-first sorted order (/y-link) keeps the bytes.
		mkdirSync(join(l1, 'z'));
		writeFileSync(join(l1, 'z/b'), Buffer.alloc(300, 2));
		linkSync(join(l1, 'z/b'), join(l1, 'z/a'));
		linkSync(join(l1, 'z/b'), join(l1, 'y-link'));
		symlinkSync('/', join(l1, 'to-root')); // never followed
		writeFileSync(Buffer.concat([Buffer.from(join(l1, 'bad-')), Buffer.from([0xff, 0xfe, 0x1b])]), 'xyz');
		mkdirSync(join(l2, 'etc/conf.d'), {recursive: true});
		writeFileSync(join(l2, 'etc/conf.d/new'), 'n');
		if (root) execFileSync('mknod', [join(l2, 'empty'), 'c', '0', '0']); // whiteout
		if (root) execFileSync('mknod', [join(l2, 'null'), 'c', '1', '3']); // a device, not a whiteout
		opaqueSet = root && markOpaque(join(l2, 'etc/conf.d'));
	});
	afterAll(() => rmSync(base, {recursive: true, force: true}));

	for (const processes of [1, 2, 3]) {
		it(`lists each layer's entries with tar-header sizes (${processes} find process(es))`, async () => {
			const {layers: listed, opaqueAvailable} = await listLayerDirs(layers, {processes});
			const sorted = (i: number) => entriesOf(listed[i]!.columns).sort((a, b) => (a.path < b.path ? -1 : 1));
			expect(sorted(0)).toEqual([
				{path: '/empty', type: 'dir', bytes: 0},
				{path: '/etc', type: 'dir', bytes: 0},
				{path: '/etc/big', type: 'file', bytes: 5000},
				{path: '/etc/conf.d', type: 'dir', bytes: 0},
				{path: '/etc/conf.d/a', type: 'file', bytes: 4},
			]);
			expect(sorted(1)).toEqual([
				{path: '/bad-\u00ff\u00fe\u001b', type: 'file', bytes: 3},
				{path: '/etc', type: 'dir', bytes: 0},
				{path: '/etc/big', type: 'file', bytes: 8},
				{path: '/to-root', type: 'symlink', bytes: 0},
				{path: '/y-link', type: 'file', bytes: 300},
				{path: '/z', type: 'dir', bytes: 0},
				{path: '/z/a', type: 'file', bytes: 0},
				{path: '/z/b', type: 'file', bytes: 0},
			]);
			const top = sorted(2);
			expect(top.filter(e => e.type !== 'whiteout' && e.type !== 'other')).toEqual([
				{path: '/etc', type: 'dir', bytes: 0},
				{path: '/etc/conf.d', type: 'dir', bytes: 0},
				{path: '/etc/conf.d/new', type: 'file', bytes: 1},
			]);
			if (root) {
				expect(top.find(e => e.path === '/empty')).toEqual({path: '/empty', type: 'whiteout', bytes: 0});
				expect(top.find(e => e.path === '/null')).toEqual({path: '/null', type: 'other', bytes: 0});
			}
			expect(opaqueAvailable).toBe(true);
			expect(listed.map(l => l.opaqueDirs)).toEqual([[], [], opaqueSet ? ['/etc/conf.d'] : []]);
		});
	}

	it('gives the analysis its trie, with the figures that the paths give', async () => {
		const {layers: listed} = await listLayerDirs(layers);
		const plain = listed.map((l, i) => ({digest: `l${i}`, createdBy: '', entries: entriesOf(l.columns), opaqueDirs: l.opaqueDirs}));
		const fromTrie = analyzeImage(listed.map((l, i) => layerInputOf(`l${i}`, '', l.columns, l.opaqueDirs, l.opaqueNodes)));
		expect(fromTrie).toEqual(analyzeImage(plain));
		expect(fromTrie.layers[1]!.bytes).toBe(8 + 300 + 3);
	});

	it('hands each layer over bottom first as soon as it is read; stacked again with the opaque directories, the same figures', async () => {
		const early = new ImageStacker();
		const order: number[] = [];
		const {layers: listed} = await listLayerDirs(layers, {
			processes: 2,
			onLayer: (i, columns) => {
				order.push(i);
				early.add(layerInputOf(`l${i}`, '', columns, []));
			},
		});
		expect(order).toEqual([0, 1, 2]);
		const plain = listed.map((l, i) => ({digest: `l${i}`, createdBy: '', entries: entriesOf(l.columns), opaqueDirs: l.opaqueDirs}));
		const speculative = early.finish();
		if (!opaqueSet) expect(speculative).toEqual(analyzeImage(plain));
		listed[0]!.columns.stack!.resetAnalysis();
		expect(analyzeImage(listed.map((l, i) => layerInputOf(`l${i}`, '', l.columns, l.opaqueDirs, l.opaqueNodes)))).toEqual(analyzeImage(plain));
	});

	it('places every entry under its directory: deep trees, names with tabs and newlines, records cut across reads', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'ls-store-deep-'));
		try {
			const layer = join(dir, 'diff');
			// 300 levels (deeper than the parser's first chain), then back up: an entry after a deep
			// branch belongs to the shallow directory.
			let deep = join(layer, 'a');
			for (let i = 0; i < 300; i++) deep = join(deep, `d${i}`);
			mkdirSync(deep, {recursive: true});
			writeFileSync(join(deep, 'leaf'), 'leaf');
			writeFileSync(join(layer, 'a', 'z-after-deep'), 'zz');
			mkdirSync(join(layer, 'odd\tdir\nname'));
			writeFileSync(join(layer, 'odd\tdir\nname', 'x\ty'), 'xy');
			// About 600 KB of records: find's output comes in many reads, records cut between them.
			mkdirSync(join(layer, 'many'));
			const long = 'n'.repeat(150);
			for (let i = 0; i < 4000; i++) writeFileSync(join(layer, 'many', `${long}${i}`), i % 7 === 0 ? 'seven' : '');
			const {layers: listed} = await listLayerDirs([layer], {processes: 1});
			const entries = entriesOf(listed[0]!.columns);
			const byPath = new Map(entries.map(e => [e.path, e]));
			expect(entries).toHaveLength(1 + 300 + 1 + 1 + 2 + 1 + 4000);
			expect(byPath.get(`/a/${Array.from({length: 300}, (_, i) => `d${i}`).join('/')}/leaf`)).toEqual(expect.objectContaining({type: 'file', bytes: 4}));
			expect(byPath.get('/a/z-after-deep')).toEqual(expect.objectContaining({type: 'file', bytes: 2}));
			expect(byPath.get('/odd\tdir\nname/x\ty')).toEqual(expect.objectContaining({type: 'file', bytes: 2}));
			expect(byPath.get(`/many/${long}3999`)).toEqual(expect.objectContaining({type: 'file', bytes: 0}));
			expect(byPath.get(`/many/${long}3997`)).toEqual(expect.objectContaining({type: 'file', bytes: 5}));
			expect(entries.filter(e => e.path.startsWith('/many/')).reduce((t, e) => t + e.bytes, 0)).toBe(Math.ceil(4000 / 7) * 5);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it('refuses a layer that is a file, not a directory', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'ls-store-file-'));
		try {
			writeFileSync(join(dir, 'diff'), 'not a directory');
			const error = await listLayerDirs([layers[0]!, join(dir, 'diff')]).catch(e => e as Error);
			expect(error).toBeInstanceOf(LayerWalkError);
			expect((error as Error).message).toContain('is not a directory');
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it('throws what the layer callback throws', async () => {
		const error = await listLayerDirs(layers, {
			onLayer: () => {
				throw new RangeError('stacking failed');
			},
		}).catch(e => e as Error);
		expect(error).toBeInstanceOf(RangeError);
	});

	it('refuses a layer directory that is missing, with the path escaped', async () => {
		const hostile = join(base, 'gone\x1b[31m');
		const error = await listLayerDirs([layers[0]!, hostile]).catch(e => e as Error);
		expect(error).toBeInstanceOf(LayerWalkError);
		expect((error as Error).message).not.toContain('\x1b');
		expect((error as Error).message).toContain('gone');
	});

	it('stops at once when aborted', async () => {
		const controller = new AbortController();
		controller.abort();
		await expect(listLayerDirs(layers, {signal: controller.signal})).rejects.toMatchObject({name: 'AbortError'});
	});
});
