import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {helperEnvOf} from '../../source/adapters/fs/programs.js';

describe('helperEnvOf (the environment of a walking find)', () => {
	it('adds the C locale and a 16 MiB heap pad, keeping the rest', () => {
		const env = helperEnvOf({PATH: '/usr/bin', LANG: 'de_DE.UTF-8'});
		expect(env).toEqual({PATH: '/usr/bin', LANG: 'de_DE.UTF-8', LC_ALL: 'C', GLIBC_TUNABLES: 'glibc.malloc.top_pad=16777216'});
	});

	it("appends the pad to the caller's tunables, and leaves a pad the caller chose", () => {
		expect(helperEnvOf({GLIBC_TUNABLES: 'glibc.malloc.arena_max=2'}).GLIBC_TUNABLES).toBe('glibc.malloc.arena_max=2:glibc.malloc.top_pad=16777216');
		expect(helperEnvOf({GLIBC_TUNABLES: 'glibc.malloc.top_pad=0'}).GLIBC_TUNABLES).toBe('glibc.malloc.top_pad=0');
		expect(helperEnvOf({GLIBC_TUNABLES: ''}).GLIBC_TUNABLES).toBe('glibc.malloc.top_pad=16777216');
	});

	it('is an environment GNU find runs in, printing the same', () => {
		const dir = mkdtempSync(join(tmpdir(), 'ls-programs-'));
		try {
			mkdirSync(join(dir, 'a'));
			writeFileSync(join(dir, 'a', 'f'), 'x'.repeat(100));
			const args = [dir, '-printf', '%y %s %P\\n'];
			const plain = execFileSync('find', args, {env: {PATH: process.env.PATH, LC_ALL: 'C'}, encoding: 'latin1'});
			expect(plain).toContain('f 100 a/f');
			expect(execFileSync('find', args, {env: helperEnvOf({PATH: process.env.PATH}), encoding: 'latin1'})).toBe(plain);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});
