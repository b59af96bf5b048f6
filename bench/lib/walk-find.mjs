// Prototype: size writable layers with GNU find processes instead of Node lstat calls.
// find prints only numbers (depth, type, nlink, inode, size, 512-byte blocks), never
// names, so non-UTF-8 names and paths over PATH_MAX need no special care (find uses
// openat), and -xdev stays on one filesystem. find visits its starting points in the
// order given, so a depth-0 line starts the next root.
import {spawn} from 'node:child_process';

function sizeWithFind(roots) {
	return new Promise((resolve, reject) => {
		const child = spawn('find', [...roots, '-xdev', '-printf', '%d %y %n %i %s %b\\n'], {stdio: ['ignore', 'pipe', 'pipe']});
		const sizes = [];
		let s = null;
		let rest = '';
		let errors = 0;
		child.stderr.on('data', chunk => (errors += String(chunk).split('\n').length - 1));
		child.stdout.setEncoding('latin1');
		child.stdout.on('data', chunk => {
			const lines = (rest + chunk).split('\n');
			rest = lines.pop();
			for (const line of lines) {
				const [depth, type, nlink, ino, size, blocks] = line.split(' ');
				if (depth === '0') sizes.push((s = {apparentBytes: 0, allocatedBytes: 0, inodes: 0, seen: new Set()}));
				if (type !== 'd' && nlink !== '1') {
					if (s.seen.has(ino)) continue;
					s.seen.add(ino);
				}
				s.inodes++;
				s.allocatedBytes += Number(blocks) * 512;
				if (type !== 'd') s.apparentBytes += Number(size);
			}
		});
		child.on('error', reject);
		// A root that vanished prints no depth-0 line: a real implementation must match
		// roots by an lstat first, or run one find per root. Good enough for timing here.
		child.on('close', () => resolve({roots, sizes, errors}));
	});
}

/** Splits the roots over `procs` find processes. */
export async function findSizes(roots, procs = 2) {
	const parts = Array.from({length: procs}, (_, i) => roots.filter((_, j) => j % procs === i)).filter(p => p.length > 0);
	const results = await Promise.all(parts.map(sizeWithFind));
	const out = new Map();
	for (const r of results) for (const [i, root] of r.roots.entries()) out.set(root, r.sizes[i]);
	return out;
}
