import {randomUUID} from 'node:crypto';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CriClient} from '../../source/adapters/cri/cri-client.js';
import {busybox, waitFor} from './lab.js';

export interface TestPod {
	client: CriClient;
	pod: {name: string; namespace: string; uid: string};
	sandboxId: string;
	containerId: string;
	remove(): Promise<void>;
}

/** A host-network pod (no CNI needed) whose one container runs `script`. */
export async function startPod(endpoint: string, name: string, script: string, namespace = 'layerscope-test'): Promise<TestPod> {
	const client = CriClient.connect(endpoint, {timeoutMs: 30_000});
	const pod = {name: `${name}-${randomUUID().slice(0, 6)}`, namespace, uid: randomUUID()};
	const sandboxConfig = {
		metadata: {...pod, attempt: 0},
		logDirectory: mkdtempSync(join(tmpdir(), 'ls-pod-logs-')),
		labels: {'io.kubernetes.pod.name': pod.name, 'io.kubernetes.pod.namespace': namespace},
		linux: {securityContext: {namespaceOptions: {network: 'NODE'}}},
	};
	const sandboxId = await client.runPodSandbox(sandboxConfig);
	const containerId = await client.createContainer(sandboxId, {metadata: {name}, image: {image: busybox}, command: ['/bin/sh', '-c', script], logPath: `${name}/0.log`, labels: {'io.kubernetes.container.name': name}}, sandboxConfig);
	await client.startContainer(containerId);
	return {
		client,
		pod,
		sandboxId,
		containerId,
		async remove() {
			await client.stopPodSandbox(sandboxId).catch(() => undefined);
			await client.removePodSandbox(sandboxId).catch(() => undefined);
			client.close();
		},
	};
}

/** Waits until the engine's periodic stats show at least `bytes` in the container's writable layer. */
export async function waitForUsage(pod: TestPod, bytes: number): Promise<number> {
	return waitFor('writable-layer stats', async () => {
		const stats = await pod.client.listContainerStats();
		const used = stats.find(s => s.attributes?.id === pod.containerId)?.writableLayer?.usedBytes?.value ?? 0;
		return used >= bytes ? used : undefined;
	});
}
