import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DockerClient} from '../../source/adapters/docker/docker-client.js';
import {DockerReader} from '../../source/adapters/docker/docker-reader.js';
import {resolveDockerEndpoint} from '../../source/adapters/docker/endpoint.js';
import {WalkPool} from '../../source/adapters/fs/walk-pool.js';
import {startDockerd, stopDockerd} from '../../source/adapters/lab/docker-lab.js';
import {labPaths} from '../../source/adapters/lab/lab-paths.js';
import {allUnusedImagesTitle, cleanupPlans} from '../../source/domain/cleanup-candidates.js';
import {buildLedger} from '../../source/domain/ledger.js';
import {reclaimAgreement} from '../../source/domain/reclaim-estimate.js';
import type {EngineSnapshot} from '../../source/domain/types.js';
import {AuditLog} from '../../source/services/audit-log.js';
import {scanDocker} from '../../source/services/docker-scan.js';
import {dockerMutationTarget} from '../../source/services/docker-target.js';
import {createMutationService, type MutationService} from '../../source/services/mutations.js';
import {chosenPlan, draftOf, toggleItem} from '../../source/ui/model/plan-selection.js';
import {reclaimCheckWarning} from '../../source/ui/screens/result-view.js';
import {buildImage} from '../helpers/docker-build.js';

const MiB = 1024 ** 2;
/** 8 MiB of incompressible-looking ASCII: the layer the two images share. */
const big = Array.from({length: 8 * 1024}, (_, i) => `${i.toString(36).padStart(8, '0')}${'x'.repeat(1015)}\n`).join('');

/**
 * The case on a real engine: an unused and a dangling image sharing an 8 MiB
 * layer, built with BuildKit (the second build of one tag leaves the first dangling).
 * statfs must see only what the plan removes, so this engine is a private dockerd
 * whose whole data root is its own tmpfs: the lab's dockerd shares the machine's
 * disk with every other process writing there.
 */
describe('reclaim estimates that add up (BuildKit images sharing an 8 MiB layer)', () => {
	let dir: string;
	let host: string;
	let reader: DockerReader;
	let service: MutationService;
	const pool = new WalkPool();
	const snapshot = () => scanDocker(reader, {pool, diskUsageTimeoutMs: 60_000});
	const buildPair = () => {
		buildImage(host, 'ls-rc/tool:1', 'FROM scratch\nCOPY big /big\nCOPY v /v\n', {big, v: '1\n'});
		buildImage(host, 'ls-rc/tool:1', 'FROM scratch\nCOPY big /big\nCOPY v /v\n', {big, v: '2\n'});
	};
	const jointPlan = (engine: EngineSnapshot) => cleanupPlans(engine).find(p => p.title === allUnusedImagesTitle)!;

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'ls-rc-quiet-'));
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256m', 'tmpfs', dir]);
		const paths = labPaths(dir);
		await startDockerd(paths);
		host = `unix://${paths.docker.socket}`;
		reader = new DockerReader(new DockerClient(resolveDockerEndpoint(host)));
		const runtime = await reader.runtime();
		service = createMutationService({readOnly: false}, () => ({
			targets: new Map([['docker', dockerMutationTarget(reader, runtime.rootDir)]]),
			audit: new AuditLog(join(dir, 'audit', 'actions.jsonl')),
		}))!;
	});
	afterAll(async () => {
		await pool.close();
		if (!dir) return;
		await stopDockerd(labPaths(dir));
		execFileSync('umount', ['-l', dir]);
		rmdirSync(dir);
	});

	it('one joint plan estimates the shared layer; toggling one item changes the estimate; executing frees what was estimated', async () => {
		buildPair();
		// BuildKit's cache records share these layers and would keep them on disk (the next test): clear them first.
		execFileSync('/usr/bin/docker', ['builder', 'prune', '-af'], {env: {...process.env, DOCKER_HOST: host}, stdio: 'ignore'});
		const engine = await snapshot();
		const ledger = buildLedger(engine);
		expect(ledger.unusedImages.count).toBe(1);
		expect(ledger.danglingImages.count).toBe(1);

		const single = cleanupPlans(engine);
		expect(single.find(p => p.title === 'Remove unused images')!.totalBytes).toBe(2); // the dangling image keeps the 8 MiB
		expect(single.find(p => p.title === 'Remove dangling images')!.totalBytes).toBe(2);
		const plan = jointPlan(engine);
		expect(plan.items).toHaveLength(2);
		expect(plan.totalBytes).toBe(8 * MiB + 2 + 2);
		expect(plan.totalBytes).toBe(ledger.unusedImages.reclaimableBytes! + ledger.danglingImages.reclaimableBytes!);
		expect(plan.caveat).toBeUndefined();

		let draft = draftOf(plan);
		const dangling = plan.items.findIndex(i => !i.name.startsWith('ls-rc/'));
		draft = toggleItem(draft, dangling);
		expect(chosenPlan(draft).totalBytes).toBe(2);
		draft = toggleItem(draft, dangling);
		const chosen = chosenPlan(draft);
		expect(chosen.totalBytes).toBe(8 * MiB + 4);

		const result = await service.execute(chosen);
		expect(result.outcomes.map(o => o.outcome)).toEqual(['removed', 'removed']);
		expect(result.removedEstimatedBytes).toBe(8 * MiB + 4);
		// Tolerance: statfs counts 4 KiB pages, so the two 2-byte files free a page each, and
		// removing a layer also frees its directories, link files and layer-store metadata
		// (tens of KiB): within reclaimAgreement's 1 MiB floor (10% above that).
		const measured = result.measuredBytes!;
		expect(measured).toBeGreaterThanOrEqual(8 * MiB);
		expect(reclaimAgreement(result.removedEstimatedBytes, measured).agree, `measured ${measured}`).toBe(true);
		expect(reclaimCheckWarning(result)).toBeNull();
	});

	it('layers build-cache records keep are left out of the estimate, with a note; executing frees what was estimated', async () => {
		buildPair();
		const engine = await snapshot();
		// Each record's layer comes from BuildKit's snapshot database on the host.
		const records = engine.usage.buildCache ?? [];
		expect(records.some(r => r.shared && typeof r.chainId === 'string')).toBe(true);
		expect(records.every(r => r.chainId !== undefined)).toBe(true);
		const plan = jointPlan(engine);
		expect(plan.caveat).toBeUndefined();
		expect(plan.note).toMatch(/^not counted: 8\.0 MiB in \d+ layer\(s\) only these images and build-cache records hold/);
		expect(plan.totalBytes).toBeLessThan(MiB);
		const ledger = buildLedger(engine);
		expect(plan.totalBytes).toBe(ledger.unusedImages.reclaimableBytes! + ledger.danglingImages.reclaimableBytes!);
		const result = await service.execute(plan);
		expect(result.outcomes.every(o => o.outcome === 'removed')).toBe(true);
		expect(result.measuredBytes!).toBeLessThan(MiB);
		expect(reclaimAgreement(result.removedEstimatedBytes, result.measuredBytes!).agree, `measured ${result.measuredBytes}`).toBe(true);
		expect(reclaimCheckWarning(result)).toBeNull();
	});
});
