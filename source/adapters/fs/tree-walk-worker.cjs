'use strict';
// Tree walk of one overlay upperdir, appended after walk-worker.cjs and opaque-xattr.cjs
// into one worker script (it uses fs, join, listDir, sizeTree, S_IFMT, S_IFDIR, parentPort,
// readOpaque and opaqueState from them). Synchronous lstat/readdir, depth first, sorted names.
//
// Marks follow what this engine's `docker diff` reports (moby's naive diff: the container's
// view against the image's view, both read here from upper + lower dirs without mounting):
//  A  path not in the image view (everything below a new directory is A too);
//  C  in both views and lstat differs (mode, uid, gid, rdev; for non-directories also
//     size or mtime), or a directory with any change below it;
//  D  in the image view only: a whiteout in the upper dir, or an entry of a lower directory
//     hidden by an opaque upper directory.
// Memory: one node per directory (aggregates + the top-K files + every C/D entry),
// A paths listed only when asked (report mode).
const S_IFCHR = 0o020000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;

function typeOf(st) {
	const t = st.mode & S_IFMT;
	if (t === S_IFDIR) return 'dir';
	if (t === S_IFREG) return 'file';
	if (t === S_IFLNK) return 'symlink';
	if (t === S_IFCHR && st.rdev === 0) return 'whiteout';
	return 'other';
}

const isDirStat = st => (st.mode & S_IFMT) === S_IFDIR;
const isWhiteoutStat = st => (st.mode & S_IFMT) === S_IFCHR && st.rdev === 0;
const text = p => (typeof p === 'string' ? p : p.toString('latin1'));
const under = (root, rel) => (typeof rel === 'string' ? root + rel : Buffer.concat([Buffer.from(root), rel]));
const keyOf = rel => (rel === '' ? '/' : typeof rel === 'string' ? rel : '\0b64:' + rel.toString('base64'));

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
	if (code === 'EACCES' || code === 'EPERM') return 'denied';
	if (code === 'ENOENT' || code === 'ENOTDIR') return 'vanished';
	if (code === 'ENAMETOOLONG') return 'tooLong';
	return 'other';
}

const newErrors = () => ({denied: 0, vanished: 0, tooLong: 0, other: 0});

function treeWalk(msg, post) {
	const {root, lowers, rules, topK, listAdded, progressMs} = msg;
	const nClasses = rules.classes.length;
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
	const totals = {
		apparentBytes: 0, allocatedBytes: 0, files: 0, dirs: 0, inodes: 0,
		classBytes: new Array(nClasses).fill(0), classLowerBytes: new Array(nClasses).fill(0),
		marks: {A: 0, C: 0, D: 0}, errors: newErrors(), otherFs: 0,
	};
	const out = [];
	const changes = [];
	const unwalked = [];
	const seen = new Set();
	let entries = 0;
	let dirsDone = 0;
	let lastProgress = Date.now();

	const newNode = (rel, parentKey, name, st) => ({
		key: keyOf(rel), parentKey, rel, name, mark: null, cls: rules.other,
		apparentBytes: 0, allocatedBytes: st ? st.blocks * 512 : 0, files: 0, dirs: 1, inodes: 1,
		classBytes: new Array(nClasses).fill(0), marks: {A: 0, C: 0, D: 0}, errors: newErrors(),
		unreadable: false, entries: [], top: [], rest: {count: 0, apparentBytes: 0, allocatedBytes: 0},
	});
	const fail = (node, err, path) => {
		const kind = errorKind(err);
		node.errors[kind]++;
		totals.errors[kind]++;
		if (kind === 'tooLong' && unwalked.length < 100) unwalked.push(path);
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
	// Directories and C/D entries are always listed; other files only the top K by size.
	const keep = (node, entry) => {
		if (entry.mark === 'C' || entry.mark === 'D' || entry.type === 'dir') return void node.entries.push(entry);
		const top = node.top;
		if (top.length < topK) return void top.push(entry);
		let min = 0;
		for (let i = 1; i < top.length; i++) if (weight(top[i]) < weight(top[min])) min = i;
		let loser = entry;
		if (weight(top[min]) < weight(entry)) {
			loser = top[min];
			top[min] = entry;
		}
		node.rest.count++;
		node.rest.apparentBytes += loser.apparentBytes;
		node.rest.allocatedBytes += loser.allocatedBytes;
	};
	const record = (rel, kind, cls, bytes, lowerBytes, dir) => {
		totals.marks[kind]++;
		if (kind !== 'A' || listAdded) changes.push({path: rel, kind, cls, bytes, lowerBytes, dir});
	};
	const tick = frame => {
		if (++entries % 2048 !== 0) return;
		const now = Date.now();
		if (now - lastProgress < progressMs) return;
		lastProgress = now;
		const topLevel = stack[0].node.entries.filter(e => e.type === 'dir');
		post({type: 'progress', entries, dirsDone, totals, topLevel, current: frame.rel});
	};

	const leaf = (frame, name, rel, st, type, look) => {
		const node = frame.node;
		let mark = null;
		let lowerBytes;
		if (type === 'whiteout') {
			if (look.old) {
				mark = 'D';
				lowerBytes = lowerBytesOf(look, rel);
			}
		} else if (!look.old) mark = 'A';
		else if (statDifferent(look.old, st, false)) {
			mark = 'C';
			if (!isDirStat(look.old)) lowerBytes = look.old.size;
		}
		let apparent = st.size;
		let allocated = st.blocks * 512;
		let counted = true;
		if (st.nlink > 1) {
			const id = st.dev + ':' + st.ino;
			if (seen.has(id)) counted = false;
			else seen.add(id);
		}
		if (!counted) apparent = allocated = 0;
		let cls = mark === 'D' ? rules.whiteout : mark === 'C' && lowerBytes >= rules.copyUpThreshold ? rules.copyUp : classOfName(name);
		if (cls < 0) cls = frame.dirClass;
		if (counted) {
			node.files++;
			node.inodes++;
			totals.files++;
			totals.inodes++;
		}
		node.apparentBytes += apparent;
		node.allocatedBytes += allocated;
		node.classBytes[cls] += apparent;
		totals.apparentBytes += apparent;
		totals.allocatedBytes += allocated;
		totals.classBytes[cls] += apparent;
		if (lowerBytes !== undefined) totals.classLowerBytes[cls] += lowerBytes;
		if (mark) {
			node.marks[mark]++;
			frame.changedBelow = true;
			record(rel, mark, cls, apparent, lowerBytes, false);
		}
		keep(node, {name, type, apparentBytes: apparent, allocatedBytes: allocated, files: counted ? 1 : 0, inodes: counted ? 1 : 0, mark, cls, lowerBytes});
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
			frame.node.marks.D++;
			frame.changedBelow = true;
			totals.classLowerBytes[rules.whiteout] += lowerBytes;
			record(rel, 'D', rules.whiteout, 0, lowerBytes, false);
			frame.node.entries.push({name: n, type: 'deleted', apparentBytes: 0, allocatedBytes: 0, files: 0, inodes: 0, mark: 'D', cls: rules.whiteout, lowerBytes});
		}
	};

	const open = frame => {
		let names;
		try {
			names = listDir(frame.abs);
		} catch (err) {
			frame.node.unreadable = true;
			fail(frame.node, err, frame.rel);
			names = [];
		}
		names.sort((a, b) => (typeof a === 'string' && typeof b === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : Buffer.compare(Buffer.from(a), Buffer.from(b))));
		const candidates = [];
		const present = new Set();
		for (const name of names) {
			tick(frame);
			const abs = join(frame.abs, name);
			const rel = join(frame.rel, name);
			let st;
			try {
				st = fs.lstatSync(abs);
			} catch (err) {
				fail(frame.node, err, rel);
				continue;
			}
			present.add(text(name));
			const type = typeOf(st);
			const look = frame.lowers.length > 0 ? lookup(frame.lowers, rel) : {old: null, dirsIn: []};
			if (type !== 'dir') {
				leaf(frame, name, rel, st, type, look);
				continue;
			}
			if (st.dev !== frame.dev) {
				totals.otherFs++;
				continue;
			}
			const sub = {name, abs, rel, st, old: look.old, lowers: look.old && isDirStat(look.old) ? look.dirsIn : [], opaque: false};
			frame.pending.push(sub);
			if (sub.lowers.length > 0) candidates.push(sub);
		}
		if (candidates.length > 0) for (const i of readOpaque(candidates.map(c => c.abs))) candidates[i].opaque = true;
		if (frame.opaque) hiddenDeletes(frame, present);
		frame.pending.reverse();
	};

	const enter = (parent, sub) => {
		const node = newNode(sub.rel, parent.node.key, sub.name, sub.st);
		node.cls = classOfDir(sub.rel);
		if (!sub.old) node.mark = 'A';
		else if (!isDirStat(sub.old) || statDifferent(sub.old, sub.st, true)) node.mark = 'C';
		totals.dirs++;
		totals.inodes++;
		totals.allocatedBytes += node.allocatedBytes;
		const frame = {node, abs: sub.abs, rel: sub.rel, dev: parent.dev, lowers: sub.lowers, opaque: sub.opaque, dirClass: node.cls, pending: [], changedBelow: false, oldDir: Boolean(sub.old)};
		stack.push(frame);
		open(frame);
	};

	const finish = frame => {
		const node = frame.node;
		const parent = stack[stack.length - 1];
		if (!node.mark && frame.oldDir && frame.changedBelow) node.mark = 'C';
		if (node.mark) {
			node.marks[node.mark]++;
			record(node.rel, node.mark, node.cls, node.apparentBytes, undefined, true);
		}
		node.entries = node.entries.concat(node.top).sort((a, b) => weight(b) - weight(a));
		delete node.top;
		out.push(node);
		dirsDone++;
		// Finished directories go to the main thread in batches: the worker keeps only the open path.
		if (out.length >= 1000) post({type: 'dirs', dirs: out.splice(0)});
		if (!parent) return;
		const p = parent.node;
		for (const k of ['apparentBytes', 'allocatedBytes', 'files', 'dirs', 'inodes']) p[k] += node[k];
		for (let i = 0; i < nClasses; i++) p.classBytes[i] += node.classBytes[i];
		for (const k of ['A', 'C', 'D']) p.marks[k] += node.marks[k];
		for (const k of Object.keys(node.errors)) p.errors[k] += node.errors[k];
		if (node.mark || frame.changedBelow) parent.changedBelow = true;
		p.entries.push({name: node.name, type: 'dir', apparentBytes: node.apparentBytes, allocatedBytes: node.allocatedBytes, files: node.files, inodes: node.inodes, mark: node.mark, cls: node.cls, dirKey: node.key});
	};

	const stack = [];
	let rootStat;
	try {
		rootStat = fs.lstatSync(root);
	} catch (err) {
		const node = newNode('', null, '', null);
		node.unreadable = true;
		fail(node, err, '');
		return {dirs: [node], changes, totals, unwalked, opaque: opaqueState};
	}
	const rootNode = newNode('', null, '', rootStat);
	totals.dirs++;
	totals.inodes++;
	totals.allocatedBytes += rootNode.allocatedBytes;
	const all = lowers.map((_, i) => i);
	const rootFrame = {node: rootNode, abs: root, rel: '', dev: rootStat.dev, lowers: all, opaque: false, dirClass: rules.other, pending: [], changedBelow: false, oldDir: false};
	stack.push(rootFrame);
	open(rootFrame);
	while (stack.length > 0) {
		const top = stack[stack.length - 1];
		const sub = top.pending.pop();
		if (sub) enter(top, sub);
		else finish(stack.pop());
	}
	return {dirs: out, changes, totals, unwalked, opaque: opaqueState};
}

if (parentPort) {
	parentPort.on('message', msg => {
		if (msg.type !== 'tree') return;
		const post = m => parentPort.postMessage(m);
		try {
			post({type: 'done', result: treeWalk(msg, post)});
		} catch (err) {
			post({type: 'error', message: String((err && err.message) || err), code: err && err.code});
		}
	});
}
