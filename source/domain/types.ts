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

export type ContainerState = 'running' | 'paused' | 'restarting' | 'created' | 'exited' | 'dead' | 'removing' | 'unknown';

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
	 * The image layer (chain id) the record's result is, as Docker's BuildKit stores it
	 * (snapshots.db in its data root): kept on disk, with the layers below it, while the
	 * record exists. null: read, and the record holds no layer; absent: not known here.
	 */
	chainId?: string | null;
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

/** Who holds a deleted-but-open file: a container of a connected engine, or a host process. */
export interface DeletedOpenHolder {
	/** Engine id (RuntimeInfo.id) and container, when the cgroup names a container of the snapshot. */
	container: {engine: string; id: string; name: string; pod?: PodRef} | null;
	/** Container id named by the cgroup layout but not in the snapshot (an engine not connected). */
	foreignId?: string;
	/** Engine guessed from the cgroup layout (docker, containerd, cri-o, podman), when any. */
	layoutEngine?: string;
	/** systemd unit of a host process, from its cgroup. */
	unit: string | null;
}

/** A file deleted while a process still holds it open: its bytes stay on disk until the last fd closes. */
export interface DeletedOpenFile {
	pid: number;
	/** Process start time (clock ticks since boot): pid + start time name the holder across pid reuse. */
	startTime: number;
	fd: number;
	/** Raw /proc/PID/comm. */
	command: string;
	/** Raw path bytes as latin1 (one char per byte), without " (deleted)". Display through domain/deleted-open.ts. */
	path: string;
	/** st_dev of the filesystem holding the bytes. */
	device: number;
	/** st_dev as fstat through the fd reports it (an overlay's own device for a container's file). */
	statDevice: number;
	inode: number;
	/** Apparent size (st_size). */
	bytes: number;
	/** Allocated (st_blocks * 512): what the disk feels and what truncation frees. */
	allocatedBytes: number;
	/** Every (pid, fd) holding this file; the file is counted once whatever their number. */
	holders: Array<{pid: number; fd: number}>;
	holder: DeletedOpenHolder;
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
	/**
	 * Deleted-but-open files on this engine's filesystem (a filesystem shared by engines lists
	 * them under the first one only). Absent until /proc was scanned (or when it cannot be).
	 */
	deletedOpen?: DeletedOpenFile[];
}

export interface NodeSnapshot {
	takenAt: number;
	engines: EngineSnapshot[];
}

/** One row of the ledger: bytes and items, and what removing them would free where that applies. */
export interface LedgerEntry {
	bytes: number;
	count: number;
	reclaimableBytes?: number;
}
