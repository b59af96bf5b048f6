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
import {under, type RawName} from './raw-names.js';

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
let bufA: Buffer | null = null;
let bufB: Buffer | null = null;

/** Reads up to `want` bytes at `pos`; returns how many were read (less only at end of file). */
function readFully(fd: number, buf: Buffer, want: number, pos: number): number {
	let got = 0;
	while (got < want) {
		const n = readSync(fd, buf, got, want - got, pos + got);
		if (n === 0) break;
		got += n;
	}
	return got;
}

function sameContent(a: string | Buffer, b: string | Buffer, size: number): boolean {
	let fa = -1;
	let fb = -1;
	try {
		fa = openSync(a, 'r');
		fb = openSync(b, 'r');
		bufA ??= Buffer.allocUnsafe(CHUNK);
		bufB ??= Buffer.allocUnsafe(CHUNK);
		for (let pos = 0; pos < size; pos += CHUNK) {
			const want = Math.min(CHUNK, size - pos);
			if (readFully(fa, bufA, want, pos) !== want || readFully(fb, bufB, want, pos) !== want) return false;
			if (bufA.compare(bufB, 0, want, 0, want) !== 0) return false;
		}
		return true;
	} finally {
		if (fa >= 0) closeSync(fa);
		if (fb >= 0) closeSync(fb);
	}
}

/**
 * One verdict per candidate (UNCHECKED, SAME, DIFFERS) and the bytes read. `root`: the upper
 * dir; `lowers`: the lower dirs, topmost first (candidates name theirs by index). A file that
 * cannot be read (vanished, denied) stays UNCHECKED.
 */
export function compareCopyUps(root: string, lowers: readonly string[], candidates: readonly CopyUpCandidate[], budgetBytes: number): {verdicts: Uint8Array; comparedBytes: number} {
	const verdicts = new Uint8Array(candidates.length);
	const order = candidates.map((_, i) => i);
	const rank = (c: CopyUpCandidate) => (c.bits & META_TIME ? 0 : 1);
	order.sort((x, y) => rank(candidates[x]!) - rank(candidates[y]!) || candidates[x]!.bytes - candidates[y]!.bytes);
	let compared = 0;
	let sameMtime = 0;
	const sameMtimeBudget = budgetBytes * SAME_MTIME_SHARE;
	for (const i of order) {
		const c = candidates[i]!;
		if (c.bytes === 0) {
			verdicts[i] = SAME;
			continue;
		}
		const cost = 2 * Math.max(c.bytes, MIN_COST);
		if (compared + cost > budgetBytes) continue;
		const timeChanged = (c.bits & META_TIME) !== 0;
		if (!timeChanged && sameMtime + cost > sameMtimeBudget) continue;
		const lower = lowers[c.layer];
		if (lower === undefined) continue;
		if (!timeChanged) sameMtime += cost;
		try {
			verdicts[i] = sameContent(under(root, c.rel), under(lower, c.rel), c.bytes) ? SAME : DIFFERS;
			compared += cost;
		} catch {
			// gone or unreadable since the walk: left unchecked
		}
	}
	return {verdicts, comparedBytes: compared};
}
