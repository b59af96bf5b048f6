'use strict';
// Reads overlayfs' "trusted.overlay.opaque" xattr of many directories at once.
// Node has no getxattr and native addons are off the table, so this asks GNU tar
// (essential on Debian/Ubuntu/RHEL) to archive the bare directory entries with
// their trusted.overlay.* xattrs and parses the pax headers of that stream.
// Appended after walk-worker.cjs into one worker script; also loadable alone.
const {spawnSync: spawnTarSync} = require('node:child_process');

const tarArgs = [
	'--format=posix',
	'--xattrs',
	'--xattrs-include=trusted.overlay.opaque',
	'--no-recursion',
	'--no-unquote',
	'--absolute-names',
	'--null',
	'-T',
	'-',
	'-cf',
	'-',
];

const opaqueState = {available: true, reason: ''};

function parsePax(buf) {
	const out = {};
	let i = 0;
	while (i < buf.length) {
		const sp = buf.indexOf(0x20, i);
		if (sp < 0) break;
		const len = parseInt(buf.toString('latin1', i, sp), 10);
		if (!(len > 0)) break;
		const rec = buf.subarray(sp + 1, i + len - 1);
		const eq = rec.indexOf(0x3d);
		if (eq > 0) out[rec.toString('latin1', 0, eq)] = rec.toString('latin1', eq + 1);
		i += len;
	}
	return out;
}

function field(h, start, len) {
	const raw = h.subarray(start, start + len);
	const nul = raw.indexOf(0);
	return raw.toString('latin1', 0, nul < 0 ? len : nul);
}

/** Indexes (into `paths`) of the directories marked opaque. Paths are absolute (string or Buffer). */
function readOpaque(paths) {
	const found = new Set();
	if (!opaqueState.available || paths.length === 0) return found;
	const want = new Map();
	const parts = [];
	paths.forEach((p, i) => {
		const b = Buffer.from(p);
		want.set(b.toString('latin1'), i);
		parts.push(b, Buffer.alloc(1));
	});
	const r = spawnTarSync('tar', tarArgs, {input: Buffer.concat(parts), maxBuffer: 1 << 30});
	if (r.error || (r.status !== 0 && r.status !== 2) || !r.stdout) {
		opaqueState.available = false;
		opaqueState.reason = r.error ? String(r.error.code || r.error.message) : `tar exited ${r.status}`;
		return found;
	}
	const out = r.stdout;
	let off = 0;
	let pax = null;
	while (off + 512 <= out.length && out[off] !== 0) {
		const h = out.subarray(off, off + 512);
		const size = parseInt(field(h, 124, 12).trim() || '0', 8) || 0;
		const type = String.fromCharCode(h[156]);
		const data = off + 512;
		if (type === 'x') pax = parsePax(out.subarray(data, data + size));
		else if (type !== 'g') {
			const prefix = field(h, 345, 155);
			let name = pax && pax.path !== undefined ? pax.path : prefix ? prefix + '/' + field(h, 0, 100) : field(h, 0, 100);
			if (pax && pax['SCHILY.xattr.trusted.overlay.opaque'] === 'y') {
				while (name.length > 1 && name.endsWith('/')) name = name.slice(0, -1);
				if (want.has(name)) found.add(want.get(name));
			}
			pax = null;
		}
		off = data + Math.ceil(size / 512) * 512;
	}
	return found;
}

if (typeof module !== 'undefined') module.exports = Object.assign(module.exports || {}, {readOpaque, opaqueState});
