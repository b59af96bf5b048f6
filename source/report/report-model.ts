import {allDeletedOpen, jsonPath} from '../domain/deleted-open.js';
import {wordsFor} from '../domain/engine-words.js';
import {buildLedger, ledgerCategories, type Ledger, type LedgerEntry} from '../domain/ledger.js';
import type {ImageGcThresholds} from '../domain/image-gc.js';
import {podTotals, type PodTotal} from '../domain/pod-totals.js';
import type {ContainerRecord, EngineSnapshot, FilesystemStats, NodeSnapshot, PodRef, RuntimeInfo, SizeSource} from '../domain/types.js';

export interface ReportReclaimOrder {
	path: string;
	/** What the kubelet does first as this filesystem fills: collect unused images, or evict pods. */
	first: 'image-gc' | 'eviction';
	/** Available bytes at which each starts. */
	imageGcAtAvailableBytes: number | null;
	evictionAtAvailableBytes: number;
	/** Sum of the containers' measured growth (report --samples N); 0 with one sample. */
	growthBytesPerSec: number;
	/** Seconds until each at that growth (0: already there); null when nothing grows or image GC is off. */
	imageGcEtaSeconds: number | null;
	evictionEtaSeconds: number | null;
	sentence: string;
}

export interface ReportKubelet {
	/** A kubelet runs on this node, or its config exists. */
	present: boolean;
	/** Where the thresholds were read (the eviction thresholds' source). */
	source: string;
	imageGc: ImageGcThresholds;
	reclaimOrder: ReportReclaimOrder[];
}

/** The `report --json` contract. Scripts and later features rely on these names. */
export interface ReportContainer {
	id: string;
	name: string;
	image: string;
	state: string;
	engine: string;
	writableBytes: number | null;
	writableAllocatedBytes: number | null;
	writableInodes: number | null;
	logBytes: number;
	logPath: string | null;
	sizeSource: SizeSource;
	pod?: string;
	namespace?: string;
	/** A Podman pod's infra container (never a removal candidate). */
	infra?: boolean;
	growthBytesPerSec?: number;
}

/** A deleted file still held open; `container` is null for a host process. */
export interface ReportDeletedOpenFile {
	pid: number;
	command: string;
	container: string | null;
	engine: string | null;
	pod: string | null;
	namespace: string | null;
	/** The path the file had (UTF-8 text, or its escaped form when the bytes are not UTF-8). */
	path: string;
	bytes: number;
	allocatedBytes: number;
	fd: number;
	/** systemd unit of a host process, when its cgroup names one. */
	unit: string | null;
}

export interface ReportEngine {
	runtime: RuntimeInfo;
	filesystem: FilesystemStats | null;
	ledger: Ledger;
	sizedByEngine: boolean;
	warnings: string[];
}

/** One classed path of the "other files" breakdown (report --other-files). */
export interface ReportOtherFile {
	path: string;
	bytes: number;
	class: string;
	pod?: string;
	namespace?: string;
	/** podman-rootless: whose storage it is. */
	user?: string;
}

/** Per walked filesystem: used = ledger + classified + unclassified + deletedOpen + residual. */
export interface ReportOtherFilesSummary {
	root: string;
	/** statfs used when the walk started. */
	usedBytes: number;
	/** statfs used when it ended. */
	usedAfterBytes: number;
	/** The ledger without its deleted-but-open row. */
	ledgerBytes: number;
	classifiedBytes: number;
	unclassifiedBytes: number;
	/** Deleted files still held open on this filesystem; null when /proc cannot be read. */
	deletedOpenBytes: number | null;
	residualBytes: number;
	/** usedAfterBytes − usedBytes: what changed while the walk ran (the residual's uncertainty). */
	churnBytes: number;
	/** Walked through bind mounts of other directories of the same filesystem: listed (class bind-mount), in no total. */
	duplicateBytes: number;
	errors: number;
}

export interface Report {
	schemaVersion: 1;
	generatedAt: string;
	/** The first (or only) engine, kept for single-engine scripts. */
	runtime: RuntimeInfo;
	filesystem: FilesystemStats | null;
	/** Every engine's ledger added up (engines never share containers, images or volumes). */
	ledger: Ledger;
	runtimes: ReportEngine[];
	/** Distinct filesystems holding engine data, each counted once even when engines share it. */
	filesystems: FilesystemStats[];
	notes: string[];
	/** The kubelet hard-eviction thresholds used, and where they were read (issue 13). */
	evictionThresholds?: {source: string; nodefsAvailable: string; imagefsAvailable: string; nodefsInodesFree: string};
	/** Where a kubelet runs (or a CRI engine answered): its image GC thresholds and what comes first, image GC or eviction (issue 20). */
	kubelet?: ReportKubelet;
	containers: ReportContainer[];
	/** Files deleted but still held open on the covered filesystems, biggest first; absent when /proc was not scanned. */
	deletedOpenFiles?: ReportDeletedOpenFile[];
	/** CRI and Podman pods, each pod's containers added up, largest first. */
	pods: PodTotal[];
	sizing: {method: 'walk' | 'engine' | 'mixed'; note: string};
	warnings: string[];
	/** With --other-files: the rest of each filesystem, classed. */
	otherFiles?: ReportOtherFile[];
	otherFilesSummary?: ReportOtherFilesSummary[];
}

function container(record: ContainerRecord): ReportContainer {
	const pod: Partial<PodRef> = record.pod ?? {};
	return {
		id: record.id,
		name: record.name,
		image: record.image,
		state: record.state,
		engine: record.engine,
		writableBytes: record.writableBytes,
		writableAllocatedBytes: record.writableAllocatedBytes,
		writableInodes: record.writableInodes,
		logBytes: record.logBytes,
		logPath: record.logPath,
		sizeSource: record.sizeSource,
		...(pod.name ? {pod: pod.name, namespace: pod.namespace} : {}),
		...(record.infra ? {infra: true} : {}),
	};
}

function deletedOpenFile(file: import('../domain/types.js').DeletedOpenFile): ReportDeletedOpenFile {
	const c = file.holder.container;
	return {
		pid: file.pid,
		command: file.command,
		container: c?.name ?? null,
		engine: c?.engine ?? null,
		pod: c?.pod?.name ?? null,
		namespace: c?.pod?.namespace ?? null,
		path: jsonPath(file),
		bytes: file.bytes,
		allocatedBytes: file.allocatedBytes,
		fd: file.fd,
		unit: file.holder.unit,
	};
}

function engineReport(engine: EngineSnapshot): ReportEngine {
	return {
		runtime: engine.runtime,
		filesystem: engine.filesystem,
		ledger: buildLedger(engine),
		sizedByEngine: engine.sizedByEngine,
		warnings: engine.warnings,
	};
}

function addEntries(a: LedgerEntry | null, b: LedgerEntry | null): LedgerEntry | null {
	if (!a || !b) return a ?? b;
	const sum: LedgerEntry = {bytes: a.bytes + b.bytes, count: a.count + b.count};
	if (a.reclaimableBytes !== undefined || b.reclaimableBytes !== undefined) sum.reclaimableBytes = (a.reclaimableBytes ?? 0) + (b.reclaimableBytes ?? 0);
	return sum;
}

export function combineLedgers(ledgers: Ledger[]): Ledger {
	const [first, ...rest] = ledgers;
	const total = structuredClone(first!);
	for (const ledger of rest) {
		for (const key of ledgerCategories) (total as unknown as Record<string, LedgerEntry | null>)[key] = addEntries(total[key], ledger[key]);
	}
	return total;
}

export function distinctFilesystems(list: Array<FilesystemStats | null>): FilesystemStats[] {
	const seen = new Map<string, FilesystemStats>();
	for (const fs of list) {
		const key = fs && (fs.device !== undefined ? `dev:${fs.device}` : `path:${fs.path}`);
		if (fs && key && !seen.has(key)) seen.set(key, fs);
	}
	return [...seen.values()];
}

export function buildReport(snapshot: NodeSnapshot, notes: string[] = []): Report {
	const engines = snapshot.engines.map(engineReport);
	const first = engines[0]!;
	const containers = snapshot.engines
		.flatMap(engine => engine.containers)
		.map(container)
		.sort((a, b) => (b.writableBytes ?? -1) - (a.writableBytes ?? -1) || a.name.localeCompare(b.name));
	const byEngine = snapshot.engines.filter(e => e.sizedByEngine).length;
	const method = byEngine === 0 ? 'walk' : byEngine === snapshot.engines.length ? 'engine' : 'mixed';
	// Each engine kind's own tool for the same figure (domain/engine-words.ts): a CRI node reads crictl, never docker.
	const kinds = [...new Set(snapshot.engines.map(e => e.runtime.kind))];
	const compare = kinds.map(k => `${kinds.length > 1 ? `${k}: ` : ''}${wordsFor(k).sizeCompare}`).join('; ');
	return {
		schemaVersion: 1,
		generatedAt: new Date(snapshot.takenAt).toISOString(),
		runtime: first.runtime,
		filesystem: first.filesystem,
		ledger: combineLedgers(engines.map(e => e.ledger)),
		runtimes: engines,
		filesystems: distinctFilesystems(engines.map(e => e.filesystem)),
		notes,
		containers,
		...(snapshot.engines.some(e => e.deletedOpen) ? {deletedOpenFiles: allDeletedOpen(snapshot.engines).map(deletedOpenFile)} : {}),
		pods: podTotals(snapshot.engines),
		sizing: {
			method,
			note: `${method === 'walk' ? 'writable layers walked on the host (apparent bytes, hard links once)' : 'some writable layers were sized by the engine one at a time; host paths were not readable'}${compare ? ` (${compare})` : ''}`,
		},
		warnings: engines.flatMap(e => e.warnings),
	};
}
