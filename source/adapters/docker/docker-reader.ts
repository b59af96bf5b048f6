import type {PrefetchedRuntime} from './runtime-prefetch.js';
import {accessSync, constants} from 'node:fs';
import {join} from 'node:path';
import type {ContainerInspectInfo, ContainerInfo, ImageInfo} from 'dockerode';
import type {BuildCacheRecord, ContainerRecord, ContainerState, EngineUsage, ImageRecord, RuntimeInfo, VolumeRecord} from '../../domain/types.js';
import {mapLimit} from '../../lib/map-limit.js';
import type {DockerClient} from './docker-client.js';
import {containerPathsFromDisk, type ContainerPaths} from './container-paths.js';
import {diffIdsFromDisk, layersFromDisk, layersFromHistory} from './layer-sizes.js';

/** dockerode's JS accepts these options (abortSignal, size) where its typings lag behind. */
const opts = (options: Record<string, unknown>) => options;

const states = new Set<ContainerState>(['running', 'paused', 'restarting', 'created', 'exited', 'dead', 'removing']);

function readableDir(path: string | undefined): boolean {
	if (!path) return false;
	try {
		accessSync(path, constants.R_OK | constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

export function isAnonymousVolume(name: string, labels: Record<string, string> | null | undefined): boolean {
	return Boolean(labels && 'com.docker.volume.anonymous' in labels) || /^[0-9a-f]{64}$/.test(name);
}

/** Podman answers Docker's /version with a component (or platform) named after itself. */
export function isPodmanVersion(version: {Platform?: {Name?: string}; Components?: Array<{Name?: string}>} | null | undefined): boolean {
	const names = [version?.Platform?.Name, ...(version?.Components ?? []).map(c => c?.Name)];
	return names.some(name => typeof name === 'string' && /podman/i.test(name));
}

/** Read-only view of one Docker engine (or Podman through its Docker-compatible API). It has no method that changes anything. */
export class DockerReader {
	/** Snapshot id of this engine: "docker", or "podman" once /version said so (see runtime()). */
	engineId: string;
	/** When a walk of a writable layer meets unreadable entries, ask the engine for that layer's size instead. */
	readonly sizeUnreadableByEngine: boolean = false;

	constructor(
		readonly client: DockerClient,
		readonly concurrency = 8,
		engineId = 'docker',
	) {
		this.engineId = engineId;
	}

	/**
	 * What /version says this engine is; Podman is recognised whatever endpoint reached it.
	 * `prefetched`: /version and /info already asked for on this engine's socket (each
	 * asked again here if that answer failed).
	 */
	async runtime(prefetched?: Pick<PrefetchedRuntime, 'version' | 'info'>): Promise<RuntimeInfo> {
		const version = this.client.call<any>('version', async (d: any, abortSignal) => (await prefetched?.version) ?? d.version(opts({abortSignal}))).catch(() => null);
		const info = await this.client.call<any>('info', async (d: any, abortSignal) => (await prefetched?.info) ?? d.info(opts({abortSignal})));
		const status: Array<[string, string]> = info.DriverStatus ?? [];
		const podman = isPodmanVersion(await version);
		if (podman && this.engineId === 'docker') this.engineId = 'podman';
		return {
			id: this.engineId,
			kind: podman ? 'podman' : 'docker',
			name: podman ? 'podman' : 'docker',
			endpoint: this.client.endpoint.display,
			version: info.ServerVersion,
			apiVersion: (await version)?.ApiVersion,
			storageDriver: info.Driver,
			backingFilesystem: status.find(([key]) => key === 'Backing Filesystem')?.[1] ?? 'unknown',
			rootDir: info.DockerRootDir,
		};
	}

	/**
	 * Containers with their layer and log paths; sizes are filled in later. On a local
	 * overlay2 engine the paths come from Docker's layout on disk (no call per container);
	 * otherwise, or when that fails, from one inspect per container. With `ids`, only those
	 * containers (one filtered list: what an engine event needs).
	 */
	async containers(rootDir?: string, driver?: string, ids?: readonly string[]): Promise<ContainerRecord[]> {
		if (ids?.length === 0) return [];
		const filters = ids ? {filters: {id: [...ids]}} : {};
		const list: ContainerInfo[] = await this.client.call<any>('list containers', (d: any, abortSignal) => d.listContainers({all: true, ...filters, abortSignal}));
		const records = await mapLimit(list, this.concurrency, async summary => {
			const paths = this.client.endpoint.local && rootDir && driver ? containerPathsFromDisk(rootDir, driver, summary.Id) : null;
			if (paths) return fromSummary(this.engineId, summary, paths);
			const detail = await this.client.call<any>(`inspect container ${summary.Id.slice(0, 12)}`, (d: any, abortSignal) => d.getContainer(summary.Id).inspect({abortSignal})).catch(() => null); // removed between list and inspect
			return detail && toContainer(this.engineId, summary, detail, rootDir);
		});
		return records.filter((r): r is ContainerRecord => r !== null);
	}

	/** One container by name or id (prefix), as the engine resolves it (one inspect); null when it does not. */
	async container(nameOrId: string): Promise<ContainerRecord | null> {
		const detail = await this.client.call<any>('inspect container', (d: any, abortSignal) => d.getContainer(nameOrId).inspect({abortSignal})).catch(() => null);
		return detail?.Id ? toContainer(this.engineId, {} as ContainerInfo, detail) : null;
	}

	/** One container sized by the engine (inspect ?size=1): the fallback without host access. */
	async engineSize(id: string): Promise<{sizeRw: number; sizeRootFs: number}> {
		const detail = await this.client.call<any>(`size container ${id.slice(0, 12)}`, (d: any, abortSignal) => d.getContainer(id).inspect(opts({size: true, abortSignal})));
		const sized = detail as ContainerInspectInfo & {SizeRw?: number; SizeRootFs?: number};
		return {sizeRw: sized.SizeRw ?? 0, sizeRootFs: sized.SizeRootFs ?? 0};
	}

	async images(runtime: RuntimeInfo): Promise<ImageRecord[]> {
		const list: ImageInfo[] = await this.client.call<any>('list images', (d: any, abortSignal) => d.listImages({all: false, abortSignal}));
		return mapLimit(list, this.concurrency, async image => {
			const record: ImageRecord = {
				engine: this.engineId,
				id: image.Id,
				tags: (image.RepoTags ?? []).filter(tag => tag !== '<none>:<none>'),
				digests: (image.RepoDigests ?? []).filter(digest => !digest.startsWith('<none>')),
				createdAt: image.Created ? image.Created * 1000 : undefined,
				virtualBytes: image.Size,
				layers: [],
			};
			try {
				// A local engine's image store on disk gives exact layer sizes with no call per image.
				const local = runtime.rootDir && this.client.endpoint.local ? runtime.rootDir : null;
				const diskDiffIds = local ? diffIdsFromDisk(local, runtime.storageDriver, image.Id) : null;
				const fromDisk = local && diskDiffIds ? layersFromDisk(local, runtime.storageDriver, diskDiffIds) : null;
				if (fromDisk) record.layers = fromDisk;
				else {
					const detail = await this.client.call<any>('inspect image', (d: any, abortSignal) => d.getImage(image.Id).inspect(opts({abortSignal})));
					const diffIds = detail.RootFS?.Layers ?? [];
					record.layers = (local ? layersFromDisk(local, runtime.storageDriver, diffIds) : null) ?? layersFromHistory(diffIds, await this.client.call<any>('image history', (d: any) => d.getImage(image.Id).history()));
				}
			} catch {
				// removed meanwhile: keep the virtual size as one pseudo-layer
			}
			return record;
		});
	}

	/** /system/df: the only source for build cache; slow on big nodes, so callers keep it off the critical path. */
	async diskUsage(timeoutMs = 120_000): Promise<EngineUsage & {sizeRw: Map<string, number>}> {
		const df = await this.client.call<any>('system df', (d: any, abortSignal) => d.df(opts({abortSignal})), {timeoutMs});
		const volumes: VolumeRecord[] = (df.Volumes ?? []).map((v: any) => ({
			engine: this.engineId,
			name: v.Name,
			driver: v.Driver,
			mountpoint: v.Mountpoint,
			anonymous: isAnonymousVolume(v.Name, v.Labels),
			bytes: v.UsageData && v.UsageData.Size >= 0 ? v.UsageData.Size : null,
			refCount: v.UsageData && v.UsageData.RefCount >= 0 ? v.UsageData.RefCount : null,
		}));
		const buildCache: BuildCacheRecord[] = (df.BuildCache ?? []).map((r: any) => ({
			id: r.ID,
			type: r.Type,
			description: r.Description ?? '',
			bytes: r.Size,
			inUse: Boolean(r.InUse),
			shared: Boolean(r.Shared),
			lastUsedAt: r.LastUsedAt ? Date.parse(r.LastUsedAt) : undefined,
		}));
		const sizeRw = new Map<string, number>((df.Containers ?? []).map((c: any) => [c.Id, c.SizeRw ?? 0]));
		return {buildCache, volumes, layersSize: df.LayersSize ?? null, sizeRw};
	}
}

function fromSummary(engine: string, summary: ContainerInfo, paths: ContainerPaths): ContainerRecord {
	const state = summary.State as ContainerState;
	return {
		engine,
		id: summary.Id,
		name: (summary.Names?.[0] ?? '').replace(/^\//, ''),
		image: summary.Image ?? '',
		imageId: summary.ImageID,
		state: states.has(state) ? state : 'unknown',
		createdAt: summary.Created * 1000,
		labels: summary.Labels ?? {},
		writableBytes: null,
		writableAllocatedBytes: null,
		writableInodes: null,
		sizeSource: 'pending',
		logPath: paths.logPath,
		logBytes: 0,
		upperDir: readableDir(paths.upperDir) ? paths.upperDir : null,
		lowerDirs: paths.lowerDirs,
	};
}

function toContainer(engine: string, summary: ContainerInfo, detail: ContainerInspectInfo, rootDir?: string): ContainerRecord {
	const state = (detail.State?.Status ?? summary.State) as ContainerState;
	const data = (detail.GraphDriver?.Data ?? {}) as Record<string, string>;
	const logType = detail.HostConfig?.LogConfig?.Type ?? 'json-file';
	const logPath = detail.LogPath || (logType === 'local' && rootDir ? join(rootDir, 'containers', detail.Id, 'local-logs', 'container.log') : null);
	return {
		engine,
		id: detail.Id,
		name: (detail.Name ?? summary.Names?.[0] ?? '').replace(/^\//, ''),
		image: summary.Image ?? detail.Config?.Image ?? '',
		imageId: detail.Image ?? summary.ImageID,
		state: states.has(state) ? state : 'unknown',
		createdAt: Date.parse(detail.Created) || summary.Created * 1000,
		labels: detail.Config?.Labels ?? summary.Labels ?? {},
		writableBytes: null,
		writableAllocatedBytes: null,
		writableInodes: null,
		sizeSource: 'pending',
		logPath: logPath || null,
		logBytes: 0,
		upperDir: readableDir(data.UpperDir) ? data.UpperDir! : null,
		lowerDirs: data.LowerDir ? data.LowerDir.split(':') : [],
	};
}
