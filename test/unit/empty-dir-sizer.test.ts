/** The overview's pod rows ask for emptyDir sizes at every sample: the sizer walks again only after its TTL. */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {cachedDirSizer} from '../../source/adapters/cri/pod-ephemeral.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-empty-dir-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("the overview's emptyDir sizer", () => {
	it('walks a directory again only once its answer is older than the TTL', () => {
		const root = join(dir, 'empty-dir');
		mkdirSync(root, {recursive: true});
		let clock = 0;
		const size = cachedDirSizer(30_000, () => clock);
		const first = size(root);
		writeFileSync(join(root, 'blob'), Buffer.alloc(256 * 1024, 1));
		expect(size(root)).toBe(first);
		clock = 30_000;
		expect(size(root)).toBeGreaterThanOrEqual(first + 256 * 1024);
	});
});
