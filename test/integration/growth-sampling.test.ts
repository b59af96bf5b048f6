import {statSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DockerClient} from '../../source/adapters/docker/docker-client.js';
import {DockerReader} from '../../source/adapters/docker/docker-reader.js';
import {resolveDockerEndpoint} from '../../source/adapters/docker/endpoint.js';
import {WalkPool} from '../../source/adapters/fs/walk-pool.js';
import {DockerSampler, sampleGrowth} from '../../source/services/sampler.js';
import {lab, labDocker, runContainer, waitFor} from '../helpers/lab.js';

/** Incremental sampling against the private dockerd, checked against a full walk of the same layer. */
describe('sampler (private dockerd)', () => {
	const docker = labDocker();
	const pool = new WalkPool();
	let reader: DockerReader;

	async function exec(name: string, script: string): Promise<void> {
		const run = await docker.getContainer(name).exec({Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true});
		const stream = await run.start({});
		await new Promise(resolve => {
			stream.on('end', resolve);
			stream.resume();
		});
		await waitFor('exec to finish', async () => !(await run.inspect()).Running);
	}

	beforeAll(async () => {
		reader = new DockerReader(new DockerClient(resolveDockerEndpoint(lab().dockerHost), 10_000));
		await runContainer(docker, 'ls-sampler-edit', "mkdir -p /work/a/b && dd if=/dev/zero of=/work/a/b/base bs=1k count=64 2>/dev/null; echo old > /work/a/old; touch -d '2020-01-01 00:00:00' /work/a/old; sleep 3600");
		await runContainer(docker, 'ls-sampler-grow', 'while true; do dd if=/dev/zero bs=64k count=8 2>/dev/null >> /grow; sleep 0.5; done');
		await runContainer(docker, 'ls-sampler-idle', 'dd if=/dev/zero of=/idle bs=1M count=4 2>/dev/null; sleep 3600');
		await waitFor('the idle container to finish writing', async () => {
			const info: any = await docker.getContainer('ls-sampler-idle').inspect({size: true} as never);
			return info.SizeRw >= 4 * 1024 * 1024;
		});
	});

	afterAll(async () => {
		for (const name of ['ls-sampler-edit', 'ls-sampler-grow', 'ls-sampler-idle', 'ls-sampler-new', 'ls-sampler-chatty'])
			await docker
				.getContainer(name)
				.remove({force: true})
				.catch(() => {});
		await pool.close();
	});

	it('follows new, appended, truncated, hard-linked and deleted files like a full walk', async () => {
		const sampler = new DockerSampler(reader, {pool});
		try {
			await sampler.fullScan();
			await sampler.sample(); // the scan's walk built the index: passes only update it
			const steps = [
				'dd if=/dev/zero of=/work/a/b/new bs=1k count=100 2>/dev/null; mkdir -p /work/c/d/e; echo hi > /work/c/d/e/f',
				// Writes in place change no directory: /work/a/old was idle (mtime 2020) until now.
				'dd if=/dev/zero bs=1k count=50 2>/dev/null >> /work/a/b/base; ln /work/a/b/new /work/c/hard; dd if=/dev/zero bs=1k count=30 2>/dev/null >> /work/a/old',
				': > /work/a/b/base; rm -rf /work/c/d; mv /work/a/b/new /work/moved',
				'rm -rf /work/a /work/moved /work/c',
			];
			for (const step of steps) {
				await exec('ls-sampler-edit', step);
				// Appends and truncations in place are found by re-stating hot files; two passes settle it.
				await sampler.sample();
				await sampler.sample();
				const mine = sampler.current!.containers.find(c => c.name === 'ls-sampler-edit')!;
				const walk = await pool.sizeTree(mine.upperDir!);
				expect({step, apparent: mine.writableBytes, allocated: mine.writableAllocatedBytes, inodes: mine.writableInodes}).toEqual({
					step,
					apparent: walk.apparentBytes,
					allocated: walk.allocatedBytes,
					inodes: walk.inodes,
				});
			}
		} finally {
			await sampler.stop();
		}
	});

	it('picks up new containers and forgets removed ones', async () => {
		const sampler = new DockerSampler(reader, {pool});
		try {
			await sampler.fullScan();
			await runContainer(docker, 'ls-sampler-new', 'echo x > /x; sleep 3600');
			await sampler.sample();
			const fresh = sampler.current!.containers.find(c => c.name === 'ls-sampler-new');
			expect(fresh).toBeDefined();
			await docker.getContainer('ls-sampler-new').remove({force: true});
			await sampler.sample();
			expect(sampler.current!.containers.find(c => c.name === 'ls-sampler-new')).toBeUndefined();
			const listed = await docker.listContainers({all: true});
			expect(sampler.current!.containers.map(c => c.id).sort()).toEqual(listed.map(c => c.Id).sort());
		} finally {
			await sampler.stop();
		}
	});

	it('tracks log growth apart from the writable layer, at the rate the json-file log grows on disk', async () => {
		await runContainer(docker, 'ls-sampler-chatty', 'while true; do i=0; while [ $i -lt 200 ]; do echo "chatty line $i of the log growth test"; i=$((i+1)); done; sleep 0.2; done');
		const info = await docker.getContainer('ls-sampler-chatty').inspect();
		const key = `docker/${info.Id}`;
		const logSize = () => ({at: Date.now(), bytes: statSync(info.LogPath).size});
		const sampler = new DockerSampler(reader, {pool});
		try {
			await sampler.fullScan();
			const before = logSize();
			for (let i = 0; i < 4; i++) {
				await new Promise(resolve => setTimeout(resolve, 1000));
				await sampler.sample();
			}
			const after = logSize();
			const fileRate = (after.bytes - before.bytes) / ((after.at - before.at) / 1000);
			const state = sampler.getState();
			const logRate = state.logGrowth.get(key)!;
			expect(fileRate).toBeGreaterThan(0);
			expect(logRate).toBeGreaterThan(fileRate / 2);
			expect(logRate).toBeLessThan(fileRate * 2);
			// It writes nothing into its writable layer: the log is not mistaken for layer growth.
			expect(state.growth.get(key)).toBe(0);
		} finally {
			await sampler.stop();
			await docker.getContainer('ls-sampler-chatty').remove({force: true});
		}
	});

	it('sampleGrowth ranks a growing container above a bigger idle one, at the rate the engine sees', async () => {
		const id = (name: string) =>
			docker
				.getContainer(name)
				.inspect()
				.then(i => i.Id);
		const sizeRw = async () => ((await docker.getContainer('ls-sampler-grow').inspect({size: true} as never)) as any).SizeRw as number;
		const before = {at: Date.now(), bytes: await sizeRw()};
		const {engine, growthBytesPerSec} = await sampleGrowth(reader, {samples: 4, intervalSeconds: 1, pool});
		const after = {at: Date.now(), bytes: await sizeRw()};
		const engineRate = (after.bytes - before.bytes) / ((after.at - before.at) / 1000);
		const grow = growthBytesPerSec.get(await id('ls-sampler-grow'))!;
		const idle = growthBytesPerSec.get(await id('ls-sampler-idle'))!;
		expect(idle).toBe(0);
		expect(grow).toBeGreaterThan(0);
		expect(grow).toBeGreaterThan(engineRate / 2);
		expect(grow).toBeLessThan(engineRate * 2);
		expect(engine.containers.length).toBeGreaterThan(0);
	});
});
