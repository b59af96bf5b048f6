// Bundles cli.tsx and every run-time asset into one CommonJS file for a Node
// single executable application. Nothing in the result reads files of its own: the
// assets listed in scripts/copy-assets.mjs and the worker bundles (scripts/bundle-workers.mjs)
// are embedded one way, as files under a virtual root that fs.readFileSync/existsSync serve.
import {existsSync, readFileSync} from 'node:fs';
import {relative, sep} from 'node:path';
import * as esbuild from 'esbuild';
import {bundlePatches} from './bundle-patches.mjs';
import {bundleWorkers} from './bundle-workers.mjs';
import {seaPatches} from './sea-patches.mjs';

/** There are no files next to the code inside the executable: its modules live under a root that never exists. */
export const VIRTUAL_ROOT = '/layerscope-single-executable/';
export const VIRTUAL_URL = `file://${VIRTUAL_ROOT}cli.js`;

/** The run-time assets, read from scripts/copy-assets.mjs so the two lists never drift. */
export function runtimeAssets() {
	const text = readFileSync('scripts/copy-assets.mjs', 'utf8');
	const list = /const assets = \[([^\]]*)\]/.exec(text);
	if (!list) throw new Error('sea-bundle: no `const assets = [...]` in scripts/copy-assets.mjs');
	const assets = [...list[1].matchAll(/'([^']+)'|"([^"]+)"/g)].map(m => m[1] ?? m[2]);
	for (const asset of assets) if (!existsSync(asset)) throw new Error(`sea-bundle: asset ${asset} is missing`);
	return assets;
}

/**
 * First module of the bundle. Every asset (path in the repository -> text) is served by
 * fs.readFileSync / fs.existsSync at its path under the virtual root, so
 * `readFileSync(new URL('x', import.meta.url))` works unchanged. Paths outside the virtual
 * root go to the real fs untouched.
 */
function preludeSource(assets) {
	const lines = ["import fs from 'node:fs';", "import {posix} from 'node:path';", "import {fileURLToPath} from 'node:url';", 'const assets = {};'];
	for (const [path, text] of Object.entries(assets)) lines.push(`assets[${JSON.stringify(path)}] = ${JSON.stringify(text)};`);
	lines.push(`
const root = ${JSON.stringify(VIRTUAL_ROOT)};
const embedded = target => {
	let path = target instanceof URL ? (target.protocol === 'file:' ? fileURLToPath(target) : '') : typeof target === 'string' ? target : '';
	if (path.startsWith('file:')) path = fileURLToPath(path);
	path = posix.normalize(path);
	return path.startsWith(root) ? assets[path.slice(root.length)] : undefined;
};
const {readFileSync, existsSync} = fs;
fs.readFileSync = function (target, options) {
	const text = embedded(target);
	if (text === undefined) return readFileSync.apply(this, arguments);
	const encoding = typeof options === 'string' ? options : options?.encoding;
	return encoding ? Buffer.from(text).toString(encoding) : Buffer.from(text);
};
fs.existsSync = function (target) {
	return embedded(target) !== undefined || existsSync.apply(this, arguments);
};`);
	return lines.join('\n');
}

/**
 * Each of our own modules gets its own import.meta.url under the virtual root (the path it
 * has in this repository), so relative asset URLs resolve to the embedded copies.
 */
const ownModules = {
	name: 'layerscope-own-modules',
	setup(build) {
		build.onLoad({filter: /\.(tsx?|m?js)$/}, args => {
			const rel = relative(process.cwd(), args.path).split(sep).join('/');
			if (rel.startsWith('..') || rel.includes('node_modules/')) return undefined;
			const url = JSON.stringify(`file://${VIRTUAL_ROOT}${rel}`);
			const contents = readFileSync(args.path, 'utf8').replace(/\bimport\.meta\.url\b/g, url);
			return {contents, loader: args.path.endsWith('.tsx') ? 'tsx' : args.path.endsWith('.ts') ? 'ts' : 'js'};
		});
	},
};

/**
 * Optional modules tried inside try/catch: ssh2 (dockerode's ssh:// transport) tries two
 * native add-ons and falls back to pure JavaScript; debug tries supports-color. An
 * executable cannot load anything from disk, so these resolve to a module that fails the
 * way a missing one does (and Node's SEA require() warning is never triggered).
 */
const nativeAddons = {
	name: 'layerscope-native-addons',
	setup(build) {
		build.onResolve({filter: /^(cpu-features|supports-color)$|\.node$/}, args => ({path: args.path, namespace: 'layerscope-missing'}));
		build.onLoad({filter: /.*/, namespace: 'layerscope-missing'}, args => ({
			contents: `throw Object.assign(new Error(${JSON.stringify(`Cannot find module '${args.path}' (not part of the single executable)`)}), {code: 'MODULE_NOT_FOUND'});`,
			loader: 'js',
		}));
	},
};

const prelude = assets => ({
	name: 'layerscope-assets',
	setup(build) {
		build.onResolve({filter: /^layerscope:assets$/}, () => ({path: 'assets', namespace: 'layerscope'}));
		build.onLoad({filter: /.*/, namespace: 'layerscope'}, () => ({contents: preludeSource(assets), loader: 'js'}));
	},
});

/**
 * @param {{outfile: string, pkg: {name: string, version: string, description?: string}, entry?: string}} options
 * @returns {Promise<{bytes: number, inputs: Record<string, number>}>}
 */
export async function bundle({outfile, pkg, entry = './cli.tsx'}) {
	const assets = Object.fromEntries(runtimeAssets().map(asset => [asset, readFileSync(asset, 'utf8')]));
	Object.assign(assets, await bundleWorkers());
	const result = await esbuild.build({
		stdin: {contents: `import 'layerscope:assets';\nimport ${JSON.stringify(entry)};\n`, resolveDir: process.cwd(), sourcefile: 'sea-entry.js', loader: 'js'},
		bundle: true,
		outfile,
		platform: 'node',
		target: 'node20',
		format: 'cjs',
		// It runs through vm.Script (scripts/sea-main.cjs), where import() has no loader: import() of
		// Node's own modules becomes require().
		supported: {'dynamic-import': false},
		minify: true,
		keepNames: true,
		legalComments: 'none',
		sourcemap: false,
		metafile: true,
		logLevel: 'warning',
		define: {
			'import.meta.url': JSON.stringify(VIRTUAL_URL),
			'import.meta': JSON.stringify({url: VIRTUAL_URL}),
			// meow's `pkg` option: version (with the commit) and description without reading package.json.
			'globalThis.__LAYERSCOPE_PKG__': JSON.stringify(pkg),
		},
		// bundlePatches: the console bundle's cold-start rewrites (one lazy grapheme segmenter, no duplicate copies).
		plugins: [prelude(assets), nativeAddons, ...bundlePatches, seaPatches, ownModules],
	});
	const [output] = Object.values(result.metafile.outputs);
	const inputs = {};
	for (const [file, info] of Object.entries(output.inputs)) inputs[file] = info.bytesInOutput;
	return {bytes: output.bytes, inputs};
}
