/**
 * Every image layer's file list from its overlay2 `diff` directory, for the image explorer:
 * GNU find over ALL the layer directories at once (a few processes, each given a share of them
 * through -files0-from), one compact NUL-terminated record per entry (its depth and its name,
 * not its path) parsed straight into column arrays (no object per file) and into ONE path trie
 * for every layer (domain/image-layer-stack.ts: each name's bytes are looked up under its
 * parent, the directory find listed last one level up, so no path string is made per entry),
 * and ONE tar for the opaque-directory xattrs of every layer, given each layer's candidates as
 * soon as the layers below it are read. Same rules as the drill-down walker: find never follows
 * symlinks (-P) and stays on one filesystem (-xdev; a mount point inside a layer is an error),
 * names are raw bytes (compared as bytes; as text, UTF-8 when valid, else one char per byte, as
 * nameText), a hard-linked inode keeps its bytes at its first path in depth-first sorted order
 * (what du charges), and whiteouts are 0/0 character devices (checked with lstat). Sizes are
 * what a layer tar's headers give: file contents, 0 for directories, symlinks and devices.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {lstatSync} from 'node:fs';
import {availableParallelism} from 'node:os';
import {LAYER_TYPES, type LayerColumns, nodeColumns} from '../../domain/image-layer-columns.js';
import {LayerStack} from '../../domain/image-layer-stack.js';
import {sanitize} from '../../domain/sanitize.js';
import {type OpaqueReader, readOpaqueAsync, startOpaqueReader} from '../fs/opaque-xattr.js';
import {helperEnv, programPath} from '../fs/programs.js';

export class LayerWalkError extends Error {}

export interface StoreLayerListing {
	/** Its entries as nodes of the listing's one trie (`columns.stack`), paths made on first read. */
	columns: LayerColumns;
	opaqueDirs: string[];
	/** The opaque directories as nodes of that trie. */
	opaqueNodes: number[];
}

const T_FILE = LAYER_TYPES.indexOf('file');
const T_DIR = LAYER_TYPES.indexOf('dir');
const T_SYMLINK = LAYER_TYPES.indexOf('symlink');
const T_WHITEOUT = LAYER_TYPES.indexOf('whiteout');
const T_OTHER = LAYER_TYPES.indexOf('other');

/**
 * Records (NUL-terminated; the depth under the layer root, then the name last, as raw bytes:
 * find lists a directory before what is in it, so an entry's parent is the last directory
 * listed one level up; depth 0 is the layer root):
 *   directories            d dev TAB depth TAB name
 *   hard-linked non-dirs   + type dev:ino TAB size TAB depth TAB name
 *   other non-dirs         - type size TAB depth TAB name
 */
const FIND_EXPR = ['-xdev', '(', '-type', 'd', '-printf', 'd%D\\t%d\\t%f\\0', ')', '-o', '(', '-links', '+1', '-printf', '+%y%D:%i\\t%s\\t%d\\t%f\\0', ')', '-o', '-printf', '-%y%s\\t%d\\t%f\\0'];

interface Link {
	id: string;
	index: number;
	node: number;
}

/** One layer being read: columns (nodes of the shared trie) in typed arrays that double as they fill, and its hard links. */
class LayerBuild {
	count = 0;
	nodes = new Int32Array(1024);
	types = new Uint8Array(1024);
	bytes = new Float64Array(1024);
	readonly links: Link[] = [];
	dev = -1;
	constructor(
		readonly root: string,
		readonly index: number,
	) {}

	/** Appends one entry; returns its index. */
	add(node: number, type: number, size: number): number {
		const i = this.count++;
		if (i === this.nodes.length) {
			const nodes = new Int32Array(i * 2);
			const types = new Uint8Array(i * 2);
			const bytes = new Float64Array(i * 2);
			nodes.set(this.nodes);
			types.set(this.types);
			bytes.set(this.bytes);
			this.nodes = nodes;
			this.types = types;
			this.bytes = bytes;
		}
		this.nodes[i] = node;
		this.types[i] = type;
		this.bytes[i] = size;
		return i;
	}

	/** A file of more than one name: entry `index`, node `node`. */
	link(id: string, index: number, node: number): void {
		this.links.push({id, index, node});
	}

	/** Hard links: the first path in depth-first sorted order keeps the bytes. */
	finish(stack: LayerStack): LayerColumns {
		if (this.links.length > 1) {
			const byId = new Map<string, Link[]>();
			for (const l of this.links) {
				const group = byId.get(l.id);
				if (group) group.push(l);
				else byId.set(l.id, [l]);
			}
			for (const group of byId.values()) {
				if (group.length < 2) continue;
				const raw = new Map(group.map(l => [l, stack.rawPathOf(l.node)]));
				group.sort((a, b) => pathOrder(raw.get(a)!, raw.get(b)!));
				for (const l of group.slice(1)) this.bytes[l.index] = 0;
			}
		}
		return nodeColumns(stack, this.nodes.subarray(0, this.count), this.types.subarray(0, this.count), this.bytes.subarray(0, this.count));
	}
}

/** The directories of the layers handed so far (bottom first), to find each next layer's opaque candidates. */
class DirsBelow {
	private marks = new Uint8Array(1 << 12);
	private found: Int32Array = new Int32Array(64);

	/**
	 * The directories of `layer` (index `index`) that are directories in a layer below it, as
	 * the first `count` of `nodes` (a scratch array, valid until the next call); then marks its
	 * directories. Only array stores in the loops: V8 optimises them cheaply (with a callback
	 * inlined, compiling this took 15 ms of a compiler thread, more than running it unoptimised).
	 */
	add(layer: LayerColumns, index: number, nodeCount: number): {nodes: Int32Array; count: number} {
		if (this.marks.length < nodeCount) {
			const grown = new Uint8Array(Math.max(nodeCount, this.marks.length * 2));
			grown.set(this.marks);
			this.marks = grown;
		}
		const marks = this.marks;
		const {nodes, types} = layer as {nodes: Int32Array; types: Uint8Array};
		// Room for every entry of the layer: no check per candidate.
		if (this.found.length < nodes.length) this.found = new Int32Array(Math.max(nodes.length, this.found.length * 2));
		const found = this.found;
		let count = 0;
		if (index > 0) for (let i = 0; i < nodes.length; i++) if (types[i] === T_DIR && marks[nodes[i]!] === 1) found[count++] = nodes[i]!;
		for (let i = 0; i < nodes.length; i++) if (types[i] === T_DIR) marks[nodes[i]!] = 1;
		return {nodes: found, count};
	}
}

/** Depth-first sorted order of raw paths: '/' sorts before every other byte. */
function pathOrder(a: Uint8Array, b: Uint8Array): number {
	const x = Buffer.from(a).map(c => (c === 0x2f ? 0 : c));
	const y = Buffer.from(b).map(c => (c === 0x2f ? 0 : c));
	return Buffer.compare(x, y);
}

/** A character device (node `node` under root): a whiteout when its device number is 0/0. */
function deviceType(root: string, stack: LayerStack, node: number): number {
	const st = lstatSync(Buffer.concat([Buffer.from(root), stack.rawPathOf(node)]));
	return st.isCharacterDevice() && st.rdev === 0 ? T_WHITEOUT : T_OTHER;
}

/**
 * One find's records, parsed into the layers it was given (in order): each entry looked up in
 * the trie under its parent (the directory last listed one level up) and appended to its
 * layer's columns. Its own cutting of the stream into records: a record's parser finds its
 * NUL as it reads the name (one byte search per chunk, not one per record).
 */
class FindRecords {
	/** Layer roots seen so far, and the layer being read. */
	next = 0;
	layer: LayerBuild | undefined;
	/** The directories being listed, by depth: chain[0] is the trie's root, chain[d] the last directory listed at depth d, up to `top`. */
	private chain: Int32Array = new Int32Array(256);
	private top = 0;
	/** The start of a record whose NUL has not come yet (empty when none: one type, no deoptimisation when it first holds one). */
	private rest: Buffer = Buffer.alloc(0);

	constructor(
		private readonly roots: readonly LayerBuild[],
		private readonly stack: LayerStack,
		private readonly done: (layer: LayerBuild) => void,
	) {}

	push(data: Buffer): void {
		let pos = 0;
		if (this.rest.length > 0) {
			const nul = data.indexOf(0);
			if (nul < 0) {
				this.rest = Buffer.concat([this.rest, data]);
				return;
			}
			const joined = Buffer.concat([this.rest, data.subarray(0, nul + 1)]);
			this.rest = Buffer.alloc(0);
			this.file(joined, 0);
			pos = nul + 1;
		}
		const last = data.lastIndexOf(0);
		while (pos <= last) pos = this.file(data, pos) + 1;
		if (pos < data.length) this.rest = Buffer.from(data.subarray(pos));
	}

	/** A record began and its NUL never came (the output was cut). */
	get unfinished(): boolean {
		return this.rest.length > 0;
	}

	/**
	 * The record at buf[start] when it is a file of one name below a layer root, the most
	 * common by far; any other to `record`. Small on purpose: V8 optimises it early and it
	 * meets nothing new later (a hard link, a device, a deeper directory are record's).
	 */
	private file(buf: Buffer, start: number): number {
		const layer = this.layer;
		if (buf[start] !== 0x2d || buf[start + 1] !== 0x66 || layer === undefined) return this.record(buf, start);
		let p = start + 2;
		let c = 0;
		let size = 0;
		let depth = 0;
		while ((c = buf[p++]!) >= 48 && c <= 57) size = size * 10 + c - 48;
		if (c === 9) while ((c = buf[p++]!) >= 48 && c <= 57) depth = depth * 10 + c - 48;
		if (c !== 9 || depth === 0 || depth - 1 > this.top) return this.record(buf, start);
		let end = p;
		while (buf[end] !== 0) end++;
		layer.add(this.stack.child(this.chain[depth - 1]!, buf, p, end), T_FILE, size);
		return end;
	}

	/** The record at buf[start], which a NUL ends; returns that NUL's index. */
	private record(buf: Buffer, start: number): number {
		const flag = buf[start]!;
		let p = start + 1;
		let c = 0;
		let y = 0x64; // d
		let dev = 0;
		let size = 0;
		let depth = 0;
		let id = '';
		if (flag === 0x64) {
			while ((c = buf[p++]!) >= 48 && c <= 57) dev = dev * 10 + c - 48;
		} else {
			y = buf[p++]!;
			if (flag === 0x2b) {
				const idStart = p;
				while ((c = buf[p]!) !== 9 && c !== 0 && p < buf.length) p++;
				id = buf.toString('latin1', idStart, p++);
			}
			while ((c = buf[p++]!) >= 48 && c <= 57) size = size * 10 + c - 48;
		}
		if (c === 9) while ((c = buf[p++]!) >= 48 && c <= 57) depth = depth * 10 + c - 48;
		if (c !== 9) throw new LayerWalkError('find printed a record that is not one of its own');
		let end = p;
		while (buf[end] !== 0) end++;
		const layer = this.layer;
		if (depth === 0) {
			if (flag !== 0x64) throw new LayerWalkError(`${sanitize(this.roots[this.next]?.root ?? 'a layer directory')} is not a directory`);
			this.nextLayer(dev);
			return end;
		}
		if (!layer) throw new LayerWalkError('find listed an entry before its layer root');
		let chain = this.chain;
		if (depth - 1 > this.top) throw new LayerWalkError(`find listed an entry of ${sanitize(layer.root)} before its directory`);
		const stack = this.stack;
		const node = stack.child(chain[depth - 1]!, buf, p, end);
		let type: number;
		if (flag === 0x64) {
			if (dev !== layer.dev) throw new LayerWalkError(`${sanitize(layer.root + stack.pathOf(node))} is another filesystem mounted inside the layer`);
			type = T_DIR;
			size = 0;
			if (depth === chain.length) chain = this.deeper();
			chain[depth] = node;
			this.top = depth;
		} else if (y === 0x66) type = T_FILE;
		else {
			size = 0;
			if (y === 0x6c) type = T_SYMLINK;
			else if (y === 0x63) type = deviceType(layer.root, stack, node);
			else type = T_OTHER;
		}
		const index = layer.add(node, type, size);
		if (id !== '' && type === T_FILE) layer.link(id, index, node);
		return end;
	}

	/** A chain twice as long (a tree deeper than any before). */
	private deeper(): Int32Array {
		const chain = new Int32Array(this.chain.length * 2);
		chain.set(this.chain);
		this.chain = chain;
		return chain;
	}

	/** Depth 0: the next layer's root (`dev` its device); the one before is read. */
	private nextLayer(dev: number): void {
		if (this.layer) this.done(this.layer);
		const layer = this.roots[this.next++];
		if (!layer) throw new LayerWalkError('find listed more layer roots than it was given');
		layer.dev = dev;
		this.layer = layer;
		this.top = 0;
	}
}

/** Lists `roots` (layer directories) in order with one find; each record goes to its layer. */
function runFind(find: string, roots: readonly LayerBuild[], stack: LayerStack, signal: AbortSignal | undefined, done: (layer: LayerBuild) => void): Promise<void> {
	return new Promise((resolve, reject) => {
		let child: ChildProcess;
		try {
			child = spawn(find, ['-P', '-files0-from', '-', ...FIND_EXPR], {stdio: ['pipe', 'pipe', 'pipe'], env: helperEnv()});
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
		const stream = new FindRecords(roots, stack, done);
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
			if (errText !== '' || status !== 0 || stream.next !== roots.length || stream.unfinished) {
				const first = errText.split('\n').find(Boolean);
				fail(new LayerWalkError(first ? sanitize(first) : `find exited ${status} after ${stream.next} of ${roots.length} layer directories`));
				return;
			}
			try {
				if (stream.layer) done(stream.layer);
			} catch (error) {
				fail(error as Error);
				return;
			}
			settled = true;
			signal?.removeEventListener('abort', onAbort);
			resolve();
		});
	});
}

/**
 * Finds run at once: one more than the cores, at most 6. This process parses what they print
 * on one of the cores, so with one find per core the scheduler leaves one find sharing its core
 * with it, and that find ends 30-40 ms after the others (2 cores: 2 finds left one core half
 * idle at the end; 3 finds end together, 5 ms sooner over the bench image; 6 gain nothing).
 */
function findProcesses(): number {
	return Math.max(2, Math.min(availableParallelism() + 1, 6));
}

export interface ListOptions {
	signal?: AbortSignal;
	processes?: number;
	/** Called with each layer's columns (opaque directories not known yet) as soon as it and every layer below it are read, bottom first; what it throws, listLayerDirs throws. */
	onLayer?: (index: number, columns: LayerColumns) => void;
}

/**
 * The entries of every layer directory (bottom first) and, for each, the directories it makes
 * opaque (only those that exist in a lower layer can hide anything; one tar reads them all).
 * `opaqueAvailable` false: GNU tar with --xattrs is missing, opaque directories are not seen.
 */
export async function listLayerDirs(dirs: readonly string[], options: ListOptions = {}): Promise<{layers: StoreLayerListing[]; opaqueAvailable: boolean}> {
	const find = programPath('find');
	if (!find) throw new LayerWalkError('GNU find is not on PATH');
	const builds = dirs.map((dir, i) => new LayerBuild(dir, i));
	// One trie for every layer, built as the records come (the analysis stacks the layers in it).
	const stack = new LayerStack(1 << 17);
	const processes = Math.max(1, Math.min(options.processes ?? findProcesses(), builds.length));
	// Interleaved, so that each find gets layers from the bottom and the top of the image.
	const shares = Array.from({length: processes}, (_, i) => builds.filter((_, j) => j % processes === i));
	// One failing find stops the other.
	const stop = new AbortController();
	const onAbort = () => stop.abort();
	options.signal?.addEventListener('abort', onAbort);
	if (options.signal?.aborted) stop.abort();
	// Each layer as soon as it and every layer below it are read, bottom first, with its opaque
	// candidates (its directories that are directories in a layer below): tar reads their xattrs
	// while the finds go on.
	const columns: LayerColumns[] = [];
	/** Each candidate's layer, node and full path (given to tar as found, and again if it needs more than one run). */
	const candidates: Array<{layer: number; node: number; path: Buffer}> = [];
	const below = new DirsBelow();
	let tar: OpaqueReader | undefined;
	let handed = 0;
	let listenerError: {error: unknown} | undefined;
	const handCandidates = (layer: number, nodes: Int32Array, count: number) => {
		const root = Buffer.from(dirs[layer]!);
		for (let k = 0; k < count; k++) {
			const path = Buffer.concat([root, stack.rawPathOf(nodes[k]!)]);
			candidates.push({layer, node: nodes[k]!, path});
			tar?.write(path);
		}
	};
	const done = (build: LayerBuild) => {
		columns[build.index] = build.finish(stack);
		while (handed < builds.length && columns[handed]) {
			const i = handed++;
			const found = below.add(columns[i]!, i, stack.size);
			if (found.count > 0) handCandidates(i, found.nodes, found.count);
			// The last layer's candidates given: tar ends while that layer is stacked.
			if (handed === builds.length) tar?.end(candidates.length);
			if (!options.onLayer || listenerError) continue;
			try {
				options.onLayer(i, columns[i]!);
			} catch (error) {
				listenerError = {error};
			}
		}
	};
	const listed = Promise.all(
		shares.map(share =>
			runFind(find, share, stack, stop.signal, done).catch(error => {
				stop.abort();
				throw error;
			}),
		),
	);
	// tar for the opaque xattrs starts once the finds have (they are what the command waits for),
	// while this process is still small: a fork costs more once the heap has grown.
	tar = startOpaqueReader();
	try {
		await listed;
	} catch (error) {
		tar.close();
		throw error;
	} finally {
		options.signal?.removeEventListener('abort', onAbort);
	}
	if (listenerError) {
		tar.close();
		throw listenerError.error;
	}

	const state = {available: true, reason: ''};
	let opaque: Set<number>;
	try {
		opaque = await readOpaqueAsync(
			candidates.map(c => c.path),
			state,
			tar,
		);
	} finally {
		tar.close();
	}
	const layers = columns.map(c => ({columns: c, opaqueDirs: [] as string[], opaqueNodes: [] as number[]}));
	for (const i of [...opaque].sort((a, b) => a - b)) {
		const {layer, node} = candidates[i]!;
		layers[layer]!.opaqueDirs.push(stack.pathOf(node));
		layers[layer]!.opaqueNodes.push(node);
	}
	return {layers, opaqueAvailable: state.available};
}
