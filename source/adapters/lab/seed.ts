import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type Docker from 'dockerode';
import {labDocker} from './docker-lab.js';
import {labPaths} from './lab-paths.js';
import {demoContainers, demoImages, demoLabel, transientContainers, type DemoImage} from './seed-scenario.js';
import {seedPod, unseedPods} from './seed-pod.js';
import {seedPodman, unseedPodman} from './seed-podman.js';

const debianDocker = '/usr/bin/docker';

/** Resolves once the container's output holds `line` (followed, not polled), or after two minutes. */
async function printed(container: Docker.Container, line: string): Promise<void> {
	const stream = (await container.logs({follow: true, stdout: true, stderr: true})) as NodeJS.ReadableStream & {destroy(): void};
	await new Promise<void>(resolve => {
		let seen = '';
		const done = () => {
			clearTimeout(timer);
			stream.destroy();
			resolve();
		};
		const timer = setTimeout(done, 120_000);
		stream.on('data', (chunk: Buffer) => {
			seen = (seen + chunk.toString('latin1')).slice(-4096);
			if (seen.includes(line)) done();
		});
		stream.on('end', done);
		stream.on('error', done);
	});
}

function build(dockerHost: string, image: DemoImage, dockerfile: string): void {
	const ctx = mkdtempSync(join(tmpdir(), 'ls-seed-'));
	try {
		writeFileSync(join(ctx, 'Dockerfile'), dockerfile);
		for (const [name, text] of Object.entries(image.files ?? {})) writeFileSync(join(ctx, name), text);
		execFileSync(debianDocker, ['build', '--network=none', '-q', '--label', `${demoLabel}=1`, '-t', image.tag, ctx], {
			env: {...process.env, DOCKER_HOST: dockerHost, DOCKER_BUILDKIT: '1'},
			stdio: ['ignore', 'ignore', 'pipe'],
		});
	} finally {
		rmSync(ctx, {recursive: true, force: true});
	}
}

async function exists(docker: Docker, name: string): Promise<boolean> {
	return docker
		.getContainer(name)
		.inspect()
		.then(
			() => true,
			() => false,
		);
}

/** Removes what the demo made in the private lab engines (only objects carrying the demo label or names). */
async function unseedDocker(docker: Docker): Promise<void> {
	for (const c of await docker.listContainers({all: true, filters: {label: [demoLabel]}})) await docker.getContainer(c.Id).remove({force: true});
	for (const i of await docker.listImages({filters: {label: [demoLabel]}}))
		await docker
			.getImage(i.Id)
			.remove({force: true})
			.catch(() => {});
	for (const i of await docker.listImages({filters: {dangling: ['true']}}))
		await docker
			.getImage(i.Id)
			.remove()
			.catch(() => {});
	await docker
		.getVolume('demo-orphan-data')
		.remove()
		.catch(() => {});
	await docker.pruneBuilder?.().catch(() => {});
}

/** Removes the demo scenario from the lab at `dir` (demo containers, images, volume, pod). */
export async function labUnseed(dir: string): Promise<void> {
	await unseedDocker(labDocker(labPaths(dir)));
	await unseedPods(dir);
	await unseedPodman(dir);
}

/** Seeds (or with reset, re-seeds) the disk-pressure scenario in the lab at `dir`. */
export async function labSeed(dir: string, options: {reset?: boolean; log?: (line: string) => void} = {}): Promise<void> {
	const log = options.log ?? (() => {});
	const docker = labDocker(labPaths(dir));
	const dockerHost = `unix://${labPaths(dir).docker.socket}`;
	if (options.reset) {
		log('removing the previous scenario');
		await unseedDocker(docker);
		await unseedPods(dir);
		await unseedPodman(dir);
	}
	for (const image of demoImages) {
		const have = await docker
			.getImage(image.tag)
			.inspect()
			.then(
				() => true,
				() => false,
			);
		if (have) continue;
		log(`building ${image.tag}`);
		build(dockerHost, image, image.dockerfile);
		if (image.rebuild) {
			const lines = image.dockerfile.trimEnd().split('\n');
			build(dockerHost, image, [...lines.slice(0, -1), image.rebuild, ''].join('\n'));
		}
	}
	await docker.createVolume({Name: 'demo-orphan-data', Labels: {[demoLabel]: '1'}}).catch(() => {});
	for (const spec of demoContainers) {
		if (await exists(docker, spec.name)) continue;
		log(`starting ${spec.name}`);
		const container = await docker.createContainer({
			name: spec.name,
			Image: spec.image,
			Cmd: ['sh', '-c', spec.script],
			Labels: {[demoLabel]: '1'},
			HostConfig: {NetworkMode: 'none', Binds: spec.binds, LogConfig: {Type: 'json-file', Config: spec.logOpts ?? {}}},
		});
		await container.start();
		if (spec.exits) await container.wait();
		if (spec.readyLine) await printed(container, spec.readyLine);
		if (transientContainers.has(spec.name)) await container.remove();
	}
	log('starting the containerd pod');
	await seedPod(dir);
	log('starting the podman grower and pod');
	await seedPodman(dir);
}
