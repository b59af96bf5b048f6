// Build-time rewrites of dependencies that cannot run as they are inside a
// Node single executable (a CommonJS bundle: no top-level await, no files
// next to the code). Each rewrite checks that the text it replaces is still
// there, so a dependency update that changes it fails the build loudly
// instead of shipping a broken executable.
import {readFileSync} from 'node:fs';

const WASM_DATA_URL = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/;

function replaceOnce(text, from, to, where) {
	const at = text.indexOf(from);
	if (at < 0 || text.indexOf(from, at + from.length) >= 0) {
		throw new Error(`sea-patches: expected exactly one "${from.slice(0, 60)}" in ${where}; the dependency changed, update scripts/sea-patches.mjs`);
	}
	return text.slice(0, at) + to + text.slice(at + from.length);
}

/** yoga-layout's wasm, pulled out of its emscripten loader at build time. */
function yogaWasmBase64(binaryPath) {
	const match = WASM_DATA_URL.exec(readFileSync(binaryPath, 'utf8'));
	if (!match) throw new Error(`sea-patches: no embedded wasm found in ${binaryPath}`);
	return match[1];
}

/**
 * yoga-layout/dist/src/index.js does `wrapAssembly(await loadYoga())`. Emscripten
 * fills in the module object it is given, and with an instantiateWasm hook that
 * compiles synchronously (allowed in Node for any size) the runtime is ready as
 * soon as loadYoga() returns; the promise is not needed.
 */
function yogaIndex(path) {
	const original = readFileSync(path, 'utf8');
	replaceOnce(original, 'wrapAssembly(await loadYoga())', '', path);
	const wasm = yogaWasmBase64(new URL('../binaries/yoga-wasm-base64-esm.js', `file://${path}`).pathname);
	return `
import loadYoga from '../binaries/yoga-wasm-base64-esm.js';
import wrapAssembly from './wrapAssembly.js';
const wasm = ${JSON.stringify(wasm)};
const runtime = {
	instantiateWasm(imports, done) {
		done(new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(wasm, 'base64')), imports));
		return {};
	},
};
loadYoga(runtime);
if (!runtime.calledRun) throw new Error('yoga-layout did not start synchronously');
const Yoga = wrapAssembly(runtime);
export default Yoga;
export * from './generated/YGEnums.js';
`;
}

/** The wasm now lives in the index above; drop the second copy of it. */
function yogaBinary(path) {
	const text = readFileSync(path, 'utf8');
	const match = WASM_DATA_URL.exec(text);
	if (!match) throw new Error(`sea-patches: no embedded wasm found in ${path}`);
	return replaceOnce(text, match[0], '"data:application/octet-stream;base64,"', path);
}

/**
 * ink/build/reconciler.js awaits two imports at top level, both only when DEV=true
 * (React devtools). Without react-devtools-core installed (it is not a dependency)
 * `node dist/cli.js` prints ink's warning and carries on; the executable does the same.
 */
function inkReconciler(path) {
	let text = readFileSync(path, 'utf8');
	const ink = JSON.parse(readFileSync(new URL('../package.json', `file://${path}`), 'utf8'));
	text = replaceOnce(text, "await import('./devtools.js');", "throw Object.assign(new Error(\"Cannot find package 'react-devtools-core'\"), {code: 'ERR_MODULE_NOT_FOUND'});", path);
	text = replaceOnce(text, '? await loadPackageJson()', `? ${JSON.stringify({name: ink.name, version: ink.version})}`, path);
	return text;
}

/** esbuild plugin applying the rewrites above. */
export const seaPatches = {
	name: 'layerscope-sea-patches',
	setup(build) {
		build.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/}, args => ({contents: yogaIndex(args.path), loader: 'js'}));
		build.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, args => ({
			contents: yogaBinary(args.path),
			loader: 'js',
		}));
		build.onLoad({filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/}, args => ({contents: inkReconciler(args.path), loader: 'js'}));
	},
};
