import {execFileSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {criSocketPath} from '../../source/adapters/cri/cri-endpoint.js';
import {makePlan, type PlanItem} from '../../source/domain/prune-plan.js';
import {AuditLog} from '../../source/services/audit-log.js';
import {criMutationTarget} from '../../source/services/cri-target.js';
import {connectEngines, type EngineSource} from '../../source/services/engines.js';
import {MutationService} from '../../source/services/mutations.js';
import {startPod, type TestPod} from '../helpers/cri-pod.js';
import {lab, waitFor} from '../helpers/lab.js';
import {buildBusyboxImage} from './cri-fixture.js';

describe('CRI removals go through the same guarded mutation service', () => {
	let source: EngineSource;
	let service: MutationService;
	let exited: TestPod;
	let running: TestPod;
	const unusedTag = 'layerscope.local/cri-unused:1';

	beforeAll(async () => {
		const {sources} = await connectEngines({runtime: 'cri', runtimeEndpoint: lab().criEndpoint, timeout: 30});
		source = sources[0]!;
		service = new MutationService(new Map([[source.cri!.id, criMutationTarget(source as never)]]), new AuditLog(join(mkdtempSync(join(tmpdir(), 'ls-cri-audit-')), 'a.jsonl')));
		const tar = buildBusyboxImage(mkdtempSync(join(tmpdir(), 'ls-cri-img-')), unusedTag, {Cmd: ['/bin/true'], Labels: {unused: 'yes'}});
		execFileSync('ctr', ['-a', criSocketPath(lab().criEndpoint)!, '-n', 'k8s.io', 'images', 'import', tar], {stdio: 'pipe'});
		exited = await startPod(lab().criEndpoint, 'done', 'echo bye');
		running = await startPod(lab().criEndpoint, 'alive', 'sleep 3600');
		await waitFor('the one-shot container to exit', async () => (await exited.client.containerStatus(exited.containerId)).status?.state === 'CONTAINER_EXITED');
	});
	afterAll(async () => {
		await exited?.remove();
		await running?.remove();
		source?.close();
	});

	it('removes the exited container and the unused image; never a running container or the sandbox image', async () => {
		const snap = await source.scan({pool: undefined as never});
		const pause = snap.images.find(i => i.sandbox)!;
		const unused = snap.images.find(i => i.tags.includes(unusedTag))!;
		expect(pause).toBeDefined();
		const engine = source.cri!.id;
		const items: PlanItem[] = [
			{kind: 'container', engine, id: exited.containerId, name: 'done', bytes: 0, chosen: true},
			{kind: 'container', engine, id: running.containerId, name: 'alive', bytes: 0, chosen: true},
			{kind: 'image', engine, id: unused.id, name: unusedTag, bytes: unused.virtualBytes, chosen: true},
			{kind: 'image', engine, id: pause.id, name: 'pause', bytes: pause.virtualBytes, chosen: true},
		];
		const result = await service.execute(makePlan('cri', items));
		const outcome = Object.fromEntries(result.outcomes.map(o => [o.item.name, o]));
		expect(outcome.done!.outcome).toBe('removed');
		expect(outcome.alive).toMatchObject({outcome: 'skipped', reason: 'is running now'});
		expect(outcome[unusedTag]!.outcome).toBe('removed');
		expect(outcome.pause!.outcome).toBe('skipped');
		const after = await source.scan({pool: undefined as never});
		expect(after.containers.map(c => c.id)).toContain(running.containerId);
		expect(after.containers.map(c => c.id)).not.toContain(exited.containerId);
		expect(after.images.map(i => i.id)).toContain(pause.id);
		expect(after.images.map(i => i.id)).not.toContain(unused.id);
	});
});
