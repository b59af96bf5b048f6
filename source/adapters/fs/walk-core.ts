import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';

export interface WalkCore {
	sizeTree: (root: string | Buffer) => {apparentBytes: number; allocatedBytes: number};
	listDir: (dir: string | Buffer) => Array<string | Buffer>;
}

export interface OpaqueXattr {
	readOpaque: (paths: Array<string | Buffer>) => Set<number>;
	opaqueState: {available: boolean; reason: string};
}

const loaded = new Map<string, unknown>();

/**
 * One of the worker scripts (plain CommonJS) loaded on this thread on first use, from the
 * same source the workers run: the file next to this module, or the copy a single
 * executable embeds in a global. Importing this module never touches the disk.
 */
function loadScript<T>(file: string, embeddedGlobal: string): T {
	if (!loaded.has(file)) {
		const embedded = (globalThis as Record<string, unknown>)[embeddedGlobal];
		const source = typeof embedded === 'string' ? embedded : readFileSync(new URL(file, import.meta.url), 'utf8');
		const module = {exports: {}};
		new Function('module', 'exports', 'require', source)(module, module.exports, createRequire(import.meta.url));
		loaded.set(file, module.exports);
	}
	return loaded.get(file) as T;
}

export const walkCore = () => loadScript<WalkCore>('walk-worker.cjs', '__LAYERSCOPE_WALK_WORKER__');
export const opaqueXattr = () => loadScript<OpaqueXattr>('opaque-xattr.cjs', '__LAYERSCOPE_OPAQUE_XATTR__');
