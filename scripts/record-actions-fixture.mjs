#!/usr/bin/env node
// Records what the actions screens see on a real (private) Docker engine into
// test/fixtures/actions-docker.json, for the UI tests: the snapshot, the suggestions
// the real advice code computed from it, and the result of really executing one plan.
// Build first (npm run build), then, against a PRIVATE lab engine only (it removes things):
//   DOCKER_HOST=unix:///…/docker.sock node scripts/record-actions-fixture.mjs
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import Docker from 'dockerode';
import {WalkPool} from '../dist/source/adapters/fs/walk-pool.js';
import {AuditLog} from '../dist/source/services/audit-log.js';
import {dockerMutationTarget} from '../dist/source/services/docker-target.js';
import {connectEngines} from '../dist/source/services/engines.js';
import {gatherAdvice} from '../dist/source/services/gather-advice.js';
import {createMutationService} from '../dist/source/services/mutations.js';

const image = 'layerscope.local/busybox:latest';
const host = process.env.DOCKER_HOST ?? '';
if (!host.startsWith('unix:///tmp/')) throw new Error('set DOCKER_HOST to a private lab engine socket under /tmp');
const docker = new Docker({socketPath: host.replace('unix://', '')});

async function run(name, script, {wait = true, volumes} = {}) {
	await docker
		.getContainer(name)
		.remove({force: true})
		.catch(() => {});
	const c = await docker.createContainer({name, Image: image, Cmd: ['sh', '-c', script], Volumes: volumes, HostConfig: {NetworkMode: 'none'}});
	await c.start();
	if (wait) await c.wait();
	return c;
}

function build(tag, dockerfile) {
	const ctx = mkdtempSync(join(tmpdir(), 'ls-ax-build-'));
	writeFileSync(join(ctx, 'Dockerfile'), dockerfile);
	execFileSync('/usr/bin/docker', ['build', '--network=none', '-q', '-t', tag, ctx], {env: {...process.env, DOCKER_BUILDKIT: '1'}, stdio: ['ignore', 'ignore', 'inherit']});
	rmSync(ctx, {recursive: true, force: true});
}

await run('ls-ax-stopped-1', 'dd if=/dev/zero of=/x bs=1M count=2 2>/dev/null');
await run('ls-ax-stopped-2', 'dd if=/dev/zero of=/y bs=1k count=300 2>/dev/null');
await run('ls-ax-stopped-3', 'true');
await run('ls-ax-app-logs', 'mkdir -p /var/log/app; dd if=/dev/zero of=/var/log/app/app.log bs=1M count=3 2>/dev/null; sleep 3600', {wait: false});
// Two builds of one tag leave the first dangling; two more tags stay unused.
build('ls-ax/dangling:1', `FROM ${image}\nRUN dd if=/dev/zero of=/d1 bs=1k count=600 2>/dev/null\n`);
build('ls-ax/dangling:1', `FROM ${image}\nRUN dd if=/dev/zero of=/d2 bs=1k count=700 2>/dev/null\n`);
build('ls-ax/unused:1', `FROM ${image}\nRUN dd if=/dev/zero of=/u1 bs=1k count=800 2>/dev/null\n`);
build('ls-ax/unused:2', `FROM ${image}\nRUN dd if=/dev/zero of=/u2 bs=1k count=900 2>/dev/null\n`);
// Records of two ages for the build-cache choice tests (c + "5s"): the builds above are older than 5 s when scanned.
await new Promise(resolve => setTimeout(resolve, 6000));
// The case: a rebuild whose last step changed leaves a dangling image sharing a 1 MiB layer with the unused one.
build('ls-ax/shared:1', `FROM ${image}\nRUN dd if=/dev/zero of=/s bs=1k count=1024 2>/dev/null\nRUN echo 1 > /v\n`);
build('ls-ax/shared:1', `FROM ${image}\nRUN dd if=/dev/zero of=/s bs=1k count=1024 2>/dev/null\nRUN echo 2 > /v\n`);
// A named volume and an anonymous one, both unreferenced.
await docker.createVolume({Name: 'ls-ax-named-data'});
const anon = await run('ls-ax-anon', 'dd if=/dev/zero of=/anon/a bs=1k count=100 2>/dev/null', {volumes: {'/anon': {}}});
await anon.remove({v: false});

const {sources} = await connectEngines({runtime: 'docker', timeout: 30});
const pool = new WalkPool();
const engines = await Promise.all(sources.map(source => source.scan({pool, diskUsageTimeoutMs: 120_000})));
const snapshot = {takenAt: Date.now(), engines};
const {suggestions} = await gatherAdvice(engines, sources);

// Really execute the stopped-containers plan once, to record an ExecutionResult.
const audit = join(mkdtempSync(join(tmpdir(), 'ls-ax-audit-')), 'actions.jsonl');
const runtime = await sources[0].docker.runtime();
const service = createMutationService({readOnly: false}, () => ({targets: new Map([['docker', dockerMutationTarget(sources[0].docker, runtime.rootDir)]]), audit: new AuditLog(audit)}));
const plan = suggestions.find(s => s.kind === 'cleanup' && s.title === 'Remove stopped containers').plan;
const execution = await service.execute(plan);
await pool.close();

const fixture = {
	recordedAt: new Date().toISOString(),
	note: 'Recorded by scripts/record-actions-fixture.mjs from the private lab dockerd; read by test/ui (actions screens).',
	snapshot,
	suggestions,
	execution: {planTitle: plan.title, result: execution},
};
writeFileSync(new URL('../test/fixtures/actions-docker.json', import.meta.url), JSON.stringify(fixture, null, '\t') + '\n');
process.stdout.write(`recorded ${suggestions.length} suggestions; executed "${plan.title}": ${execution.outcomes.map(o => o.outcome).join(', ')}\n`);
await docker
	.getContainer('ls-ax-app-logs')
	.remove({force: true})
	.catch(() => {});
for (const s of sources) s.close();
