import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {diffIdsOf} from '../../source/services/image-explorer.js';

/** The other images' layer chains read from the engine's image configs on disk (sharedLayers, without an inspect each). */
describe('diffIdsOf', () => {
	const dir = mkdtempSync(join(tmpdir(), 'ls-imagedb-'));
	afterAll(() => rmSync(dir, {recursive: true, force: true}));
	const id = (c: string) => `sha256:${c.repeat(64)}`;
	const a = `sha256:${'a'.repeat(64)}`;
	const b = `sha256:${'b'.repeat(64)}`;

	it('reads the diff ids as dockerd writes the config, and as a registry may (indented)', () => {
		// A created_by that spells the key inside a string: escaped there, never taken for it.
		const compact = JSON.stringify({history: [{created_by: 'echo "diff_ids":[x]'}], rootfs: {type: 'layers', diff_ids: [a, b]}});
		writeFileSync(join(dir, '1'.repeat(64)), compact);
		writeFileSync(join(dir, '2'.repeat(64)), JSON.stringify({rootfs: {type: 'layers', diff_ids: [b]}}, null, 2));
		expect(diffIdsOf(dir, id('1'))).toEqual([a, b]);
		expect(diffIdsOf(dir, id('2'))).toEqual([b]);
	});

	it('gives null (the engine is asked instead) for a missing or malformed config and for an id that is not one', () => {
		writeFileSync(join(dir, '3'.repeat(64)), '{"rootfs":{"diff_ids":[1,2]}}');
		writeFileSync(join(dir, '4'.repeat(64)), '{"rootfs":{"diff_ids":["sha256:x"');
		writeFileSync(join(dir, '5'.repeat(64)), '{"rootfs":{}}');
		for (const c of ['3', '4', '5', '6']) expect(diffIdsOf(dir, id(c))).toBeNull();
		for (const bad of ['sha256:../../etc/passwd', '1'.repeat(64), `sha256:${'1'.repeat(63)}`, 42, undefined]) expect(diffIdsOf(dir, bad)).toBeNull();
	});
});
