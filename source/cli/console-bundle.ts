import {mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {Script} from 'node:vm';
import type * as CommandMain from './command-main.js';
import type * as ConsoleMain from './console-main.js';
import type * as ImageMain from './image-main.js';

type Bundle<T> = T & {
	/** Stores V8's code for the bundle (once, after the first frame or the command's output) so the next start skips compiling it. */
	saveCodeCache(): void;
};
export type ConsoleBundle = Bundle<typeof ConsoleMain>;
/** dist/commands.cjs: `report` and `plan` (issue 18), built by scripts/bundle-commands.mjs. */
export type CommandBundle = Bundle<typeof CommandMain>;
/** dist/image.cjs: `image NAME` (issue 15), built by scripts/bundle-commands.mjs. */
export type ImageBundle = Bundle<typeof ImageMain>;

/** scripts/bundle-ui.mjs writes this first line: the bundle's own content hash. */
const header = /^\/\/ layerscope-(console|commands|image) ([0-9a-f]{16,64})\n/;
/** A module in each bundle that tsc rewrites when any of it changes: newer than the bundle means the bundle is stale. */
const witness = {console: '../ui/app.js', commands: './run-report.js', image: './run-image.js'};

/** $XDG_CACHE_HOME/layerscope, else ~/.cache/layerscope. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
	return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'layerscope');
}

/** A file for this bundle (its name, hash and length) compiled by this node (version, arch). */
function cacheFileFor(name: string, hash: string, length: number): string {
	return join(codeCacheDir(), `${name}-${hash.slice(0, 16)}-${length}-${process.version}-${process.arch}.v8`);
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

function writeCache(bundle: string, file: string, data: Buffer): void {
	try {
		const dir = dirname(file);
		makeDirs(dir);
		// Older caches of this bundle (other builds, other node versions) are dead weight.
		for (const name of readdirSync(dir)) if (name.startsWith(`${bundle}-`) && name.endsWith('.v8') && join(dir, name) !== file) unlinkSync(join(dir, name));
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
	return loadBundle<typeof ConsoleMain>('console');
}

/** dist/commands.cjs (`report`, `plan`), as loadConsoleBundle: null when absent or older than dist/source. */
export function loadCommandBundle(): CommandBundle | null {
	return loadBundle<typeof CommandMain>('commands');
}

/** dist/image.cjs (`image NAME`), as loadCommandBundle. */
export function loadImageBundle(): ImageBundle | null {
	return loadBundle<typeof ImageMain>('image');
}

function loadBundle<T>(name: 'console' | 'commands' | 'image'): Bundle<T> | null {
	const file = fileURLToPath(new URL(`../../${name}.cjs`, import.meta.url));
	let source: string;
	try {
		const built = statSync(file).mtimeMs;
		if (statSync(new URL(witness[name], import.meta.url)).mtimeMs > built) return null;
		// esbuild writes ASCII only: latin1 is the cheapest exact decoding.
		source = readFileSync(file, 'latin1');
	} catch {
		return null;
	}
	const head = header.exec(source);
	const hash = head?.[1] === name ? head[2] : undefined;
	if (!hash) return null;
	// What runConsole sets before it loads Ink, needed earlier here: the bundle's modules read
	// the environment when they are evaluated (React: NODE_ENV; Ink, chalk: CI).
	process.env.NODE_ENV ??= 'production';
	for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) delete process.env[key];
	const cacheFile = cacheFileFor(name, hash, source.length);
	let cachedData: Buffer | undefined;
	try {
		cachedData = readFileSync(cacheFile);
	} catch {
		cachedData = undefined;
	}
	// Same line as the bundle's first line, so positions in stack traces stay right.
	const wrapped = `(function (exports, require, module, __filename, __dirname, __lsImport, __lsUrl) {${source}\n})`;
	const script = new Script(wrapped, {filename: file, cachedData});
	const module = {exports: {} as T};
	const url = pathToFileURL(file).href;
	const importer = (specifier: string) => import(new URL(specifier, url).href);
	(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file), importer, url);
	const fresh = cachedData === undefined || script.cachedDataRejected === true;
	let saved = !fresh;
	const saveCodeCache = () => {
		if (saved) return;
		saved = true;
		writeCache(name, cacheFile, script.createCachedData());
	};
	return {...module.exports, saveCodeCache};
}
