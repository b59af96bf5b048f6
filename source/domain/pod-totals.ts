import type {EngineSnapshot} from './types.js';

/** One pod's containers added up (CRI pods and Podman pods alike). */
export interface PodTotal {
	engine: string;
	name: string;
	/** Kubernetes namespace on CRI; empty for Podman pods. */
	namespace: string;
	containers: number;
	/** Writable layers of every container in the pod, the infra container's included. */
	writableBytes: number;
	logBytes: number;
	/** Podman: the pod's infra container (goes with its pod, never removed alone). */
	infra?: string;
}

/** Pod totals per engine, largest first. Containers without a pod are left out. */
export function podTotals(engines: readonly EngineSnapshot[]): PodTotal[] {
	const totals = new Map<string, PodTotal>();
	for (const engine of engines) {
		for (const c of engine.containers) {
			if (!c.pod) continue;
			const key = `${engine.runtime.id}\0${c.pod.uid || `${c.pod.namespace}/${c.pod.name}`}`;
			const total = totals.get(key) ?? {engine: engine.runtime.id, name: c.pod.name, namespace: c.pod.namespace, containers: 0, writableBytes: 0, logBytes: 0};
			total.containers++;
			total.writableBytes += c.writableBytes ?? 0;
			total.logBytes += c.logBytes;
			if (c.infra) total.infra = c.name;
			totals.set(key, total);
		}
	}
	return [...totals.values()].sort((a, b) => b.writableBytes + b.logBytes - (a.writableBytes + a.logBytes) || a.name.localeCompare(b.name));
}
