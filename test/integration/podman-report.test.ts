import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Report} from '../../source/report/report-model.js';
import {runCli} from '../helpers/cli.js';
import {lab, waitFor} from '../helpers/lab.js';
import {podman, podmanPsSizes, runPodman} from '../helpers/podman.js';

/** Issue 16: the lab's private rootful Podman, read as Podman. */
describe('Podman as an engine (private rootful Podman)', () => {
	const env = () => ({CONTAINER_HOST: lab().podmanHost, DOCKER_HOST: '', CONTAINER_RUNTIME_ENDPOINT: ''});
	const report = async (args: string[], extra: Record<string, string> = {}) => {
		const r = await runCli(['report', '--json', ...args], {...env(), ...extra});
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		return JSON.parse(r.stdout) as Report;
	};

	beforeAll(async () => {
		// Exactly 6 MiB written, then idle; and a steady grower (64 KiB every 0.2 s, capped).
		await runPodman('ls-pm-six', 'dd if=/dev/urandom of=/six.bin bs=1M count=6 2>/dev/null; sleep 3600');
		await runPodman('ls-pm-grower', 'mkdir -p /var/log/app; i=0; while [ $i -lt 2000 ]; do dd if=/dev/zero bs=64k count=1 >> /var/log/app/grow.log 2>/dev/null; i=$((i+1)); sleep 0.2; done; sleep 3600');
		await podman(['pod', 'rm', '--force', '--ignore', 'ls-pm-pod']);
		await podman(['pod', 'create', '--name', 'ls-pm-pod']);
		await runPodman('ls-pm-pod-app', 'echo hello > /hello; sleep 3600', {pod: 'ls-pm-pod'});
		await waitFor('6 MiB written by ls-pm-six', async () => ((await podmanPsSizes()).get('ls-pm-six') ?? 0) >= 6 * 1024 * 1024);
	});
	afterAll(async () => {
		await podman(['pod', 'rm', '--force', '--ignore', 'ls-pm-pod']);
		await podman(['rm', '--force', '--ignore', 'ls-pm-six', 'ls-pm-grower']);
	});

	it('names the engine podman, from --runtime podman and through a Docker endpoint alike', async () => {
		const byPodman = await report(['--runtime', 'podman']);
		expect(byPodman.runtime.kind).toBe('podman');
		expect(byPodman.runtime.name).toBe('podman');
		expect(byPodman.runtime.endpoint).toBe(lab().podmanHost);
		expect(byPodman.runtime.version).toMatch(/^\d+\.\d+/);
		// The operator pointed the Docker flags at Podman's socket: still Podman, by its /version.
		const byDocker = await report(['--runtime', 'docker', '--host', lab().podmanHost]);
		expect(byDocker.runtime.kind).toBe('podman');
		expect(byDocker.containers.find(c => c.name === 'ls-pm-pod-app')?.pod).toBe('ls-pm-pod');
		const text = await runCli(['report', '--runtime', 'podman'], env());
		expect(text.stdout).toMatch(/^Engine {6}podman \d/m);
	});

	it('fails in one line naming the Podman endpoint, with a hint, when it does not answer', async () => {
		const r = await runCli(['report', '--runtime', 'podman'], {CONTAINER_HOST: 'unix:///nonexistent/podman.sock'});
		expect(r.code).toBe(2);
		expect(r.stderr).toBe(
			'layerscope: cannot reach Podman at unix:///nonexistent/podman.sock: no such socket (hint: is the Podman service running (systemctl start podman.socket, or systemctl --user start podman.socket)? Set --podman-host or CONTAINER_HOST to its socket)\n',
		);
		const bad = await runCli(['report', '--runtime', 'podman', '--podman-host', 'ssh://core@host/run/podman/podman.sock']);
		expect(bad.code).toBe(2);
		expect(bad.stderr.trim().split('\n')).toHaveLength(1);
		expect(bad.stderr).toMatch(/^layerscope: unsupported Podman host "ssh:\/\/core@host\/run\/podman\/podman.sock": ssh:\/\/ needs the podman client/);
	});

	it('sizes a 6 MiB writable layer within 5% of `podman ps -s`, and ranks the grower first', async () => {
		const sampled = await report(['--runtime', 'podman', '--samples', '3', '--interval', '1']);
		const reference = await podmanPsSizes();
		const six = sampled.containers.find(c => c.name === 'ls-pm-six')!;
		expect(six.engine).toBe('podman');
		expect(six.sizeSource).toBe('walk');
		const expected = reference.get('ls-pm-six')!;
		expect(Math.abs(six.writableBytes! - expected) / expected).toBeLessThan(0.05);
		const ranked = [...sampled.containers].sort((a, b) => (b.growthBytesPerSec ?? 0) - (a.growthBytesPerSec ?? 0));
		expect(ranked[0]!.name).toBe('ls-pm-grower');
		expect(ranked[0]!.growthBytesPerSec).toBeGreaterThan(0);
	});

	it('gives a pod’s containers the pod name; the infra container is marked and never a removal candidate', async () => {
		const r = await report(['--runtime', 'podman']);
		const app = r.containers.find(c => c.name === 'ls-pm-pod-app')!;
		expect(app.pod).toBe('ls-pm-pod');
		const infra = r.containers.filter(c => c.pod === 'ls-pm-pod' && c.name !== 'ls-pm-pod-app');
		expect(infra).toHaveLength(1);
		// The pod's total (its infra container included), in the JSON and in the markdown report.
		const total = r.pods.find(p => p.name === 'ls-pm-pod')!;
		expect(total).toMatchObject({engine: 'podman', containers: 2, infra: infra[0]!.name});
		expect(total.writableBytes).toBe(app.writableBytes! + infra[0]!.writableBytes!);
		const markdown = await runCli(['report', '--runtime', 'podman', '--format', 'markdown'], env());
		expect(markdown.stdout).toMatch(new RegExp(`^\\| ls-pm-pod \\(infra: ${infra[0]!.name}\\) \\| podman \\| 2 \\| `, 'm'));
		// A stopped pod leaves an exited infra container: still never offered for removal, nor its image.
		await podman(['pod', 'stop', '--time', '0', 'ls-pm-pod']);
		const plan = await runCli(['plan', '--json', '--runtime', 'podman'], env());
		expect(plan.code).toBe(0);
		const items = (JSON.parse(plan.stdout) as {suggestions: Array<{plan?: {items: Array<{kind: string; id: string; name: string}>}}>}).suggestions.flatMap(s => s.plan?.items ?? []);
		expect(items.some(i => i.kind === 'container' && i.id === infra[0]!.id)).toBe(false);
		// The pod's own container, stopped with it, is offered (it is an ordinary container).
		expect(items.some(i => i.kind === 'container' && i.name === 'ls-pm-pod-app')).toBe(true);
		const inspect = JSON.parse(await podman(['inspect', infra[0]!.id])) as Array<{Image: string}>;
		expect(items.some(i => i.kind === 'image' && i.id.replace(/^sha256:/, '') === inspect[0]!.Image.replace(/^sha256:/, ''))).toBe(false);
		await podman(['pod', 'start', 'ls-pm-pod']);
	});

	it('lists Docker, CRI and Podman together in auto mode, one ledger each, the shared filesystem once', async () => {
		const r = await report([], {DOCKER_HOST: lab().dockerHost, CONTAINER_RUNTIME_ENDPOINT: lab().criEndpoint});
		expect(r.runtimes.map(e => e.runtime.kind).sort()).toEqual(['cri', 'docker', 'podman']);
		expect(r.runtimes.map(e => e.runtime.id).sort()).toEqual(['containerd', 'docker', 'podman']);
		expect(r.containers.filter(c => c.engine === 'podman').map(c => c.name)).toEqual(expect.arrayContaining(['ls-pm-six', 'ls-pm-grower', 'ls-pm-pod-app']));
		const podmanLedger = r.runtimes.find(e => e.runtime.kind === 'podman')!.ledger;
		expect(podmanLedger.liveLayers.count).toBeGreaterThanOrEqual(3);
		// Every lab engine lives on the same filesystem (/tmp): it is counted once.
		const devices = new Set(r.runtimes.map(e => e.filesystem?.device));
		expect(r.filesystems).toHaveLength(devices.size);
	});
});
