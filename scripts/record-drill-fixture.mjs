#!/usr/bin/env node
// Records what the drill-down screen sees for one real container of a private Docker
// engine into test/fixtures/drill-docker.json, for the UI tests. Build first (npm run build),
// then, as root: DOCKER_HOST=unix:///…/docker.sock node scripts/record-drill-fixture.mjs
// It builds the image ls-fx/drill:1 and leaves the stopped container ls-fx-drill on that engine.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import Docker from 'dockerode';
import {DockerChanges} from '../dist/source/adapters/docker/docker-changes.js';
import {DockerClient} from '../dist/source/adapters/docker/docker-client.js';
import {DockerReader} from '../dist/source/adapters/docker/docker-reader.js';
import {resolveDockerEndpoint} from '../dist/source/adapters/docker/endpoint.js';
import {drillContainer} from '../dist/source/services/drill.js';
import {DockerSampler} from '../dist/source/services/sampler.js';

const base = 'layerscope.local/busybox:latest';
const image = 'ls-fx/drill:1';
const name = 'ls-fx-drill';
const endpoint = resolveDockerEndpoint();
if (!endpoint.socketPath) throw new Error('set DOCKER_HOST to the private engine socket');
const docker = new Docker({socketPath: endpoint.socketPath});

// The image: a 3 MiB file to copy up, files to delete, a database directory.
const ctx = mkdtempSync(join(tmpdir(), 'ls-fx-build-'));
writeFileSync(
	join(ctx, 'Dockerfile'),
	`FROM ${base}\nRUN dd if=/dev/urandom of=/srv/data.img bs=1M count=3 2>/dev/null || (mkdir -p /srv && dd if=/dev/urandom of=/srv/data.img bs=1M count=3)\n` +
		`RUN mkdir -p /opt/app/plugins && dd if=/dev/zero of=/opt/app/plugins/old.so bs=1k count=200 && echo a > /opt/app/README\n`,
);
try {
	execFileSync('/usr/bin/docker', ['build', '--network=none', '-q', '-t', image, ctx], {env: {...process.env, DOCKER_BUILDKIT: '1'}, stdio: ['ignore', 'ignore', 'inherit']});
} finally {
	rmSync(ctx, {recursive: true, force: true});
}

// The container: a copy-up, whiteouts, a log, caches, a database, temp files, a symlink loop,
// an unreadable directory and names with escape sequences (an OSC title) and invalid UTF-8.
const script = [
	'echo appended >> /srv/data.img',
	'rm -r /opt/app/plugins && rm /opt/app/README',
	'mkdir -p /var/log/app && i=0; while [ $i -lt 3000 ]; do echo "request $i served in 3 ms" >> /var/log/app/access.log; i=$((i+1)); done',
	'dd if=/dev/zero of=/var/log/app/access.log.1 bs=1k count=96 2>/dev/null',
	'mkdir -p /root/.cache/pip/wheels && dd if=/dev/zero of=/root/.cache/pip/wheels/pkg.whl bs=1k count=700 2>/dev/null',
	'mkdir -p /var/lib/mysql && dd if=/dev/zero of=/var/lib/mysql/ibdata1 bs=1k count=1200 2>/dev/null',
	'dd if=/dev/zero of=/tmp/upload.part bs=1k count=64 2>/dev/null && touch /core',
	'mkdir -p /w/locked && echo secret > /w/locked/s && chmod 000 /w/locked',
	'ln -s loop /w/loop && ln -s /w/b /w/a && ln -s /w/a /w/b',
	`printf 'x%.0s' $(seq 1 300) > "/w/$(printf 'title\\033]0;pwned\\007')"`,
	`printf y > "/w/$(printf 'bad\\377\\376name')"`,
	`mkdir "/w/$(printf 'dir\\033[31m')" && echo z > "/w/$(printf 'dir\\033[31m')/inner"`,
].join(' && ');
await docker
	.getContainer(name)
	.remove({force: true})
	.catch(() => {});
const created = await docker.createContainer({name, Image: image, Cmd: ['sh', '-c', script], HostConfig: {NetworkMode: 'none'}});
await created.start();
await created.wait();

const reader = new DockerReader(new DockerClient(endpoint, 10_000));
const sampler = new DockerSampler(reader, {intervalMs: 1000});
await sampler.fullScan();
const state = sampler.getState();
await sampler.stop();
const record = state.snapshot.engines.flatMap(e => e.containers).find(c => c.id === created.id);
if (!record?.upperDir) throw new Error('no upperdir for the container: run as root against a local engine');

const serialize = tree => ({...tree, dirs: [...tree.dirs]});
const progress = [];
const walk = await drillContainer(record, {local: true, onProgress: p => progress.push(p)});
const engine = await drillContainer(record, {local: false, engine: new DockerChanges(new DockerClient(endpoint, 10_000))});
// Unreadable directories only show up for an unprivileged walker (root reads everything):
// walk a copy of /w as nobody, with /w/locked still mode 000.
const scratch = mkdtempSync(join(tmpdir(), 'ls-fx-nobody-'));
execFileSync('cp', ['-a', join(record.upperDir, 'w'), join(scratch, 'w')]);
execFileSync('chmod', ['755', scratch]);
const scripts = mkdtempSync(join(tmpdir(), 'ls-fx-script-'));
execFileSync('chmod', ['755', scripts]);
const child = join(scripts, 'walk.mjs');
const drillModule = new URL('../dist/source/services/drill.js', import.meta.url).href;
writeFileSync(child, `const {drillContainer} = await import(${JSON.stringify(drillModule)});\nconst t = await drillContainer(JSON.parse(process.argv[2]), {local: true});\nprocess.stdout.write(JSON.stringify({...t, dirs: [...t.dirs]}));\n`);
execFileSync('chmod', ['644', child]);
const unprivileged = JSON.parse(execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, child, JSON.stringify({...record, upperDir: scratch, lowerDirs: []})], {encoding: 'utf8'}));
execFileSync('chmod', ['-R', 'u+rwx', scratch]);
rmSync(scratch, {recursive: true, force: true});
rmSync(scripts, {recursive: true, force: true});

const fixture = {
	recordedAt: new Date().toISOString(),
	note: 'Recorded by scripts/record-drill-fixture.mjs from the private lab dockerd; read by test/ui/drill*.test.tsx. dirs is a Map, stored as entries.',
	container: record,
	walk: serialize(walk),
	engine: serialize(engine),
	progress: progress.at(-1) ?? null,
	/** The same /w walked as nobody: the unreadable directory is counted. */
	unprivileged,
};
writeFileSync(new URL('../test/fixtures/drill-docker.json', import.meta.url), JSON.stringify(fixture, null, '\t') + '\n');
process.stdout.write(`recorded ${walk.dirs.size} directories, ${walk.changes.length} changes (${engine.changes.length} from the engine)\n`);
