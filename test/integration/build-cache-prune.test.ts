import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DockerClient} from '../../source/adapters/docker/docker-client.js';
import {DockerReader} from '../../source/adapters/docker/docker-reader.js';
import {resolveDockerEndpoint} from '../../source/adapters/docker/endpoint.js';
import {WalkPool} from '../../source/adapters/fs/walk-pool.js';
import {buildCachePlan} from '../../source/domain/cleanup-candidates.js';
import type {BuildCacheRecord} from '../../source/domain/types.js';
import {AuditLog} from '../../source/services/audit-log.js';
import {scanDocker} from '../../source/services/docker-scan.js';
import {dockerMutationTarget} from '../../source/services/docker-target.js';
import {createMutationService, type MutationService} from '../../source/services/mutations.js';
import {runCli} from '../helpers/cli.js';
import {buildImage} from '../helpers/docker-build.js';
import {busybox, lab, labDocker} from '../helpers/lab.js';

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const unusedUnshared = (records: BuildCacheRecord[]) => records.filter(r => !r.inUse && !r.shared);

/**
 * Build cache records only exist after real BuildKit builds: three builds, a
 * timestamp taken between them, and their images removed so the RUN records are no
 * longer shared with an image (and so prunable).
 */
describe('build-cache prune: older than a duration, down to a keep-storage amount', () => {
	const docker = labDocker();
	const pool = new WalkPool();
	let reader: DockerReader;
	let service: MutationService;
	let betweenFirstAndSecond = 0;
	const marker = `bc${process.pid}`;
	const byMarker = (records: BuildCacheRecord[], step: string) => records.find(r => r.description.includes(`${marker}-${step}`));
	const records = async () => (await scanDocker(reader, {pool})).usage.buildCache!;

	async function buildAndDrop(step: string, kib: number) {
		const tag = `ls-bc/${step}:${process.pid}`;
		buildImage(lab().dockerHost, tag, `FROM ${busybox}\nRUN echo ${marker}-${step} && dd if=/dev/zero of=/${step} bs=1k count=${kib} 2>/dev/null\n`);
		await docker.getImage(tag).remove();
	}

	beforeAll(async () => {
		reader = new DockerReader(new DockerClient(resolveDockerEndpoint(lab().dockerHost)));
		const runtime = await reader.runtime();
		service = createMutationService({readOnly: false}, () => ({
			targets: new Map([['docker', dockerMutationTarget(reader, runtime.rootDir)]]),
			audit: new AuditLog(join(mkdtempSync(join(tmpdir(), 'ls-bc-audit-')), 'actions.jsonl')),
		}))!;
		await buildAndDrop('first', 300);
		// Last-used times come from the engine's clock (this host's): leave a clear gap around the cutoff.
		await pause(1500);
		betweenFirstAndSecond = Date.now();
		await pause(1500);
		await buildAndDrop('second', 400);
		await pause(1100);
		await buildAndDrop('third', 500);
	});
	afterAll(() => pool.close());

	it('older than: lists only records last used before the cutoff, and removes exactly those', async () => {
		const snapshot = await scanDocker(reader, {pool});
		const before = snapshot.usage.buildCache!;
		const now = Date.now();
		const plan = buildCachePlan(snapshot, now, {olderThanMs: now - betweenFirstAndSecond});
		const ids = new Set(plan.items.map(i => i.id));
		expect(ids.has(byMarker(before, 'first')!.id)).toBe(true);
		expect(ids.has(byMarker(before, 'second')!.id)).toBe(false);
		for (const item of plan.items) expect(item.lastUsedAt!).toBeLessThan(betweenFirstAndSecond);
		// Every unused record last used before the cutoff is listed, with its id, size and last use.
		const expected = unusedUnshared(before).filter(r => r.lastUsedAt !== undefined && r.lastUsedAt < betweenFirstAndSecond);
		expect([...ids].sort()).toEqual(expected.map(r => r.id).sort());
		for (const item of plan.items) {
			const record = before.find(r => r.id === item.id)!;
			expect(item).toMatchObject({kind: 'build-cache', bytes: record.bytes, lastUsedAt: record.lastUsedAt});
		}

		const result = await service.execute(plan);
		expect(result.outcomes.map(o => o.outcome)).toEqual(plan.items.map(() => 'removed'));
		const after = new Set((await records()).map(r => r.id));
		for (const id of ids) expect(after.has(id)).toBe(false);
		for (const record of before.filter(r => !ids.has(r.id))) expect(after.has(record.id), record.description).toBe(true);
	});

	it('keep-storage: removes least recently used records until the cache is at most the amount', async () => {
		const snapshot = await scanDocker(reader, {pool});
		const before = snapshot.usage.buildCache!;
		const total = before.filter(r => !r.shared).reduce((t, r) => t + r.bytes, 0);
		const second = byMarker(before, 'second')!;
		const third = byMarker(before, 'third')!;
		// Keep a little less than the total minus the second build: its records must go, the third's stay.
		const keepBytes = total - second.bytes;
		const plan = buildCachePlan(snapshot, Date.now(), {keepBytes});
		const ids = new Set(plan.items.map(i => i.id));
		expect(ids.has(second.id)).toBe(true);
		expect(ids.has(third.id)).toBe(false);
		// Enough removed to get under the amount, and not one record more.
		expect(total - plan.totalBytes).toBeLessThanOrEqual(keepBytes);
		expect(total - plan.totalBytes + plan.items.at(-1)!.bytes).toBeGreaterThan(keepBytes);
		// Least recently used first: everything removed was last used before anything unused that is kept.
		const kept = unusedUnshared(before).filter(r => !ids.has(r.id));
		const newestRemoved = Math.max(...plan.items.map(i => i.lastUsedAt ?? 0));
		for (const record of kept) expect(record.lastUsedAt ?? 0).toBeGreaterThanOrEqual(newestRemoved);

		const result = await service.execute(plan);
		expect(result.outcomes.filter(o => o.outcome !== 'removed')).toEqual([]);
		const after = await records();
		expect(after.filter(r => !r.shared).reduce((t, r) => t + r.bytes, 0)).toBeLessThanOrEqual(keepBytes);
		expect(after.map(r => r.id)).toContain(third.id);
		for (const id of ids) expect(after.map(r => r.id)).not.toContain(id);
	});

	it('layerscope plan takes the flags, lists each record with id, size and last use, and rejects bad values', async () => {
		const env = {DOCKER_HOST: lab().dockerHost};
		// The CLI's clock reads later than this one: once every prunable record's last use is more
		// than a second old here, it is for the CLI too. Wait for exactly that moment, no guess.
		const lastUses = unusedUnshared(await records()).flatMap(r => (r.lastUsedAt === undefined ? [] : [r.lastUsedAt]));
		expect(lastUses.length).toBeGreaterThan(0);
		const wait = Math.max(...lastUses) + 1001 - Date.now();
		if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
		const json = await runCli(['plan', '--json', '--runtime', 'docker', '--build-cache-older-than', '1s'], env);
		expect(json.stderr).toBe('');
		const out = JSON.parse(json.stdout);
		expect(out.buildCacheFilter).toEqual({olderThanMs: 1000});
		const cutoff = Date.parse(out.generatedAt) - 1000;
		const items = out.suggestions.flatMap((s: {plan?: {items: Array<{kind: string; lastUsedAt?: number}>}}) => s.plan?.items ?? []).filter((i: {kind: string}) => i.kind === 'build-cache');
		expect(items.length).toBeGreaterThan(0);
		for (const item of items) expect(item.lastUsedAt).toBeLessThan(cutoff);

		const text = await runCli(['plan', '--runtime', 'docker', '--build-cache-keep', '0'], env);
		expect(text.code).toBe(0);
		const third = byMarker(await records(), 'third')!;
		expect(text.stdout).toMatch(new RegExp(`- build-cache ${third.id} [^\\n]+\\n\\s+last used \\d{4}-\\d\\d-\\d\\dT`));

		for (const [flag, value] of [
			['--build-cache-older-than', 'yesterday'],
			['--build-cache-keep', '5 apples'],
		]) {
			const bad = await runCli(['plan', '--runtime', 'docker', flag!, value!], env);
			expect(bad.code).toBe(2);
			expect(bad.stdout).toBe('');
			expect(bad.stderr.trim().split('\n')).toHaveLength(1);
			expect(bad.stderr).toContain(`${flag}:`);
			expect(bad.stderr).toContain('hint:');
		}
	});

	it('a record a build used again between preview and confirm is skipped, not removed', async () => {
		await buildAndDrop('fourth', 200);
		await pause(1100);
		const snapshot = await scanDocker(reader, {pool});
		const fourth = byMarker(snapshot.usage.buildCache!, 'fourth')!;
		const plan = buildCachePlan(snapshot, Date.now(), {olderThanMs: 1000});
		expect(plan.items.map(i => i.id)).toContain(fourth.id);
		// The same build again: a cache hit, so BuildKit stamps the record as used now.
		await pause(1100);
		await buildAndDrop('fourth', 200);
		const reused = byMarker(await records(), 'fourth')!;
		expect(reused.id).toBe(fourth.id);
		expect(reused.lastUsedAt!).toBeGreaterThan(fourth.lastUsedAt!);

		const result = await service.execute(plan);
		const outcome = result.outcomes.find(o => o.item.id === fourth.id)!;
		expect(outcome).toMatchObject({outcome: 'skipped', reason: 'was used again since the plan'});
		expect((await records()).map(r => r.id)).toContain(fourth.id);
	});
});
