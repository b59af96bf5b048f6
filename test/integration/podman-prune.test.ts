import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {buildahCli} from '../../source/adapters/lab/podman-lab.js';
import {WalkPool} from '../../source/adapters/fs/walk-pool.js';
import {consoleServicesForSources} from '../../source/cli/console-actions.js';
import {advise} from '../../source/domain/advise.js';
import {cleanupPlans} from '../../source/domain/cleanup-candidates.js';
import {makePlan, type PlanItem} from '../../source/domain/prune-plan.js';
import type {EngineSnapshot} from '../../source/domain/types.js';
import {connectEngines, type EngineSource} from '../../source/services/engines.js';
import {runCli} from '../helpers/cli.js';
import {busybox, lab} from '../helpers/lab.js';
import {podman, runPodman} from '../helpers/podman.js';
import {dockerRecordingProxy, type DockerProxy} from '../helpers/recording-proxy.js';

/** Issue 16: Podman's ledger and prune, through the one mutation service, behind a recording proxy. */
describe('Podman prune: re-validation, audit log, read-only refusal', () => {
	const pool = new WalkPool();
	let proxy: DockerProxy;
	let sources: EngineSource[];
	let auditPath: string;
	const proxyHost = () => `unix://${proxy.socket}`;
	const scan = (): Promise<EngineSnapshot> => sources[0]!.scan({pool});
	const ids = async (what: 'ps' | 'images') =>
		new Set(
			(await podman([what, ...(what === 'ps' ? ['-a'] : []), '-q', '--no-trunc']))
				.split('\n')
				.filter(Boolean)
				.map(id => id.replace(/^sha256:/, '')),
		);

	beforeAll(async () => {
		const dir = mkdtempSync(join(tmpdir(), 'ls-pm-prune-'));
		auditPath = join(dir, 'actions.jsonl');
		proxy = await dockerRecordingProxy(lab().podmanHost.replace('unix://', ''), join(dir, 'podman.sock'));
		await runPodman('ls-pmp-stopped', 'dd if=/dev/zero of=/x bs=1M count=1 2>/dev/null', {wait: true});
		await runPodman('ls-pmp-late', 'sleep 3600');
		await podman(['stop', '--time', '0', 'ls-pmp-late']);
		await podman(['tag', busybox, 'localhost/ls-pmp/unused:1']);
		// An unused image with a layer of its own (a commit of the stopped container).
		await podman(['commit', '--quiet', 'ls-pmp-stopped', 'localhost/ls-pmp/own:1']);
		await podman(['pod', 'rm', '--force', '--ignore', 'ls-pmp-pod']);
		await podman(['pod', 'create', '--name', 'ls-pmp-pod']);
		await runPodman('ls-pmp-pod-app', 'sleep 3600', {pod: 'ls-pmp-pod'});
		await podman(['pod', 'stop', '--time', '1', 'ls-pmp-pod']);
		// A Buildah working container on the same store: an external container to Podman.
		await buildahCli(lab().dir, ['rm', 'ls-pmp-buildah']).catch(() => '');
		await buildahCli(lab().dir, ['from', '--name', 'ls-pmp-buildah', '--pull-never', busybox]);
		await buildahCli(lab().dir, ['run', '--network', 'none', 'ls-pmp-buildah', '--', 'sh', '-c', 'dd if=/dev/zero of=/scratch bs=1M count=3 2>/dev/null']);
		({sources} = await connectEngines({runtime: 'podman', podmanHost: proxyHost(), timeout: 30}));
	});
	afterAll(async () => {
		for (const s of sources ?? []) s.close();
		await proxy?.close();
		await pool.close();
		await buildahCli(lab().dir, ['rm', 'ls-pmp-buildah']).catch(() => '');
		await podman(['pod', 'rm', '--force', '--ignore', 'ls-pmp-pod']);
		await podman(['rm', '--force', '--ignore', 'ls-pmp-stopped', 'ls-pmp-late']);
		await podman(['rmi', '--ignore', 'localhost/ls-pmp/unused:1', 'localhost/ls-pmp/own:1']);
	});

	it('shows Buildah’s external container as build cache, sized, and never plans it', async () => {
		const engine = await scan();
		const external = engine.usage.buildCache?.find(r => r.description.includes('ls-pmp-buildah'));
		expect(external).toMatchObject({external: true, type: 'external'});
		expect(external!.bytes).toBeGreaterThanOrEqual(3 * 1024 * 1024);
		const items = cleanupPlans(engine).flatMap(p => p.items);
		expect(items.some(i => i.id === external!.id)).toBe(false);
		// And the podman container list never mixed it in; the image it was made from is held (pinned).
		expect(engine.containers.some(c => c.id === external!.id)).toBe(false);
		expect(engine.images.find(i => i.tags.includes(busybox))!.pinned).toBe(true);
		// Advice names them and who removes them, with no plan attached.
		const advice = advise({engines: [engine]}).find(s => s.title.startsWith('External (Buildah) containers'));
		expect(advice).toMatchObject({kind: 'redesign', engine: engine.runtime.id});
		expect(advice!.plan).toBeUndefined();
		expect(advice!.bytes).toBeGreaterThanOrEqual(external!.bytes);
	});

	it('read-only: no mutation service exists, and report and plan send only reads', async () => {
		const readOnly = await consoleServicesForSources(sources, {readOnly: true});
		expect(readOnly.mutations).toBeNull();
		const before = proxy.requests.length;
		for (const args of [['report'], ['report', '--json'], ['plan', '--json'], ['plan']]) {
			const r = await runCli([...args, '--read-only', '--runtime', 'podman'], {CONTAINER_HOST: proxyHost()});
			expect(r.stderr, args.join(' ')).toBe('');
			expect(r.code).toBe(0);
		}
		const seen = proxy.requests.slice(before);
		expect(seen.some(line => line.includes('/libpod/'))).toBe(true);
		expect(seen.length).toBeGreaterThan(10);
		expect(seen.filter(line => !/^(GET|HEAD) /.test(line))).toEqual([]);
	});

	it('prunes a stopped container and an unused image by id, re-validating each item and refusing the infra container', async () => {
		const engine = await scan();
		const byName = (name: string) => engine.containers.find(c => c.name === name)!;
		const image = (tag: string) => engine.images.find(i => i.tags.includes(tag))!;
		const infra = engine.containers.find(c => c.pod?.name === 'ls-pmp-pod' && c.infra)!;
		expect(infra.state).not.toBe('running');
		const offered = cleanupPlans(engine).flatMap(p => p.items);
		expect(offered.map(i => i.id)).toContain(byName('ls-pmp-stopped').id);
		expect(offered.map(i => i.id)).toContain(image('localhost/ls-pmp/own:1').id);
		expect(offered.map(i => i.id)).not.toContain(infra.id);
		const item = (kind: PlanItem['kind'], id: string, name: string): PlanItem => ({kind, engine: engine.runtime.id, id, name, bytes: 1, chosen: true});
		const plan = makePlan('podman test plan', [
			item('container', byName('ls-pmp-stopped').id, 'ls-pmp-stopped'),
			item('container', byName('ls-pmp-late').id, 'ls-pmp-late'),
			// Forged: never offered, but if it reached the service re-validation refuses it.
			item('container', infra.id, 'infra'),
			item('image', image('localhost/ls-pmp/own:1').id, 'localhost/ls-pmp/own:1'),
		]);
		// Between preview and confirm, ls-pmp-late starts again.
		await podman(['start', 'ls-pmp-late']);

		const services = await consoleServicesForSources(sources, {readOnly: false, auditLog: auditPath});
		const mutationsBefore = proxy.requests.filter(line => !/^(GET|HEAD) /.test(line)).length;
		const result = await services.mutations!.execute(plan);
		const outcome = Object.fromEntries(result.outcomes.map(o => [o.item.name, o]));
		expect(outcome['ls-pmp-stopped']!.outcome).toBe('removed');
		expect(outcome['localhost/ls-pmp/own:1']!.outcome).toBe('removed');
		expect(outcome.infra).toMatchObject({outcome: 'skipped', reason: 'is a pod infra container'});
		expect(outcome['ls-pmp-late']).toMatchObject({outcome: 'skipped', reason: 'is running now'});

		const containers = await ids('ps');
		const images = await ids('images');
		expect(containers.has(byName('ls-pmp-stopped').id)).toBe(false);
		expect(containers.has(infra.id)).toBe(true);
		expect(containers.has(byName('ls-pmp-late').id)).toBe(true);
		expect(images.has(image('localhost/ls-pmp/own:1').id.replace(/^sha256:/, ''))).toBe(false);
		// Removals went by id through the Docker-compatible API: one DELETE per removed item.
		const deletes = proxy.requests.filter(line => !/^(GET|HEAD) /.test(line)).slice(mutationsBefore);
		expect(deletes.every(line => line.startsWith('DELETE '))).toBe(true);
		expect(deletes.some(line => line.includes(byName('ls-pmp-stopped').id))).toBe(true);

		const lines = readFileSync(auditPath, 'utf8')
			.trim()
			.split('\n')
			.map(l => JSON.parse(l) as Record<string, unknown>);
		expect(lines).toHaveLength(plan.items.length);
		for (const line of lines) {
			expect(line.engine).toBe('podman');
			expect(line.endpoint).toBe(proxyHost());
			expect(['removed', 'skipped', 'failed']).toContain(line.outcome);
		}
		expect(lines.find(l => (l.item as {id: string}).id === infra.id)).toMatchObject({outcome: 'skipped', reason: 'is a pod infra container'});
	});
});
