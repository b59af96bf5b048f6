/**
 * Metadata-only copy-ups: files of the writable layer whose lower copy has the same size and the
 * same content, copied up because their owner, mode or times changed (`chown -R`, `chmod -R`,
 * `touch` over a tree). The walk finds them and compares content within a byte budget; this
 * module names what changed and where, in one line. Pure.
 */
import type {DirNode} from './file-tree.js';

/** Bits of what changed against the lower lstat. */
export const META_OWNER = 1;
export const META_MODE = 2;
export const META_TIME = 4;

export type MetadataChange = 'owner' | 'mode' | 'time';

export function metadataChanges(bits: number): MetadataChange[] {
	const out: MetadataChange[] = [];
	if (bits & META_OWNER) out.push('owner');
	if (bits & META_MODE) out.push('mode');
	if (bits & META_TIME) out.push('time');
	return out;
}

/** A walk's figures: files classed metadata-copy-up and how sure it is of them. */
export interface MetadataCopyUpFigures {
	/** Files classed metadata-copy-up (confirmed + inferred) and their apparent bytes. */
	files: number;
	bytes: number;
	/** Content compared with the lower copy and found equal. */
	confirmed: number;
	/** Same size and same mtime, not compared (budget spent): classed on that evidence. */
	inferred: number;
	/** Same size but a new mtime, not compared (budget spent): left in their ordinary class. */
	unchecked: number;
	/** Same size, compared, content differs: ordinary copy-ups. */
	differs: number;
	/** Bytes read to compare (both copies) and the walk's budget for it. */
	comparedBytes: number;
	budgetBytes: number;
	/** Files per change against the lower lstat (a file can count under several). */
	owner: number;
	mode: number;
	time: number;
	/** The most common new owner ("uid:gid") among ownership changes, with its file count. */
	topOwner?: {owner: string; files: number};
}

export const emptyMetadataFigures = (budgetBytes = 0): MetadataCopyUpFigures => ({
	files: 0,
	bytes: 0,
	confirmed: 0,
	inferred: 0,
	unchecked: 0,
	differs: 0,
	comparedBytes: 0,
	budgetBytes,
	owner: 0,
	mode: 0,
	time: 0,
});

/** The figures with the likely cause in one line and the directory it names. */
export interface MetadataCopyUpSummary extends MetadataCopyUpFigures {
	/** E.g. "ownership (to 1000:1000) changed on 3,536 files under /usr/lib/python3". */
	cause: string;
	/** Display path of the directory holding (nearly) all of them, and how many it holds. */
	under: string;
	underFiles: number;
}

const num = (n: number) => n.toLocaleString('en-US');

/** "ownership (to 1000:1000)", "mode", "modification time": what changed on at least half the files (else all seen). */
function changedText(f: MetadataCopyUpFigures): string {
	const half = f.files / 2;
	let kinds = (['owner', 'mode', 'time'] as const).filter(k => f[k] > 0 && f[k] >= half);
	if (kinds.length === 0) kinds = (['owner', 'mode', 'time'] as const).filter(k => f[k] > 0);
	const words = kinds.map(k => {
		if (k === 'owner') return f.topOwner && f.topOwner.files >= 0.9 * f.owner ? `ownership (to ${f.topOwner.owner})` : 'ownership';
		return k === 'mode' ? 'mode' : 'modification time';
	});
	if (words.length === 0) return 'metadata';
	return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * The directory holding (nearly) all metadata-only copy-ups: from the root, go down into the
 * subdirectory that holds at least 90% of the current one's, as long as there is one.
 */
export function metadataCopyUpRoot(dirs: ReadonlyMap<string, DirNode>, rootKey: string): DirNode | undefined {
	let at = dirs.get(rootKey);
	while (at?.metadataCopyUp) {
		const files = at.metadataCopyUp.files;
		let best: DirNode | undefined;
		for (const e of at.entries) {
			if (!e.dirKey) continue;
			const sub = dirs.get(e.dirKey);
			if (sub?.metadataCopyUp && (!best || sub.metadataCopyUp.files > best.metadataCopyUp!.files)) best = sub;
		}
		if (!best || best.metadataCopyUp!.files < 0.9 * files) break;
		at = best;
	}
	return at?.metadataCopyUp ? at : undefined;
}

/** The figures of a walk with their one-line cause; null when the layer holds none. */
export function summarizeMetadataCopyUps(f: MetadataCopyUpFigures | undefined, dirs: ReadonlyMap<string, DirNode>, rootKey: string): MetadataCopyUpSummary | null {
	if (!f || f.files === 0) return null;
	const root = metadataCopyUpRoot(dirs, rootKey);
	const under = root?.display ?? '/';
	const underFiles = root?.metadataCopyUp?.files ?? f.files;
	const rest = f.files - underFiles;
	const cause = `${changedText(f)} changed on ${num(underFiles)} files under ${under}${rest > 0 ? ` (and ${num(rest)} elsewhere)` : ''}`;
	return {...f, cause, under, underFiles};
}

/** "3,536 confirmed" or "2,000 confirmed, 1,536 inferred (same size and mtime)", plus what was left unchecked. */
export function metadataEvidence(f: MetadataCopyUpFigures): string {
	const parts = [`${num(f.confirmed)} confirmed by content`];
	if (f.inferred > 0) parts.push(`${num(f.inferred)} inferred from size and mtime`);
	if (f.unchecked > 0) parts.push(`${num(f.unchecked)} same-size files with a new mtime not compared (budget)`);
	return parts.join(', ');
}
