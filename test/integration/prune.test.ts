import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DockerClient} from '../../source/adapters/docker/docker-client.js';
import {DockerReader} from '../../source/adapters/docker/docker-reader.js';
import {resolveDockerEndpoint} from '../../source/adapters/docker/endpoint.js';
import {WalkPool} from '../../source/adapters/fs/walk-pool.js';
import {cleanupPlans} from '../../source/domain/cleanup-candidates.js';
import {makePlan, type PlanItem} from '../../source/domain/prune-plan.js';
import {AuditLog} from '../../source/services/audit-log.js';
import {scanDocker} from '../../source/services/docker-scan.js';
import {dockerMutationTarget} from '../../source/services/docker-target.js';
import {createMutationService, type MutationService} from '../../source/services/mutations.js';
import {buildImage} from '../helpers/docker-build.js';
import {busybox, lab, labDocker, runContainer} from '../helpers/lab.js';

describe('confirm-before-prune executes exactly the plan', () => {
	const docker = labDocker();
	const pool = new WalkPool();
	let reader: DockerReader;
	let service: MutationService;
	let auditPath: string;

	const inventory = async () => ({
		containers: new Set((await docker.listContainers({all: true})).map(c => c.Id)),
		images: new Set((await docker.listImages()).map(i => i.Id)),
		volumes: new Set(((await docker.listVolumes()).Volumes ?? []).map(v => v.Name)),
	});
	const snapshot = () => scanDocker(reader, {pool});

	beforeAll(async () => {
		reader = new DockerReader(new DockerClient(resolveDockerEndpoint(lab().dockerHost)));
		auditPath = join(mkdtempSync(join(tmpdir(), 'ls-audit-')), 'actions.jsonl');
		const runtime = await reader.runtime();
		service = createMutationService({readOnly: false}, () => ({
			targets: new Map([['docker', dockerMutationTarget(reader, runtime.rootDir)]]),
			audit: new AuditLog(auditPath),
		}))!;
		await runContainer(docker, 'ls-p-stop1', 'dd if=/dev/zero of=/x bs=1M count=1 2>/dev/null', {wait: true});
		await runContainer(docker, 'ls-p-stop2', 'true', {wait: true});
		await runContainer(docker, 'ls-p-late', 'sleep 3600', {wait: false});
		await docker.getContainer('ls-p-late').stop({t: 0});
		buildImage(lab().dockerHost, 'ls-prune/a:1', `FROM ${busybox}\nRUN echo a > /a\n`);
		buildImage(lab().dockerHost, 'ls-prune/b:1', `FROM ${busybox}\nRUN echo b > /b\n`);
		await docker.createVolume({Name: 'ls-p-named'});
		await runContainer(docker, 'ls-p-anon', 'echo x > /anon/x', {wait: true, binds: []});
	});
	afterAll(() => pool.close());

	it('removes listed items, skips items that changed since preview, touches nothing else', async () => {
		const before = await snapshot();
		const ours = (name: string) => before.containers.find(c => c.name === name)!;
		const image = (tag: string) => before.images.find(i => i.tags.includes(tag))!;
		const items: PlanItem[] = [
			...['ls-p-stop1', 'ls-p-stop2', 'ls-p-late'].map(n => ({kind: 'container' as const, engine: 'docker', id: ours(n).id, name: n, bytes: ours(n).writableBytes ?? 0, chosen: true})),
			...['ls-prune/a:1', 'ls-prune/b:1'].map(t => ({kind: 'image' as const, engine: 'docker', id: image(t).id, name: t, bytes: 1, chosen: true})),
		];
		const plan = makePlan('test plan', items);
		const inventoryBefore = await inventory();
		// Between preview and confirm: one container starts, one image gains a container.
		await docker.getContainer(ours('ls-p-late').id).start();
		await runContainer(docker, 'ls-p-user-of-b', 'sleep 3600', {image: 'ls-prune/b:1'});
		const inventoryMid = await inventory();

		const result = await service.execute(plan);
		const byName = Object.fromEntries(result.outcomes.map(o => [o.item.name, o]));
		expect(byName['ls-p-stop1']!.outcome).toBe('removed');
		expect(byName['ls-p-stop2']!.outcome).toBe('removed');
		expect(byName['ls-p-late']).toMatchObject({outcome: 'skipped', reason: 'is running now'});
		expect(byName['ls-prune/a:1']!.outcome).toBe('removed');
		expect(byName['ls-prune/b:1']).toMatchObject({outcome: 'skipped', reason: 'now used by 1 container(s)'});

		const after = await inventory();
		const removed = new Set(result.outcomes.filter(o => o.outcome === 'removed').map(o => o.item.id));
		for (const kind of ['containers', 'images', 'volumes'] as const) {
			const expected = [...inventoryMid[kind]].filter(id => !removed.has(id)).sort();
			expect([...after[kind]].sort(), kind).toEqual(expected);
		}
		expect(inventoryBefore.volumes).toEqual(after.volumes);
		expect(result.estimatedBytes).toBe(plan.totalBytes);
		expect(typeof result.measuredBytes).toBe('number');
		for (const o of result.outcomes.filter(o => o.outcome === 'removed')) expect(typeof o.measuredBytes).toBe('number');
	});

	it('never removes a named volume unless it was chosen individually', async () => {
		const now = await snapshot();
		const volumePlans = cleanupPlans(now).filter(p => p.items.some(i => i.kind === 'volume'));
		for (const plan of volumePlans) expect(plan.items.map(i => i.id)).not.toContain('ls-p-named');
		const sneaky: PlanItem = {kind: 'volume', engine: 'docker', id: 'ls-p-named', name: 'ls-p-named', bytes: 0, chosen: false, named: true};
		expect(makePlan('bulk', [sneaky]).items).toEqual([]);
		// Even if such an item reached the service, re-validation refuses it.
		const forced = await service.execute({title: 'forced', items: [sneaky], totalBytes: 0});
		expect(forced.outcomes[0]).toMatchObject({outcome: 'skipped', reason: 'is a named volume that was not chosen individually'});
		expect((await inventory()).volumes.has('ls-p-named')).toBe(true);
		const chosen = await service.execute(makePlan('chosen', [{...sneaky, chosen: true}]));
		expect(chosen.outcomes[0]!.outcome).toBe('removed');
		expect((await inventory()).volumes.has('ls-p-named')).toBe(false);
	});

	it('prunes build cache records by id and reports reclaimed bytes', async () => {
		const now = await snapshot();
		const plan = cleanupPlans(now).find(p => p.title === 'Prune build cache');
		expect(plan, 'the lab builds leave cache records').toBeDefined();
		const result = await service.execute(plan!);
		expect(
			result.outcomes.every(o => o.outcome === 'removed'),
			JSON.stringify(result.outcomes.filter(o => o.outcome !== 'removed')),
		).toBe(true);
		const left = (await snapshot()).usage.buildCache!.map(r => r.id);
		for (const item of plan!.items) expect(left).not.toContain(item.id);
		expect(typeof result.measuredBytes).toBe('number');
	});

	it('writes one audit line per executed action', () => {
		const lines = readFileSync(auditPath, 'utf8')
			.trim()
			.split('\n')
			.map(l => JSON.parse(l));
		expect(lines.length).toBeGreaterThanOrEqual(5 + 2 + 1);
		for (const line of lines) {
			expect(line).toHaveProperty('time');
			expect(line).toHaveProperty('uid');
			expect(line).toHaveProperty('user');
			expect(line.engine).toBe('docker');
			expect(['removed', 'skipped', 'failed']).toContain(line.outcome);
			expect(line).toHaveProperty('estimatedBytes');
			expect(line).toHaveProperty('measuredBytes');
		}
	});
});
