import {mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {Script} from 'node:vm';
import type * as ConsoleMain from './console-main.js';

export type ConsoleBundle = typeof ConsoleMain & {
	/** Stores V8's code for the bundle (once, after the first frame) so the next start skips compiling it. */
	saveCodeCache(): void;
};

const bundleUrl = new URL('../../console.cjs', import.meta.url);
/** scripts/bundle-ui.mjs writes this first line: the bundle's own content hash. */
const header = /^\/\/ layerscope-console ([0-9a-f]{16,64})\n/;

/** $XDG_CACHE_HOME/layerscope, else ~/.cache/layerscope. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
	return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'layerscope');
}

/** A file for this bundle (its hash and length) compiled by this node (version, arch). */
function cacheFileFor(hash: string, length: number): string {
	return join(codeCacheDir(), `console-${hash.slice(0, 16)}-${length}-${process.version}-${process.arch}.v8`);
}

/**
 * mkdir -p with a bound: Node's recursive mkdir loops forever where a parent exists but
 * refuses children with ENOENT (XDG_CACHE_HOME=/proc/none does that), and a console must
 * never hang on its cache. Throws on any failure.
 */
function makeDirs(dir: string): void {
	const missing: string[] = [];
	for (let at = dir; missing.length < 8; at = dirname(at)) {
		try {
			if (statSync(at).isDirectory()) break;
			throw new Error(`${at} is not a directory`);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || at === dirname(at)) throw error;
			missing.unshift(at);
		}
	}
	for (const at of missing) mkdirSync(at);
}

function writeCache(file: string, data: Buffer): void {
	try {
		const dir = dirname(file);
		makeDirs(dir);
		// Older caches (other builds, other node versions) are dead weight.
		for (const name of readdirSync(dir)) if (/^console-.*\.v8$/.test(name) && join(dir, name) !== file) unlinkSync(join(dir, name));
		const temporary = `${file}.${process.pid}.tmp`;
		writeFileSync(temporary, data);
		renameSync(temporary, file);
	} catch {
		// a read-only or missing home: no cache, the next start compiles again
	}
}

/**
 * dist/console.cjs (the console's first-frame path in one file: run-console, Ink, React,
 * the screens), compiled with V8's code cache. Null when the build has
 * no bundle, or the modules under dist/source are newer than it (tsc ran after the bundle
 * was built): then the caller loads the modules themselves.
 */
export function loadConsoleBundle(): ConsoleBundle | null {
	const file = fileURLToPath(bundleUrl);
	let source: string;
	try {
		const built = statSync(file).mtimeMs;
		if (statSync(new URL('../ui/app.js', import.meta.url)).mtimeMs > built) return null;
		// esbuild writes ASCII only: latin1 is the cheapest exact decoding.
		source = readFileSync(file, 'latin1');
	} catch {
		return null;
	}
	const hash = header.exec(source)?.[1];
	if (!hash) return null;
	// What runConsole sets before it loads Ink, needed earlier here: the bundle's modules read
	// the environment when they are evaluated (React: NODE_ENV; Ink, chalk: CI).
	process.env.NODE_ENV ??= 'production';
	for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) delete process.env[key];
	const cacheFile = cacheFileFor(hash, source.length);
	let cachedData: Buffer | undefined;
	try {
		cachedData = readFileSync(cacheFile);
	} catch {
		cachedData = undefined;
	}
	// Same line as the bundle's first line, so positions in stack traces stay right.
	const wrapped = `(function (exports, require, module, __filename, __dirname, __lsImport, __lsUrl) {${source}\n})`;
	const script = new Script(wrapped, {filename: file, cachedData});
	const module = {exports: {} as typeof ConsoleMain};
	const url = pathToFileURL(file).href;
	const importer = (specifier: string) => import(new URL(specifier, url).href);
	(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file), importer, url);
	const fresh = cachedData === undefined || script.cachedDataRejected === true;
	let saved = !fresh;
	const saveCodeCache = () => {
		if (saved) return;
		saved = true;
		writeCache(cacheFile, script.createCachedData());
	};
	return {...module.exports, saveCodeCache};
}
