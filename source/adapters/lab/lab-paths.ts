import {join} from 'node:path';

export const defaultLabDir = '/tmp/layerscope-lab';

export const labImages = {
	busybox: 'layerscope.local/busybox:latest',
	pause: 'layerscope.local/pause:latest',
} as const;

/** Where each private engine keeps its root, state, socket, pid file and log. */
export function labPaths(dir: string) {
	const docker = join(dir, 'docker');
	return {
		dir,
		images: join(dir, 'images'),
		docker: {
			dir: docker,
			dataRoot: join(docker, 'root'),
			execRoot: join(docker, 'exec'),
			pidFile: join(docker, 'dockerd.pid'),
			socket: join(docker, 'docker.sock'),
			log: join(docker, 'dockerd.log'),
			config: join(docker, 'daemon.json'),
		},
	};
}

export type LabPaths = ReturnType<typeof labPaths>;
