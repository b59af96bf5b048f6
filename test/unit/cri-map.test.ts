import {linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {status} from '@grpc/grpc-js';
import {afterAll, describe, expect, it} from 'vitest';
import type {ContainerRecord, EngineSnapshot} from '../../source/domain/types.js';
import {allocatedBytesUnder} from '../../source/adapters/cri/allocated-size.js';
import {normalizeCriEndpoint} from '../../source/adapters/cri/cri-endpoint.js';
import {toCriError} from '../../source/adapters/cri/cri-error.js';
import {formatError, OperatorError} from '../../source/domain/operator-error.js';
import * as map from '../../source/adapters/cri/cri-map.js';
import {imageMatchesRef, normalizeImageRef} from '../../source/adapters/cri/image-ref.js';
import {podEphemeral} from '../../source/adapters/cri/pod-ephemeral.js';

const tmp = mkdtempSync(join(tmpdir(), 'layerscope-cri-unit-'));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

describe('CRI → domain mapping', () => {
	it('maps container states', () => {
		expect(['CONTAINER_RUNNING', 'CONTAINER_EXITED', 'CONTAINER_CREATED', 'CONTAINER_UNKNOWN', 'BOGUS'].map(map.mapContainerState)).toEqual(['running', 'exited', 'created', 'unknown', 'unknown']);
	});

	it('turns nanoseconds into milliseconds', () => {
		// biome-ignore lint/correctness/noPrecisionLoss: CRI's int64 nanoseconds arrive as doubles; the test feeds one
		expect(map.nanosToMillis(1_700_000_000_123_456_789)).toBe(1_700_000_000_123);
		expect(map.nanosToMillis(0)).toBeUndefined();
	});

	it('finds the sandbox image in containerd verbose info and ignores junk', () => {
		expect(map.sandboxImageFromStatusInfo({config: JSON.stringify({sandboxImage: 'registry.k8s.io/pause:3.9'})})).toBe('registry.k8s.io/pause:3.9');
		expect(map.sandboxImageFromSandboxInfo({info: JSON.stringify({image: 'pause:3.6'})})).toBe('pause:3.6');
		expect(map.sandboxImageFromStatusInfo({config: '{not json'})).toBeNull();
		expect(map.sandboxImageFromStatusInfo({})).toBeNull();
	});

	it('guesses the storage driver and root from the image filesystem path', () => {
		expect(map.storageDriverFromImageFs('/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs')).toBe('overlayfs');
		expect(map.storageDriverFromImageFs('/var/lib/containers/storage/overlay-images')).toBe('overlay');
		expect(map.storageDriverFromImageFs('/somewhere')).toBeNull();
		expect(map.rootDirFromImageFs('/data/containerd/io.containerd.snapshotter.v1.overlayfs')).toBe('/data/containerd');
	});

	it('resolves image ids from ids, tags and digests', () => {
		const image = {id: 'sha256:' + 'c'.repeat(64), tags: ['registry.k8s.io/pause:3.9', 'docker.io/library/busybox:latest'], digests: ['docker.io/library/busybox@sha256:' + 'd'.repeat(64)]};
		expect(normalizeImageRef('busybox')).toBe('docker.io/library/busybox:latest');
		expect(normalizeImageRef('me/app:1')).toBe('docker.io/me/app:1');
		expect(normalizeImageRef('localhost:5000/app')).toBe('localhost:5000/app:latest');
		expect(imageMatchesRef(image, 'busybox')).toBe(true);
		expect(imageMatchesRef(image, 'registry.k8s.io/pause:3.9')).toBe(true);
		expect(imageMatchesRef(image, 'busybox@sha256:' + 'd'.repeat(64))).toBe(true);
		expect(imageMatchesRef(image, 'registry.k8s.io/pause:3.10')).toBe(false);
		expect(map.resolveImageId([{...image, engine: 'c', virtualBytes: 0, layers: []}], ['', 'busybox'])).toBe(image.id);
		expect(map.resolveImageId([], ['', 'sha256:unknown'])).toBe('sha256:unknown');
	});
});

describe('endpoints and errors', () => {
	it('normalizes unix endpoints', () => {
		expect(normalizeCriEndpoint('/run/containerd/containerd.sock')).toBe('unix:///run/containerd/containerd.sock');
		expect(normalizeCriEndpoint('unix:///run/crio/crio.sock')).toBe('unix:///run/crio/crio.sock');
		expect(normalizeCriEndpoint('unix:/run/crio/crio.sock')).toBe('unix:///run/crio/crio.sock');
		expect(normalizeCriEndpoint(' tcp://10.0.0.1:1234 ')).toBe('tcp://10.0.0.1:1234');
	});

	it('maps gRPC failures to one-line CriErrors naming the endpoint', () => {
		const ep = 'unix:///run/x.sock';
		const cases: Array<[object, string]> = [
			[{code: status.UNAVAILABLE, details: 'No connection established.\nLast error: connect ECONNREFUSED /run/x.sock'}, 'UNAVAILABLE'],
			[{code: status.UNAVAILABLE, details: 'connect EACCES /run/x.sock'}, 'PERMISSION'],
			[{code: status.UNIMPLEMENTED, details: 'unknown service runtime.v1.RuntimeService'}, 'UNIMPLEMENTED'],
			[{code: status.DEADLINE_EXCEEDED, details: 'Deadline exceeded'}, 'DEADLINE_EXCEEDED'],
			[{code: status.NOT_FOUND, details: 'container "x" not found'}, 'NOT_FOUND'],
			[{code: status.INTERNAL, details: 'boom\nstack'}, 'FAILED'],
		];
		for (const [grpcError, code] of cases) {
			const error = toCriError(grpcError, ep, 'Version', 5000);
			expect(error.code).toBe(code);
			expect(error.message).toContain(ep);
			expect(error).toBeInstanceOf(OperatorError);
			expect(formatError(error)).not.toMatch(/\n/);
			expect(error.hint).not.toBe('');
		}
		expect(toCriError({code: status.DEADLINE_EXCEEDED}, ep, 'ListContainers', 5000).message).toBe(`CRI ListContainers at ${ep} timed out after 5 s`);
	});
});

describe('pod ephemeral storage', () => {
	const container = (id: string, uid: string, writable: number | null, logBytes: number): ContainerRecord => ({
		engine: 'containerd',
		id,
		name: id,
		image: 'i',
		imageId: 'i',
		state: 'running',
		labels: {},
		writableBytes: writable,
		writableAllocatedBytes: writable,
		writableInodes: null,
		sizeSource: writable === null ? 'pending' : 'cri-stats',
		logPath: null,
		logBytes,
		upperDir: null,
		lowerDirs: [],
		pod: uid ? {name: `pod-${uid}`, namespace: 'ns', uid} : undefined,
	});

	it('counts every hard-linked inode once and never follows symlinks', () => {
		const root = join(tmp, 'walk');
		mkdirSync(join(root, 'sub'), {recursive: true});
		writeFileSync(join(root, 'sub/file'), Buffer.alloc(64 * 1024, 1));
		linkSync(join(root, 'sub/file'), join(root, 'hardlink'));
		symlinkSync('/usr', join(root, 'to-usr'));
		const once = allocatedBytesUnder(root);
		expect(once).toBeGreaterThanOrEqual(64 * 1024);
		expect(once).toBeLessThan(64 * 1024 + 5 * 8192);
		expect(allocatedBytesUnder(join(tmp, 'missing'))).toBe(0);
	});

	it('adds writable layers, logs and emptyDirs per pod, largest first', () => {
		const kubeletRoot = join(tmp, 'kubelet');
		const emptyDir = join(kubeletRoot, 'pods', 'uid-b', 'volumes', 'kubernetes.io~empty-dir', 'scratch');
		mkdirSync(emptyDir, {recursive: true});
		writeFileSync(join(emptyDir, 'f'), Buffer.alloc(256 * 1024, 1));
		const snapshot = {
			containers: [container('a1', 'uid-a', 1000, 10), container('a2', 'uid-a', null, 5), container('b1', 'uid-b', 2000, 0), container('lone', '', 99, 0)],
			cri: {
				pods: [
					{sandboxId: 's-c', pod: {name: 'idle', namespace: 'ns', uid: 'uid-c'}, ready: true},
					{sandboxId: 's-x', pod: {name: 'evil', namespace: 'ns', uid: '../../etc'}, ready: true},
				],
			},
		} as unknown as EngineSnapshot & {cri: never};
		const usage = podEphemeral(snapshot, {kubeletRoot});
		expect(usage.map(u => u.pod.uid)).toEqual(['uid-b', 'uid-a', 'uid-c', '../../etc']);
		expect(usage[1]).toMatchObject({containerIds: ['a1', 'a2'], writableBytes: 1000, unsizedContainers: 1, logBytes: 15, emptyDirBytes: 0, totalBytes: 1015});
		expect(usage[0].emptyDirBytes).toBeGreaterThanOrEqual(256 * 1024);
		expect(usage[0].totalBytes).toBe(2000 + usage[0].emptyDirBytes);
		expect(usage[3].emptyDirBytes).toBe(0);
	});
});
