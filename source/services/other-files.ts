/**
 * The "other files" breakdown for each filesystem the ledger covers: the walk
 * (adapters/fs/other-files-walk.ts), the rules (domain/other-files.ts), kubelet
 * emptyDirs attributed to their pods, and the residual against statfs.
 */
import {walkOtherFiles, mountPointOf, type OtherWalkProgress} from '../adapters/fs/other-files-walk.js';
import {buildLedger, ledgerTotal} from '../domain/ledger.js';
import {classifyOtherFiles, otherFileRules, type WalkedDir, residualBytes, summarizeOtherFiles, type OtherFileEntry, type OtherFilesSummary} from '../domain/other-files.js';
import type {EngineSnapshot, PodRef} from '../domain/types.js';
import {rootlessStores} from '../adapters/podman/rootless-stores.js';

export interface OtherFileRow extends OtherFileEntry {
	/** kubelet emptyDir of a pod the CRI engine knows. */
	pod?: PodRef;
}

export interface OtherFilesBreakdown {
	/** The walked root (the filesystem's mount point unless told otherwise). */
	root: string;
	usedBytes: number;
	ledgerBytes: number;
	entries: OtherFileRow[];
	summary: OtherFilesSummary;
	/** used − ledger − classified − unclassified (− deleted-but-open, once known): shown, never hidden. */
	residualBytes: number;
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
		const root = options.root ?? mountPointOf(fs.path);
		const walk = await walkOtherFiles(root, {signal: options.signal, onProgress: options.onProgress && (p => options.onProgress!({...p, root}))});
		const engineRoots = group.map(e => e.runtime.rootDir).filter((r): r is string => Boolean(r));
		const rules = otherFileRules({hostRoot: options.hostRoot, kubeletRoot: options.kubeletRoot, engineRoots, rootlessStores: options.rootlessStores ?? rootlessStores()});
		const entries: OtherFileRow[] = classifyOtherFiles(walk.root, walk.dirs, walk.files, rules);
		for (const entry of entries) {
			const pod = entry.podUid ? pods.get(entry.podUid) : undefined;
			if (pod) entry.pod = pod;
		}
		const ledgerBytes = group.reduce((t, e) => t + ledgerTotal(buildLedger(e)), 0);
		// CRI container logs live in /var/log/pods and are in the ledger already; the rest of the ledger lies in the engine roots.
		const criLogs = group.filter(e => e.runtime.kind === 'cri').reduce((t, e) => t + buildLedger(e).containerLogs.bytes, 0);
		const summary = summarizeOtherFiles(entries, {engineLedgerBytes: ledgerBytes - criLogs, podLogLedgerBytes: criLogs});
		// Rows show the same net figures as the summary: what the ledger counts is not listed twice.
		for (const cls of ['engine-data', 'pod-logs'] as const) {
			const rows = entries.filter(e => e.class === cls);
			const gross = rows.reduce((t, e) => t + e.bytes, 0);
			for (const row of rows) row.bytes = gross > 0 ? Math.round((row.bytes * (summary.byClass[cls] ?? 0)) / gross) : 0;
		}
		out.push({
			root,
			usedBytes: fs.usedBytes,
			ledgerBytes,
			entries,
			summary,
			residualBytes: residualBytes(fs.usedBytes, {ledgerBytes, classifiedBytes: summary.classifiedBytes, unclassifiedBytes: summary.unclassifiedBytes}),
			errors: walk.errors,
			unwalked: walk.unwalked,
			dirs: walk.dirs,
		});
	}
	return out;
}
