import {labImages} from './lab-paths.js';
import {labPodman, podmanCli} from './podman-lab.js';
import {demoLabel} from './seed-scenario.js';

/** The Podman part of the demo: a growing container and a pod (its infra container included). */
export const podmanDemo = {
	grower: {
		name: 'demo-podman-grower',
		// About 64 kB a second, capped at 64 MiB: visible growth that never fills the disk.
		script: 'mkdir -p /var/lib/app; i=0; while [ $i -lt 1024 ]; do dd if=/dev/zero bs=64k count=1 >> /var/lib/app/journal 2>/dev/null; i=$((i+1)); sleep 1; done; sleep 2147483647',
	},
	pod: {
		name: 'demo-podman-pod',
		container: 'demo-podman-pod-web',
		script: 'mkdir -p /srv/cache && dd if=/dev/zero of=/srv/cache/blob bs=1M count=4 2>/dev/null; sleep 2147483647',
	},
} as const;

const exists = (dir: string, name: string) =>
	labPodman(dir)
		.getContainer(name)
		.inspect()
		.then(
			() => true,
			() => false,
		);

/** Seeds the Podman part of the scenario on the lab's private Podman; what already runs is kept. */
export async function seedPodman(dir: string): Promise<void> {
	const {grower, pod} = podmanDemo;
	const label = ['--label', `${demoLabel}=1`];
	if (!(await exists(dir, grower.name))) {
		await podmanCli(dir, ['run', '-d', '--name', grower.name, ...label, '--network', 'none', labImages.busybox, 'sh', '-c', grower.script]);
	}
	const pods = await podmanCli(dir, ['pod', 'ps', '--format', '{{.Name}}']);
	if (!pods.split('\n').includes(pod.name)) await podmanCli(dir, ['pod', 'create', '--name', pod.name, ...label, '--infra-image', labImages.pause]);
	if (!(await exists(dir, pod.container))) {
		await podmanCli(dir, ['run', '-d', '--pod', pod.name, '--name', pod.container, ...label, labImages.busybox, 'sh', '-c', pod.script]);
	}
}

/** Removes the Podman demo objects (by the demo label and names only). */
export async function unseedPodman(dir: string): Promise<void> {
	await podmanCli(dir, ['pod', 'rm', '--force', '--ignore', podmanDemo.pod.name]).catch(() => '');
	await podmanCli(dir, ['rm', '--force', '--ignore', podmanDemo.grower.name]).catch(() => '');
}
