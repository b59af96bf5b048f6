import {credentials, loadPackageDefinition, type Client, type ServiceError} from '@grpc/grpc-js';
import {checkCriSocket, normalizeCriEndpoint} from './cri-endpoint.js';
import {toCriError} from './cri-error.js';
import {loadCriPackageDefinition} from './cri-proto.js';
import type * as T from './cri-types.js';

export const DEFAULT_CRI_TIMEOUT_MS = 5000;
/** kubelet's limit; big nodes overflow grpc-js's 4 MiB default on ListContainers. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export interface CriClientOptions {
	/** Deadline for every call, in milliseconds (default 5000). */
	timeoutMs?: number;
}

/** Request bodies for the seeding RPCs are passed through as plain proto-shaped objects. */
export type CriMessage = Record<string, unknown>;

type Unary = (request: unknown, options: {deadline: Date}, callback: (error: ServiceError | null, response: unknown) => void) => void;

/** Typed, deadline-bound wrapper over runtime.v1 RuntimeService and ImageService. Every failure is a CriError. */
export class CriClient {
	readonly endpoint: string;
	readonly timeoutMs: number;
	private readonly runtime: Client;
	private readonly image: Client;

	/** Checks the socket first (clear ENOENT/EACCES message), then creates channels; no RPC is made. */
	static connect(endpoint: string, options: CriClientOptions = {}): CriClient {
		const normalized = normalizeCriEndpoint(endpoint);
		checkCriSocket(normalized);
		return new CriClient(normalized, options);
	}

	private constructor(endpoint: string, options: CriClientOptions) {
		this.endpoint = endpoint;
		this.timeoutMs = options.timeoutMs ?? DEFAULT_CRI_TIMEOUT_MS;
		const v1 = (loadPackageDefinition(loadCriPackageDefinition()) as any).runtime.v1;
		const channelOptions = {'grpc.max_receive_message_length': MAX_MESSAGE_BYTES};
		this.runtime = new v1.RuntimeService(endpoint, credentials.createInsecure(), channelOptions);
		this.image = new v1.ImageService(endpoint, credentials.createInsecure(), channelOptions);
	}

	close(): void {
		this.runtime.close();
		this.image.close();
	}

	version(): Promise<T.VersionResponse> {
		return this.call(this.runtime, 'Version', {version: 'v1'});
	}
	status(verbose = false): Promise<T.StatusResponse> {
		return this.call(this.runtime, 'Status', {verbose});
	}
	async listPodSandboxes(): Promise<T.PodSandbox[]> {
		return (await this.call<{items: T.PodSandbox[]}>(this.runtime, 'ListPodSandbox', {})).items;
	}
	podSandboxStatus(podSandboxId: string, verbose = false): Promise<T.PodSandboxStatusResponse> {
		return this.call(this.runtime, 'PodSandboxStatus', {podSandboxId, verbose});
	}
	async listContainers(): Promise<T.Container[]> {
		return (await this.call<{containers: T.Container[]}>(this.runtime, 'ListContainers', {})).containers;
	}
	containerStatus(containerId: string, verbose = false): Promise<T.ContainerStatusResponse> {
		return this.call(this.runtime, 'ContainerStatus', {containerId, verbose});
	}
	async listContainerStats(): Promise<T.ContainerStats[]> {
		return (await this.call<{stats: T.ContainerStats[]}>(this.runtime, 'ListContainerStats', {})).stats;
	}
	async removeContainer(containerId: string): Promise<void> {
		await this.call(this.runtime, 'RemoveContainer', {containerId});
	}
	async runPodSandbox(config: CriMessage, runtimeHandler = ''): Promise<string> {
		return (await this.call<{podSandboxId: string}>(this.runtime, 'RunPodSandbox', {config, runtimeHandler})).podSandboxId;
	}
	async createContainer(podSandboxId: string, config: CriMessage, sandboxConfig: CriMessage): Promise<string> {
		const response = await this.call<{containerId: string}>(this.runtime, 'CreateContainer', {podSandboxId, config, sandboxConfig});
		return response.containerId;
	}
	async startContainer(containerId: string): Promise<void> {
		await this.call(this.runtime, 'StartContainer', {containerId});
	}
	async stopContainer(containerId: string, timeoutSeconds = 0): Promise<void> {
		await this.call(this.runtime, 'StopContainer', {containerId, timeout: timeoutSeconds});
	}
	async stopPodSandbox(podSandboxId: string): Promise<void> {
		await this.call(this.runtime, 'StopPodSandbox', {podSandboxId});
	}
	async removePodSandbox(podSandboxId: string): Promise<void> {
		await this.call(this.runtime, 'RemovePodSandbox', {podSandboxId});
	}

	async listImages(): Promise<T.Image[]> {
		return (await this.call<{images: T.Image[]}>(this.image, 'ListImages', {})).images;
	}
	/** Null when the runtime does not have the image. */
	async imageStatus(ref: string): Promise<T.Image | null> {
		return (await this.call<{image: T.Image | null}>(this.image, 'ImageStatus', {image: {image: ref}})).image;
	}
	async removeImage(ref: string): Promise<void> {
		await this.call(this.image, 'RemoveImage', {image: {image: ref}});
	}
	imageFsInfo(): Promise<T.ImageFsInfoResponse> {
		return this.call(this.image, 'ImageFsInfo', {});
	}

	private call<R>(service: Client, method: string, request: unknown): Promise<R> {
		const fn = (service as unknown as Record<string, Unary>)[method];
		return new Promise<R>((resolve, reject) => {
			fn.call(service, request, {deadline: new Date(Date.now() + this.timeoutMs)}, (error, response) => {
				if (error) reject(toCriError(error, this.endpoint, method, this.timeoutMs));
				else resolve(response as R);
			});
		});
	}
}
