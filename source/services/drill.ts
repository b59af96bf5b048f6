import type {DockerChanges} from '../adapters/docker/docker-changes.js';
import {walkTree, type RawName, type TreeWalkOptions, type WalkedTree} from '../adapters/fs/tree-walk.js';
import {summarizeClasses} from '../domain/classify.js';
import type {DrillChange, DrillProgress, DrillTree} from '../domain/drill-model.js';
import {displayName, exactName} from '../domain/file-tree.js';
import {metadataChanges, metadataEvidence, summarizeMetadataCopyUps} from '../domain/metadata-copy-up.js';
import {sanitize} from '../domain/sanitize.js';
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
	/** Bytes read to compare copy-ups with their lower copies (walk default: 128 MiB). */
	contentBudgetBytes?: number;
}

export {displayName};

function base64(raw: RawName): string {
	return Buffer.from(raw as Uint8Array).toString('base64');
}

export function change(path: RawName, fields: Omit<DrillChange, 'path' | 'pathBase64'>): DrillChange {
	const display = displayName(path);
	const plain = exactName(path);
	return {path: display, ...(plain === display ? {} : {pathBase64: base64(path)}), ...fields};
}

/** A walked layer as the drill-down model: the walk's tree as it is, the change list made display-safe. */
export function toDrillTree(containerId: string, raw: WalkedTree): DrillTree {
	const dirs = new Map(raw.dirs.map(d => [d.key, d]));
	const changes = raw.changes
		.map(c =>
			change(c.path, {
				kind: c.kind,
				class: c.class,
				bytes: c.bytes,
				...(c.lowerBytes !== undefined ? {lowerBytes: c.lowerBytes} : {}),
				...(c.dir ? {dir: true} : {}),
				...(c.metadata ? {metadataChange: metadataChanges(c.metadata)} : {}),
				...(c.contentSame !== undefined ? {contentSame: c.contentSame} : {}),
			}),
		)
		.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	const warnings: string[] = [];
	if (!raw.opaque.available) warnings.push(`opaque directories not detected (GNU tar with --xattrs is needed: ${raw.opaque.reason})`);
	const {denied, vanished, tooLong, other} = raw.totals.errors;
	if (denied + vanished + tooLong + other > 0) {
		warnings.push(`${denied} unreadable, ${vanished} vanished, ${tooLong} too-long paths (not walked), ${other} other errors`);
	}
	const metadataCopyUp = summarizeMetadataCopyUps(raw.metadataCopyUp, dirs, '/');
	if (raw.metadataCopyUp.unchecked > 0) warnings.push(`copy-ups: ${metadataEvidence(raw.metadataCopyUp)}`);
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
		...(metadataCopyUp ? {metadataCopyUp} : {}),
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
			...(options.contentBudgetBytes !== undefined ? {contentBudgetBytes: options.contentBudgetBytes} : {}),
			onProgress: options.onProgress ? p => options.onProgress!({entries: p.entries, dirsDone: p.dirsDone, totals: p.totals, topLevel: p.topLevel}) : undefined,
		};
		return toDrillTree(record.id, await walkTree(record.upperDir, walkOptions));
	}
	if (!options.engine) {
		throw new Error(`${sanitize(record.name)}: writable layer not readable here and no engine to ask. Run as root on the node.`);
	}
	return drillViaEngine(record.id, options.engine, {maxStats: options.maxStats ?? 500, signal: options.signal});
}
