import type {DockerChanges} from '../adapters/docker/docker-changes.js';
import {walkTree, type RawDir, type RawEntry, type RawName, type RawTree, type TreeWalkOptions} from '../adapters/fs/tree-walk.js';
import {pathClasses, summarizeClasses} from '../domain/classify.js';
import type {DrillChange, DrillDir, DrillEntry, DrillProgress, DrillTree} from '../domain/drill-model.js';
import {sanitize, sanitizeBytes} from '../domain/sanitize.js';
import type {ContainerRecord} from '../domain/types.js';
import {drillViaEngine} from './drill-engine.js';

export interface DrillOptions {
	signal?: AbortSignal;
	onProgress?: (progress: DrillProgress) => void;
	/** List every A path in `changes` (report); the console only counts them. */
	listAdded?: boolean;
	topK?: number;
	/** Host paths are readable (local engine, root). When false, or without an upperDir, the engine fallback is used. */
	local?: boolean;
	/** For the fallback: the engine's changes and archive stats. */
	engine?: DockerChanges;
	/** At most this many archive HEADs in the fallback. */
	maxStats?: number;
}

const utf8 = new TextDecoder('utf-8', {fatal: true});

/** Raw name -> exact string when it is valid UTF-8, else undefined. */
function exact(raw: RawName): string | undefined {
	if (typeof raw === 'string') return raw;
	try {
		return utf8.decode(raw);
	} catch {
		return undefined;
	}
}

/** Printable ASCII without a backslash: sanitize() would return it unchanged. */
const plainAscii = /^[\x20-\x5b\x5d-\x7e]*$/;

export function displayName(raw: RawName): string {
	if (typeof raw === 'string' && plainAscii.test(raw)) return raw;
	const s = exact(raw);
	return s === undefined ? sanitizeBytes(raw as Uint8Array) : sanitize(s);
}

function base64(raw: RawName): string {
	return Buffer.from(raw as Uint8Array).toString('base64');
}

function entry(raw: RawEntry): DrillEntry {
	return {
		name: raw.name,
		display: displayName(raw.name),
		type: raw.type,
		apparentBytes: raw.apparentBytes,
		allocatedBytes: raw.allocatedBytes,
		files: raw.files,
		inodes: raw.inodes,
		mark: raw.mark,
		class: pathClasses[raw.cls] ?? 'other',
		...(raw.lowerBytes !== undefined ? {lowerBytes: raw.lowerBytes} : {}),
		...(raw.dirKey !== undefined ? {dirKey: raw.dirKey} : {}),
	};
}

/**
 * RawDir -> DrillDir in place: a walk holds one record per directory of the layer, so
 * copying them all would double the peak memory. The raw-only fields are dropped.
 */
function dir(raw: RawDir): DrillDir {
	const d = raw as unknown as DrillDir & Partial<Pick<RawDir, 'rel' | 'name' | 'cls'>>;
	d.display = raw.key === '/' ? '/' : displayName(raw.rel);
	d.class = pathClasses[raw.cls] ?? 'other';
	const entries = raw.entries;
	for (let i = 0; i < entries.length; i++) (entries as unknown as DrillEntry[])[i] = entry(entries[i]!);
	d.rel = d.name = d.cls = undefined;
	return d;
}

export function change(path: RawName, fields: Omit<DrillChange, 'path' | 'pathBase64'>): DrillChange {
	const display = displayName(path);
	const plain = exact(path);
	return {path: display, ...(plain === display ? {} : {pathBase64: base64(path)}), ...fields};
}

/** Converts the worker's raw tree into the display-ready model (names sanitised once, here). */
export function toDrillTree(containerId: string, raw: RawTree): DrillTree {
	const dirs = new Map(raw.dirs.map(d => [d.key, dir(d)]));
	const changes = raw.changes
		.map(c =>
			change(c.path, {
				kind: c.kind,
				class: pathClasses[c.cls] ?? 'other',
				bytes: c.bytes,
				...(c.lowerBytes !== undefined ? {lowerBytes: c.lowerBytes} : {}),
				...(c.dir ? {dir: true} : {}),
			}),
		)
		.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	const warnings: string[] = [];
	if (!raw.opaque.available) warnings.push(`opaque directories not detected (GNU tar with --xattrs is needed: ${raw.opaque.reason})`);
	const {denied, vanished, tooLong, other} = raw.totals.errors;
	if (denied + vanished + tooLong + other > 0) {
		warnings.push(`${denied} unreadable, ${vanished} vanished, ${tooLong} too-long paths (not walked), ${other} other errors`);
	}
	return {
		containerId,
		source: 'walk',
		approximate: false,
		complete: true,
		rootKey: '/',
		dirs,
		changes,
		totals: raw.totals,
		classes: summarizeClasses(raw.totals.classBytes, raw.totals.classLowerBytes),
		unwalked: raw.unwalked.map(displayName),
		warnings,
	};
}

/**
 * The drill-down of one container: its writable layer walked on the host (tree + marks +
 * classes), or, without host access, the engine's change list sized by at most `maxStats`
 * archive stats and labelled approximate.
 */
export async function drillContainer(record: ContainerRecord, options: DrillOptions = {}): Promise<DrillTree> {
	if (record.upperDir && options.local !== false) {
		const walkOptions: TreeWalkOptions = {
			lowerDirs: record.lowerDirs,
			signal: options.signal,
			listAdded: options.listAdded,
			topK: options.topK,
			onProgress: options.onProgress
				? p => options.onProgress!({entries: p.entries, dirsDone: p.dirsDone, totals: p.totals, topLevel: p.topLevel.map(entry)})
				: undefined,
		};
		return toDrillTree(record.id, await walkTree(record.upperDir, walkOptions));
	}
	if (!options.engine) {
		throw new Error(`${sanitize(record.name)}: writable layer not readable here and no engine to ask. Run as root on the node.`);
	}
	return drillViaEngine(record.id, options.engine, {maxStats: options.maxStats ?? 500, signal: options.signal});
}
