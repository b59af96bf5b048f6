/**
 * The one model every screen and report reads. Pure data: no engine clients,
 * no node:fs. Untrusted strings (names, labels, paths, tags) are kept raw here
 * and only turned into display text by domain/sanitize.ts.
 */

export type EngineKind = 'docker' | 'cri' | 'podman';

export interface RuntimeInfo {
	/** Stable id of this engine inside one snapshot, e.g. "docker" or "containerd". */
	id: string;
	kind: EngineKind;
	/** Human name of the runtime, e.g. "docker", "containerd", "cri-o". */
	name: string;
	endpoint: string;
	version: string;
	apiVersion?: string;
	storageDriver: string;
	backingFilesystem: string;
	/** Engine data root on the host (Docker's DockerRootDir), when known. */
	rootDir?: string;
	/** Rootless Podman: the user whose storage and service this is; its bytes are attributed to them. */
	user?: {name: string; uid: number};
}

export type ContainerState =
	| 'running'
	| 'paused'
	| 'restarting'
	| 'created'
	| 'exited'
	| 'dead'
	| 'removing'
	| 'unknown';

/** How a container's writable-layer size was obtained. */
export type SizeSource = 'walk' | 'engine' | 'cri-stats' | 'pending' | 'unavailable';

export interface PodRef {
	name: string;
	namespace: string;
	uid: string;
}

export interface ContainerRecord {
	engine: string;
	id: string;
	name: string;
	image: string;
	imageId: string;
	state: ContainerState;
	createdAt?: number;
	labels: Record<string, string>;
	/** Apparent bytes of file contents, each hard link once (what `docker ps -s` shows). */
	writableBytes: number | null;
	/** Blocks actually allocated (blocks * 512), directories included. */
	writableAllocatedBytes: number | null;
	writableInodes: number | null;
	sizeSource: SizeSource;
	logPath: string | null;
	/** Log file plus its rotated siblings. */
	logBytes: number;
	upperDir: string | null;
	lowerDirs: string[];
	pod?: PodRef;
	/** A Podman pod's infra container: it holds the pod's namespaces; never a removal candidate. */
	infra?: boolean;
}

export interface ImageRecord {
	engine: string;
	id: string;
	tags: string[];
	digests: string[];
	createdAt?: number;
	/** Virtual size: all layers of the image, shared ones included. */
	virtualBytes: number;
	/** Layers in order, bottom first, identified by chain id. */
	layers: LayerRef[];
	pinned?: boolean;
	/** The CRI sandbox (pause) image or Podman's infra image: in use by every pod, never reclaimable. */
	sandbox?: boolean;
}

export interface LayerRef {
	chainId: string;
	bytes: number;
}

export interface VolumeRecord {
	engine: string;
	name: string;
	driver: string;
	mountpoint: string;
	/** Named volumes are never reclaimed in bulk; anonymous ones may be. */
	anonymous: boolean;
	bytes: number | null;
	refCount: number | null;
}

export interface BuildCacheRecord {
	id: string;
	type: string;
	description: string;
	bytes: number;
	inUse: boolean;
	shared: boolean;
	lastUsedAt?: number;
	/**
	 * Storage held by another tool on the same store (Podman's "external" containers:
	 * Buildah's working containers). Shown and counted, never part of a prune plan.
	 */
	external?: boolean;
}

export interface FilesystemStats {
	path: string;
	sizeBytes: number;
	usedBytes: number;
	availableBytes: number;
	inodesTotal: number;
	inodesFree: number;
	/** st_dev of the mount, so filesystems shared by engines are counted once. */
	device?: number;
}

/** What /system/df (or its CRI equivalent) said; arrives after the container list. */
export interface EngineUsage {
	buildCache: BuildCacheRecord[] | null;
	volumes: VolumeRecord[] | null;
	/** Total unique image layer bytes as the engine counts them. */
	layersSize: number | null;
}

export interface EngineSnapshot {
	runtime: RuntimeInfo;
	filesystem: FilesystemStats | null;
	containers: ContainerRecord[];
	images: ImageRecord[];
	usage: EngineUsage;
	/** True when writable layers were sized by the engine, one at a time. */
	sizedByEngine: boolean;
	warnings: string[];
}

export interface NodeSnapshot {
	takenAt: number;
	engines: EngineSnapshot[];
}
