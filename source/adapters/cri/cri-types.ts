/**
 * Hand-written shapes of the runtime.v1 messages layerscope reads, as produced by
 * proto-loader with CRI_LOADER_OPTIONS (camelCase, int64 → number, enums → names,
 * defaults filled). test/unit/cri-proto.test.ts checks every key against the proto.
 */
export type Labels = Record<string, string>;
export type CriContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export type CriSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

export interface VersionResponse {
	version: string;
	runtimeName: string;
	runtimeVersion: string;
	runtimeApiVersion: string;
}

export interface StatusResponse {
	status: {conditions: Array<{type: string; status: boolean; reason: string; message: string}>} | null;
	info: Labels;
}

export interface ImageSpec {
	image: string;
	annotations: Labels;
	userSpecifiedImage: string;
	runtimeHandler: string;
	imageRef: string;
}

export interface PodSandboxMetadata {
	name: string;
	uid: string;
	namespace: string;
	attempt: number;
}

export interface PodSandbox {
	id: string;
	metadata: PodSandboxMetadata | null;
	state: CriSandboxState;
	/** Nanoseconds since the epoch. */
	createdAt: number;
	labels: Labels;
	annotations: Labels;
	runtimeHandler: string;
}

export interface ContainerMetadata {
	name: string;
	attempt: number;
}

export interface Container {
	id: string;
	podSandboxId: string;
	metadata: ContainerMetadata | null;
	image: ImageSpec | null;
	imageRef: string;
	state: CriContainerState;
	/** Nanoseconds since the epoch. */
	createdAt: number;
	labels: Labels;
	annotations: Labels;
	imageId: string;
}

export interface ContainerStatus {
	id: string;
	metadata: ContainerMetadata | null;
	state: CriContainerState;
	createdAt: number;
	image: ImageSpec | null;
	imageRef: string;
	logPath: string;
	imageId: string;
}

export interface ContainerStatusResponse {
	status: ContainerStatus | null;
	info: Labels;
}

export interface PodSandboxStatusResponse {
	status: {id: string; metadata: PodSandboxMetadata | null; state: CriSandboxState} | null;
	info: Labels;
}

export interface UInt64Value {
	value: number;
}

export interface FilesystemUsage {
	timestamp: number;
	fsId: {mountpoint: string} | null;
	usedBytes: UInt64Value | null;
	inodesUsed: UInt64Value | null;
}

export interface ContainerStats {
	attributes: {id: string; metadata: ContainerMetadata | null; labels: Labels; annotations: Labels} | null;
	writableLayer: FilesystemUsage | null;
}

export interface Image {
	id: string;
	repoTags: string[];
	repoDigests: string[];
	size: number;
	username: string;
	pinned: boolean;
}

export interface ImageFsInfoResponse {
	imageFilesystems: FilesystemUsage[];
	containerFilesystems: FilesystemUsage[];
}
