import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {WalkPool} from '../../source/adapters/fs/walk-pool.js';
import {connectEngines, type EngineSource} from '../../source/services/engines.js';
import {gatherAdvice} from '../../source/services/gather-advice.js';
import {sampleGrowth} from '../../source/services/sampler.js';
import {lab, labDocker, runContainer, waitFor} from '../helpers/lab.js';

/**
 * Advice drills the containers that grow, not only the biggest: a small container
 * logging into its writable layer, next to bigger idle ones, still gets its redesign.
 */
describe('advice follows growth', () => {
	const docker = labDocker();
	const pool = new WalkPool();
	const idle = ['ls-advg-idle1', 'ls-advg-idle2', 'ls-advg-idle3', 'ls-advg-idle4'];
	let sources: EngineSource[];

	beforeAll(async () => {
		for (const name of idle) await runContainer(docker, name, 'mkdir -p /data && dd if=/dev/zero of=/data/big bs=1M count=6 2>/dev/null; sleep 3600');
		await runContainer(
			docker,
			'ls-advg-grower',
			'mkdir -p /var/log/app; dd if=/dev/zero of=/var/log/app/app.log bs=1k count=1536 2>/dev/null; while true; do dd if=/dev/zero bs=16k count=1 >> /var/log/app/app.log 2>/dev/null; sleep 0.2; done',
		);
		await waitFor('the idle layers to be written', async () => {
			const sizes = await Promise.all(idle.map(async name => ((await docker.getContainer(name).inspect({size: true} as never)) as any).SizeRw as number));
			return sizes.every(s => s >= 6 * 1024 * 1024);
		});
		({sources} = await connectEngines({runtime: 'docker', host: lab().dockerHost, timeout: 10}));
	});

	afterAll(async () => {
		for (const name of [...idle, 'ls-advg-grower'])
			await docker
				.getContainer(name)
				.remove({force: true})
				.catch(() => {});
		for (const source of sources ?? []) source.close();
		await pool.close();
	});

	it('drills the grower first and suggests moving its log out of the writable layer', async () => {
		const {engine, growthBytesPerSec} = await sampleGrowth(sources[0]!.docker!, {samples: 3, intervalSeconds: 1, pool});
		const grower = engine.containers.find(c => c.name === 'ls-advg-grower')!;
		const rates = [...growthBytesPerSec.values()];
		// It grows, and it is smaller than the idle ones: ranked by size alone it would not be drilled.
		expect(growthBytesPerSec.get(grower.id)).toBeGreaterThan(0);
		expect(engine.containers.filter(c => (c.writableBytes ?? 0) > (grower.writableBytes ?? 0)).length).toBeGreaterThanOrEqual(4);
		expect(rates.length).toBeGreaterThan(0);

		const {classes, suggestions} = await gatherAdvice([engine], sources, {growth: c => growthBytesPerSec.get(c.id) ?? 0});
		expect(classes.map(c => c.containerId)).toContain(grower.id);
		const logs = suggestions.find(s => s.title === 'Logs written inside the container' && s.subject === 'ls-advg-grower');
		expect(logs?.kind).toBe('redesign');
		expect(logs?.reason).toContain('/var/log/app');
	});
});
