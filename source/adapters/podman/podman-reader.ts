import type {BuildCacheRecord, ContainerRecord, EngineUsage, ImageRecord, RuntimeInfo} from '../../domain/types.js';
import {findSizes, hasGnuFind} from '../fs/find-sizer.js';
import type {DockerClient} from '../docker/docker-client.js';
import {DockerReader} from '../docker/docker-reader.js';
import {Libpod, type LibpodContainer, type LibpodInfo} from './libpod.js';
import {storageContainers, storageUpperDir} from './podman-storage.js';

const bare = (id: string | undefined) => (id ?? '').replace(/^sha256:/, '');

/**
 * Podman, read through the Docker adapter (dockerode against Podman's Docker-compatible
 * API: containers, inspect, images, history, /system/df, sizes) plus what only libpod
 * answers: pods and infra containers, external (Buildah) containers, rootless storage.
 * Like DockerReader it has no method that changes anything.
 */
export class PodmanReader extends DockerReader {
	readonly libpod: Libpod;
	private store: LibpodInfo | null = null;
	/** Rootless: a layer the walk could not fully read is sized by Podman instead (inside its user namespace). */
	override readonly sizeUnreadableByEngine = true;

	constructor(
		client: DockerClient,
		engineId = 'podman',
		/** A rootless service's user, from where its socket was found. */
		readonly user?: {name: string; uid: number},
		concurrency = 8,
	) {
		super(client, concurrency, engineId);
		this.libpod = new Libpod(client);
	}

	/** Compat /info and /version, then libpod /info: rootless or not, and with what overlay. */
	override async runtime(): Promise<RuntimeInfo> {
		const runtime = await super.runtime();
		this.store = await this.libpod.info().catch(() => null);
		if (this.store?.mountProgram) runtime.storageDriver = `${runtime.storageDriver} (${this.store.mountProgram.split('/').pop()})`;
		if (this.store?.rootless) {
			runtime.user = this.user ?? {uid: -1, name: 'unknown user'};
			runtime.name = `podman (rootless, ${runtime.user.name})`;
		}
		runtime.rootDir ??= this.store?.graphRoot;
		return runtime;
	}

	/** The compatible list and inspects, then libpod's list for each container's pod and the infra flag. */
	override async containers(rootDir?: string, driver?: string): Promise<ContainerRecord[]> {
		const [records, libpod] = await Promise.all([super.containers(rootDir, driver), this.libpod.containers().catch(() => null)]);
		if (!libpod) return records;
		const byId = new Map<string, LibpodContainer>(libpod.map(c => [c.Id, c]));
		for (const record of records) {
			const extra = byId.get(record.id);
			if (extra?.Pod) record.pod = {name: extra.PodName || extra.Pod.slice(0, 12), namespace: '', uid: extra.Pod};
			if (extra?.IsInfra) record.infra = true;
		}
		return records;
	}

	/**
	 * Images as Docker's adapter reads them. The image of any infra container is the pod
	 * infra image (never reclaimable, like CRI's sandbox image); an image an external
	 * (Buildah) container is built from is held by that container: pinned, never offered.
	 */
	override async images(runtime: RuntimeInfo): Promise<ImageRecord[]> {
		const [images, libpod, external] = await Promise.all([super.images(runtime), this.libpod.containers().catch(() => [] as LibpodContainer[]), this.libpod.externalContainers().catch(() => [] as LibpodContainer[])]);
		const infra = new Set(libpod.filter(c => c.IsInfra).map(c => bare(c.ImageID)));
		const held = new Set(external.map(c => bare(c.ImageID)));
		for (const image of images) {
			// Podman 4 builds its default infra image locally as localhost/podman-pause:<version>.
			if (infra.has(bare(image.id)) || image.tags.some(tag => /(^|\/)podman-pause:/.test(tag))) image.sandbox = true;
			if (held.has(bare(image.id))) image.pinned = true;
		}
		return images;
	}

	/**
	 * Compat /system/df for volumes (Podman reports no BuildKit cache), plus external
	 * containers from libpod as build-cache records: Buildah's working containers and
	 * their writable layers, sized on the host from containers/storage, never prunable.
	 */
	override async diskUsage(timeoutMs?: number): Promise<EngineUsage & {sizeRw: Map<string, number>}> {
		const [usage, external] = await Promise.all([super.diskUsage(timeoutMs), this.externalRecords().catch(() => [] as BuildCacheRecord[])]);
		return {...usage, buildCache: [...(usage.buildCache ?? []), ...external]};
	}

	private async externalRecords(): Promise<BuildCacheRecord[]> {
		const external = await this.libpod.externalContainers();
		if (external.length === 0) return [];
		const store = this.store ?? (await this.libpod.info().catch(() => null));
		const {graphRoot, graphDriver} = store ?? {};
		const dirs = new Map<string, string>();
		if (this.client.endpoint.local && graphRoot && graphDriver) {
			const layers = new Map(storageContainers(graphRoot, graphDriver).map(c => [c.id, c.layer]));
			for (const c of external) {
				const layer = layers.get(c.Id);
				const dir = layer ? storageUpperDir(graphRoot, graphDriver, layer) : null;
				if (dir) dirs.set(c.Id, dir);
			}
		}
		const sizes = dirs.size > 0 && hasGnuFind() ? await findSizes([...dirs.values()]) : new Map<string, {apparentBytes: number}>();
		return external.map(c => {
			const size = sizes.get(dirs.get(c.Id) ?? '');
			const name = (c.Names ?? [])[0] ?? c.Id.slice(0, 12);
			return {
				id: c.Id,
				type: 'external',
				description: `external container ${name} (${c.Image || 'no image'}), made by Buildah or another tool${size ? '' : '; not sized: its layer is not readable here'}`,
				bytes: size?.apparentBytes ?? 0,
				inUse: false,
				shared: false,
				external: true,
				lastUsedAt: c.Created ? Date.parse(c.Created) || undefined : undefined,
			};
		});
	}
}
