'use strict';
// Tree walk of one overlay upperdir, appended after walk-worker.cjs and opaque-xattr.cjs
// into one worker script (it uses fs, join, listDir, sizeTree, S_IFMT, S_IFDIR, parentPort,
// readOpaque and opaqueState from them). Several of these workers share one walk: each takes
// a task (a directory subtree), walks it depth first with synchronous lstat/readdir in sorted
// name order, and hands a not-yet-entered subdirectory back to the main thread as a new task
// whenever the shared `hungry` counter says another worker is idle (work stealing).
//
// Marks follow what this engine's `docker diff` reports (moby's naive diff: the container's
// view against the image's view, both read here from upper + lower dirs without mounting):
//  A  path not in the image view (everything below a new directory is A too);
//  C  in both views and lstat differs (mode, uid, gid, rdev; for non-directories also
//     size or mtime), or a directory with any change below it (decided by the main thread);
//  D  in the image view only: a whiteout in the upper dir, or an entry of a lower directory
//     hidden by an opaque upper directory.
// Output: one packed record per directory with its OWN aggregates (its inode and the files
// directly in it) and its number of subdirectories; the main thread rolls subtrees up. File entries are kept only for C/D
// files, the top K files of shallow directories and the top K big files of deeper ones.
// Hard-linked inodes are counted once per task; the first sighting per task is reported so the
// main thread keeps the one first in sorted path order (what du charges) across tasks.
const S_IFCHR = 0o020000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
// Packed directory record, F numbers per directory (F = R_CLASS + number of classes).
const R = {APP: 0, ALLOC: 1, FILES: 2, INODES: 3, DEPTH: 4, MARK: 5, OLD: 6, CHANGED: 7, CLS: 8, UNREAD: 9, ERR: 10, REST: 14, MARKS: 17, SUBDIRS: 20, CLASS: 21};
// Kind codes: 0 none, 1 A, 2 C, 3 D. Entry type codes index ENTRY_TYPES.
const ENTRY_TYPES = ['file', 'dir', 'symlink', 'whiteout', 'other', 'deleted'];
const ERR = {denied: 0, vanished: 1, tooLong: 2, other: 3};

const isDirStat = st => (st.mode & S_IFMT) === S_IFDIR;
const isWhiteoutStat = st => (st.mode & S_IFMT) === S_IFCHR && st.rdev === 0;
const text = p => (typeof p === 'string' ? p : p.toString('latin1'));
const under = (root, rel) => (typeof rel === 'string' ? root + rel : Buffer.concat([Buffer.from(root), rel]));
const keyOf = rel => (rel === '' ? '/' : typeof rel === 'string' ? rel : '\0b64:' + rel.toString('base64'));
const asBuf = p => (typeof p === 'string' ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength));
const pickStat = st => st && {mode: st.mode, uid: st.uid, gid: st.gid, rdev: st.rdev, size: st.size, mtimeMs: st.mtimeMs, blocks: st.blocks};

function sameTime(a, b) {
	if (a === b) return true;
	const sa = Math.floor(a / 1000);
	return sa === Math.floor(b / 1000) && (a === sa * 1000 || b === sa * 1000);
}

function statDifferent(old, st, dir) {
	if (old.mode !== st.mode || old.uid !== st.uid || old.gid !== st.gid || old.rdev !== st.rdev) return true;
	return !dir && (old.size !== st.size || !sameTime(old.mtimeMs, st.mtimeMs));
}

function errorKind(err) {
	const code = err && err.code;
	if (code === 'EACCES' || code === 'EPERM') return ERR.denied;
	if (code === 'ENOENT' || code === 'ENOTDIR') return ERR.vanished;
	if (code === 'ENAMETOOLONG') return ERR.tooLong;
	return ERR.other;
}

function treeWorker(cfg, post) {
	const {root, lowers, rules, topK, shallowDepth, minDeepBytes, listAdded, batchDirs} = cfg;
	const hungry = new Int32Array(cfg.hungry);
	const nClasses = rules.classes.length;
	const F = R.CLASS + nClasses;
	const nameRules = rules.nameRules.map(r => ({cls: r.cls, re: new RegExp(r.re)}));
	const dirRules = rules.dirRules.map(r => ({cls: r.cls, re: new RegExp(r.re)}));
	const classOfName = name => {
		const s = text(name);
		for (const r of nameRules) if (r.re.test(s)) return r.cls;
		return -1;
	};
	const classOfDir = rel => {
		const s = text(rel) + '/';
		for (const r of dirRules) if (r.re.test(s)) return r.cls;
		return rules.other;
	};
	const lookup = (layers, rel) => {
		let old = null;
		const dirsIn = [];
		for (const i of layers) {
			let st;
			try {
				st = fs.lstatSync(under(lowers[i], rel));
			} catch {
				continue;
			}
			if (isWhiteoutStat(st)) break;
			if (!old) old = st;
			if (!isDirStat(st) || !isDirStat(old)) break;
			dirsIn.push(i);
		}
		return {old, dirsIn};
	};
	const lowerBytesOf = (look, rel) => {
		if (!isDirStat(look.old)) return look.old.size;
		let sum = 0;
		for (const i of look.dirsIn) sum += sizeTree(under(lowers[i], rel)).apparentBytes;
		return sum;
	};
	const weight = e => Math.max(e.apparentBytes, e.allocatedBytes);

	// Per task; reset by runTask.
	let nums, count, meta, ents, changes, entries, links, seen, classLowerBytes, unwalked, otherFs;
	const reset = () => {
		nums = new Float64Array(batchDirs * F);
		count = 0;
		meta = [];
		ents = [];
		changes = [];
		entries = 0;
	};
	const flush = () => {
		if (count === 0 && changes.length === 0 && entries === 0) return;
		post({type: 'dirs', nums, count, meta, ents, changes, entries}, [nums.buffer]);
		reset();
	};

	const fail = (frame, err, relOf) => {
		const kind = errorKind(err);
		frame.err[kind]++;
		if (kind === ERR.tooLong && unwalked.length < 100) unwalked.push(relOf());
	};
	const record = (rel, kind, cls, bytes, lowerBytes) => {
		if (kind !== 'A' || listAdded) changes.push({path: rel, kind, cls, bytes, lowerBytes, dir: false});
	};
	// C/D entries are always listed; other files only the top K by size, and in deep directories
	// only big ones. The entry object is made only when it is listed.
	const keep = (frame, name, type, apparent, allocated, counted, mark, cls, lowerBytes) => {
		const make = () => ({name, type: ENTRY_TYPES[type], apparentBytes: apparent, allocatedBytes: allocated, files: counted ? 1 : 0, inodes: counted ? 1 : 0, mark, cls, lowerBytes});
		if (mark === 'C' || mark === 'D') return void frame.kept.push(make());
		const w = Math.max(apparent, allocated);
		const top = frame.top;
		let restApparent = apparent;
		let restAllocated = allocated;
		if (frame.depth <= shallowDepth || w >= minDeepBytes) {
			if (top.length < topK) return void top.push(make());
			let min = 0;
			for (let i = 1; i < top.length; i++) if (weight(top[i]) < weight(top[min])) min = i;
			if (weight(top[min]) < w) {
				const loser = top[min];
				top[min] = make();
				restApparent = loser.apparentBytes;
				restAllocated = loser.allocatedBytes;
			}
		}
		frame.rest[0]++;
		frame.rest[1] += restApparent;
		frame.rest[2] += restAllocated;
	};

	const leaf = (frame, name, st, mode) => {
		const type = mode === S_IFREG ? 0 : mode === S_IFLNK ? 2 : mode === S_IFCHR && st.rdev === 0 ? 3 : 4;
		let mark = null;
		let lowerBytes;
		let rel;
		if (frame.lowers.length > 0) {
			rel = join(frame.rel, name);
			const look = lookup(frame.lowers, rel);
			if (type === 3) {
				if (look.old) {
					mark = 'D';
					lowerBytes = lowerBytesOf(look, rel);
				}
			} else if (!look.old) mark = 'A';
			else if (statDifferent(look.old, st, false)) {
				mark = 'C';
				if (!isDirStat(look.old)) lowerBytes = look.old.size;
			}
		} else if (type !== 3) mark = 'A';
		let apparent = st.size;
		let allocated = st.blocks * 512;
		let counted = true;
		let first = false;
		if (st.nlink > 1) {
			const id = st.dev + ':' + st.ino;
			if (seen.has(id)) counted = false;
			else {
				seen.add(id);
				first = true;
			}
		}
		if (!counted) apparent = allocated = 0;
		let cls = mark === 'D' ? rules.whiteout : mark === 'C' && lowerBytes >= rules.copyUpThreshold ? rules.copyUp : classOfName(name);
		if (cls < 0) cls = frame.cls;
		if (counted) frame.files++;
		frame.app += apparent;
		frame.alloc += allocated;
		frame.classBytes[cls] += apparent;
		if (lowerBytes !== undefined) classLowerBytes[cls] += lowerBytes;
		if (mark) {
			frame.marks[mark === 'A' ? 0 : mark === 'C' ? 1 : 2]++;
			frame.changed = 1;
			rel ??= join(frame.rel, name);
			record(rel, mark, cls, apparent, lowerBytes);
		}
		if (first) links.push({id: st.dev + ':' + st.ino, rel: rel ?? join(frame.rel, name), key: frame.key, name, apparent, allocated, cls});
		keep(frame, name, type, apparent, allocated, counted, mark, cls, lowerBytes);
	};

	// Entries of the image's directory hidden by an opaque upper directory: D.
	const hiddenDeletes = (frame, present) => {
		const names = new Map();
		for (const i of frame.lowers) {
			let list;
			try {
				list = listDir(under(lowers[i], frame.rel));
			} catch {
				continue;
			}
			for (const n of list) names.set(text(n), n);
		}
		for (const [k, n] of [...names].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
			if (present.has(k)) continue;
			const rel = join(frame.rel, n);
			const look = lookup(frame.lowers, rel);
			if (!look.old) continue;
			const lowerBytes = lowerBytesOf(look, rel);
			frame.marks[2]++;
			frame.changed = 1;
			classLowerBytes[rules.whiteout] += lowerBytes;
			record(rel, 'D', rules.whiteout, 0, lowerBytes);
			frame.kept.push({name: n, type: 'deleted', apparentBytes: 0, allocatedBytes: 0, files: 0, inodes: 0, mark: 'D', cls: rules.whiteout, lowerBytes});
		}
	};

	const open = frame => {
		let names;
		try {
			names = listDir(frame.abs);
		} catch (err) {
			frame.unreadable = 1;
			fail(frame, err, () => frame.rel);
			names = [];
		}
		if (names.length > 1) names.sort(typeof names[0] === 'string' ? undefined : Buffer.compare);
		const candidates = [];
		const present = frame.opaque ? new Set() : null;
		for (const name of names) {
			if ((++entries & 0xffff) === 0) flush();
			const abs = join(frame.abs, name);
			let st;
			try {
				st = fs.lstatSync(abs);
			} catch (err) {
				fail(frame, err, () => join(frame.rel, name));
				continue;
			}
			if (present) present.add(text(name));
			const mode = st.mode & S_IFMT;
			if (mode !== S_IFDIR) {
				leaf(frame, name, st, mode);
				continue;
			}
			if (st.dev !== frame.dev) {
				otherFs++;
				continue;
			}
			const rel = join(frame.rel, name);
			const look = frame.lowers.length > 0 ? lookup(frame.lowers, rel) : null;
			const old = look ? look.old : null;
			const sub = {name, abs, rel, st, old, lowers: old && isDirStat(old) ? look.dirsIn : [], opaque: false};
			frame.pending.push(sub);
			if (sub.lowers.length > 0) candidates.push(sub);
		}
		if (candidates.length > 0) for (const i of readOpaque(candidates.map(c => c.abs))) candidates[i].opaque = true;
		if (present) hiddenDeletes(frame, present);
		frame.pending.reverse();
		frame.subdirs = frame.pending.length;
	};

	const newFrame = (sub, parentKey, depth, dev) => {
		const cls = sub.rel === '' ? rules.other : classOfDir(sub.rel);
		let mark = 0;
		if (sub.rel !== '') {
			if (!sub.old) mark = 1;
			else if (!isDirStat(sub.old) || statDifferent(sub.old, sub.st, true)) mark = 2;
		}
		return {
			key: keyOf(sub.rel), parentKey, name: sub.name, rel: sub.rel, abs: sub.abs, depth, dev,
			lowers: sub.lowers, opaque: sub.opaque, cls, mark, old: sub.old ? 1 : 0, changed: 0, unreadable: 0,
			app: 0, alloc: sub.st ? sub.st.blocks * 512 : 0, files: 0,
			err: [0, 0, 0, 0], rest: [0, 0, 0], marks: [0, 0, 0], classBytes: new Array(nClasses).fill(0),
			pending: [], subdirs: 0, top: [], kept: [],
		};
	};

	const finish = frame => {
		if (count === batchDirs) flush();
		const o = count * F;
		nums[o + R.APP] = frame.app;
		nums[o + R.ALLOC] = frame.alloc;
		nums[o + R.FILES] = frame.files;
		nums[o + R.INODES] = frame.files + 1;
		nums[o + R.DEPTH] = frame.depth;
		nums[o + R.MARK] = frame.mark;
		nums[o + R.OLD] = frame.old;
		nums[o + R.CHANGED] = frame.changed;
		nums[o + R.CLS] = frame.cls;
		nums[o + R.UNREAD] = frame.unreadable;
		nums[o + R.SUBDIRS] = frame.subdirs;
		for (let i = 0; i < 4; i++) nums[o + R.ERR + i] = frame.err[i];
		for (let i = 0; i < 3; i++) nums[o + R.REST + i] = frame.rest[i];
		for (let i = 0; i < 3; i++) nums[o + R.MARKS + i] = frame.marks[i];
		for (let i = 0; i < nClasses; i++) nums[o + R.CLASS + i] = frame.classBytes[i];
		meta.push(frame.rel, frame.name, frame.parentKey);
		for (const e of frame.kept) ents.push(count, e);
		for (const e of frame.top) ents.push(count, e);
		count++;
	};

	// Hands the shallowest not-yet-entered subdirectory to an idle worker, if one is waiting.
	const donate = stack => {
		let h = Atomics.load(hungry, 0);
		if (h <= 0) return false;
		let at = -1;
		let pending = 0;
		for (let i = 0; i < stack.length; i++) {
			pending += stack[i].pending.length;
			if (at < 0 && stack[i].pending.length > 0) at = i;
		}
		if (pending < 2) return false;
		while (h > 0) {
			const prev = Atomics.compareExchange(hungry, 0, h, h - 1);
			if (prev === h) break;
			h = prev;
		}
		if (h <= 0) return false;
		const parent = stack[at];
		const sub = parent.pending.shift();
		post({type: 'task', task: {name: sub.name, rel: sub.rel, abs: sub.abs, st: pickStat(sub.st), old: pickStat(sub.old), lowers: sub.lowers, opaque: sub.opaque, parentKey: parent.key, depth: parent.depth + 1, dev: parent.dev}});
		return true;
	};

	const runTask = task => {
		reset();
		links = [];
		seen = new Set();
		classLowerBytes = new Array(nClasses).fill(0);
		unwalked = [];
		otherFs = 0;
		let first;
		if (task.root) {
			let rootStat = null;
			let rootError = null;
			try {
				rootStat = fs.lstatSync(root);
			} catch (err) {
				rootError = err;
			}
			first = newFrame({name: '', rel: '', abs: root, st: rootStat, old: null, lowers: lowers.map((_, i) => i), opaque: false}, null, 0, rootStat ? rootStat.dev : 0);
			if (rootError) {
				first.unreadable = 1;
				fail(first, rootError, () => '');
				finish(first);
				first = null;
			}
		} else {
			const sub = {...task, rel: asBuf(task.rel), name: asBuf(task.name), abs: asBuf(task.abs)};
			first = newFrame(sub, task.parentKey, task.depth, task.dev);
		}
		const stack = [];
		if (first) {
			stack.push(first);
			open(first);
		}
		while (stack.length > 0) {
			const top = stack[stack.length - 1];
			if (top.pending.length === 0) {
				finish(stack.pop());
				continue;
			}
			if (hungry[0] > 0 && donate(stack)) continue;
			const sub = top.pending.pop();
			const frame = newFrame(sub, top.key, top.depth + 1, top.dev);
			stack.push(frame);
			open(frame);
			if (count >= batchDirs) flush();
		}
		flush();
		post({type: 'done', links, classLowerBytes, unwalked, otherFs, opaque: opaqueState});
	};
	return runTask;
}

if (parentPort) {
	let runTask = null;
	parentPort.on('message', msg => {
		if (msg.type === 'tree-init') {
			runTask = treeWorker(msg, (m, transfer) => parentPort.postMessage(m, transfer));
			return;
		}
		if (msg.type !== 'tree-task' || !runTask) return;
		try {
			runTask(msg.task);
		} catch (err) {
			parentPort.postMessage({type: 'error', message: String((err && err.message) || err), code: err && err.code});
		}
	});
}
