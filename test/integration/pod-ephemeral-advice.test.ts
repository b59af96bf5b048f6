import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CriClient} from '../../source/adapters/cri/cri-client.js';
import {WalkPool} from '../../source/adapters/fs/walk-pool.js';
import {seedPod, unseedPods} from '../../source/adapters/lab/seed-pod.js';
import {demoPod} from '../../source/adapters/lab/seed-scenario.js';
import type {Suggestion} from '../../source/domain/advise.js';
import type {EngineSnapshot} from '../../source/domain/types.js';
import {connectEngines, type EngineSource} from '../../source/services/engines.js';
import {gatherAdvice} from '../../source/services/gather-advice.js';
import {lab, waitFor} from '../helpers/lab.js';

const MiB = 1024 * 1024;

/** The lab's seeded containerd pod (it grows its writable layer): advice sized from what it really uses. */
describe('ephemeral-storage advice for a CRI pod', () => {
	const pool = new WalkPool();
	let client: CriClient;
	let sources: EngineSource[];
	let engines: EngineSnapshot[];
	let advice: Suggestion | undefined;
	let seeded = false;
	let bounds: {before: number; after: number};
	const kubeletRoot = mkdtempSync(join(tmpdir(), 'ls-kubelet-'));

	/** The pod's writable-layer bytes as ListContainerStats reports them right now. */
	async function podWritable(ids: string[]): Promise<number> {
		const stats = await client.listContainerStats();
		return stats.filter(s => s.attributes && ids.includes(s.attributes.id)).reduce((t, s) => t + (s.writableLayer?.usedBytes?.value ?? 0), 0);
	}

	beforeAll(async () => {
		client = CriClient.connect(lab().criEndpoint, {timeoutMs: 30_000});
		seeded = !(await client.listPodSandboxes()).some(p => p.metadata?.name === demoPod.name && p.state === 'SANDBOX_READY');
		await seedPod(lab().dir);
		const sandbox = (await client.listPodSandboxes()).find(p => p.metadata?.name === demoPod.name && p.state === 'SANDBOX_READY')!;
		const ids = (await client.listContainers()).filter(c => c.podSandboxId === sandbox.id).map(c => c.id);
		await waitFor('the seeded pod to have written into its writable layer', async () => (await podWritable(ids)) > 0);
		// A disk-backed emptyDir of the pod, where the kubelet would keep it.
		const volume = join(kubeletRoot, 'pods', sandbox.metadata!.uid, 'volumes', 'kubernetes.io~empty-dir', 'scratch');
		mkdirSync(volume, {recursive: true});
		writeFileSync(join(volume, 'blob'), Buffer.alloc(MiB, 7));

		({sources} = await connectEngines({runtime: 'cri', runtimeEndpoint: lab().criEndpoint, timeout: 30}));
		const before = await podWritable(ids);
		engines = await Promise.all(sources.map(source => source.scan({pool})));
		const after = await podWritable(ids);
		bounds = {before, after};
		const {suggestions} = await gatherAdvice(engines, sources, {kubeletRoot, minBytes: 64 * 1024});
		advice = suggestions.find(s => s.subject === `${demoPod.namespace}/${demoPod.name}` && s.ephemeral);
	});
	afterAll(async () => {
		for (const source of sources ?? []) source.close();
		client?.close();
		await pool.close();
		if (seeded) await unseedPods(lab().dir);
	});

	it('appears for the seeded pod with the bytes the pod really uses', () => {
		expect(advice, 'an ephemeral-storage suggestion for the seeded pod').toBeDefined();
		const e = advice!.ephemeral!;
		const mine = engines.flatMap(x => x.containers).filter(c => c.pod?.name === demoPod.name);
		expect(e.containers).toBe(mine.length);
		// Writable layers: what the runtime reported around the scan (the pod keeps growing).
		expect(e.writableBytes).toBeGreaterThanOrEqual(bounds.before);
		expect(e.writableBytes).toBeLessThanOrEqual(bounds.after);
		expect(e.writableBytes).toBe(mine.reduce((t, c) => t + (c.writableAllocatedBytes ?? 0), 0));
		expect(e.logBytes).toBe(mine.reduce((t, c) => t + c.logBytes, 0));
		expect(e.emptyDirBytes).toBeGreaterThanOrEqual(MiB);
		expect(e.totalBytes).toBe(e.writableBytes + e.logBytes + e.emptyDirBytes);
		expect(advice!.bytes).toBe(e.totalBytes);
		expect(advice!.kind).toBe('redesign');
	});

	it('sizes requests and limits with headroom and says what it cannot see', () => {
		const e = advice!.ephemeral!;
		expect(e.requestBytes).toBeGreaterThanOrEqual(e.totalBytes);
		expect(e.limitBytes).toBeGreaterThanOrEqual(2 * e.totalBytes);
		expect(e.limitBytes).toBeGreaterThan(e.requestBytes);
		expect(advice!.change).toContain(`requests.ephemeral-storage: ${e.request},`);
		expect(advice!.change).toContain(`limits.ephemeral-storage: ${e.limit}`);
		expect(advice!.change).toContain('evicts this pod');
		expect(advice!.change).toContain('emptyDir sizeLimit');
		expect(advice!.reason).toContain('CRI does not expose the pod spec');
	});
});
