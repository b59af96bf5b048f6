#!/usr/bin/env node
// Records what the guide reads on the seeded demo lab into test/fixtures/guide-lab.json,
// for the guide's pure step tests. Build first (npm run build), seed the lab
// (layerscope lab up && layerscope lab seed), then, as root:
//   eval "$(node dist/cli.js lab env)" && node scripts/record-guide-fixture.mjs
import {writeFileSync} from 'node:fs';
import {DockerClient} from '../dist/source/adapters/docker/docker-client.js';
import {DockerReader} from '../dist/source/adapters/docker/docker-reader.js';
import {resolveDockerEndpoint} from '../dist/source/adapters/docker/endpoint.js';
import {drillContainer} from '../dist/source/services/drill.js';
import {gatherAdvice} from '../dist/source/services/gather-advice.js';
import {DockerSampler} from '../dist/source/services/sampler.js';

const endpoint = resolveDockerEndpoint();
if (!endpoint.socketPath) throw new Error('set DOCKER_HOST to the private lab engine socket');
const reader = new DockerReader(new DockerClient(endpoint, 10_000));
const sampler = new DockerSampler(reader, {intervalMs: 1000});
await sampler.fullScan();
for (let i = 0; i < 4; i++) {
	await new Promise(r => setTimeout(r, 1000));
	await sampler.sample();
}
const state = sampler.getState();
await sampler.stop();

const engine = state.snapshot.engines[0];
const drills = {};
for (const name of ['demo-log-writer', 'demo-copy-up', 'demo-whiteout']) {
	const record = engine.containers.find(c => c.name === name);
	if (!record) throw new Error(`${name} is missing: seed the lab first`);
	const tree = await drillContainer(record, {signal: AbortSignal.timeout(30_000), local: true});
	drills[record.id] = {...tree, dirs: [...tree.dirs.values()]};
}
const {suggestions, classes} = await gatherAdvice(state.snapshot.engines, [{kind: 'docker', endpoint: endpoint.display, docker: reader, scan: async () => engine, close: () => {}}]);

const fixture = {
	recordedAt: new Date().toISOString(),
	note: 'Recorded by scripts/record-guide-fixture.mjs from the seeded demo lab (dockerd); read by test/ui/guide-*.test.ts.',
	snapshot: state.snapshot,
	thresholds: state.thresholds,
	growth: [...state.growth],
	logGrowth: [...state.logGrowth],
	history: [...state.history],
	drills,
	advice: {suggestions, classes},
};
// Buffers (raw non-UTF-8 names) do not occur in the demo; strings round-trip.
writeFileSync(new URL('../test/fixtures/guide-lab.json', import.meta.url), JSON.stringify(fixture, null, '\t') + '\n');
process.stdout.write(`recorded ${engine.containers.length} containers, ${Object.keys(drills).length} drills, ${suggestions.length} suggestions\n`);
