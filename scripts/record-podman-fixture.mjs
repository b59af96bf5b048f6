#!/usr/bin/env node
// Records what the console's sampler sees on a real (private) Podman into
// test/fixtures/console-podman.json, for the UI tests of Podman pods: the lab's demo pod
// (its infra container and one container) and the growing container outside any pod.
// Build first (npm run build), then, on a lab started with `layerscope lab up --dir D`:
//   node scripts/record-podman-fixture.mjs D
// It seeds the Podman part of the demo (lab seed does the same) and leaves it running.
import {connectEngines} from '../dist/source/services/engines.js';
import {DockerSampler} from '../dist/source/services/sampler.js';
import {seedPodman, podmanDemo} from '../dist/source/adapters/lab/seed-podman.js';
import {podmanLabPaths} from '../dist/source/adapters/lab/podman-lab.js';
import {writeFeedFixture} from './lib/feed-fixture.mjs';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node scripts/record-podman-fixture.mjs LAB_DIR');
await seedPodman(dir);
const podmanHost = `unix://${podmanLabPaths(dir).socket}`;
const {sources} = await connectEngines({runtime: 'podman', podmanHost, timeout: 30});
const sampler = new DockerSampler(sources[0].docker, {intervalMs: 1000});
await sampler.fullScan();
const demo = c => c.name.startsWith('demo-podman-') || c.pod?.name === podmanDemo.pod.name;
const growing = () => {
	const state = sampler.getState();
	const grower = state.snapshot?.engines[0]?.containers.find(c => c.name === podmanDemo.grower.name);
	return grower && (state.growth.get(`${grower.engine}/${grower.id}`) ?? 0) > 0;
};
for (let i = 0; i < 60 && !growing(); i++) {
	await new Promise(r => setTimeout(r, 1000));
	await sampler.sample();
}
if (!growing()) throw new Error('the Podman grower never showed growth');
const state = sampler.getState();
await sampler.stop();
for (const s of sources) s.close();
const engine = state.snapshot.engines[0];
engine.containers = engine.containers.filter(demo);
const keep = new Set(engine.containers.map(c => c.id));
writeFeedFixture('console-podman.json', 'Recorded by scripts/record-podman-fixture.mjs from the private lab Podman; read by test/ui.', state, keep);
process.stdout.write(`recorded ${engine.containers.length} containers\n`);
