import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {parse, parseAllDocuments} from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const deploy = (path: string) => join(root, 'deploy', path);
const plugin = deploy('kubectl/kubectl-layerscope');

describe('deploy/kubernetes/daemonset.yaml', () => {
	const docs = parseAllDocuments(readFileSync(deploy('kubernetes/daemonset.yaml'), 'utf8')).map(doc => {
		expect(doc.errors).toEqual([]);
		return doc.toJS();
	});
	const daemonSet = docs.find(d => d.kind === 'DaemonSet');
	const pod = daemonSet.spec.template.spec;

	it('parses, and runs the single executable in exporter mode on every interface of the pod', () => {
		expect(docs.map(d => d.kind)).toEqual(['Namespace', 'ServiceAccount', 'DaemonSet', 'PodMonitor']);
		const [container] = pod.containers;
		expect(container.args[0]).toBe('exporter');
		expect(container.args).toContain('--listen=0.0.0.0:9721');
		expect(container.env).toContainEqual({name: 'LAYERSCOPE_READ_ONLY', value: '1'});
	});

	it('mounts every hostPath read-only, the engine socket, its data, pod logs and /proc among them', () => {
		const hostPaths = new Map<string, string>(pod.volumes.filter((v: any) => v.hostPath).map((v: any) => [v.name, v.hostPath.path]));
		expect([...hostPaths.values()].sort()).toEqual(['/proc', '/run/containerd/containerd.sock', '/var/lib/containerd', '/var/lib/kubelet/config.yaml', '/var/log/pods']);
		const mounts = pod.containers.flatMap((c: any) => [...(c.volumeMounts ?? [])]).concat((pod.initContainers ?? []).flatMap((c: any) => c.volumeMounts ?? []));
		for (const name of hostPaths.keys()) {
			const using = mounts.filter((m: any) => m.name === name);
			expect(using.length, name).toBeGreaterThan(0);
			for (const mount of using) expect(mount.readOnly, `${name} at ${mount.mountPath}`).toBe(true);
		}
		expect(pod.containers[0].securityContext).toMatchObject({readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}});
		expect(pod.hostPID ?? false).toBe(false);
	});

	it('sets resource requests and limits, scrape annotations and a PodMonitor', () => {
		const {resources} = pod.containers[0];
		expect(resources.requests).toMatchObject({cpu: expect.any(String), memory: expect.any(String)});
		expect(resources.limits).toMatchObject({cpu: expect.any(String), memory: expect.any(String)});
		expect(daemonSet.spec.template.metadata.annotations).toMatchObject({'prometheus.io/scrape': 'true', 'prometheus.io/port': '9721', 'prometheus.io/path': '/metrics'});
		const monitor = docs.find(d => d.kind === 'PodMonitor');
		expect(monitor.spec.selector.matchLabels).toEqual(daemonSet.spec.selector.matchLabels);
		expect(monitor.spec.podMetricsEndpoints[0].port).toBe('metrics');
	});
});

describe('deploy/prometheus and deploy/alertmanager', () => {
	it('promtool check rules accepts rules.yaml', () => {
		const r = spawnSync('/usr/bin/promtool', ['check', 'rules', deploy('prometheus/rules.yaml')], {encoding: 'utf8'});
		expect(r.stderr).toBe('');
		expect(r.status).toBe(0);
		expect(r.stdout).toContain('SUCCESS');
	});

	it('has LayerscopeEvictionImminent (within 1 h) and the growth and reclaimable alerts, each naming the top grower and the runbook', () => {
		const rules = parse(readFileSync(deploy('prometheus/rules.yaml'), 'utf8'));
		const alerts = rules.groups.flatMap((g: any) => g.rules).filter((r: any) => r.alert);
		const byName = new Map<string, any>(alerts.map((a: any) => [a.alert, a]));
		expect(byName.get('LayerscopeEvictionImminent').expr).toBe('layerscope_eviction_eta_seconds < 3600');
		expect([...byName.keys()]).toEqual(expect.arrayContaining(['LayerscopeEvictionImminent', 'LayerscopeContainerWritableGrowingFast', 'LayerscopeReclaimableShareLarge']));
		for (const alert of alerts) expect(alert.annotations.runbook, alert.alert).toBe('kubectl layerscope {{ $labels.node }}');
		for (const name of ['LayerscopeEvictionImminent', 'LayerscopeContainerWritableGrowingFast', 'LayerscopeReclaimableShareLarge']) {
			expect(byName.get(name).annotations.description, name).toContain('Top growing container');
		}
	});

	it('amtool accepts the Alertmanager routing', () => {
		const r = spawnSync('/usr/bin/amtool', ['check-config', deploy('alertmanager/alertmanager.yaml')], {encoding: 'utf8'});
		expect(r.status, r.stdout + r.stderr).toBe(0);
	});
});

describe('kubectl-layerscope (built command lines; no cluster here)', () => {
	const run = (...args: string[]) => spawnSync(plugin, args, {encoding: 'utf8'});
	const customSpec = (stdout: string) => JSON.parse(/^# CUSTOM-SPEC\.json: (.*)$/m.exec(stdout)![1]!);

	it("asks the node's runtime, then opens the console read-only through kubectl debug node/NODE", () => {
		const r = run('--dry-run', 'worker-1');
		expect(r.status, r.stderr).toBe(0);
		const lines = r.stdout.trim().split('\n');
		expect(lines[0]).toBe('kubectl get node/worker-1 -o jsonpath=\\{.status.nodeInfo.containerRuntimeVersion\\}');
		expect(lines.at(-1)).toBe(
			'kubectl debug node/worker-1 -it --profile=general --image=ghcr.io/example/layerscope:0.1.0 --custom=CUSTOM-SPEC.json -- /usr/local/bin/layerscope --read-only --runtime cri --runtime-endpoint unix:///run/containerd/containerd.sock',
		);
	});

	it('mounts the host and the engine read-only, whichever the runtime', () => {
		for (const [runtime, paths, engineArgs] of [
			['containerd', ['/run/containerd', '/var/lib/containerd'], '--runtime cri --runtime-endpoint unix:///run/containerd/containerd.sock'],
			['docker', ['/run/docker.sock', '/var/lib/docker'], '--runtime docker --host unix:///run/docker.sock'],
			['cri-o', ['/run/crio', '/var/lib/containers/storage'], '--runtime cri --runtime-endpoint unix:///run/crio/crio.sock'],
		] as const) {
			const r = run('--dry-run', '--runtime', runtime, '--image', 'registry.local/layerscope:1', 'node-a', '--', '--interval', '3');
			expect(r.status, r.stderr).toBe(0);
			expect(r.stdout).not.toContain('kubectl get');
			const spec = customSpec(r.stdout);
			expect(spec.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/host', ...paths, '/var/log/pods']);
			for (const mount of spec.volumeMounts) expect(mount).toMatchObject({name: 'host-root', readOnly: true});
			expect(spec.env).toContainEqual({name: 'LAYERSCOPE_READ_ONLY', value: '1'});
			expect(r.stdout.trim().split('\n').at(-1)).toBe(`kubectl debug node/node-a -it --profile=general --image=registry.local/layerscope:1 --custom=CUSTOM-SPEC.json -- /usr/local/bin/layerscope --read-only ${engineArgs} --interval 3`);
		}
	});

	it('refuses what is not a node name, and unknown runtimes, with exit 2', () => {
		for (const args of [['--dry-run', 'a;rm -rf /'], ['--dry-run', '$(id)'], ['--dry-run'], ['--dry-run', '--runtime', 'rkt', 'n1']]) {
			const r = run(...args);
			expect(r.status, args.join(' ')).toBe(2);
			expect(r.stdout).toBe('');
		}
	});
});

describe('the exporter never builds the mutation service', () => {
	it('no module reachable from cli/run-exporter.ts or its service thread imports services/mutations.ts', () => {
		const seen = new Set<string>();
		const visit = (file: string) => {
			if (seen.has(file)) return;
			seen.add(file);
			const text = readFileSync(file, 'utf8');
			// Static and dynamic imports of project modules; `import type` erases at build.
			for (const match of text.matchAll(/(?:^import (?!type )[^;]*? from |import\()'(\.[^']+)'/gm)) {
				const target = resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts'));
				visit(target);
			}
		};
		visit(join(root, 'source/cli/run-exporter.ts'));
		visit(join(root, 'source/cli/exporter-thread.ts'));
		expect(seen.size).toBeGreaterThan(10);
		expect([...seen].filter(f => /mutations|mutator|docker-target|cri-target|audit-log/.test(f))).toEqual([]);
	});
});
