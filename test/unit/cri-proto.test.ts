import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import type {MessageTypeDefinition} from '@grpc/proto-loader';
import {describe, expect, it} from 'vitest';
import {CRI_PROTO_URL, loadCriPackageDefinition, loadCriProtoText} from '../../source/adapters/cri/cri-proto.js';
import type * as T from '../../source/adapters/cri/cri-types.js';

type Keys<M> = Record<keyof M, true>;
/** Every key of each hand-written interface; `satisfies` makes tsc reject a missing or extra key. */
const SHAPES = {
	VersionResponse: {version: true, runtimeName: true, runtimeVersion: true, runtimeApiVersion: true} satisfies Keys<T.VersionResponse>,
	StatusResponse: {status: true, info: true} satisfies Keys<T.StatusResponse>,
	ImageSpec: {image: true, annotations: true, userSpecifiedImage: true, runtimeHandler: true, imageRef: true} satisfies Keys<T.ImageSpec>,
	PodSandboxMetadata: {name: true, uid: true, namespace: true, attempt: true} satisfies Keys<T.PodSandboxMetadata>,
	PodSandbox: {id: true, metadata: true, state: true, createdAt: true, labels: true, annotations: true, runtimeHandler: true} satisfies Keys<T.PodSandbox>,
	ContainerMetadata: {name: true, attempt: true} satisfies Keys<T.ContainerMetadata>,
	Container: {id: true, podSandboxId: true, metadata: true, image: true, imageRef: true, state: true, createdAt: true, labels: true, annotations: true, imageId: true} satisfies Keys<T.Container>,
	ContainerStatus: {id: true, metadata: true, state: true, createdAt: true, image: true, imageRef: true, logPath: true, imageId: true} satisfies Keys<T.ContainerStatus>,
	ContainerStatusResponse: {status: true, info: true} satisfies Keys<T.ContainerStatusResponse>,
	PodSandboxStatusResponse: {status: true, info: true} satisfies Keys<T.PodSandboxStatusResponse>,
	UInt64Value: {value: true} satisfies Keys<T.UInt64Value>,
	FilesystemUsage: {timestamp: true, fsId: true, usedBytes: true, inodesUsed: true} satisfies Keys<T.FilesystemUsage>,
	ContainerStats: {attributes: true, writableLayer: true} satisfies Keys<T.ContainerStats>,
	Image: {id: true, repoTags: true, repoDigests: true, size: true, username: true, pinned: true} satisfies Keys<T.Image>,
	ImageFsInfoResponse: {imageFilesystems: true, containerFilesystems: true} satisfies Keys<T.ImageFsInfoResponse>,
};

const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

describe('runtime-v1.proto', () => {
	const definition = loadCriPackageDefinition();
	const fields = (message: string) => {
		const type = definition[`runtime.v1.${message}`] as MessageTypeDefinition<unknown, unknown>;
		return new Map((type.type as {field: Array<{name: string; number: number}>}).field.map(f => [camel(f.name), f.number]));
	};

	it('has every field the hand-written interfaces read', () => {
		for (const [message, shape] of Object.entries(SHAPES)) {
			const known = fields(message);
			for (const key of Object.keys(shape)) expect(known.has(key), `${message}.${key}`).toBe(true);
		}
	});

	it('keeps upstream CRI v1 field numbers for the fields layerscope depends on', () => {
		// From k8s.io/cri-api pkg/apis/runtime/v1/api.proto.
		const upstream: Record<string, Record<string, number>> = {
			VersionResponse: {version: 1, runtimeName: 2, runtimeVersion: 3, runtimeApiVersion: 4},
			Container: {id: 1, podSandboxId: 2, metadata: 3, image: 4, imageRef: 5, state: 6, createdAt: 7, labels: 8, annotations: 9, imageId: 10},
			ContainerStatus: {image: 8, imageRef: 9, logPath: 15, imageId: 17},
			ImageSpec: {image: 1, annotations: 2, userSpecifiedImage: 18, runtimeHandler: 19, imageRef: 20},
			ContainerStats: {attributes: 1, writableLayer: 4},
			FilesystemUsage: {timestamp: 1, fsId: 2, usedBytes: 3, inodesUsed: 4},
			Image: {id: 1, repoTags: 2, repoDigests: 3, size: 4, pinned: 8},
			PodSandboxConfig: {metadata: 1, hostname: 2, logDirectory: 3, labels: 6, annotations: 7, linux: 8},
			ContainerConfig: {metadata: 1, image: 2, command: 3, args: 4, labels: 9, logPath: 11, linux: 15},
			LinuxSandboxSecurityContext: {namespaceOptions: 1},
			ImageFsInfoResponse: {imageFilesystems: 1, containerFilesystems: 2},
		};
		for (const [message, numbers] of Object.entries(upstream)) {
			const known = fields(message);
			for (const [field, number] of Object.entries(numbers)) expect(known.get(field), `${message}.${field}`).toBe(number);
		}
	});

	it('declares every RPC layerscope calls', () => {
		const rpcs = (service: string) => Object.keys(definition[`runtime.v1.${service}`]);
		expect(rpcs('RuntimeService')).toEqual(
			expect.arrayContaining([
				'Version',
				'Status',
				'ListPodSandbox',
				'PodSandboxStatus',
				'ListContainers',
				'ContainerStatus',
				'ListContainerStats',
				'RemoveContainer',
				'RunPodSandbox',
				'CreateContainer',
				'StartContainer',
				'StopPodSandbox',
				'RemovePodSandbox',
			]),
		);
		expect(rpcs('ImageService')).toEqual(expect.arrayContaining(['ListImages', 'ImageStatus', 'RemoveImage', 'ImageFsInfo']));
	});

	it('loads the same definition from embedded text', () => {
		const fromText = loadCriProtoText(readFileSync(fileURLToPath(CRI_PROTO_URL), 'utf8'));
		expect(Object.keys(fromText).sort()).toEqual(Object.keys(definition).sort());
	});
});
