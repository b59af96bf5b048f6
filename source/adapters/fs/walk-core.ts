import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';

export interface WalkCore {
	sizeTree: (root: string | Buffer) => {apparentBytes: number; allocatedBytes: number};
	listDir: (dir: string | Buffer) => Array<string | Buffer>;
}

let core: WalkCore | undefined;

/**
 * walk-worker.cjs's synchronous helpers for use on this thread, loaded on first use from
 * the same source the workers run (the file next to this module, or the copy a single
 * executable embeds), so importing this module never touches the disk.
 */
export function walkCore(): WalkCore {
	if (!core) {
		const embedded = (globalThis as {__LAYERSCOPE_WALK_WORKER__?: string}).__LAYERSCOPE_WALK_WORKER__;
		const source = embedded ?? readFileSync(new URL('walk-worker.cjs', import.meta.url), 'utf8');
		const module = {exports: {} as WalkCore};
		new Function('module', 'exports', 'require', source)(module, module.exports, createRequire(import.meta.url));
		core = module.exports;
	}
	return core;
}
