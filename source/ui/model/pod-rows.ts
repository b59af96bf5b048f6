/**
 * Pods as the unit (CRI and Podman): the overview's rows grouped under their pod. Pure.
 *
 * Each pod shows two rows before its containers: the pod itself (its containers added up,
 * in the table's columns) and its ephemeral storage: the pod total the kubelet's eviction
 * manager counts (writable layers + logs + emptyDir) next to the requests/limits that
 * would fit it (domain/pod-ephemeral-advice.ts). A Podman pod has no kubelet and no
 * ephemeral-storage requests: its second row is its total alone (its infra container
 * included, which holds the pod's namespaces and is never offered for removal). Pods keep the order of their best-ranked
 * container, so the sort still decides what comes first; containers keep theirs inside.
 */
import {sizeEphemeral, type PodStorage} from '../../domain/pod-ephemeral-advice.js';
import type {ContainerRow} from './rows.js';

/** What a pod's rows carry besides the table's columns. */
export interface PodGroupInfo {
	kind: 'pod' | 'pod-storage';
	/** `namespace/pod` (sanitised); a Podman pod's name. */
	pod: string;
	/** A Kubernetes pod (CRI): its total is what the kubelet's eviction manager counts. */
	kubernetes: boolean;
	containers: number;
	/** Writable layers + logs + emptyDir; emptyDir null when it was not measured. */
	totalBytes: number;
	emptyDirBytes: number | null;
	/** Suggested ephemeral-storage requests and limits for that total. */
	request: string;
	limit: string;
}

export type GroupedRow = ContainerRow & {group?: PodGroupInfo};

/** Row keys of pod rows: never a container's "engine/id". */
export const podRowPrefix = 'pod:';
export const isPodRow = (key: string | null | undefined) => Boolean(key?.startsWith(podRowPrefix));

const podKey = (row: ContainerRow) => {
	const pod = row.record.pod!;
	return `${row.record.engine}/${pod.uid || `${pod.namespace}/${pod.name}`}`;
};

/** Containers in a pod (a CRI engine's Kubernetes pod, or a Podman pod) group; every other row stays as it is. */
const groupable = (row: ContainerRow) => Boolean(row.record.pod);

/**
 * The rows grouped by pod, in the order of `sorted`. `storage` gives each pod's measured
 * ephemeral storage (emptyDir included) when the console could read it.
 */
export function groupByPod(sorted: readonly ContainerRow[], storage: ReadonlyArray<{engine: string; pods: readonly PodStorage[]}> = []): GroupedRow[] {
	const members = new Map<string, ContainerRow[]>();
	for (const row of sorted) if (groupable(row)) members.set(podKey(row), [...(members.get(podKey(row)) ?? []), row]);
	const measured = new Map<string, PodStorage>();
	for (const {engine, pods} of storage) for (const p of pods) measured.set(`${engine}/${p.pod.uid}`, p);
	const out: GroupedRow[] = [];
	const done = new Set<string>();
	for (const row of sorted) {
		if (!groupable(row)) {
			out.push(row);
			continue;
		}
		const key = podKey(row);
		if (done.has(key)) continue;
		done.add(key);
		const rows = members.get(key)!;
		const pod = row.pod;
		const writable = rows.reduce((t, r) => t + (r.writableBytes ?? 0), 0);
		const logs = rows.reduce((t, r) => t + r.logBytes, 0);
		const growths = rows.map(r => r.growth).filter((g): g is number => g !== null);
		const known = measured.get(`${row.record.engine}/${row.record.pod!.uid}`);
		const emptyDirBytes = known ? known.emptyDirBytes : null;
		// The eviction manager's sum, as the pod's ephemeral-storage advice counts it: the runtime's
		// writable layers (allocated) and logs, plus disk-backed emptyDirs; without a measure, the rows' sum.
		const totalBytes = known ? known.totalBytes : writable + logs;
		const sizing = sizeEphemeral(totalBytes);
		const group: Omit<PodGroupInfo, 'kind'> = {pod, kubernetes: Boolean(row.record.pod!.namespace), containers: rows.length, totalBytes, emptyDirBytes, request: sizing.request, limit: sizing.limit};
		const base = {...row, image: '', pod: '', series: []};
		out.push({
			...base,
			key: `${podRowPrefix}${key}`,
			name: `▾ ${pod} (${rows.length})`,
			container: `▾ ${pod} (${rows.length})`,
			state: 'pod',
			writableBytes: writable,
			logBytes: logs,
			growth: growths.length ? growths.reduce((t, g) => t + Math.max(0, g), 0) : null,
			group: {kind: 'pod', ...group},
		});
		out.push({...base, key: `${podRowPrefix}${key}#storage`, name: '', container: '', state: '', writableBytes: null, logBytes: 0, growth: null, group: {kind: 'pod-storage', ...group}});
		for (const member of rows) out.push({...member, name: `  ${member.container}`, container: `  ${member.container}`, pod: ''});
	}
	return out;
}

/** The pod's storage row: its total next to the ephemeral-storage requests/limits that fit it. */
export function podStorageText(info: PodGroupInfo, bytes: (n: number) => string): string {
	if (!info.kubernetes) return `  pod total ${bytes(info.totalBytes)} (writable layers + logs, infra container included)`;
	const emptyDir = info.emptyDirBytes === null ? 'emptyDir not read' : `emptyDir ${bytes(info.emptyDirBytes)}`;
	return `  pod total ${bytes(info.totalBytes)} (${emptyDir}) → ephemeral-storage req ${info.request}, lim ${info.limit}`;
}
