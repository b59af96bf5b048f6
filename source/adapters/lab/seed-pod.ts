import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {CriClient} from '../cri/cri-client.js';
import {containerdSocket} from './containerd-lab.js';
import {labImages} from './lab-paths.js';
import {demoPod} from './seed-scenario.js';

const client = (dir: string) => CriClient.connect(`unix://${containerdSocket(dir)}`, {timeoutMs: 60_000});

/** A host-network pod (no CNI) whose container grows its writable layer; skipped when it already runs. */
export async function seedPod(dir: string): Promise<void> {
	const cri = client(dir);
	try {
		const pods = await cri.listPodSandboxes();
		if (pods.some(p => p.metadata?.name === demoPod.name && p.state === 'SANDBOX_READY')) return;
		const logDirectory = join(dir, 'pod-logs', demoPod.name);
		mkdirSync(logDirectory, {recursive: true});
		const sandboxConfig = {
			metadata: {name: demoPod.name, namespace: demoPod.namespace, uid: `demo-${demoPod.name}`, attempt: 0},
			logDirectory,
			labels: {'io.kubernetes.pod.name': demoPod.name, 'io.kubernetes.pod.namespace': demoPod.namespace, 'layerscope.demo': '1'},
			linux: {securityContext: {namespaceOptions: {network: 'NODE'}}},
		};
		const sandbox = await cri.runPodSandbox(sandboxConfig);
		const id = await cri.createContainer(
			sandbox,
			{
				metadata: {name: demoPod.container},
				image: {image: labImages.busybox},
				command: ['/bin/sh', '-c', demoPod.script],
				logPath: `${demoPod.container}/0.log`,
				labels: {'io.kubernetes.container.name': demoPod.container},
			},
			sandboxConfig,
		);
		await cri.startContainer(id);
	} finally {
		cri.close();
	}
}

export async function unseedPods(dir: string): Promise<void> {
	const cri = client(dir);
	try {
		for (const pod of await cri.listPodSandboxes()) {
			if (pod.labels?.['layerscope.demo'] !== '1') continue;
			await cri.stopPodSandbox(pod.id).catch(() => {});
			await cri.removePodSandbox(pod.id).catch(() => {});
		}
	} finally {
		cri.close();
	}
}
