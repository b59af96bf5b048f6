/**
 * Deleted-but-open files: attribution to containers (through the holder's cgroup) or host
 * processes, the ledger entry, and display text. Pure.
 */
import {matchContainer, parseCgroup} from './cgroup.js';
import type {LedgerEntry} from './types.js';
import {sanitize, sanitizeBytes} from './sanitize.js';
import type {ContainerRecord, DeletedOpenFile, EngineSnapshot} from './types.js';

/** The mutation target (and plan items' engine) for truncating open files: the host, not an engine. */
export const hostEngine = 'host';

/** What the /proc scan found, before attribution: the holder's raw cgroup text instead of a holder. */
export interface ScannedOpenFile extends Omit<DeletedOpenFile, 'holder'> {
	cgroup: string;
}

/** The filesystems the ledger covers (st_dev of each engine's data root). */
export function coveredDevices(engines: readonly EngineSnapshot[]): Set<number> {
	return new Set(engines.flatMap(e => (e.filesystem?.device !== undefined ? [e.filesystem.device] : [])));
}

/**
 * Attributes each file to a container of the snapshot (by the ids its holder's cgroup names)
 * or to the host process, and lists it under the first engine on the file's filesystem.
 */
export function attachDeletedOpen(engines: readonly EngineSnapshot[], scanned: readonly ScannedOpenFile[]): EngineSnapshot[] {
	const containers = new Map<string, ContainerRecord>();
	for (const engine of engines) for (const c of engine.containers) containers.set(c.id, c);
	const known = new Set(containers.keys());
	const byEngine = new Map<EngineSnapshot, DeletedOpenFile[]>(engines.filter(e => e.filesystem?.device !== undefined).map(e => [e, []]));
	for (const {cgroup, ...file} of scanned) {
		const engine = engines.find(e => e.filesystem?.device === file.device);
		if (!engine) continue;
		const info = parseCgroup(cgroup);
		const id = matchContainer(info, known);
		const c = id ? containers.get(id) : undefined;
		byEngine.get(engine)!.push({
			...file,
			holder: {
				container: c ? {engine: c.engine, id: c.id, name: c.name, ...(c.pod ? {pod: c.pod} : {})} : null,
				...(!c && info.containerId ? {foreignId: info.containerId} : {}),
				...(info.engine ? {layoutEngine: info.engine} : {}),
				unit: c ? null : info.unit,
			},
		});
	}
	return engines.map(e => (byEngine.has(e) ? {...e, deletedOpen: byEngine.get(e)!.sort(byAllocated)} : e));
}

const byAllocated = (a: DeletedOpenFile, b: DeletedOpenFile) => b.allocatedBytes - a.allocatedBytes || a.pid - b.pid || a.fd - b.fd;

/** Every engine's files, biggest first. */
export function allDeletedOpen(engines: readonly EngineSnapshot[]): DeletedOpenFile[] {
	return engines.flatMap(e => e.deletedOpen ?? []).sort(byAllocated);
}

/** Ledger entry: allocated bytes (what statfs counts as used). null until /proc was scanned. */
export function deletedOpenEntry(files: readonly DeletedOpenFile[] | undefined): LedgerEntry | null {
	if (!files) return null;
	const bytes = files.reduce((t, f) => t + f.allocatedBytes, 0);
	return {bytes, count: files.length, reclaimableBytes: bytes};
}

/** Allocated bytes held per container, keyed "engine/id" (GrowthTracker's key). */
export function heldByContainer(engines: readonly EngineSnapshot[]): Map<string, number> {
	const held = new Map<string, number>();
	for (const file of allDeletedOpen(engines)) {
		const c = file.holder.container;
		if (c) held.set(`${c.engine}/${c.id}`, (held.get(`${c.engine}/${c.id}`) ?? 0) + file.allocatedBytes);
	}
	return held;
}

function latin1Bytes(text: string): Uint8Array {
	const out = new Uint8Array(text.length);
	for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
	return out;
}

/** Display-safe path (invalid UTF-8 and control bytes escaped). */
export function displayPath(file: Pick<DeletedOpenFile, 'path'>): string {
	return sanitizeBytes(latin1Bytes(file.path));
}

/** The path for JSON: the text itself when it is valid UTF-8, else its escaped form. */
export function jsonPath(file: Pick<DeletedOpenFile, 'path'>): string {
	try {
		return new TextDecoder('utf-8', {fatal: true}).decode(latin1Bytes(file.path));
	} catch {
		return displayPath(file);
	}
}

/** One display line naming the holder: "web (docker)", "pod/ns app (containerd)", "pid 42 sleep, cron.service". */
export function holderLabel(file: DeletedOpenFile): string {
	const c = file.holder.container;
	if (c) return `${c.pod ? `${sanitize(c.pod.namespace)}/${sanitize(c.pod.name)} ` : ''}${sanitize(c.name)} (${sanitize(c.engine)})`;
	const unit = file.holder.unit ? `, ${sanitize(file.holder.unit)}` : '';
	const foreign = file.holder.foreignId ? `, ${file.holder.layoutEngine ?? 'container'} ${file.holder.foreignId.slice(0, 12)}` : '';
	return `pid ${file.pid} ${sanitize(file.command)}${unit}${foreign}`;
}

/** Key that groups files by holder (container, else process). */
export function holderKey(file: DeletedOpenFile): string {
	const c = file.holder.container;
	return c ? `c:${c.engine}/${c.id}` : `p:${file.pid}:${file.startTime}`;
}
