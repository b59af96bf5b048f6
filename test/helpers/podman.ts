import Docker from 'dockerode';
import {podmanCli} from '../../source/adapters/lab/podman-lab.js';
import {busybox, lab} from './lab.js';

/** The lab's private Podman through its Docker-compatible API. */
export function labPodmanApi(): Docker {
	return new Docker({socketPath: lab().podmanHost.replace('unix://', '')});
}

/** `podman --url <lab socket> ARGS` (the remote client, only ever this lab's service). */
export const podman = (args: string[]) => podmanCli(lab().dir, args);

/** Runs a busybox container on the lab's Podman (detached, or to completion with wait); returns its id. */
export async function runPodman(name: string, script: string, options: {wait?: boolean; pod?: string; image?: string} = {}): Promise<string> {
	await podman(['rm', '--force', '--ignore', name]);
	const args = ['run', '-d', '--name', name, ...(options.pod ? ['--pod', options.pod] : ['--network', 'none']), options.image ?? busybox, 'sh', '-c', script];
	const id = (await podman(args)).trim();
	if (options.wait) await podman(['wait', id]);
	return id;
}

/** What `podman ps -a -s` says of each container: writable bytes (rwSize) by name. */
export async function podmanPsSizes(): Promise<Map<string, number>> {
	const list = JSON.parse(await podman(['ps', '-a', '-s', '--format', 'json'])) as Array<{Names: string[]; Size?: {rwSize: number}}>;
	return new Map(list.map(c => [c.Names[0]!, c.Size?.rwSize ?? 0]));
}
