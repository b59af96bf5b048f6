/**
 * The tree walk driven by GNU find (WALKER-FACTS.md: two `find -printf` processes over
 * subtrees beat every pure-Node walk). The root (and, when it has few subdirectories, its
 * biggest ones) is listed here with lstat; the remaining subdirectories are chunks handed out
 * to `workers` concurrent `find -P -files0-from - -xdev -printf` processes, biggest first.
 * Records are NUL-terminated with the name as raw bytes, so non-UTF-8 names survive; find never
 * follows symlinks and stays on one filesystem. Marks, classes and top-K entries come from the
 * one DirAggregator, writing straight into the TreeAssembly on this thread.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import type {Stats} from 'node:fs';
import {DirAggregator, type DirSink, type Frame} from './dir-aggregator.js';
import {NulRecords} from './nul-records.js';
import {helperEnv, programPath} from './programs.js';
import {text, type RawName} from './raw-names.js';
import {WalkAbortedError, type TreeWalkOptions, type WalkedTree} from './tree-types.js';
import {ERR, LEAF, errorKindOfMessage} from './walk-rules.js';
import {finishWalk, walkSetup} from './walk-finish.js';

/**
 * One NUL-terminated record per entry, the name last (%f: the base name, raw bytes):
 *   directories            d|U dev TAB ino TAB blocks TAB depth TAB name   (U: not readable, pruned)
 *   hard-linked non-dirs   + type dev:ino TAB size TAB blocks TAB depth TAB name
 *   other non-dirs         - type size TAB blocks TAB depth TAB name
 * Non-directories need no device: -xdev keeps them on the chunk root's filesystem, except for
 * a file mounted over one, which only matters for hard links (their id keeps the device).
 */
const DIR_FIELDS = '%D\\t%i\\t%b\\t%d\\t%f\\0';
const FIND_EXPR = [
	'-xdev',
	'(',
	'-type',
	'd',
	'(',
	'-readable',
	'-printf',
	'd' + DIR_FIELDS,
	'-o',
	'-printf',
	'U' + DIR_FIELDS,
	'-prune',
	')',
	')',
	'-o',
	'(',
	'-links',
	'+1',
	'-printf',
	'+%y%D:%i\\t%s\\t%b\\t%d\\t%f\\0',
	')',
	'-o',
	'-printf',
	'-%y%s\\t%b\\t%d\\t%f\\0',
];

interface Chunk {
	name: RawName;
	rel: RawName;
	st: Stats;
	parent: Frame;
	/** Size guess (the directory's link count). */
	size: number;
	/** Inode of the chunk root, to match find's depth-0 record. */
	ino: string;
}

const findType = (y: number) => (y === 0x66 ? LEAF.file : y === 0x6c ? LEAF.symlink : y === 0x63 ? LEAF.charDevice : LEAF.other); // f l c

/** Find processes on a warm cache: the walk is CPU-bound, one per core (WALKER-FACTS.md). */
export const WARM_FINDS = 2;
/** On a cold cache: the walk waits on the disk, more requests in flight pay (bench/walk.mjs --cold --workers 2,4,8). */
export const COLD_FINDS = 4;
/**
 * Mean time per name lstat'ed while listing the root above which the cache is cold. Measured on
 * the bench tree's root (53 names, a fresh process): 38 µs warm on a busy machine, 1,790 µs
 * with the page cache dropped.
 */
const COLD_MS_PER_ENTRY = 0.5;

/** How many finds share a walk, from the root's listing: `entries` names lstat'ed in `ms` (too few to tell: warm). */
export function findProcesses(entries: number, ms: number): number {
	return entries >= 8 && ms / entries > COLD_MS_PER_ENTRY ? COLD_FINDS : WARM_FINDS;
}

export function walkTreeWithFind(upperDir: string, options: TreeWalkOptions = {}): Promise<WalkedTree> {
	const {signal} = options;
	if (signal?.aborted) return Promise.reject(new WalkAbortedError());
	const find = programPath('find');
	if (!find) return Promise.reject(new Error('GNU find is not on PATH'));
	const {root, rules, assembly, progress, budget} = walkSetup(upperDir, options);
	const sink: DirSink = {
		opened: (frame, parent, counted) => assembly.open(frame.node, frame.name, parent ? parent.g : -1, frame.old, counted),
		closed: frame => {
			assembly.close(frame.g, frame.changed);
			progress();
		},
		change: c => assembly.addChange(c),
		met: n => {
			assembly.met(n);
			if (n > 0) progress();
		},
	};
	const b = new DirAggregator({
		root,
		rules,
		sink,
		running: assembly.running,
		listAdded: options.listAdded ?? false,
		topK: options.topK ?? 8,
		shallowDepth: options.shallowDepth ?? 2,
		minDeepBytes: options.minDeepFileBytes ?? 64 * 1024,
	});
	let workers = Math.max(1, options.workers ?? WARM_FINDS);

	/** Lists one directory here (DirAggregator.listDirectory); returns its subdirectories with a size guess. */
	const listHere = (frame: Frame): Chunk[] => {
		const chunks = b.listDirectory(frame).map(({name, rel, st}) => ({name, rel, st, parent: frame, size: st.nlink, ino: String(st.ino)}));
		assembly.expect(frame.g, chunks.length);
		b.finish(frame);
		return chunks;
	};
	const enterChunk = (c: Chunk) => b.enter(c.parent, c.name, c.rel, c.st.blocks, c.st.dev, b.look(c.parent, c.rel), c.st, false);

	return new Promise<WalkedTree>((resolve, reject) => {
		const running = new Set<ChildProcess>();
		let settled = false;
		const settle = (fn: () => void) => {
			if (settled) return;
			settled = true;
			signal?.removeEventListener('abort', onAbort);
			for (const child of running) child.kill('SIGKILL');
			fn();
		};
		const onAbort = () => settle(() => reject(new WalkAbortedError()));
		signal?.addEventListener('abort', onAbort);

		let queue: Chunk[] = [];
		try {
			const started = performance.now();
			const rootFrame = b.enterRoot();
			if (rootFrame) queue = listHere(rootFrame);
			// The root's listing, timed, tells a cold page cache from a warm one (issue 18).
			if (options.workers === undefined) workers = findProcesses(b.listed, performance.now() - started);
			// Few big subdirectories: list the biggest here too, so every find gets work.
			while (queue.length > 0 && queue.length < 4 * workers) {
				let at = 0;
				for (let i = 1; i < queue.length; i++) if (queue[i]!.size > queue[at]!.size) at = i;
				if (queue[at]!.size <= 2) break;
				const [c] = queue.splice(at, 1);
				queue.push(...listHere(enterChunk(c!)));
			}
		} catch (error) {
			settle(() => reject(error as Error));
			return;
		}
		queue.sort((x, y) => y.size - x.size);

		const finishAll = () =>
			settle(() => {
				finishWalk(root, rules, assembly, budget, b).then(resolve, reject);
			});

		/** One find per worker over its share of chunk roots, passed as raw bytes through stdin (-files0-from). */
		const runFind = (assigned: Chunk[], done: (error?: Error) => void): ChildProcess | null => {
			if (assigned.length === 0) return null;
			const child = spawn(find, ['-P', '-files0-from', '-', ...FIND_EXPR], {stdio: ['pipe', 'pipe', 'pipe'], env: helperEnv()});
			child.stdin!.on('error', () => {});
			// All chunk roots at once: find's stdout is block-buffered, so feeding on demand would deadlock.
			child.stdin!.end(Buffer.concat(assigned.flatMap(c => [Buffer.from(b.abs(c.rel)), Buffer.alloc(1)])));
			const stack: Frame[] = [];
			const pending = new Map<string, number[]>();
			let chunkFrame: Frame | undefined;
			let failed: Error | undefined;
			const close = (frame: Frame) => {
				if (pending.size > 0) {
					const path = text(b.abs(frame.rel));
					const own = pending.get(path);
					if (own) {
						pending.delete(path);
						for (const kind of own) {
							b.failKind(frame, kind, () => frame.rel);
							if (kind === ERR.denied) b.unreadable(frame);
						}
					}
					if (frame === chunkFrame) {
						for (const kinds of pending.values()) for (const kind of kinds) b.failKind(frame, kind, () => frame.rel);
						pending.clear();
					}
				}
				b.finish(frame);
			};
			/** A chunk root that printed nothing (vanished): an empty, counted-as-vanished directory. */
			const vanished = (chunk: Chunk) => {
				const frame = enterChunk(chunk);
				b.failKind(frame, ERR.vanished, () => frame.rel);
				b.finish(frame);
			};
			/** One record, buf[start, end) without the NUL (formats at FIND_EXPR). */
			const onRecord = (buf: Buffer, start: number, end: number) => {
				const flag = buf[start]!;
				const dir = flag === 0x64 || flag === 0x55; // d U
				const y = dir ? 0x64 : buf[start + 1]!;
				let p = dir ? start + 1 : start + 2;
				let c = 0;
				let dev = 0;
				let id = '';
				let inoStart = 0;
				let inoEnd = 0;
				if (dir) {
					while ((c = buf[p++]!) !== 9) dev = dev * 10 + c - 48;
					inoStart = p;
					while (buf[p] !== 9) p++;
					inoEnd = p++;
				} else if (flag === 0x2b) {
					// +: dev:ino of a hard-linked entry
					const idStart = p;
					while (buf[p] !== 9) p++;
					id = buf.toString('latin1', idStart, p++);
				}
				let size = 0;
				if (!dir) while ((c = buf[p++]!) !== 9) size = size * 10 + c - 48;
				let blocks = 0;
				while ((c = buf[p++]!) !== 9) blocks = blocks * 10 + c - 48;
				let depth = 0;
				while ((c = buf[p++]!) !== 9) depth = depth * 10 + c - 48;
				while (stack.length > depth) close(stack.pop()!);
				if (depth === 0) {
					const ino = buf.toString('latin1', inoStart, inoEnd);
					let at = assigned.findIndex(ch => ch.ino === ino);
					if (at < 0) at = 0;
					for (const gone of assigned.splice(0, at)) vanished(gone);
					const chunk = assigned.shift();
					if (!chunk) return;
					chunkFrame = enterChunk(chunk);
					if (!dir) {
						// The chunk root stopped being a directory: leave it empty.
						b.failKind(chunkFrame, ERR.vanished, () => chunkFrame!.rel);
						close(chunkFrame);
						return;
					}
					if (flag === 0x55) {
						b.unreadable(chunkFrame);
						b.failKind(chunkFrame, ERR.denied, () => chunkFrame!.rel);
					}
					stack.push(chunkFrame);
					return;
				}
				const parent = stack[stack.length - 1];
				if (!parent) return;
				const nameText0 = buf.toString('utf8', p, end);
				let name: RawName = nameText0;
				let nameText = nameText0;
				if (nameText0.includes('\uFFFD')) {
					const bytes = Buffer.from(buf.subarray(p, end));
					name = bytes;
					nameText = bytes.toString('latin1');
				}
				if (dir) {
					if (dev !== parent.dev) {
						b.otherFs++;
						return;
					}
					const frame = b.enterChild(parent, name, blocks, dev, null);
					if (flag === 0x55) {
						b.unreadable(frame);
						b.failKind(frame, ERR.denied, () => frame.rel);
					}
					stack.push(frame);
					return;
				}
				b.leaf(parent, name, nameText, findType(y), size, blocks, id === '' ? 1 : 2, id, null);
			};
			const stream = new NulRecords(onRecord);
			child.stdout!.on('data', (data: Buffer) => {
				if (settled || failed) return;
				try {
					stream.push(data);
				} catch (error) {
					failed = error as Error;
					child.kill('SIGKILL');
				}
			});
			let errText = '';
			child.stderr!.setEncoding('latin1').on('data', (data: string) => {
				errText += data;
				const lines = errText.split('\n');
				errText = lines.pop()!;
				for (const line of lines) {
					const m = /^find: '(.*)': ([^:]*)$/.exec(line);
					const kind = errorKindOfMessage(m ? m[2]! : line);
					const key = m ? m[1]! : '';
					const list = pending.get(key);
					if (list) list.push(kind);
					else pending.set(key, [kind]);
				}
			});
			child.on('error', error => {
				failed ??= new Error(`find could not start: ${error.message}`);
			});
			child.on('close', () => {
				if (settled) return;
				try {
					if (!failed) {
						while (stack.length > 0) close(stack.pop()!);
						for (const gone of assigned.splice(0)) vanished(gone);
					}
				} catch (error) {
					failed = error as Error;
				}
				done(failed);
			});
			return child;
		};

		// Biggest first, each to the least loaded find (by the subdirectory-count guess).
		const shares = Array.from({length: workers}, () => ({load: 0, chunks: [] as Chunk[]}));
		for (const c of queue) {
			const least = shares.reduce((x, y) => (y.load < x.load ? y : x));
			least.load += c.size;
			least.chunks.push(c);
		}
		for (const share of shares) {
			const child = runFind(share.chunks, error => {
				running.delete(child!);
				if (error) settle(() => reject(error));
				else if (running.size === 0) finishAll();
			});
			if (child) running.add(child);
		}
		if (running.size === 0) finishAll();
	});
}
