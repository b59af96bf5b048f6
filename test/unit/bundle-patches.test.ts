import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import * as esbuild from 'esbuild';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
// @ts-expect-error plain .mjs build script without types
import {bundlePatches, modemDebug, ONE_CLUSTER_EACH} from '../../scripts/bundle-patches.mjs';
// @ts-expect-error plain .mjs build script without types
import {seaPatches} from '../../scripts/sea-patches.mjs';

// The console bundle's rewrites of string-width (7: ours, 8: Ink's) and the shared grapheme
// splitter must give exactly what the unpatched dependencies give.
const inkDir = join(process.cwd(), 'node_modules/ink');
const entry = `
import width7 from 'string-width';
import width8 from ${JSON.stringify(join(inkDir, 'node_modules/string-width/index.js'))};
import {clusters, segments} from 'layerscope:graphemes';
export {width7, width8, clusters, segments};
`;
const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
const oneClusterEach: RegExp = new Function(`return ${ONE_CLUSTER_EACH}`)();

type Widths = {width7: (s: string) => number; width8: (s: string) => number; clusters?: (s: string) => Iterable<{segment: string; index: number}>; segments?: (s: string) => Intl.Segments};
let dir: string;
let patched: Widths;
let original: Widths;

async function build(name: string, plugins: esbuild.Plugin[], contents: string): Promise<Widths> {
	const outfile = join(dir, `${name}.mjs`);
	await esbuild.build({stdin: {contents, resolveDir: process.cwd(), loader: 'js'}, bundle: true, format: 'esm', platform: 'node', outfile, plugins, logLevel: 'silent'});
	return import(pathToFileURL(outfile).href);
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'ls-bundle-patches-'));
	patched = await build('patched', bundlePatches, entry);
	original = await build('original', [], entry.replace(/import \{clusters.*\n/, '').replace(', clusters, segments}', '}'));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const samples = [
	'connecting…',
	'listing containers…  ↓ · ▏█ ─│┌',
	'\x1b[1mlayerscope\x1b[22m  \x1b[36mreading…\x1b[39m',
	'e\u0301 a\u0308\u0323',
	'한국어 \u1100\u1161\u11A8 \u1100\u1100',
	'日本語ｶﾀｶﾅ ﾞ',
	'👨‍👩‍👧‍👦 🏳️‍🌈 ❤️‍🔥 🇩🇪🇫 1️⃣ #⃣ 👍🏽 🏴󠁧󠁢󠁳󠁣󠁴󠁿 ☀ ☀️ ⌚ ©️ ©',
	'\r\n \u200B\u200D\uFEFF \uFE0F \u00AD',
	'a\u0903b \u0915\u094D\u0937',
];

describe('console bundle rewrites', () => {
	it('one-cluster-each code points really are clusters of their own', () => {
		for (let cp = 0; cp <= 0x27bf; cp++) {
			const c = String.fromCodePoint(cp);
			if (!oneClusterEach.test(c)) continue;
			for (const pair of [c + c, 'a' + c, c + 'a', c + '\n', '\n' + c]) expect([...segmenter.segment(pair)].length, `U+${cp.toString(16)}`).toBe(2);
		}
	});

	it('string-width gives the same widths', () => {
		const strings = [...samples];
		for (let cp = 0; cp <= 0x2ffff; cp += cp < 0x3000 ? 1 : 37) strings.push(String.fromCodePoint(cp), `x${String.fromCodePoint(cp)}\u0301`);
		for (const s of strings) {
			expect(patched.width7(s), JSON.stringify(s)).toBe(original.width7(s));
			expect(patched.width8(s), JSON.stringify(s)).toBe(original.width8(s));
		}
	});

	it('clusters() and segments() split like Intl.Segmenter', () => {
		for (const s of samples) {
			const mine = [...patched.clusters!(s)].map(({segment, index}) => [segment, index]);
			expect(mine).toEqual([...segmenter.segment(s)].map(({segment, index}) => [segment, index]));
			const theirs = segmenter.segment(s);
			const ours = patched.segments!(s);
			expect([...ours].map(({segment, index}) => [segment, index])).toEqual([...theirs].map(({segment, index}) => [segment, index]));
			for (let i = -1; i <= s.length; i++) expect(ours.containing(i)?.index, `${JSON.stringify(s)} at ${i}`).toBe(theirs.containing(i)?.index);
		}
	});
});

// Every dependency a build step rewrites is pinned to one exact version, and every rewrite
// still finds the text it replaces in the installed copy (each throws when it does not).
describe('rewritten dependencies', () => {
	const readJson = (path: string) => JSON.parse(readFileSync(join(process.cwd(), path), 'utf8'));
	const pkg = readJson('package.json');
	const rewritten: Array<[string, string]> = [
		['string-width', 'node_modules/string-width'],
		['string-width', 'node_modules/ink/node_modules/string-width'],
		['slice-ansi', 'node_modules/slice-ansi'],
		['@alcalzone/ansi-tokenize', 'node_modules/@alcalzone/ansi-tokenize'],
		['ink', 'node_modules/ink'],
		['yoga-layout', 'node_modules/yoga-layout'],
		['docker-modem', 'node_modules/docker-modem'],
	];

	it('are pinned to the exact version installed, in dependencies or overrides', () => {
		const overrides = pkg.overrides as Record<string, string | Record<string, string>>;
		const pins = (name: string): string[] =>
			[pkg.dependencies[name], typeof overrides[name] === 'string' ? overrides[name] : undefined, ...Object.values(overrides).flatMap(o => (typeof o === 'object' && o[name] ? [o[name]] : []))].filter(
				(v): v is string => typeof v === 'string',
			);
		for (const [name, dir] of rewritten) {
			const installed = readJson(`${dir}/package.json`).version;
			const exact = pins(name);
			expect(exact.length, `${name} has no pin`).toBeGreaterThan(0);
			for (const pin of exact) expect(pin, `${name} pin`).toMatch(/^\d+\.\d+\.\d+$/);
			expect(exact, `${name} at ${dir}`).toContain(installed);
		}
	});

	it('each rewrite still applies to the installed copy', async () => {
		const result = await esbuild.build({
			stdin: {contents: "import 'ink'; import 'string-width';", resolveDir: process.cwd(), loader: 'js'},
			bundle: true,
			write: false,
			format: 'esm',
			platform: 'node',
			outfile: join(dir, 'all.mjs'),
			plugins: [...bundlePatches, seaPatches],
			logLevel: 'silent',
		});
		const code = result.outputFiles[0]!.text;
		// string-width 7 and 8, ansi-tokenize: no segmenter of their own; slice-ansi: the shared one.
		expect(code).not.toMatch(/new Intl\.Segmenter\(\)|segmenter\.segment\((string|str)\)/);
		expect(code).toMatch(/GRAPHEME_SEGMENTER = \{ segment: \w+ \}/);
		expect(code.match(/new Intl\.Segmenter\(/g)).toHaveLength(1); // the shared one
		expect(code).toContain('maybeEmoji.test(segment) && rgiEmojiRegex.test(segment)');
		expect(code).toContain("Cannot find package 'react-devtools-core'");
		// yoga-layout starts synchronously, its wasm kept once; ink loads no devtools and no package.json.
		expect(code).not.toContain('wrapAssembly(await loadYoga())');
		expect(code).toContain('yoga-layout did not start synchronously');
		expect(code).not.toContain("await import('./devtools.js')");
		expect(code).not.toContain('await loadPackageJson()');
	});

	it("docker-modem formats a request's debug line only when it is printed, in the commands bundle too", () => {
		const path = join(process.cwd(), 'node_modules/docker-modem/lib/modem.js');
		expect(modemDebug(readFileSync(path, 'utf8'), path)).toContain("if (debug.enabled) debug('Sending: %s', util.inspect(options, {");
		// `npm test` builds first: report and plan run from the first bundle, image from the second.
		for (const bundle of ['dist/commands.cjs', 'dist/image.cjs']) expect(readFileSync(join(process.cwd(), bundle), 'utf8')).toMatch(/(if\(([\w$]+)\.enabled\)|([\w$]+)\.enabled&&)[\w$]+\("Sending: %s",/);
	});
});
