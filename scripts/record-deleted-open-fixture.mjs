#!/usr/bin/env node
// Records what the console sees of deleted-but-open files on a real (private) Docker engine into
// test/fixtures/deleted-open-docker.json, for the UI tests: the DockerSampler's snapshot with the
// DeletedOpenFeed's /proc scan attached (as run-console builds it). Build first (npm run build),
// then, as root: DOCKER_HOST=unix:///…/docker.sock node scripts/record-deleted-open-fixture.mjs
// It creates containers named ls-fxd-* on that engine and a host `sleep` holding a deleted file,
// and removes them afterwards.
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import Docker from 'dockerode';
import {DockerClient} from '../dist/source/adapters/docker/docker-client.js';
import {DockerReader} from '../dist/source/adapters/docker/docker-reader.js';
import {resolveDockerEndpoint} from '../dist/source/adapters/docker/endpoint.js';
import {DeletedOpenFeed} from '../dist/source/services/deleted-open-feed.js';
import {DockerSampler} from '../dist/source/services/sampler.js';

const image = 'layerscope.local/busybox:latest';
const endpoint = resolveDockerEndpoint();
if (!endpoint.socketPath) throw new Error('set DOCKER_HOST to the private engine socket');
const docker = new Docker({socketPath: endpoint.socketPath});
const hold = (path, mib) => `exec 3>"${path}"; dd if=/dev/zero bs=1M count=${mib} >&3 2>/dev/null; rm "${path}"; exec sleep 3600`;

async function run(name, script) {
	await docker
		.getContainer(name)
		.remove({force: true})
		.catch(() => {});
	const c = await docker.createContainer({name, Image: image, Cmd: ['sh', '-c', script], HostConfig: {NetworkMode: 'none'}});
	await c.start();
}

await run('ls-fxd-app', hold('/var/log/app.log.1', 20));
// a hostile name: an escape sequence and a newline in the deleted file's path
await run('ls-fxd-hostile', hold('/tmp/evil\x1b[2J\nname.log', 3));
const dir = mkdtempSync('/tmp/ls-fxd-');
const host = spawn('sh', ['-c', hold(join(dir, 'journal.tmp'), 5)], {stdio: 'ignore'});
await new Promise(r => setTimeout(r, 2000));

const reader = new DockerReader(new DockerClient(endpoint, 10_000));
const sampler = new DockerSampler(reader, {intervalMs: 1000});
const feed = new DeletedOpenFeed(sampler, {intervalMs: 1000});
feed.start();
await sampler.fullScan();
for (let i = 0; i < 3; i++) {
	await new Promise(r => setTimeout(r, 1000));
	await sampler.sample();
}
const state = feed.getState();
await feed.stop();
await sampler.stop();
// Only the files this script made: the machine's other deleted-open files are not part of the fixture.
for (const engine of state.snapshot.engines) engine.deletedOpen = (engine.deletedOpen ?? []).filter(f => f.holder.container?.name.startsWith('ls-fxd-') || f.pid === host.pid);
const fixture = {
	recordedAt: new Date().toISOString(),
	note: 'Recorded by scripts/record-deleted-open-fixture.mjs from the private lab dockerd and /proc; read by test/ui.',
	snapshot: state.snapshot,
	intervalMs: state.intervalMs,
	refreshedAt: state.refreshedAt,
	growth: [...state.growth],
	logGrowth: [...state.logGrowth],
	history: [...state.history],
};
writeFileSync(new URL('../test/fixtures/deleted-open-docker.json', import.meta.url), JSON.stringify(fixture, null, '\t') + '\n');
process.stdout.write(`recorded ${state.snapshot.engines.flatMap(e => e.deletedOpen ?? []).length} deleted-open files\n`);
host.kill('SIGKILL');
rmSync(dir, {recursive: true, force: true});
for (const name of ['ls-fxd-app', 'ls-fxd-hostile'])
	await docker
		.getContainer(name)
		.remove({force: true})
		.catch(() => {});
process.exit(0);
