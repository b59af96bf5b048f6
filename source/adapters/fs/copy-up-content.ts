/**
 * Content comparison of copy-up candidates (a changed file whose lower copy has the same size)
 * against their lower copies, in this process: open, read and compare both copies chunk by
 * chunk, stopping at the first difference, never spawning a process. A per-walk budget bounds
 * the bytes read (both copies count, each file at least 4 KiB a side, for its opens). Candidates
 * whose mtime changed go first and may spend all of it: only their content tells a `touch` from a
 * same-size rewrite. Those with an unchanged mtime (a chown or chmod) are likely copies already,
 * so they get at most a quarter of it; the rest of them are inferred. Smaller files first within
 * each group, so the budget confirms as many files as it can. Empty files need no read.
 */
import {closeSync, openSync, readSync} from 'node:fs';
import {META_TIME} from '../../domain/metadata-copy-up.js';
import type {FileNode} from '../../domain/file-tree.js';
import {under, type RawName} from './raw-names.js';
import type {RawChange} from './tree-types.js';

/**
 * A changed file whose lower copy has the same size: maybe copied up for its metadata alone.
 * Its content is compared after the walk (compareCopyUps below), within a budget.
 */
export interface CopyUpCandidate {
	/** Its directory's key. */
	key: string;
	name: RawName;
	rel: RawName;
	/** Apparent bytes (the same on both sides). */
	bytes: number;
	/** The lower layer (index) holding the lower copy. */
	layer: number;
	/** What differs (META_* bits). */
	bits: number;
	/** Its class from the walk's rules (what it stays when the content differs). */
	cls: number;
	uid: number;
	gid: number;
	/** Set by a walk assembled on its own thread: the directory's index, the change record and the entry. */
	direct?: {g: number; change: RawChange; entry?: FileNode};
}

/** Default bytes read per walk to compare copies (both sides count). */
export const defaultContentBudgetBytes = 128 * 1024 * 1024;
/** Share of the budget that candidates with an unchanged mtime may spend. */
const SAME_MTIME_SHARE = 0.25;
/** The least a file costs, a side: its open and first read. */
const MIN_COST = 4096;

export const UNCHECKED = 0;
export const SAME = 1;
export const DIFFERS = 2;

const CHUNK = 256 * 1024;
/** Files compared between two turns of the event loop (the opaque-xattr tar's output drains meanwhile). */
const BATCH = 64;
let bufA: Buffer | null = null;
let bufB: Buffer | null = null;

/** Reads `want` bytes at `pos` (several reads if short); returns how many were read (less only at end of file). */
function readFully(fd: number, buf: Buffer, want: number, pos: number): number {
	let got = 0;
	while (got < want) {
		const n = readSync(fd, buf, got, want - got, pos + got);
		if (n === 0) break;
		got += n;
	}
	return got;
}

/** SAME or DIFFERS; throws when a file cannot be opened or read. */
function compareFiles(a: string | Buffer, b: string | Buffer, size: number): number {
	let fa = -1;
	let fb = -1;
	try {
		fa = openSync(a, 'r');
		fb = openSync(b, 'r');
		bufA ??= Buffer.allocUnsafe(CHUNK);
		bufB ??= Buffer.allocUnsafe(CHUNK);
		for (let pos = 0; pos < size; pos += CHUNK) {
			const want = Math.min(CHUNK, size - pos);
			if (readFully(fa, bufA, want, pos) !== want || readFully(fb, bufB, want, pos) !== want) return DIFFERS;
			if (bufA.compare(bufB, 0, want, 0, want) !== 0) return DIFFERS;
		}
		return SAME;
	} finally {
		if (fa >= 0) closeSync(fa);
		if (fb >= 0) closeSync(fb);
	}
}

const turn = () => new Promise<void>(resolve => setImmediate(resolve));

/**
 * One verdict per candidate (UNCHECKED, SAME, DIFFERS) and the bytes read. `root`: the upper
 * dir; `lowers`: the lower dirs, topmost first (candidates name theirs by index). What to
 * compare is chosen first, within the budget; the comparisons then run BATCH files at a time
 * (synchronous reads: the cheapest here), yielding between batches so the opaque-xattr tar
 * started beside them keeps running. A file that cannot be read (vanished, denied) stays
 * UNCHECKED.
 */
export async function compareCopyUps(root: string, lowers: readonly string[], candidates: readonly CopyUpCandidate[], budgetBytes: number): Promise<{verdicts: Uint8Array; comparedBytes: number}> {
	const verdicts = new Uint8Array(candidates.length);
	const order = candidates.map((_, i) => i);
	const rank = (c: CopyUpCandidate) => (c.bits & META_TIME ? 0 : 1);
	order.sort((x, y) => rank(candidates[x]!) - rank(candidates[y]!) || candidates[x]!.bytes - candidates[y]!.bytes);
	let planned = 0;
	let sameMtime = 0;
	const sameMtimeBudget = budgetBytes * SAME_MTIME_SHARE;
	const jobs: number[] = [];
	for (const i of order) {
		const c = candidates[i]!;
		if (c.bytes === 0) {
			verdicts[i] = SAME;
			continue;
		}
		const cost = 2 * Math.max(c.bytes, MIN_COST);
		if (planned + cost > budgetBytes) continue;
		const timeChanged = (c.bits & META_TIME) !== 0;
		if (!timeChanged && sameMtime + cost > sameMtimeBudget) continue;
		if (lowers[c.layer] === undefined) continue;
		if (!timeChanged) sameMtime += cost;
		planned += cost;
		jobs.push(i);
	}
	let compared = 0;
	for (let k = 0; k < jobs.length; k++) {
		if (k > 0 && k % BATCH === 0) await turn();
		const i = jobs[k]!;
		const c = candidates[i]!;
		try {
			verdicts[i] = compareFiles(under(root, c.rel), under(lowers[c.layer]!, c.rel), c.bytes);
			compared += 2 * Math.max(c.bytes, MIN_COST);
		} catch {
			// gone or unreadable since the walk: left unchecked
		}
	}
	return {verdicts, comparedBytes: compared};
}
