import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';

/**
 * dist/cli.js as scripts/bundle-entry.mjs writes it (`npm test` builds first): one CommonJS
 * file that starts without Node's ES module loader, the commands' modules left as ES modules.
 */
describe('the CommonJS entry', () => {
	const dist = join(process.cwd(), 'dist');
	const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));

	it('is one CommonJS file that requires only Node’s own modules and imports the rest when used', () => {
		const code = readFileSync(join(dist, 'cli.js'), 'utf8');
		expect(code.startsWith('#!/usr/bin/env node\n')).toBe(true);
		expect(code).not.toMatch(/^import /m);
		expect([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map(m => m[1]).every(name => name!.startsWith('node:'))).toBe(true);
		expect(code).toContain('import("./source/cli/run-report.js")');
		expect(code).toContain('import("meow")');
		expect(JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8'))).toMatchObject({name: pkg.name, version: pkg.version, type: 'commonjs'});
		expect(JSON.parse(readFileSync(join(dist, 'source', 'package.json'), 'utf8'))).toMatchObject({type: 'module'});
	});

	it('prints the package’s version and description, and one line with a hint for an unknown command', () => {
		const run = (args: string[]) => {
			try {
				return {code: 0, out: execFileSync(process.execPath, [join(dist, 'cli.js'), ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})};
			} catch (error) {
				const e = error as {status: number; stderr: string};
				return {code: e.status, out: e.stderr};
			}
		};
		expect(run(['--version'])).toEqual({code: 0, out: `${pkg.version}\n`});
		expect(run(['--help']).out).toContain(pkg.description);
		expect(run(['no-such-command'])).toEqual({code: 2, out: 'layerscope: unknown command "no-such-command" (hint: layerscope --help lists the commands)\n'});
	});
});
