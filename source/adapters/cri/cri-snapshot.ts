import type {ContainerRecord, EngineSnapshot, ImageRecord, PodRef, RuntimeInfo} from '../../domain/types.js';
import type {CriClient} from './cri-client.js';
import {CriError} from './cri-error.js';
import * as map from './cri-map.js';
import type * as T from './cri-types.js';
import {mapLimit} from '../../lib/map-limit.js';
import {logFileBytes} from '../fs/log-files.js';
import {tryFilesystemStats} from '../fs/statfs.js';
import {findMountFor, runtimeStorage} from './cri-storage.js';
import {readMountinfoAsync, overlayDirs, type MountInfo} from './mountinfo.js';

export interface CriPod {
	sandboxId: string;
	pod: PodRef;
	ready: boolean;
	createdAt?: number;
}

/** EngineSnapshot plus what only CRI knows: pods and the sandbox (pause) image. */
export interface CriSnapshot extends EngineSnapshot {
	cri: {
		pods: CriPod[];
		/** The configured or observed sandbox image reference(s), e.g. "registry.k8s.io/pause:3.9". */
		sandboxImageRefs: string[];
		/** Ids of images that are sandbox images: never reclaimable. */
		sandboxImageIds: string[];
	};
}

export interface CriSnapshotOptions {
	mountinfoPath?: string;
	/** Parallel ContainerStatus / PodSandboxStatus calls (default 8). */
	concurrency?: number;
}

export async function readCriSnapshot(client: CriClient, options: CriSnapshotOptions = {}): Promise<CriSnapshot> {
	const warnings: string[] = [];
	const soft =
		<R>(what: string, fallback: R) =>
		(error: unknown): R => {
			warnings.push(`${what}: ${error instanceof CriError ? error.message : String(error)}`);
			return fallback;
		};
	const version = await client.version();
	const [sandboxes, criContainers, stats, criImages, fsInfo, status] = await Promise.all([
		client.listPodSandboxes().catch(soft('pods unavailable', [] as T.PodSandbox[])),
		client.listContainers(),
		client.listContainerStats().catch(soft('container stats unavailable', [] as T.ContainerStats[])),
		client.listImages(),
		client.imageFsInfo().catch(soft('image filesystem unavailable', null)),
		client.status(true).catch(() => null),
	]);
	const limit = options.concurrency ?? 8;
	const statuses = await mapLimit(criContainers, limit, c =>
		client.containerStatus(c.id).then(
			r => r.status,
			() => null,
		),
	);
	let mounts: MountInfo[] = [];
	try {
		mounts = await readMountinfoAsync(options.mountinfoPath);
	} catch (error) {
		warnings.push(`mountinfo unreadable: ${String(error)}`);
	}

	const engine = version.runtimeName || 'cri';
	const images: ImageRecord[] = criImages.map(image => map.mapImage(engine, image));
	const sandboxById = new Map(sandboxes.map(s => [s.id, s]));
	const statsById = new Map(stats.flatMap(s => (s.attributes ? [[s.attributes.id, s.writableLayer] as const] : [])));
	const containers = criContainers.map((c, i): ContainerRecord => {
		const status = statuses[i];
		const usage = statsById.get(c.id);
		const pending = usage && !usage.usedBytes?.value && !usage.inodesUsed?.value;
		const running = c.state === 'CONTAINER_RUNNING';
		const rootfs = running ? findMountFor(mounts, c.id) : undefined;
		const dirs = rootfs ? overlayDirs(rootfs) : {upperDir: null, lowerDirs: []};
		const logPath = status?.logPath || null;
		const bytes = usage && !pending ? (usage.usedBytes?.value ?? null) : null;
		return {
			engine,
			id: c.id,
			name: c.metadata?.name ?? '',
			image: status?.image?.image || c.image?.userSpecifiedImage || c.image?.image || c.imageRef,
			imageId: map.resolveImageId(images, [c.imageId, c.imageRef, c.image?.image ?? '']),
			state: map.mapContainerState(c.state),
			createdAt: map.nanosToMillis(c.createdAt),
			labels: c.labels,
			writableBytes: bytes,
			// containerd and CRI-O report du-style (allocated) usage.
			writableAllocatedBytes: bytes,
			writableInodes: usage && !pending ? (usage.inodesUsed?.value ?? null) : null,
			sizeSource: bytes !== null ? 'cri-stats' : pending ? 'pending' : 'unavailable',
			logPath,
			logBytes: logFileBytes(logPath),
			upperDir: dirs.upperDir,
			lowerDirs: dirs.lowerDirs,
			pod: map.podRefOf(sandboxById.get(c.podSandboxId)),
		};
	});

	const imageFsPath = fsInfo?.imageFilesystems[0]?.fsId?.mountpoint || null;
	const runtime: RuntimeInfo = {
		id: engine,
		kind: 'cri',
		name: engine,
		endpoint: client.endpoint,
		version: version.runtimeVersion,
		apiVersion: version.runtimeApiVersion,
		...runtimeStorage(imageFsPath, mounts, containers),
	};
	const filesystem = tryFilesystemStats(imageFsPath ?? undefined);
	if (imageFsPath && !filesystem) warnings.push(`cannot statfs image filesystem ${imageFsPath}`);

	const sandboxImageRefs = await sandboxImages(client, status, sandboxes, limit);
	if (sandboxImageRefs.length === 0) warnings.push('sandbox (pause) image unknown: the runtime reported neither its config nor sandbox info');
	const sandboxImageIds = [...new Set(sandboxImageRefs.map(ref => map.resolveImageId(images, [ref])))].filter(id => images.some(image => image.id === id));

	return {
		runtime,
		filesystem,
		containers,
		images,
		usage: {buildCache: null, volumes: null, layersSize: images.reduce((sum, image) => sum + image.virtualBytes, 0)},
		sizedByEngine: false,
		warnings,
		cri: {
			pods: sandboxes.flatMap(s => {
				const pod = map.podRefOf(s);
				return pod ? [{sandboxId: s.id, pod, ready: s.state === 'SANDBOX_READY', createdAt: map.nanosToMillis(s.createdAt)}] : [];
			}),
			sandboxImageRefs,
			sandboxImageIds,
		},
	};
}

/** Configured sandbox image (containerd Status), else the images the sandboxes were started from. */
async function sandboxImages(client: CriClient, status: T.StatusResponse | null, sandboxes: T.PodSandbox[], limit: number) {
	const configured = status ? map.sandboxImageFromStatusInfo(status.info) : null;
	if (configured) return [configured];
	const infos = await mapLimit(sandboxes, limit, s =>
		client.podSandboxStatus(s.id, true).then(
			r => r.info,
			() => ({}),
		),
	);
	return [...new Set(infos.map(map.sandboxImageFromSandboxInfo).filter((ref): ref is string => ref !== null))];
}
