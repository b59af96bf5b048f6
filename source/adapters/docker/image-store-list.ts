/**
 * Every image layer's file list from its overlay2 `diff` directory, for the image explorer:
 * GNU find over ALL the layer directories at once (two processes, each given half of them
 * through -files0-from), one compact NUL-terminated record per entry parsed straight into
 * column arrays (no object per file), then ONE tar call for the opaque-directory xattrs of
 * every layer. Same rules as the drill-down walker: find never follows symlinks (-P) and stays
 * on one filesystem (-xdev; a mount point inside a layer is an error), names are raw bytes
 * (UTF-8 when valid, else one char per byte, as nameText), a hard-linked inode keeps its bytes
 * at its first path in depth-first sorted order (what du charges), and whiteouts are 0/0
 * character devices (checked with lstat). Sizes are what a layer tar's headers give: file
 * contents, 0 for directories, symlinks and devices.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {lstatSync} from 'node:fs';
import {LAYER_TYPES, type LayerColumns} from '../../domain/image-analysis.js';
import {sanitize} from '../../domain/sanitize.js';
import {readOpaqueAsync, startOpaqueReader} from '../fs/opaque-xattr.js';
import {programPath} from '../fs/programs.js';
import {NulRecords} from '../fs/nul-records.js';
import {nameText} from './image-export.js';

export class LayerWalkError extends Error {}

export interface StoreLayerListing {
	columns: LayerColumns;
	opaqueDirs: string[];
}

const T_FILE = LAYER_TYPES.indexOf('file');
const T_DIR = LAYER_TYPES.indexOf('dir');
const T_SYMLINK = LAYER_TYPES.indexOf('symlink');
const T_WHITEOUT = LAYER_TYPES.indexOf('whiteout');
const T_OTHER = LAYER_TYPES.indexOf('other');

/**
 * Records (NUL-terminated; the path last, as "/" + %P: raw bytes, "/" alone for the layer root):
 *   directories            d dev TAB /path
 *   hard-linked non-dirs   + type dev:ino TAB size TAB /path
 *   other non-dirs         - type size TAB /path
 */
const FIND_EXPR = ['-xdev', '(', '-type', 'd', '-printf', 'd%D\\t/%P\\0', ')', '-o', '(', '-links', '+1', '-printf', '+%y%D:%i\\t%s\\t/%P\\0', ')', '-o', '-printf', '-%y%s\\t/%P\\0'];

interface Link {
	id: string;
	index: number;
	raw: Buffer;
}

/** One layer being read: column arrays, its hard links and non-UTF-8 directory paths. */
class LayerBuild {
	readonly paths: string[] = [];
	readonly types: number[] = [];
	readonly bytes: number[] = [];
	readonly links: Link[] = [];
	/** Directory paths (as in `paths`) whose bytes are not UTF-8, with those bytes. */
	readonly rawDirs = new Map<string, Buffer>();
	dev = -1;
	constructor(readonly root: string) {}

	/** Hard links: the first path in depth-first sorted order keeps the bytes. */
	finish(): LayerColumns {
		if (this.links.length > 1) {
			const byId = new Map<string, Link[]>();
			for (const l of this.links) {
				const group = byId.get(l.id);
				if (group) group.push(l);
				else byId.set(l.id, [l]);
			}
			for (const group of byId.values()) {
				if (group.length < 2) continue;
				group.sort((a, b) => pathOrder(a.raw, b.raw));
				for (const l of group.slice(1)) this.bytes[l.index] = 0;
			}
		}
		return {paths: this.paths, types: new Uint8Array(this.types), bytes: new Float64Array(this.bytes)};
	}
}

/** Depth-first sorted order of raw paths: '/' sorts before every other byte. */
function pathOrder(a: Buffer, b: Buffer): number {
	const x = Buffer.from(a).map(c => (c === 0x2f ? 0 : c));
	const y = Buffer.from(b).map(c => (c === 0x2f ? 0 : c));
	return Buffer.compare(x, y);
}

/** A raw "/a/b" path as text: each name as nameText does it (UTF-8 when valid, else latin1). */
function pathText(raw: Buffer): string {
	const parts: string[] = [];
	let start = 1;
	for (let i = 1; i <= raw.length; i++) {
		if (i === raw.length || raw[i] === 0x2f) {
			parts.push(nameText(raw.subarray(start, i)));
			start = i + 1;
		}
	}
	return '/' + parts.join('/');
}

/** Lists `roots` (layer directories) in order with one find; each record goes to its layer. */
function runFind(find: string, roots: readonly LayerBuild[], signal: AbortSignal | undefined): Promise<void> {
	return new Promise((resolve, reject) => {
		let child: ChildProcess;
		try {
			child = spawn(find, ['-P', '-files0-from', '-', ...FIND_EXPR], {stdio: ['pipe', 'pipe', 'pipe'], env: {...process.env, LC_ALL: 'C'}});
		} catch (error) {
			reject(error as Error);
			return;
		}
		let settled = false;
		const fail = (error: Error) => {
			if (settled) return;
			settled = true;
			signal?.removeEventListener('abort', onAbort);
			child.kill('SIGKILL');
			reject(error);
		};
		const onAbort = () => fail(Object.assign(new Error('the layer walk was aborted'), {name: 'AbortError'}));
		if (signal?.aborted) return onAbort();
		signal?.addEventListener('abort', onAbort);

		child.stdin!.on('error', () => {});
		child.stdin!.end(Buffer.concat(roots.flatMap(r => [Buffer.from(r.root), Buffer.alloc(1)])));
		let next = 0;
		let layer: LayerBuild | undefined;

		/** One record, buf[start, end) without the NUL. */
		const onRecord = (buf: Buffer, start: number, end: number) => {
			const flag = buf[start]!;
			let p = start + 1;
			let c = 0;
			let y = 0x64; // d
			let dev = 0;
			let size = 0;
			let id = '';
			if (flag === 0x64) {
				while ((c = buf[p++]!) !== 9) dev = dev * 10 + c - 48;
				if (end - p === 1) {
					// "/": the next layer's root
					layer = roots[next++];
					if (!layer) throw new LayerWalkError('find listed more layer roots than it was given');
					layer.dev = dev;
					return;
				}
			} else {
				y = buf[p++]!;
				if (flag === 0x2b) {
					const idStart = p;
					while (buf[p] !== 9) p++;
					id = buf.toString('latin1', idStart, p++);
				}
				while ((c = buf[p++]!) !== 9) size = size * 10 + c - 48;
			}
			if (!layer) throw new LayerWalkError('find listed an entry before its layer root');
			if (end - p === 1) throw new LayerWalkError(`${sanitize(layer.root)} is not a directory`);
			let path: string;
			let raw: Buffer | undefined;
			// A byte above 0x7f: the path is not plain ASCII.
			let high = false;
			for (let i = p; i < end; i++)
				if (buf[i]! > 0x7f) {
					high = true;
					break;
				}
			if (!high) path = buf.toString('latin1', p, end);
			else {
				path = buf.toString('utf8', p, end);
				if (path.includes('\uFFFD')) {
					raw = Buffer.from(buf.subarray(p, end));
					path = pathText(raw);
				}
			}
			const index = layer.paths.length;
			let type: number;
			if (flag === 0x64) {
				if (dev !== layer.dev) throw new LayerWalkError(`${sanitize(layer.root + path)} is another filesystem mounted inside the layer`);
				type = T_DIR;
				size = 0;
				if (raw) layer.rawDirs.set(path, raw);
			} else if (y === 0x66) type = T_FILE;
			else {
				size = 0;
				if (y === 0x6c) type = T_SYMLINK;
				else if (y === 0x63) {
					// A character device: a whiteout when its device number is 0/0.
					const st = lstatSync(Buffer.concat([Buffer.from(layer.root), raw ?? buf.subarray(p, end)]));
					type = st.isCharacterDevice() && st.rdev === 0 ? T_WHITEOUT : T_OTHER;
				} else type = T_OTHER;
			}
			if (id !== '' && type === T_FILE) layer.links.push({id, index, raw: raw ?? Buffer.from(buf.subarray(p, end))});
			layer.paths.push(path);
			layer.types.push(type);
			layer.bytes.push(size);
		};

		const stream = new NulRecords(onRecord);
		child.stdout!.on('data', (data: Buffer) => {
			if (settled) return;
			try {
				stream.push(data);
			} catch (error) {
				fail(error instanceof LayerWalkError ? error : new LayerWalkError(`reading a layer: ${sanitize((error as Error).message)}`));
			}
		});
		let errText = '';
		child.stderr!.setEncoding('latin1').on('data', (data: string) => {
			if (errText.length < 4096) errText += data;
		});
		child.on('error', error => fail(new LayerWalkError(`find could not start: ${sanitize(error.message)}`)));
		child.on('close', status => {
			if (settled) return;
			if (errText !== '' || status !== 0 || next !== roots.length || stream.unfinished) {
				const first = errText.split('\n').find(Boolean);
				fail(new LayerWalkError(first ? sanitize(first) : `find exited ${status} after ${next} of ${roots.length} layer directories`));
				return;
			}
			settled = true;
			signal?.removeEventListener('abort', onAbort);
			resolve();
		});
	});
}

/**
 * The entries of every layer directory (bottom first) and, for each, the directories it makes
 * opaque (only those that exist in a lower layer can hide anything; one tar reads them all).
 * `opaqueAvailable` false: GNU tar with --xattrs is missing, opaque directories are not seen.
 */
export async function listLayerDirs(dirs: readonly string[], options: {signal?: AbortSignal; processes?: number} = {}): Promise<{layers: StoreLayerListing[]; opaqueAvailable: boolean}> {
	const find = programPath('find');
	if (!find) throw new LayerWalkError('GNU find is not on PATH');
	const builds = dirs.map(dir => new LayerBuild(dir));
	const processes = Math.max(1, Math.min(options.processes ?? 2, builds.length));
	// Interleaved, so that each find gets layers from the bottom and the top of the image.
	const shares = Array.from({length: processes}, (_, i) => builds.filter((_, j) => j % processes === i));
	// tar for the opaque xattrs starts now, while this process is small; it gets its paths at the end.
	const tar = startOpaqueReader();
	// One failing find stops the other.
	const stop = new AbortController();
	const onAbort = () => stop.abort();
	options.signal?.addEventListener('abort', onAbort);
	if (options.signal?.aborted) stop.abort();
	try {
		await Promise.all(
			shares.map(share =>
				runFind(find, share, stop.signal).catch(error => {
					stop.abort();
					throw error;
				}),
			),
		);
	} catch (error) {
		tar.close();
		throw error;
	} finally {
		options.signal?.removeEventListener('abort', onAbort);
	}
	const columns = builds.map(b => b.finish());

	// Opaque candidates: directories of a layer that exist in a layer below it.
	const below = new Set<string>();
	const candidates: Array<{layer: number; path: string}> = [];
	columns.forEach((c, layer) => {
		const dirsHere: string[] = [];
		for (let i = 0; i < c.paths.length; i++) if (c.types[i] === T_DIR) dirsHere.push(c.paths[i]!);
		if (layer > 0) for (const d of dirsHere) if (below.has(d)) candidates.push({layer, path: d});
		for (const d of dirsHere) below.add(d);
	});
	const state = {available: true, reason: ''};
	let opaque: Set<number>;
	try {
		opaque = await readOpaqueAsync(
			candidates.map(c => Buffer.concat([Buffer.from(dirs[c.layer]!), builds[c.layer]!.rawDirs.get(c.path) ?? Buffer.from(c.path)])),
			state,
			tar,
		);
	} finally {
		tar.close();
	}
	const layers = columns.map(c => ({columns: c, opaqueDirs: [] as string[]}));
	for (const i of [...opaque].sort((a, b) => a - b)) layers[candidates[i]!.layer]!.opaqueDirs.push(candidates[i]!.path);
	return {layers, opaqueAvailable: state.available};
}
