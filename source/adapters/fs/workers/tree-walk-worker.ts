/**
 * Worker-thread entry of the readdir/lstat tree walk (walk-workers.ts). Several of these share
 * one walk: each takes a task (a directory subtree), walks it depth first with synchronous
 * lstat/readdir in sorted name order through the one DirAggregator, and hands a not-yet-entered
 * subdirectory back to the main thread as a new task whenever the shared `hungry` counter says
 * another worker is idle (work stealing). Finished directories go to the main thread in batches.
 */
import {parentPort} from 'node:worker_threads';
import {DirAggregator, type DirSink, type Frame, type Subdir} from '../dir-aggregator.js';
import type {RawName} from '../raw-names.js';
import type {ClosedDir} from '../tree-assembly.js';
import type {RawChange} from '../tree-types.js';
import {WalkRules, pickStat} from '../walk-rules.js';
import type {WalkerInit, WalkerMessage, WalkerTask} from '../walk-workers.js';

const asBuffer = (p: RawName): RawName => (typeof p === 'string' ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength));

interface Open {
	frame: Frame;
	pending: Subdir[];
}

function treeWorker(cfg: WalkerInit, post: (msg: WalkerMessage) => void) {
	const hungry = new Int32Array(cfg.hungry);
	const rules = new WalkRules(cfg.rules, cfg.lowers);
	let closed: ClosedDir[] = [];
	let changes: RawChange[] = [];
	let entries = 0;
	const flush = () => {
		if (closed.length === 0 && changes.length === 0 && entries === 0) return;
		post({type: 'dirs', closed, changes, entries});
		closed = [];
		changes = [];
		entries = 0;
	};
	const sink: DirSink = {
		opened: () => -1,
		closed: frame => {
			closed.push({node: frame.node, name: frame.name, subdirs: frame.subdirs, old: frame.old, changed: frame.changed});
			if (closed.length >= cfg.batchDirs) flush();
		},
		change: c => void changes.push(c),
		met: n => {
			entries += n;
			if (entries >= 65_536) flush();
		},
	};
	let b: DirAggregator;

	/** Lists a directory; its subdirectories are popped from the end, so reversed to enter them in name order. */
	const open = (frame: Frame): Open => ({frame, pending: b.listDirectory(frame).reverse()});

	// Hands the shallowest not-yet-entered subdirectory to an idle worker, if one is waiting.
	const donate = (stack: Open[]): boolean => {
		let h = Atomics.load(hungry, 0);
		if (h <= 0) return false;
		let at = -1;
		let pending = 0;
		for (let i = 0; i < stack.length; i++) {
			pending += stack[i]!.pending.length;
			if (at < 0 && stack[i]!.pending.length > 0) at = i;
		}
		if (pending < 2) return false;
		while (h > 0) {
			const prev = Atomics.compareExchange(hungry, 0, h, h - 1);
			if (prev === h) break;
			h = prev;
		}
		if (h <= 0) return false;
		const parent = stack[at]!.frame;
		const sub = stack[at]!.pending.shift()!;
		post({type: 'task', task: {name: sub.name, rel: sub.rel, st: pickStat(sub.st)!, dev: sub.st.dev, parentKey: parent.node.key, parentDepth: parent.depth, parentLowers: parent.lowers}});
		return true;
	};

	return (task: WalkerTask | {root: true}) => {
		b = new DirAggregator({root: cfg.root, rules, sink, running: null, listAdded: cfg.listAdded, topK: cfg.topK, shallowDepth: cfg.shallowDepth, minDeepBytes: cfg.minDeepBytes});
		let first: Frame | null;
		if ('root' in task) {
			first = b.enterRoot();
		} else {
			// The parent lives in another task: a stand-in with what enter() reads of it.
			const parent = {node: {key: task.parentKey}, depth: task.parentDepth, lowers: task.parentLowers, rel: ''} as unknown as Frame;
			const rel = asBuffer(task.rel);
			first = b.enter(parent, asBuffer(task.name), rel, task.st.blocks, task.dev, b.look(parent, rel), task.st);
		}
		const stack: Open[] = first ? [open(first)] : [];
		while (stack.length > 0) {
			const top = stack[stack.length - 1]!;
			if (top.pending.length === 0) {
				b.finish(stack.pop()!.frame);
				continue;
			}
			if (hungry[0]! > 0 && donate(stack)) continue;
			const sub = top.pending.pop()!;
			stack.push(open(b.enter(top.frame, sub.name, sub.rel, sub.st.blocks, sub.st.dev, b.look(top.frame, sub.rel), sub.st)));
		}
		flush();
		post({type: 'done', links: b.links, classLowerBytes: b.classLowerBytes, unwalked: b.unwalked, otherFs: b.otherFs, candidates: b.candidates, copyUps: b.copyUps});
	};
}

if (parentPort) {
	const port = parentPort;
	let runTask: ReturnType<typeof treeWorker> | null = null;
	port.on('message', (msg: WalkerInit | {type: 'tree-task'; task: WalkerTask | {root: true}}) => {
		if (msg.type === 'tree-init') {
			runTask = treeWorker(msg, m => port.postMessage(m));
			return;
		}
		if (!runTask) return;
		try {
			runTask(msg.task);
		} catch (err) {
			port.postMessage({type: 'error', message: String((err as Error)?.message ?? err)});
		}
	});
}
