import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import * as esbuild from 'esbuild';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
// @ts-expect-error plain .mjs build script without types
import {framePatches} from '../../scripts/frame-patches.mjs';

// The frame-cost rewrites of Ink's output (scripts/frame-patches.mjs) keep what a frame
// computed for the next one: every frame must still be byte for byte Ink's own.
const entry = `
import {EventEmitter} from 'node:events';
import {render, Box, Text} from 'ink';
import {createElement as h} from 'react';
export function frames(screens, columns) {
	const out = [];
	const stdout = Object.assign(new EventEmitter(), {isTTY: true, columns, rows: 30, write: s => (out.push(s), true)});
	const line = (r, i) =>
		Array.isArray(r)
			? h(Box, {key: i, justifyContent: 'space-between', width: columns}, r.map((t, j) => h(Text, {key: j, color: t.color, bold: t.bold, wrap: 'truncate-end'}, t.text)))
			: h(Text, {key: i, inverse: r.inverse, dimColor: r.dim, color: r.color, wrap: 'truncate-end'}, r.text);
	const view = rows => h(Box, {flexDirection: 'column', width: columns, height: 14, overflowY: 'hidden'}, rows.map(line));
	const instance = render(view(screens[0]), {stdout, debug: true, patchConsole: false, exitOnCtrlC: false});
	for (const screen of screens.slice(1)) instance.rerender(view(screen));
	instance.unmount();
	return out;
}
`;

/** Ink imports its devtools bridge (loaded only with DEV=true); it is not installed. */
const noDevtools: esbuild.Plugin = {
	name: 'no-devtools',
	setup(b) {
		b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'devtools', namespace: 'stub'}));
		b.onLoad({filter: /.*/, namespace: 'stub'}, () => ({contents: 'export default {};', loader: 'js'}));
	},
};

type Frames = {frames: (screens: unknown[], columns: number) => string[]};
let dir: string;
let patched: Frames;
let original: Frames;

async function build(name: string, plugins: esbuild.Plugin[]): Promise<Frames> {
	const outfile = join(dir, `${name}.mjs`);
	await esbuild.build({
		stdin: {contents: entry, resolveDir: process.cwd(), loader: 'js'},
		bundle: true,
		format: 'esm',
		platform: 'node',
		outfile,
		plugins: [...plugins, noDevtools],
		define: {'process.env.NODE_ENV': '"production"'},
		banner: {js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);"},
		logLevel: 'silent',
	});
	return import(pathToFileURL(outfile).href);
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'ls-frame-patches-'));
	patched = await build('patched', [framePatches]);
	original = await build('original', []);
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const names = ['web-1', 'db 日本語', 'cache 👍🏽', 'log-writer', 'a-very-long-container-name-that-does-not-fit-anywhere-at-all', 'idle ▁▂▃▄▅▆▇█', 'e\u0301t\u00e9'];
const rows = Array.from({length: 40}, (_, i) => `${names[i % names.length]} #${i}  ${(i * 7919) % 1000} MB  ${'▁▃▅▇'.slice(0, (i % 4) + 1)}`);

/** Scrolling, moving a cursor, a header of two texts, a re-sort and a screen that shrinks. */
function screens(): unknown[] {
	const out: unknown[] = [];
	for (let step = 0; step < 30; step++) {
		const top = step < 10 ? 0 : step < 20 ? step - 5 : 3;
		const order = step >= 20 && step % 2 === 0 ? [...rows].reverse() : rows;
		const visible = order.slice(top, top + (step === 25 ? 5 : 12)).map((text, i) => ({
			text: (top + i === step % 15 ? '› ' : '  ') + text,
			inverse: top + i === step % 15,
			dim: i % 3 === 0,
			color: i % 5 === 0 ? 'yellow' : undefined,
		}));
		out.push([
			[
				{text: 'layerscope  docker 27.5', bold: true},
				{text: `refreshed ${step % 4}s ago`, color: step % 7 === 0 ? 'red' : undefined},
			],
			...visible,
		]);
	}
	return out;
}

describe('frame-cost rewrites of Ink', () => {
	it('give the same frames as Ink itself, across frames, widths and instances', () => {
		for (const columns of [60, 34, 60]) {
			const expected = original.frames(screens(), columns);
			const actual = patched.frames(screens(), columns);
			expect(actual.length).toBe(expected.length);
			expect(actual).toEqual(expected);
		}
	});
});
