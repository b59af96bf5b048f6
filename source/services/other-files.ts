/**
 * The "other files" breakdown for each filesystem the ledger covers: the walk
 * (adapters/fs/other-files-walk.ts), the rules (domain/other-files.ts), kubelet
 * emptyDirs attributed to their pods, and the residual against statfs.
 */
import {walkOtherFiles, mountPointOf, type OtherWalkProgress} from '../adapters/fs/other-files-walk.js';
import {resolve} from 'node:path';
import {readMountinfo} from '../adapters/cri/mountinfo.js';
import {filesystemStats} from '../adapters/fs/statfs.js';
import {scanDeletedOpenParallel} from '../adapters/proc/parallel-scan.js';
import {buildLedger, ledgerTotal} from '../domain/ledger.js';
import {classifyOtherFiles, duplicateMountPoints, type MountLine, otherFileRules, type WalkedDir, residualBytes, summarizeOtherFiles, type OtherFileEntry, type OtherFilesSummary} from '../domain/other-files.js';
import type {EngineSnapshot, PodRef} from '../domain/types.js';
import {rootlessStores} from '../adapters/podman/rootless-stores.js';
import {canScanProc} from './deleted-open.js';

export interface OtherFileRow extends OtherFileEntry {
	/** kubelet emptyDir of a pod the CRI engine knows. */
	pod?: PodRef;
}

export interface OtherFilesBreakdown {
	/** The walked root (the filesystem's mount point unless told otherwise). */
	root: string;
	/** statfs used when the walk started (fresh: not the snapshot's, which may be minutes old). */
	usedBytes: number;
	/** statfs used when the walk ended: others writing during the walk move it. */
	usedAfterBytes: number;
	/** The engines' ledger without its deleted-but-open row (that is its own term below). */
	ledgerBytes: number;
	/** Deleted files still held open on this filesystem, scanned when the walk ended; null when /proc cannot be read here. */
	deletedOpenBytes: number | null;
	entries: OtherFileRow[];
	summary: OtherFilesSummary;
	/** used − ledger − classified − unclassified − deleted-but-open: shown, never hidden. */
	residualBytes: number;
	/** usedAfterBytes − usedBytes: how far the residual can be off because the filesystem changed while it was walked. */
	churnBytes: number;
	errors: number;
	unwalked: string[];
	/** Every walked directory with its subtree bytes: the console's tree descends through them. */
	dirs: WalkedDir[];
}

export interface OtherFilesOptions {
	/** Walk this root instead of the filesystem's mount point (tests, or a narrower look). */
	root?: string;
	/** Prefix of the well-known host paths (tests); default none. */
	hostRoot?: string;
	/** kubelet --root-dir (default /var/lib/kubelet). */
	kubeletRoot?: string;
	/** Users' rootless Podman storage (default: found from /etc/passwd and their storage.conf). */
	rootlessStores?: ReadonlyArray<{user: string; graphRoot: string}>;
	signal?: AbortSignal;
	onProgress?: (progress: OtherWalkProgress & {root: string}) => void;
	/** statfs used of the filesystem holding a path (tests); default statfs(2). */
	usedBytesOf?: (path: string) => number;
	/** Allocated bytes of deleted files still held open on a device, null when unknown; default a /proc scan (root only). */
	deletedOpenBytesOn?: (device: number) => Promise<number | null>;
	/** /proc/self/mountinfo (tests); default read here. */
	mounts?: readonly MountLine[];
}

function mountsHere(): MountLine[] {
	try {
		return readMountinfo();
	} catch {
		return [];
	}
}

/** The /proc scan for one filesystem, at the walk's end: the snapshot's may be minutes old. */
async function scanDeletedOpenBytes(device: number): Promise<number | null> {
	if (!canScanProc()) return null;
	const {files} = await scanDeletedOpenParallel({devices: new Set([device])});
	return files.reduce((t, f) => t + f.allocatedBytes, 0);
}

/** Pods by uid, from the CRI engines' containers (and their pod lists when present). */
function podsByUid(engines: readonly EngineSnapshot[]): Map<string, PodRef> {
	const pods = new Map<string, PodRef>();
	for (const engine of engines) {
		for (const c of engine.containers) if (c.pod) pods.set(c.pod.uid, c.pod);
		for (const p of (engine as EngineSnapshot & {cri?: {pods: {pod: PodRef}[]}}).cri?.pods ?? []) pods.set(p.pod.uid, p.pod);
	}
	return pods;
}

/** One breakdown per distinct filesystem among the engines' (by device), walked one after the other. */
export async function otherFilesBreakdown(engines: readonly EngineSnapshot[], options: OtherFilesOptions = {}): Promise<OtherFilesBreakdown[]> {
	const groups = new Map<string, EngineSnapshot[]>();
	for (const engine of engines) {
		if (!engine.filesystem) continue;
		const key = engine.filesystem.device !== undefined ? `dev:${engine.filesystem.device}` : engine.filesystem.path;
		groups.set(key, [...(groups.get(key) ?? []), engine]);
	}
	const pods = podsByUid(engines);
	const out: OtherFilesBreakdown[] = [];
	for (const group of groups.values()) {
		const fs = group[0]!.filesystem!;
		// Absolute: walk workers resolve it off the main thread, where the /proc scan may move the cwd.
		const root = options.root ? resolve(options.root) : mountPointOf(fs.path);
		const usedOf = options.usedBytesOf ?? ((path: string) => filesystemStats(path).usedBytes);
		// statfs right before and right after the walk: on a live node the snapshot's figure is stale,
		// and whatever others write while the walk runs is the uncertainty of the residual.
		const usedBytes = usedOf(fs.path);
		const walk = await walkOtherFiles(root, {signal: options.signal, onProgress: options.onProgress && (p => options.onProgress!({...p, root}))});
		const usedAfterBytes = usedOf(fs.path);
		const deletedOpenBytes = fs.device === undefined ? null : await (options.deletedOpenBytesOn ?? scanDeletedOpenBytes)(fs.device);
		const engineRoots = group.map(e => e.runtime.rootDir).filter((r): r is string => Boolean(r));
		// Bind mounts of other directories of this filesystem: walked again, counted at their source.
		const bindMounts = duplicateMountPoints(options.mounts ?? mountsHere(), root);
		const rules = otherFileRules({hostRoot: options.hostRoot, kubeletRoot: options.kubeletRoot && resolve(options.kubeletRoot), engineRoots, bindMounts, rootlessStores: options.rootlessStores ?? rootlessStores()});
		const entries: OtherFileRow[] = classifyOtherFiles(walk.root, walk.dirs, walk.files, rules);
		for (const entry of entries) {
			const pod = entry.podUid ? pods.get(entry.podUid) : undefined;
			if (pod) entry.pod = pod;
		}
		// Deleted-but-open bytes are in no directory: they are their own term (fresh), not the ledger's row,
		// and the engine roots' walked bytes are netted only against what the ledger counts in them.
		const ledgers = group.map(e => buildLedger(e));
		const ledgerBytes = ledgers.reduce((t, l) => t + ledgerTotal(l) - (l.deletedOpen?.bytes ?? 0), 0);
		// CRI container logs live in /var/log/pods and are in the ledger already; the rest of the ledger lies in the engine roots.
		const criLogs = group.reduce((t, e, i) => t + (e.runtime.kind === 'cri' ? ledgers[i]!.containerLogs.bytes : 0), 0);
		const summary = summarizeOtherFiles(entries, {engineLedgerBytes: ledgerBytes - criLogs, podLogLedgerBytes: criLogs});
		// Rows show the same net figures as the summary: what the ledger counts is not listed twice.
		for (const cls of ['engine-data', 'pod-logs'] as const) {
			const rows = entries.filter(e => e.class === cls);
			const gross = rows.reduce((t, e) => t + e.bytes, 0);
			for (const row of rows) row.bytes = gross > 0 ? Math.round((row.bytes * (summary.byClass[cls] ?? 0)) / gross) : 0;
		}
		out.push({
			root,
			usedBytes,
			usedAfterBytes,
			ledgerBytes,
			deletedOpenBytes,
			entries,
			summary,
			residualBytes: residualBytes(usedBytes, {ledgerBytes, classifiedBytes: summary.classifiedBytes, unclassifiedBytes: summary.unclassifiedBytes, deletedOpenBytes: deletedOpenBytes ?? 0}),
			churnBytes: usedAfterBytes - usedBytes,
			errors: walk.errors,
			unwalked: walk.unwalked,
			dirs: walk.dirs,
		});
	}
	return out;
}
