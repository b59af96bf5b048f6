#!/usr/bin/env node
// Records what the console's CRI feed sees on a real (private) containerd into
// test/fixtures/console-cri.json, for the UI tests of a Kubernetes-like node: two pods
// of one deployment in a long namespace, three containers each, one of them growing.
// Build first (npm run build), then:
//   CONTAINER_RUNTIME_ENDPOINT=unix:///…/containerd.sock node scripts/record-cri-fixture.mjs
// It removes its pods afterwards. The first pod also gets a 3 MiB disk-backed emptyDir (under a
// private kubelet root), so the recording carries each pod's ephemeral storage (podStorage).
import {randomUUID} from 'node:crypto';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {writeFeedFixture} from './lib/feed-fixture.mjs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CriClient} from '../dist/source/adapters/cri/cri-client.js';
import {connectEngines} from '../dist/source/services/engines.js';
import {CriFeed} from '../dist/source/services/cri-feed.js';
import {podEphemeral} from '../dist/source/adapters/cri/pod-ephemeral.js';

const endpoint = process.env.CONTAINER_RUNTIME_ENDPOINT;
if (!endpoint) throw new Error('set CONTAINER_RUNTIME_ENDPOINT to the private containerd socket');
const image = 'layerscope.local/busybox:latest';
const namespace = 'observability-platform-production';
const deployment = 'prometheus-node-exporter-7d9f8c6b5';
const containers = [
	['node-exporter', 'while true; do dd if=/dev/zero bs=64k count=4 2>/dev/null >> /grow; sleep 0.5; done'],
	['config-reloader', 'dd if=/dev/zero of=/cfg bs=1k count=200 2>/dev/null; sleep 3600'],
	['kube-rbac-proxy', 'sleep 3600'],
];

const client = CriClient.connect(endpoint, {timeoutMs: 30_000});
const sandboxes = [];
const kubeletRoot = mkdtempSync(join(tmpdir(), 'ls-fx-kubelet-'));
for (const suffix of ['x2x9q', 'k8p4m']) {
	const pod = {name: `${deployment}-${suffix}`, namespace, uid: randomUUID()};
	const sandboxConfig = {
		metadata: {...pod, attempt: 0},
		logDirectory: mkdtempSync(join(tmpdir(), 'ls-fx-pod-logs-')),
		labels: {'io.kubernetes.pod.name': pod.name, 'io.kubernetes.pod.namespace': namespace},
		linux: {securityContext: {namespaceOptions: {network: 'NODE'}}},
	};
	const sandboxId = await client.runPodSandbox(sandboxConfig);
	sandboxes.push(sandboxId);
	if (sandboxes.length === 1) {
		const volume = join(kubeletRoot, 'pods', pod.uid, 'volumes', 'kubernetes.io~empty-dir', 'cache');
		mkdirSync(volume, {recursive: true});
		writeFileSync(join(volume, 'blob'), Buffer.alloc(3 * 1024 * 1024, 7));
	}
	for (const [name, script] of containers) {
		const id = await client.createContainer(sandboxId, {metadata: {name}, image: {image}, command: ['/bin/sh', '-c', script], logPath: `${name}/0.log`, labels: {'io.kubernetes.container.name': name}}, sandboxConfig);
		await client.startContainer(id);
	}
}

const {sources} = await connectEngines({runtime: 'cri', runtimeEndpoint: endpoint, timeout: 30});
const feed = new CriFeed(sources[0], {intervalMs: 1000});
feed.start();
const until = async (probe, what) => {
	for (let i = 0; i < 120; i++) {
		if (probe()) return;
		await new Promise(r => setTimeout(r, 500));
	}
	throw new Error(`timed out waiting for ${what}`);
};
const ours = () => feed.getState().snapshot?.engines[0]?.containers.filter(c => c.pod?.namespace === namespace) ?? [];
await until(() => ours().length === 6, 'six containers');
// Growth needs samples that differ: wait until the growing containers show a rate.
await until(() => ours().filter(c => (feed.getState().growth.get(`${c.engine}/${c.id}`) ?? 0) > 0).length >= 2, 'two growing containers');
const state = feed.getState();
await feed.stop();
for (const s of sources) s.close();
const engine = state.snapshot.engines[0];
// Only this scenario's containers: other pods of the lab are not part of the recording.
const keep = new Set(ours().map(c => c.id));
engine.containers = engine.containers.filter(c => keep.has(c.id));
// Each pod's ephemeral storage as the console's services measure it (writable + logs + emptyDir).
const podStorage = [{engine: engine.runtime.id, pods: podEphemeral(engine, {kubeletRoot}).filter(p => p.pod.namespace === namespace)}];
writeFeedFixture('console-cri.json', 'Recorded by scripts/record-cri-fixture.mjs from the private lab containerd; read by test/ui.', state, keep, {podStorage});
process.stdout.write(`recorded ${engine.containers.length} containers in ${sandboxes.length} pods\n`);
for (const id of sandboxes) {
	await client.stopPodSandbox(id).catch(() => undefined);
	await client.removePodSandbox(id).catch(() => undefined);
}
client.close();
