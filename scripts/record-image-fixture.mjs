#!/usr/bin/env node
// Records what the image explorer sees for one real image of a private Docker engine into
// test/fixtures/image-explorer.json, for the UI tests. Build first (npm run build), then, as
// root: DOCKER_HOST=unix:///…/docker.sock node scripts/record-image-fixture.mjs
// It builds the image ls-fx/image:1 on that engine: a file added then deleted, a file
// overwritten, a .env deleted later, and names carrying escape sequences.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {DockerClient} from '../dist/source/adapters/docker/docker-client.js';
import {resolveDockerEndpoint} from '../dist/source/adapters/docker/endpoint.js';
import {loadImage} from '../dist/source/services/image-explorer.js';

const base = 'layerscope.local/busybox:latest';
const image = 'ls-fx/image:1';
const endpoint = resolveDockerEndpoint();
if (!endpoint.socketPath) throw new Error('set DOCKER_HOST to the private engine socket');

const ctx = mkdtempSync(join(tmpdir(), 'ls-fx-build-'));
writeFileSync(join(ctx, '.env'), 'API_TOKEN=not-a-real-secret\n');
writeFileSync(
	join(ctx, 'Dockerfile'),
	[
		`FROM ${base}`,
		'RUN mkdir -p /srv && head -c 3145728 /dev/urandom > /srv/big.bin',
		'COPY .env /app/.env',
		'RUN mkdir -p /opt/app && head -c 200000 /dev/urandom > /opt/app/lib.so && echo v1 > /opt/app/VERSION',
		'RUN head -c 100000 /dev/urandom > /opt/app/lib.so && echo v2 > /opt/app/VERSION',
		`RUN rm /srv/big.bin /app/.env && mkdir -p /w && printf x > "/w/$(printf 'title\\033]0;pwned\\007')" && mkdir "/w/$(printf 'dir\\033[31m')" && echo z > "/w/$(printf 'dir\\033[31m')/inner"`,
		'',
	].join('\n'),
);
try {
	execFileSync('/usr/bin/docker', ['build', '--network=none', '-q', '-t', image, ctx], {env: {...process.env, DOCKER_BUILDKIT: '1'}, stdio: ['ignore', 'ignore', 'inherit']});
} finally {
	rmSync(ctx, {recursive: true, force: true});
}

const loaded = await loadImage(new DockerClient(endpoint, 30_000), image);
// Engine-specific noise the UI does not read: other images' names, containers.
loaded.report.sharedLayers = loaded.report.sharedLayers.filter(s => s.image.startsWith('layerscope.local/'));
loaded.report.usedBy = [];
const out = new URL('../test/fixtures/image-explorer.json', import.meta.url);
writeFileSync(out, JSON.stringify({recordedAt: new Date().toISOString(), image, ...loaded}, null, '\t') + '\n');
process.stdout.write(`recorded ${image}: ${loaded.layers.length} layers, ${loaded.layers.reduce((t, l) => t + l.entries.length, 0)} entries (${loaded.report.source})\n`);
