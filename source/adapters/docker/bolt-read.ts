/**
 * A read-only reader of a bbolt database file (the format BuildKit's and containerd's
 * metadata use): the top-level buckets and, in each, its own keys with their values.
 * Nested buckets below that are not read. The file is read at once and walked from the
 * newest valid meta page; anything that does not parse is an error, never a guess.
 */
import {readFileSync} from 'node:fs';

const magic = 0xed0cdaed;
const branchPage = 0x01;
const leafPage = 0x02;
const bucketLeafFlag = 0x01;
const pageHeader = 16;
const elementSize = 16;

export class BoltFormatError extends Error {}

/** Top-level bucket name → its keys (latin1 text) → values (raw). */
export type BoltBuckets = Map<string, Map<string, Buffer>>;

interface Meta {
	pageSize: number;
	root: bigint;
	txid: bigint;
}

function readMeta(file: Buffer, offset: number): Meta | null {
	if (file.length < offset + pageHeader + 64) return null;
	const m = offset + pageHeader;
	if (file.readUInt32LE(m) !== magic || file.readUInt32LE(m + 4) !== 2) return null;
	const pageSize = file.readUInt32LE(m + 8);
	if (pageSize < 512 || pageSize > 1 << 20) return null;
	return {pageSize, root: file.readBigUInt64LE(m + 16), txid: file.readBigUInt64LE(m + 48)};
}

/** Visits every leaf element under the page at `offset` (a page of the file, or an inline one). */
function walkPage(file: Buffer, offset: number, pageSize: number, visit: (flags: number, key: Buffer, value: Buffer) => void, depth = 0): void {
	if (depth > 64 || offset + pageHeader > file.length) throw new BoltFormatError('page out of range');
	const flags = file.readUInt16LE(offset + 8);
	const count = file.readUInt16LE(offset + 10);
	const elements = offset + pageHeader;
	for (let i = 0; i < count; i++) {
		const e = elements + i * elementSize;
		if (flags & leafPage) {
			const elementFlags = file.readUInt32LE(e);
			const pos = file.readUInt32LE(e + 4);
			const ksize = file.readUInt32LE(e + 8);
			const vsize = file.readUInt32LE(e + 12);
			const k = e + pos;
			if (k + ksize + vsize > file.length) throw new BoltFormatError('leaf element out of range');
			visit(elementFlags, file.subarray(k, k + ksize), file.subarray(k + ksize, k + ksize + vsize));
		} else if (flags & branchPage) {
			const child = file.readBigUInt64LE(e + 8);
			walkPage(file, pageOffset(child, pageSize, file), pageSize, visit, depth + 1);
		} else throw new BoltFormatError(`unexpected page flags ${flags}`);
	}
}

function pageOffset(id: bigint, pageSize: number, file: Buffer): number {
	const offset = Number(id) * pageSize;
	if (!Number.isSafeInteger(offset) || offset + pageHeader > file.length) throw new BoltFormatError('page id out of range');
	return offset;
}

/** A bucket value: {root page id, sequence}, then an inline page when root is 0. */
function walkBucket(file: Buffer, value: Buffer, pageSize: number, visit: (flags: number, key: Buffer, value: Buffer) => void): void {
	if (value.length < 16) throw new BoltFormatError('short bucket header');
	const root = value.readBigUInt64LE(0);
	if (root === 0n) {
		const inline = Buffer.from(value.subarray(16)); // its own buffer: offsets inside it start at 0
		if (inline.length >= pageHeader) walkPage(inline, 0, pageSize, visit);
		return;
	}
	walkPage(file, pageOffset(root, pageSize, file), pageSize, visit);
}

export function readBoltBuckets(path: string): BoltBuckets {
	const file = readFileSync(path);
	const first = readMeta(file, 0);
	const second = first ? readMeta(file, first.pageSize) : readMeta(file, 4096);
	const meta = [first, second].filter((m): m is Meta => m !== null).sort((a, b) => (a.txid > b.txid ? -1 : 1))[0];
	if (!meta) throw new BoltFormatError('no valid meta page');
	const buckets: BoltBuckets = new Map();
	walkPage(file, pageOffset(meta.root, meta.pageSize, file), meta.pageSize, (flags, name, value) => {
		if (!(flags & bucketLeafFlag)) return;
		const entries = new Map<string, Buffer>();
		walkBucket(file, value, meta.pageSize, (f, key, v) => {
			if (!(f & bucketLeafFlag)) entries.set(key.toString('latin1'), Buffer.from(v));
		});
		buckets.set(name.toString('latin1'), entries);
	});
	return buckets;
}
