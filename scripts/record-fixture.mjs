#!/usr/bin/env node
// Records what the console's sampler sees on a real (private) Docker engine into
// test/fixtures/console-docker.json, for the UI tests. Build first (npm run build),
// then: DOCKER_HOST=unix:///…/docker.sock node scripts/record-fixture.mjs
// It creates containers named ls-fx-* on that engine (and leaves them running).
import {writeFileSync} from 'node:fs';
import Docker from 'dockerode';
import {DockerClient} from '../dist/source/adapters/docker/docker-client.js';
import {DockerReader} from '../dist/source/adapters/docker/docker-reader.js';
import {resolveDockerEndpoint} from '../dist/source/adapters/docker/endpoint.js';
import {DockerSampler} from '../dist/source/services/sampler.js';

const image = 'layerscope.local/busybox:latest';
const endpoint = resolveDockerEndpoint();
if (!endpoint.socketPath) throw new Error('set DOCKER_HOST to the private engine socket');
const docker = new Docker({socketPath: endpoint.socketPath});

async function run(name, script, {labels, wait} = {}) {
	await docker
		.getContainer(name)
		.remove({force: true})
		.catch(() => {});
	const c = await docker.createContainer({name, Image: image, Cmd: ['sh', '-c', script], Labels: labels, HostConfig: {NetworkMode: 'none'}});
	await c.start();
	if (wait) await c.wait();
}

await run('ls-fx-grower', 'while true; do dd if=/dev/zero bs=64k count=4 2>/dev/null >> /grow; sleep 0.25; done');
await run('ls-fx-idle-big', 'dd if=/dev/zero of=/big bs=1M count=8 2>/dev/null; sleep 3600');
await run('ls-fx-chatty', 'i=0; while [ $i -lt 2000 ]; do echo "log line $i"; i=$((i+1)); done; sleep 3600');
await run('ls-fx-stopped', 'dd if=/dev/zero of=/x bs=1k count=300 2>/dev/null', {wait: true});
await run('ls-fx-a-very-long-container-name-that-needs-truncation-by-display-width', 'sleep 3600', {
	labels: {'evil.label': 'red\u001b[31m text\u0007 bell', 'wide.label': '漢字の名前ラベル', 'com.example.team': 'storage'},
});
await new Promise(r => setTimeout(r, 1500));

const reader = new DockerReader(new DockerClient(endpoint, 10_000));
const sampler = new DockerSampler(reader, {intervalMs: 1000});
await sampler.fullScan();
for (let i = 0; i < 5; i++) {
	await new Promise(r => setTimeout(r, 1000));
	await sampler.sample();
}
const state = sampler.getState();
await sampler.stop();
const fixture = {
	recordedAt: new Date().toISOString(),
	note: 'Recorded by scripts/record-fixture.mjs from the private lab dockerd; read by test/ui.',
	snapshot: state.snapshot,
	intervalMs: state.intervalMs,
	refreshedAt: state.refreshedAt,
	growth: [...state.growth],
	logGrowth: [...state.logGrowth],
	history: [...state.history],
};
writeFileSync(new URL('../test/fixtures/console-docker.json', import.meta.url), JSON.stringify(fixture, null, '\t') + '\n');
process.stdout.write(`recorded ${state.snapshot.engines[0].containers.length} containers\n`);
await docker
	.getContainer('ls-fx-grower')
	.stop({t: 0})
	.catch(() => {});
