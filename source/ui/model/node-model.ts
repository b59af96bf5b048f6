/** Header and ledger figures, per filesystem: engines sharing one filesystem are summed. Pure. */
import {classifyFilesystem, imageGcOf, type EvictionThresholds, type FilesystemPressure} from '../../domain/eviction.js';
import {reclaimOrder, type ReclaimOrder} from '../../domain/image-gc.js';
import {GrowthTracker, timeToThreshold, totalGrowth} from '../../domain/growth.js';
import {buildLedger, ledgerCategories, otherBytes, type Ledger, type LedgerCategory} from '../../domain/ledger.js';
import {reclaimable} from '../../domain/ledger-labels.js';
import type {EngineSnapshot, FilesystemStats, NodeSnapshot} from '../../domain/types.js';

export interface LedgerLine {
	category: LedgerCategory;
	bytes: number | null;
	count: number | null;
	reclaimable: number | null;
	/** Bytes per engine, in the order of FilesystemGroup.engines. */
	perEngine: Array<number | null>;
}

export interface FilesystemGroup {
	fs: FilesystemStats | null;
	engines: EngineSnapshot[];
	lines: LedgerLine[];
	/** Used bytes none of the categories accounts for; null without filesystem figures. */
	other: number | null;
	pressure: FilesystemPressure | null;
	/** Sum of positive growth of the containers on this filesystem (writable layers and log files), bytes/s. */
	growth: number;
	/** The log files' part of `growth`. */
	logGrowth: number;
	/** Seconds until the first eviction threshold is crossed at that growth; null when nothing grows. */
	eta: number | null;
	/**
	 * The kubelet's image GC next to its eviction, at that growth: set where a kubelet runs (or its
	 * config exists) or a CRI engine uses this filesystem; null elsewhere (a Docker-only node).
	 */
	reclaim: ReclaimOrder | null;
}

/** The kubelet's image GC matters here: a kubelet was found, or a CRI engine is among these. */
export const kubeletNode = (thresholds: EvictionThresholds, engines: readonly EngineSnapshot[]) => Boolean(thresholds.kubelet) || engines.some(e => e.runtime.kind === 'cri');

const fsKey = (engine: EngineSnapshot) => (engine.filesystem ? String(engine.filesystem.device ?? engine.filesystem.path) : `engine:${engine.runtime.id}`);

export function filesystemGroups(snapshot: NodeSnapshot | null, growth: ReadonlyMap<string, number | null>, thresholds: EvictionThresholds, logGrowth: ReadonlyMap<string, number | null> = new Map()): FilesystemGroup[] {
	if (!snapshot) return [];
	const groups = new Map<string, EngineSnapshot[]>();
	for (const engine of snapshot.engines) groups.set(fsKey(engine), [...(groups.get(fsKey(engine)) ?? []), engine]);
	return [...groups.values()].map(engines => {
		const fs = engines[0]!.filesystem;
		const ledgers = engines.map(buildLedger);
		// Deleted-but-open files show once /proc was scanned (never a "—" row on nodes where it cannot be).
		const lines = ledgerCategories.map(category => line(category, ledgers)).filter(l => l.category !== 'deletedOpen' || l.bytes !== null);
		const accounted: Ledger[] = ledgers;
		const other = fs ? accounted.reduce((left, ledger) => otherBytes(ledger, left), fs.usedBytes) : null;
		const keys = engines.flatMap(e => e.containers.map(GrowthTracker.key));
		// Logs count too: a json-file log fills the same filesystem as the writable layers.
		const logs = totalGrowth(keys.map(k => logGrowth.get(k) ?? null));
		const total = totalGrowth(keys.map(k => growth.get(k) ?? null)) + logs;
		const pressure = fs ? classifyFilesystem(fs, thresholds) : null;
		return {
			fs,
			engines,
			lines,
			other,
			pressure,
			growth: total,
			logGrowth: logs,
			eta: fs && pressure ? timeToThreshold(fs.availableBytes, pressure.thresholdBytes, total) : null,
			reclaim: fs && pressure && kubeletNode(thresholds, engines) ? reclaimOrder(fs, pressure.thresholdBytes, imageGcOf(thresholds), total) : null,
		};
	});
}

function line(category: LedgerCategory, ledgers: Ledger[]): LedgerLine {
	const entries = ledgers.map(l => l[category]);
	const known = entries.filter(e => e !== null);
	const sum = (pick: (e: NonNullable<(typeof entries)[number]>) => number | null) => (known.length === 0 ? null : known.reduce((t, e) => t + (pick(e) ?? 0), 0));
	return {
		category,
		bytes: sum(e => e.bytes),
		count: sum(e => e.count),
		reclaimable: sum(e => reclaimable(category, e)),
		perEngine: entries.map(e => e?.bytes ?? null),
	};
}
