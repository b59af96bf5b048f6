import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Report} from '../../source/report/report-model.js';
import {runCli} from '../helpers/cli.js';
import {startPod, waitForUsage, type TestPod} from '../helpers/cri-pod.js';
import {lab, labDocker, runContainer} from '../helpers/lab.js';

const MiB = 1024 * 1024;

describe('auto mode: Docker and containerd in one report', () => {
	let pod: TestPod;
	let report: Report;
	let engineUsed: number;

	beforeAll(async () => {
		await runContainer(labDocker(), 'ls-auto-docker', 'dd if=/dev/zero of=/x bs=1M count=1 2>/dev/null; sleep 3600');
		pod = await startPod(lab().criEndpoint, 'grower', 'dd if=/dev/zero of=/data bs=1M count=6 2>/dev/null; sleep 3600');
		engineUsed = await waitForUsage(pod, 6 * MiB);
		const r = await runCli(['report', '--json'], {DOCKER_HOST: lab().dockerHost, CONTAINER_RUNTIME_ENDPOINT: lab().criEndpoint});
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		report = JSON.parse(r.stdout);
	});
	afterAll(() => pod?.remove());

	it('lists both runtimes with their own ledgers', () => {
		expect(report.runtimes.map(r => r.runtime.name).sort()).toEqual(['containerd', 'docker']);
		const cri = report.runtimes.find(r => r.runtime.kind === 'cri')!;
		expect(cri.ledger.buildCache).toBeNull();
		expect(cri.ledger.liveLayers.count).toBeGreaterThanOrEqual(1);
		const sum = report.runtimes.reduce((t, r) => t + r.ledger.liveLayers.bytes, 0);
		expect(report.ledger.liveLayers.bytes).toBe(sum);
	});

	it('reports the pod container with engine, pod, namespace and inodes, within 5% of what it wrote', () => {
		const c = report.containers.find(x => x.pod === pod.pod.name)!;
		expect(c).toMatchObject({engine: 'containerd', namespace: 'layerscope-test', name: 'grower', sizeSource: 'cri-stats'});
		expect(Math.abs(c.writableBytes! - 6 * MiB) / (6 * MiB)).toBeLessThan(0.05);
		expect(c.writableBytes).toBeGreaterThanOrEqual(engineUsed);
		expect(c.writableInodes).toBeGreaterThan(0);
		expect(report.containers.find(x => x.name === 'ls-auto-docker')!.engine).toBe('docker');
	});

	it('counts a filesystem shared by both engines once', () => {
		const devices = report.runtimes.map(r => r.filesystem?.device);
		expect(report.filesystems.length).toBe(new Set(devices).size);
	});

	it('never counts the sandbox image as reclaimable', async () => {
		const r = await runCli(['plan', '--json', '--runtime', 'cri'], {CONTAINER_RUNTIME_ENDPOINT: lab().criEndpoint});
		expect(r.code).toBe(0);
		const items = JSON.parse(r.stdout).suggestions.flatMap((s: any) => s.plan?.items ?? []);
		expect(items.map((i: any) => i.name)).not.toContain('layerscope.local/pause:latest');
	});

	it('a wrong CRI endpoint fails with one line within the deadline', async () => {
		const r = await runCli(['report', '--runtime', 'cri', '--runtime-endpoint', 'unix:///tmp/ls-no-such.sock', '--timeout', '2']);
		expect(r.code).toBe(2);
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
		expect(r.stderr).toContain('unix:///tmp/ls-no-such.sock');
		expect(r.ms).toBeLessThan(15_000);
	});
});
