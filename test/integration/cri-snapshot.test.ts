import {execFileSync} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CriClient} from '../../source/adapters/cri/cri-client.js';
import {criSocketPath} from '../../source/adapters/cri/cri-endpoint.js';
import {readCriSnapshot, type CriSnapshot} from '../../source/adapters/cri/cri-snapshot.js';
import {podEphemeral} from '../../source/adapters/cri/pod-ephemeral.js';
import {lab} from '../helpers/lab.js';
import {BUSYBOX_IMAGE, PAUSE_IMAGE, buildBusyboxImage, startCriFixture, type CriFixture} from './cri-fixture.js';

const MiB = 1024 * 1024;
const WRITE_MIB = 8;

let fixture: CriFixture;
let client: CriClient;
let work: string;
const pod = {name: `writer-${randomUUID().slice(0, 8)}`, namespace: 'layerscope-test', uid: randomUUID(), attempt: 0};
const unusedTag = `layerscope.local/unused-${randomUUID().slice(0, 8)}:latest`;
let sandboxId = '';
let writerId = '';
let oneshotId = '';

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
	for (const until = Date.now() + timeoutMs; ; await new Promise(r => setTimeout(r, 250))) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
	}
}

beforeAll(async () => {
	fixture = await startCriFixture({LAYERSCOPE_TEST_CRI_ENDPOINT: lab().criEndpoint, LAYERSCOPE_TEST_IMAGE_DIR: lab().imagesDir});
	client = CriClient.connect(fixture.endpoint, {timeoutMs: 30_000});
	work = mkdtempSync(join(tmpdir(), 'layerscope-cri-it-'));
	const tar = buildBusyboxImage(join(work, 'images'), unusedTag, {Cmd: ['/bin/true'], Labels: {unused: pod.uid}});
	execFileSync('ctr', ['-a', criSocketPath(fixture.endpoint)!, '-n', 'k8s.io', 'images', 'import', tar], {stdio: 'pipe'});

	const sandboxConfig = {
		metadata: pod,
		logDirectory: join(work, 'logs'),
		labels: {'io.kubernetes.pod.name': pod.name},
		linux: {securityContext: {namespaceOptions: {network: 'NODE'}}},
	};
	sandboxId = await client.runPodSandbox(sandboxConfig);
	const container = (name: string, script: string) => ({
		metadata: {name},
		image: {image: BUSYBOX_IMAGE},
		command: ['/bin/sh', '-c', script],
		logPath: `${name}/0.log`,
		labels: {'io.kubernetes.container.name': name},
	});
	writerId = await client.createContainer(sandboxId, container('writer', `dd if=/dev/zero of=/data bs=1M count=${WRITE_MIB}; echo written; sleep 3600`), sandboxConfig);
	await client.startContainer(writerId);
	oneshotId = await client.createContainer(sandboxId, container('oneshot', 'echo bye'), sandboxConfig);
	await client.startContainer(oneshotId);
	// Poll the engine until its periodic snapshot usage has caught up with the write.
	await waitFor('writable-layer stats of the writer', async () => {
		const stats = await client.listContainerStats();
		const used = stats.find(s => s.attributes?.id === writerId)?.writableLayer?.usedBytes?.value ?? 0;
		return used >= WRITE_MIB * MiB ? used : undefined;
	});
	await waitFor('oneshot to exit', async () => ((await client.containerStatus(oneshotId)).status?.state === 'CONTAINER_EXITED' ? true : undefined));
}, 180_000);

afterAll(async () => {
	if (sandboxId) {
		await client.stopPodSandbox(sandboxId).catch(() => undefined);
		await client.removePodSandbox(sandboxId).catch(() => undefined);
	}
	await client?.removeImage(unusedTag).catch(() => undefined);
	client?.close();
	await fixture?.stop();
	if (work) rmSync(work, {recursive: true, force: true});
}, 120_000);

describe('readCriSnapshot against a real containerd', () => {
	let snap: CriSnapshot;
	beforeAll(async () => {
		snap = await readCriSnapshot(client);
	});

	it('reports the runtime and its image filesystem', () => {
		expect(snap.runtime).toMatchObject({kind: 'cri', id: 'containerd', name: 'containerd', apiVersion: 'v1', endpoint: fixture.endpoint});
		expect(snap.runtime.storageDriver).toBe('overlayfs');
		const fsPath = snap.filesystem!.path;
		const fsType = execFileSync('findmnt', ['-n', '-o', 'FSTYPE', '-T', fsPath], {encoding: 'utf8'}).trim();
		expect(snap.runtime.backingFilesystem).toBe(fsType);
		expect(snap.filesystem!.device).toBe(statSync(fsPath).dev);
		expect(snap.filesystem!.sizeBytes).toBeGreaterThan(snap.filesystem!.availableBytes);
	});

	it('sizes a pod container writing N MiB within 5 %, with its pod', async () => {
		const writer = snap.containers.find(c => c.id === writerId)!;
		expect(writer).toMatchObject({name: 'writer', state: 'running', sizeSource: 'cri-stats', image: BUSYBOX_IMAGE});
		expect(writer.labels['io.kubernetes.container.name']).toBe('writer');
		expect(Math.abs(writer.createdAt! - Date.now())).toBeLessThan(10 * 60_000);
		expect(writer.pod).toEqual({name: pod.name, namespace: pod.namespace, uid: pod.uid});
		const engine = (await client.listContainerStats()).find(s => s.attributes?.id === writerId)!.writableLayer!;
		expect(Math.abs(writer.writableBytes! - WRITE_MIB * MiB) / (WRITE_MIB * MiB)).toBeLessThan(0.05);
		expect(writer.writableBytes).toBe(engine.usedBytes!.value);
		expect(writer.writableInodes).toBe(engine.inodesUsed!.value);
		console.log(`writer: wrote ${WRITE_MIB * MiB} B, snapshot ${writer.writableBytes} B / ${writer.writableInodes} inodes`);
	});

	it('finds the overlay upper and lower dirs and the log of a running container', () => {
		const writer = snap.containers.find(c => c.id === writerId)!;
		expect(statSync(join(writer.upperDir!, 'data')).size).toBe(WRITE_MIB * MiB);
		expect(writer.lowerDirs.length).toBeGreaterThan(0);
		for (const dir of writer.lowerDirs) expect(existsSync(join(dir, 'bin/busybox')) || existsSync(dir)).toBe(true);
		expect(writer.logPath).toBe(join(work, 'logs', 'writer/0.log'));
		expect(writer.logBytes).toBe(statSync(writer.logPath!).size);
		expect(writer.logBytes).toBeGreaterThan(0);
	});

	it('maps an exited container without failing', () => {
		const oneshot = snap.containers.find(c => c.id === oneshotId)!;
		expect(oneshot).toMatchObject({name: 'oneshot', state: 'exited', upperDir: null, lowerDirs: []});
		expect(oneshot.pod?.uid).toBe(pod.uid);
		console.log(`oneshot: sizeSource ${oneshot.sizeSource}, writableBytes ${oneshot.writableBytes}`);
	});

	it('tells used, unused and sandbox images apart', () => {
		const byTag = (tag: string) => snap.images.find(image => image.tags.includes(tag))!;
		const busybox = byTag(BUSYBOX_IMAGE);
		const unused = byTag(unusedTag);
		const pause = byTag(PAUSE_IMAGE);
		expect(snap.containers.find(c => c.id === writerId)!.imageId).toBe(busybox.id);
		expect(snap.containers.filter(c => c.imageId === unused.id)).toEqual([]);
		expect(snap.cri.sandboxImageIds).not.toContain(unused.id);
		expect(snap.cri.sandboxImageIds).toEqual([pause.id]);
		expect(unused.layers).toEqual([{chainId: unused.id, bytes: unused.virtualBytes}]);
		expect(snap.usage.layersSize).toBe(snap.images.reduce((sum, image) => sum + image.virtualBytes, 0));
	});

	it('adds up pod ephemeral storage: writable layers, logs and emptyDirs', () => {
		const kubeletRoot = join(work, 'kubelet');
		const cache = join(kubeletRoot, 'pods', pod.uid, 'volumes', 'kubernetes.io~empty-dir', 'cache');
		mkdirSync(cache, {recursive: true});
		writeFileSync(join(cache, 'blob'), Buffer.alloc(MiB, 1));
		const usage = podEphemeral(snap, {kubeletRoot}).find(p => p.pod.uid === pod.uid)!;
		const mine = snap.containers.filter(c => c.pod?.uid === pod.uid);
		expect(usage.containerIds.sort()).toEqual(mine.map(c => c.id).sort());
		expect(usage.writableBytes).toBe(mine.reduce((sum, c) => sum + (c.writableAllocatedBytes ?? 0), 0));
		expect(usage.logBytes).toBe(mine.reduce((sum, c) => sum + c.logBytes, 0));
		expect(usage.emptyDirBytes).toBeGreaterThanOrEqual(MiB);
		expect(usage.totalBytes).toBe(usage.writableBytes + usage.logBytes + usage.emptyDirBytes);
	});

	it('removes an unused image through the client', async () => {
		await client.removeImage(unusedTag);
		expect(await client.imageStatus(unusedTag)).toBeNull();
	});
});
