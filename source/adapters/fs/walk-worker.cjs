'use strict';
// Synchronous directory walker run inside worker threads (see WALKER-FACTS.md:
// sync lstat/readdir in 2 workers is the fastest pure-Node walk here).
// Plain CommonJS so it can run from source, from dist, or as an eval'd string.
// Never follows symlinks, counts hard links once, stays on one filesystem,
// reads names as bytes when a listing is not valid UTF-8.
const fs = require('node:fs');
const {parentPort} = require('node:worker_threads');

const SLASH = Buffer.from('/');
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;

function join(dir, name) {
	if (typeof dir === 'string' && typeof name === 'string') return dir === '/' ? '/' + name : dir + '/' + name;
	const d = typeof dir === 'string' ? Buffer.from(dir) : dir;
	const n = typeof name === 'string' ? Buffer.from(name) : name;
	return Buffer.concat([d, SLASH, n]);
}

function listDir(dir) {
	const names = fs.readdirSync(dir);
	for (const name of names) {
		// Invalid UTF-8 became U+FFFD: re-read as bytes so the subtree survives.
		if (name.includes('\uFFFD')) return fs.readdirSync(dir, {encoding: 'buffer'});
	}
	return names;
}

function sizeTree(root) {
	const r = {apparentBytes: 0, allocatedBytes: 0, files: 0, dirs: 0, inodes: 0, errors: 0, errorSamples: [], otherFs: 0, unwalked: 0};
	const seen = new Set();
	const fail = (path, err) => {
		r.errors++;
		if (err && err.code === 'ENAMETOOLONG') r.unwalked++;
		if (r.errorSamples.length < 5) r.errorSamples.push({path: Buffer.from(path).toString('base64'), code: (err && err.code) || 'EIO'});
	};
	let rootStat;
	try {
		rootStat = fs.lstatSync(root);
	} catch (err) {
		fail(root, err);
		return r;
	}
	const dev = rootStat.dev;
	const stack = [];
	const visit = (path, st) => {
		if ((st.mode & S_IFMT) === S_IFDIR) {
			if (st.dev !== dev) {
				r.otherFs++;
				return;
			}
			r.dirs++;
			r.inodes++;
			r.allocatedBytes += st.blocks * 512;
			stack.push(path);
			return;
		}
		if (st.nlink > 1) {
			const key = st.dev + ':' + st.ino;
			if (seen.has(key)) return;
			seen.add(key);
		}
		r.files++;
		r.inodes++;
		r.apparentBytes += st.size;
		r.allocatedBytes += st.blocks * 512;
	};
	visit(root, rootStat);
	while (stack.length > 0) {
		const dir = stack.pop();
		let names;
		try {
			names = listDir(dir);
		} catch (err) {
			fail(dir, err);
			continue;
		}
		for (const name of names) {
			const path = join(dir, name);
			let st;
			try {
				st = fs.lstatSync(path);
			} catch (err) {
				fail(path, err);
				continue;
			}
			visit(path, st);
		}
	}
	return r;
}

if (parentPort) {
	parentPort.on('message', msg => {
		if (msg.type) return; // typed messages belong to tree-walk-worker.cjs, appended to this script
		let result;
		try {
			result = sizeTree(msg.root);
		} catch (err) {
			result = {error: String((err && err.message) || err)};
		}
		parentPort.postMessage({id: msg.id, result});
	});
}

module.exports = {sizeTree, listDir, join};
