import {mkdirSync, rmSync} from 'node:fs';
import {containerdSocket, importImage, startContainerd, stopContainerd} from './containerd-lab.js';
import {loadDockerImages, startDockerd, stopDockerd} from './docker-lab.js';
import {ensurePackages} from './lab-install.js';
import {labPaths} from './lab-paths.js';
import {loadPodmanImages, podmanHost, startPodman, stopPodman} from './podman-lab.js';
import {buildRootfsTar} from './rootfs.js';

export interface LabEnv {
	DOCKER_HOST: string;
	CONTAINER_RUNTIME_ENDPOINT: string;
	/** The private Podman service (CONTAINER_HOST is where Podman's own client and layerscope look). */
	CONTAINER_HOST: string;
}

export function labEnv(dir: string): LabEnv {
	return {
		DOCKER_HOST: `unix://${labPaths(dir).docker.socket}`,
		CONTAINER_RUNTIME_ENDPOINT: `unix://${containerdSocket(dir)}`,
		CONTAINER_HOST: podmanHost(dir),
	};
}

export function formatEnv(env: LabEnv): string {
	return Object.entries(env)
		.map(([key, value]) => `export ${key}=${value}`)
		.join('\n');
}

/**
 * Starts the private dockerd, containerd (CRI on) and rootful Podman service, builds the
 * busybox and pause images from /bin/busybox, and loads both into each engine. Idempotent.
 */
export async function labUp(dir: string, log: (line: string) => void = () => {}): Promise<LabEnv> {
	ensurePackages(log);
	const paths = labPaths(dir);
	mkdirSync(paths.images, {recursive: true});
	log(`starting private dockerd in ${paths.docker.dir}`);
	await startDockerd(paths);
	log(`starting private containerd in ${dir}/containerd`);
	await startContainerd(dir);
	log(`starting private podman service in ${dir}/podman`);
	await startPodman(dir);
	const rootfs = buildRootfsTar(paths.images);
	const tars = await loadDockerImages(paths, rootfs);
	log('loading images into containerd and podman');
	await importImage(dir, tars.busybox);
	await importImage(dir, tars.pause);
	await loadPodmanImages(dir, rootfs);
	return labEnv(dir);
}

/** Stops only the processes this lab started (by their pid files). With purge, deletes the lab dir too. */
export async function labDown(dir: string, options: {purge?: boolean} = {}): Promise<void> {
	const paths = labPaths(dir);
	await stopDockerd(paths);
	await stopContainerd(dir);
	await stopPodman(dir);
	if (options.purge) rmSync(dir, {recursive: true, force: true});
}
