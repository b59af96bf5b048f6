import {spawnSync} from 'node:child_process';
import {mkdtempSync, statfsSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startPod, type TestPod} from '../helpers/cri-pod.js';
import {sample, startExporter, type RunningExporter} from '../helpers/exporter.js';
import {lab, labDocker, runContainer, waitFor} from '../helpers/lab.js';
import {api, query, startAlertmanager, startPrometheus, type Daemon} from '../helpers/prometheus.js';
import {dockerRecordingProxy, grpcRecordingProxy, readOnlyCriMethod, type DockerProxy, type GrpcProxy} from '../helpers/recording-proxy.js';

const grower = 'ls-exp-grower';
const node = 'lab-node-1';
// Hostile names reach the exporter through CRI metadata (pod and container names are not validated by the runtime).
const hostilePod = 'evil"pod\\\n{x="1"} \x1b]0;pwned\x07';
const hostileContainer = 'c\u202eexe.txt\x1b[31m"';

describe('layerscope exporter under a real Prometheus and Alertmanager (deploy/ configs)', () => {
	let docker: DockerProxy;
	let cri: GrpcProxy;
	let exporter: RunningExporter;
	let alertmanager: Daemon;
	let prometheus: Daemon;
	let pod: TestPod | undefined;

	beforeAll(async () => {
		const dir = mkdtempSync(join(tmpdir(), 'ls-exporter-'));
		docker = await dockerRecordingProxy(lab().dockerHost.replace('unix://', ''), join(dir, 'docker.sock'));
		cri = await grpcRecordingProxy(lab().criEndpoint.replace('unix://', ''), join(dir, 'cri.sock'));
		// ~2 MB/s into the writable layer, capped at 400 MB: faster than anything else in the lab.
		await runContainer(labDocker(), grower, 'i=0; while [ $i -lt 200 ]; do dd if=/dev/zero of=/fill.$i bs=1M count=2 2>/dev/null; i=$((i+1)); sleep 1; done; sleep 2147483647');
		await runContainer(labDocker(), 'ls-exp-gone', 'sleep 2147483647');
		pod = await startPod(lab().criEndpoint, hostileContainer, 'sleep 2147483647', hostilePod);
		// Thresholds just below the free space: at the grower's pace the kubelet would evict within minutes.
		const fs = statfsSync(lab().dir);
		const threshold = fs.bavail * fs.bsize - 300 * 2 ** 20;
		const kubeletConfig = join(dir, 'kubelet.yaml');
		writeFileSync(kubeletConfig, `apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nevictionHard:\n  nodefs.available: "${threshold}"\n  imagefs.available: "${threshold}"\n  nodefs.inodesFree: "1%"\n`);
		exporter = await startExporter(['--interval', '2', '--kubelet-config', kubeletConfig], {
			DOCKER_HOST: `unix://${docker.socket}`,
			CONTAINER_RUNTIME_ENDPOINT: `unix://${cri.socket}`,
			NODE_NAME: node,
		});
		alertmanager = await startAlertmanager();
		prometheus = await startPrometheus({target: exporter.url.replace('http://', ''), alertmanager: alertmanager.url.replace('http://', ''), immediate: ['LayerscopeEvictionImminent']});
	});

	afterAll(async () => {
		await prometheus?.stop();
		await alertmanager?.stop();
		const code = await exporter?.stop();
		expect(code).toBe(0);
		await pod?.remove();
		for (const name of [grower, 'ls-exp-gone'])
			await labDocker()
				.getContainer(name)
				.remove({force: true})
				.catch(() => {});
		await docker?.close();
		await cri?.close();
	});

	it('says where the eviction thresholds came from, in its first line and an info metric', async () => {
		expect(exporter.stderr()).toMatch(/eviction thresholds from --kubelet-config \S+kubelet\.yaml/);
		const text = await exporter.metrics();
		expect(sample(text, 'layerscope_eviction_thresholds_info', l => l.includes('origin="flag"') && l.includes(`node="${node}"`))).toBe(1);
	});

	it('Prometheus scrapes it: the target is up', async () => {
		await waitFor('the exporter target up', async () => {
			const targets = await api(prometheus.url, '/api/v1/targets');
			return targets.activeTargets.some((t: any) => t.health === 'up');
		});
	});

	it("ranks the lab's grower first, with positive growth", async () => {
		const top = await waitFor('the grower ranked first', async () => {
			const result = await query(prometheus.url, 'topk(1, layerscope_container_writable_growth_bytes_per_second)');
			return result[0]?.metric.container === grower && Number(result[0].value[1]) > 0 ? result[0] : undefined;
		});
		expect(top.metric).toMatchObject({engine: 'docker', node, container: grower});
		const recorded = await waitFor('the recording rule', async () => (await query(prometheus.url, 'node:layerscope_container_writable_growth_bytes_per_second:top1'))[0]);
		expect(recorded.metric.node).toBe(node);
	});

	it('LayerscopeEvictionImminent goes pending or firing in Prometheus', async () => {
		const alert = await waitFor(
			'LayerscopeEvictionImminent in Prometheus',
			async () => {
				const {alerts} = await api(prometheus.url, '/api/v1/alerts');
				return alerts.find((a: any) => a.labels.alertname === 'LayerscopeEvictionImminent' && ['pending', 'firing'].includes(a.state));
			},
			90_000,
		);
		expect(alert.labels.node).toBe(node);
		expect(alert.annotations.runbook).toBe(`kubectl layerscope ${node}`);
	});

	it('the alert reaches Alertmanager, naming the top growing container and the runbook', async () => {
		const alert = await waitFor(
			'LayerscopeEvictionImminent in Alertmanager',
			async () => {
				const alerts = await api<any[]>(alertmanager.url, '/api/v2/alerts');
				return alerts.find(a => a.labels.alertname === 'LayerscopeEvictionImminent');
			},
			90_000,
		);
		expect(alert.status.state).toBe('active');
		expect(alert.annotations.top_container).toBe(grower);
		expect(alert.annotations.description).toContain(grower);
		expect(alert.annotations.runbook).toBe(`kubectl layerscope ${node}`);
	});

	it('serves a scrape that promtool check metrics finds clean while the lab holds hostile names', async () => {
		// The hostile pod is there, escaped by sanitize.ts (then by the exposition format), never raw.
		await waitFor('the hostile pod in /metrics', async () => /layerscope_container_log_bytes\{[^\n]*namespace="evil/.test(await exporter.metrics()));
		const text = await exporter.metrics();
		expect(text).not.toContain('\x1b');
		expect(text).not.toContain('\u202e');
		expect(text).toContain('\\\\e]0;pwned');
		expect(text).toContain('c\\\\u{202e}exe.txt');
		const check = spawnSync('/usr/bin/promtool', ['check', 'metrics'], {input: text, encoding: 'utf8'});
		expect(check.stdout + check.stderr).toBe('');
		expect(check.status).toBe(0);
	});

	it('reports its own V8 heaps per thread: used, reserved, and the young generation', async () => {
		const heap = (text: string, thread: string, kind: string) => {
			const line = text.split('\n').find(l => l.startsWith('layerscope_exporter_heap_bytes{') && l.includes(`thread="${thread}"`) && l.includes(`kind="${kind}"`));
			return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
		};
		await waitFor('the walker thread in layerscope_exporter_heap_bytes', async () => heap(await exporter.metrics(), 'walker0', 'used') !== undefined);
		const text = await exporter.metrics();
		for (const thread of ['service', 'walker0']) {
			expect(heap(text, thread, 'used')).toBeGreaterThan(0);
			expect(heap(text, thread, 'total')).toBeGreaterThanOrEqual(heap(text, thread, 'used')!);
			expect(heap(text, thread, 'young')).toBeGreaterThan(0);
			expect(heap(text, thread, 'young')).toBeLessThanOrEqual(heap(text, thread, 'total')!);
		}
	});

	it('/healthz reports every engine reachable', async () => {
		const response = await fetch(`${exporter.url}/healthz`);
		expect(response.status).toBe(200);
		const body = (await response.json()) as {ok: boolean; engines: Array<{engine: string; up: boolean}>};
		expect(body.ok).toBe(true);
		expect(body.engines.map(e => e.engine).sort()).toEqual(['containerd', 'docker']);
	});

	it("drops a removed container's series within one interval of its removal", async () => {
		expect(await exporter.metrics()).toContain('container="ls-exp-gone"');
		await labDocker().getContainer('ls-exp-gone').remove({force: true});
		await waitFor('the removed container to leave /metrics', async () => !(await exporter.metrics()).includes('container="ls-exp-gone"'), 30_000);
	});

	it('sent the engines nothing but reads (recording proxies)', () => {
		expect(docker.requests.length).toBeGreaterThan(3);
		expect(docker.requests.filter(line => !/^(GET|HEAD) /.test(line))).toEqual([]);
		expect(cri.methods.length).toBeGreaterThan(3);
		expect(cri.methods.filter(m => !readOnlyCriMethod.test(m))).toEqual([]);
	});
});
