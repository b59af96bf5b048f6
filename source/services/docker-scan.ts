import type {DockerReader} from '../adapters/docker/docker-reader.js';
import {withLayerChains} from '../adapters/docker/buildkit-snapshots.js';
import {logFileBytes} from '../adapters/fs/log-files.js';
import {tryFilesystemStats} from '../adapters/fs/statfs.js';
import {sizeTreesWithin} from '../adapters/fs/size-tree.js';
import type {TreeSize, WalkPool} from '../adapters/fs/walk-pool.js';
import {findSizes, hasGnuFind} from '../adapters/fs/find-sizer.js';
import type {ContainerRecord, EngineSnapshot, RuntimeInfo} from '../domain/types.js';

export interface ScanProgress {
	phase: 'containers' | 'sizing' | 'images' | 'disk-usage' | 'done';
	done: number;
	total: number;
}

export interface DockerScanOptions {
	/** Sizes one tree. A WalkPool, or the console's sampling worker (which indexes while it walks). */
	pool: Pick<WalkPool, 'sizeTree'>;
	/** Size with `pool` even when GNU find is available (the sampler's walk also builds its index). */
	preferPool?: boolean;
	/** Time allowed for /system/df, which sizes everything and is slow on big nodes. */
	diskUsageTimeoutMs?: number;
	/** Skip /system/df entirely (build cache and volume sizes stay unknown). */
	skipDiskUsage?: boolean;
	onProgress?: (progress: ScanProgress) => void;
	/** Called with a partial snapshot whenever a phase completes, for progressive display. */
	onPartial?: (snapshot: EngineSnapshot) => void;
	/** /info and /version as just read (connecting reads them): not asked for twice. */
	runtime?: Promise<RuntimeInfo>;
	/** Called once the walks and every engine request are under way, before they are awaited: `report` reads /proc then. */
	whileSizing?: () => void;
}

/**
 * One full scan of a Docker engine. The container list comes first; writable layers
 * are walked on the host when readable (bounded by the walk pool), otherwise sized by
 * the engine one container at a time; /system/df runs beside it with its own timeout.
 */
export async function scanDocker(reader: DockerReader, options: DockerScanOptions): Promise<EngineSnapshot> {
	const runtime = await (options.runtime ?? reader.runtime());
	const local = reader.client.endpoint.local;
	const snapshot: EngineSnapshot = {
		runtime,
		filesystem: local ? tryFilesystemStats(runtime.rootDir) : null,
		containers: [],
		images: [],
		usage: {buildCache: null, volumes: null, layersSize: null},
		sizedByEngine: false,
		warnings: [],
	};
	// /system/df (the engine's slowest answer) and the image list do not depend on the
	// containers: asked for at once, so the engine works on them while the list is read and walked.
	const diskUsage = options.skipDiskUsage
		? Promise.resolve()
		: reader.diskUsage(options.diskUsageTimeoutMs).then(
				usage => {
					// On the host, each build-cache record's layer comes from BuildKit's own database (not in the API).
					const buildCache = local && usage.buildCache ? withLayerChains(usage.buildCache, runtime.rootDir) : usage.buildCache;
					snapshot.usage = {buildCache, volumes: usage.volumes, layersSize: usage.layersSize};
				},
				(error: Error) => {
					snapshot.warnings.push(`build cache and volume sizes unknown: ${error.message}`);
				},
			);
	const images = reader.images(runtime);
	images.catch(() => undefined); // awaited below; no unhandled rejection while the list is read and sized
	options.onProgress?.({phase: 'containers', done: 0, total: 0});
	snapshot.containers = await reader.containers(runtime.rootDir, runtime.storageDriver);
	options.onPartial?.(snapshot);

	await sizeContainers(reader, snapshot, options);
	options.onPartial?.(snapshot);
	options.onProgress?.({phase: 'images', done: 0, total: 0});
	snapshot.images = await images;
	options.onPartial?.(snapshot);
	options.onProgress?.({phase: 'disk-usage', done: 0, total: 0});
	await diskUsage;
	options.onProgress?.({phase: 'done', done: 1, total: 1});
	return snapshot;
}

async function sizeContainers(reader: DockerReader, snapshot: EngineSnapshot, options: DockerScanOptions): Promise<void> {
	const {containers} = snapshot;
	let done = 0;
	const tick = () => options.onProgress?.({phase: 'sizing', done: ++done, total: containers.length});
	const local = reader.client.endpoint.local;
	const walked = containers.filter(c => local && c.upperDir);
	const viaEngine = containers.filter(c => !(local && c.upperDir));
	if (viaEngine.length > 0) {
		snapshot.sizedByEngine = true;
		snapshot.warnings.push(`${viaEngine.length} writable layer(s) sized by the engine one at a time: their directories are not readable here (remote engine or not root)`);
	}
	const walks = sizeWalked(walked, options.pool, snapshot, tick, options.preferPool ?? false, reader.sizeUnreadableByEngine);
	options.whileSizing?.();
	for (const container of viaEngine) {
		try {
			const {sizeRw} = await reader.engineSize(container.id);
			Object.assign(container, {writableBytes: sizeRw, sizeSource: 'engine'});
		} catch {
			container.sizeSource = 'unavailable';
		}
		tick();
	}
	const unreadable = await walks;
	// Rootless Podman: entries owned by the container's subordinate ids may be unreadable from
	// outside its user namespace; Podman measures the layer from inside it.
	for (const container of unreadable) {
		try {
			const {sizeRw} = await reader.engineSize(container.id);
			Object.assign(container, {writableBytes: sizeRw, writableAllocatedBytes: null, writableInodes: null, sizeSource: 'engine'});
			snapshot.warnings.push(`${container.name}: part of its writable layer is not readable here (owned by the container's subordinate ids); sized by the engine instead`);
		} catch {
			snapshot.warnings.push(`${container.name}: part of its writable layer is not readable here and the engine could not size it: the figure is a lower bound`);
		}
	}
	for (const container of containers) container.logBytes = local ? logFileBytes(container.logPath) : 0;
}

/** Layers holding this many entries in all or fewer are sized in this thread: about 2 ms of lstat, against about 5 ms to start find. */
const inProcessEntries = 2000;

/** In this thread when the layers are few and small; else GNU find when present (cheapest per entry), else the worker pool; each layer's errors become warnings. */
async function sizeWalked(containers: ContainerRecord[], pool: Pick<WalkPool, 'sizeTree'>, snapshot: EngineSnapshot, tick: () => void, preferPool: boolean, engineOnErrors = false): Promise<ContainerRecord[]> {
	const unreadable: ContainerRecord[] = [];
	const record = (container: ContainerRecord, size: TreeSize | undefined) => {
		if (!size) container.sizeSource = 'unavailable';
		else {
			applyWalk(container, size);
			if (size.errors > 0 && engineOnErrors) unreadable.push(container);
			else if (size.errors > 0) snapshot.warnings.push(`${container.name}: ${size.errors} entries could not be read while sizing`);
		}
		tick();
	};
	if (!preferPool && containers.length > 0) {
		// A small node's few small layers: walked here at once, for less than starting find.
		const small = sizeTreesWithin(
			containers.map(c => c.upperDir!),
			inProcessEntries,
		);
		if (small) {
			for (const [i, container] of containers.entries()) record(container, small[i]);
			return unreadable;
		}
	}
	if (!preferPool && hasGnuFind() && containers.length > 0) {
		const sizes = await findSizes(containers.map(c => c.upperDir!));
		for (const container of containers) record(container, sizes.get(container.upperDir!));
		return unreadable;
	}
	await Promise.all(
		containers.map(async container => {
			try {
				record(container, await pool.sizeTree(container.upperDir!));
			} catch (error) {
				snapshot.warnings.push(`${container.name}: writable layer not sized: ${(error as Error).message}`);
				record(container, undefined);
			}
		}),
	);
	return unreadable;
}

function applyWalk(container: ContainerRecord, size: {apparentBytes: number; allocatedBytes: number; inodes: number}): void {
	container.writableBytes = size.apparentBytes;
	container.writableAllocatedBytes = size.allocatedBytes;
	container.writableInodes = size.inodes;
	container.sizeSource = 'walk';
}
