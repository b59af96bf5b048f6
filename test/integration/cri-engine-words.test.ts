/**
 * Engine-true words (issue 20): on the lab's containerd, with a real pod that logs into its
 * writable layer, keeps temp files there and chats on stdout, the guide's six steps and
 * `plan --json --runtime cri` say only what a containerd node has (crictl, the kubelet's
 * settings, /var/log/pods, emptyDir, ephemeral-storage), never a Docker command or flag.
 * The same container on the lab's dockerd reads Docker's words and never a CRI-only one.
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {criSocketPath} from '../../source/adapters/cri/cri-endpoint.js';
import {WalkPool} from '../../source/adapters/fs/walk-pool.js';
import {resolveKubeletEviction} from '../../source/adapters/kubelet-config.js';
import type {Suggestion} from '../../source/domain/advise.js';
import {engineOnlyWords} from '../../source/domain/engine-words.js';
import type {EngineSnapshot, NodeSnapshot} from '../../source/domain/types.js';
import {drillContainer} from '../../source/services/drill.js';
import {connectEngines, type EngineSource} from '../../source/services/engines.js';
import {gatherAdvice, kubeletOf} from '../../source/services/gather-advice.js';
import type {GuideInput} from '../../source/ui/guide/guide-model.js';
import {guideSteps} from '../../source/ui/guide/guide-steps.js';
import {runCli} from '../helpers/cli.js';
import {sample, startExporter} from '../helpers/exporter.js';
import {startPod, type TestPod} from '../helpers/cri-pod.js';
import {lab, labDocker, runContainer, waitFor} from '../helpers/lab.js';
import {buildBusyboxImage} from './cri-fixture.js';

const MiB = 1024 * 1024;
/** Writes 3 MiB of logs and 3 MiB of temp files into its writable layer, then about 12 MB on stdout. */
const script =
	'mkdir -p /var/log/app; dd if=/dev/zero of=/var/log/app/app.log bs=1M count=3 2>/dev/null; dd if=/dev/zero of=/tmp/scratch.bin bs=1M count=3 2>/dev/null; ' +
	'yes 0123456789012345678901234567890123456789012345678901234567890123456789 | head -c 12000000; sleep 3600';

/** Docker-only commands and flags (a CRI subject must never read them), and CRI-only words (a Docker subject must never read them). */
const dockerOnly = engineOnlyWords.docker;
const criOnly = engineOnlyWords.cri;
const found = (text: string, words: readonly string[]) => words.filter(w => text.includes(w));

const config = (() => {
	const dir = mkdtempSync(join(tmpdir(), 'ls-words-'));
	const path = join(dir, 'kubelet.yaml');
	writeFileSync(path, 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nimageGCHighThresholdPercent: 70\nimageGCLowThresholdPercent: 60\n');
	return path;
})();
const unusedTag = 'layerscope.local/words-unused:1';

async function planJson(args: string[], env: NodeJS.ProcessEnv): Promise<Suggestion[]> {
	const result = await runCli(['plan', '--json', ...args, '--kubelet-config', config], env, {timeoutMs: 240_000});
	expect(result.code, result.stderr).toBe(0);
	return (JSON.parse(result.stdout) as {suggestions: Suggestion[]}).suggestions;
}

describe('on containerd (CRI) with a real pod: only CRI and kubelet words', () => {
	const pool = new WalkPool();
	let pod: TestPod;
	let sources: EngineSource[] = [];
	let engine: EngineSnapshot;
	let mine: Suggestion[];

	beforeAll(async () => {
		const tar = buildBusyboxImage(mkdtempSync(join(tmpdir(), 'ls-words-img-')), unusedTag, {Cmd: ['/bin/true'], Labels: {words: 'unused'}});
		execFileSync('ctr', ['-a', criSocketPath(lab().criEndpoint)!, '-n', 'k8s.io', 'images', 'import', tar], {stdio: 'pipe'});
		pod = await startPod(lab().criEndpoint, 'wordy', script);
		({sources} = await connectEngines({runtime: 'cri', runtimeEndpoint: lab().criEndpoint, timeout: 30}));
		// The runtime's periodic stats and the log file catch up with what the container wrote.
		engine = await waitFor(
			'the pod to have written its layer and its log',
			async () => {
				const scanned = await sources[0]!.scan({pool});
				const c = scanned.containers.find(x => x.id === pod.containerId);
				return c && (c.writableBytes ?? 0) >= 6 * MiB && c.logBytes >= 11 * MiB ? scanned : undefined;
			},
			120_000,
		);
		// Advice for this pod's container alone: its classes drilled, as the console does for a top grower.
		const only = {...engine, containers: engine.containers.filter(c => c.id === pod.containerId)};
		mine = (await gatherAdvice([only], sources, {drillTop: 1, kubelet: kubeletOf(resolveKubeletEviction({configPath: config}).thresholds)})).suggestions;
	});
	afterAll(async () => {
		for (const source of sources) source.close();
		await pod?.remove();
		await pool.close();
		execFileSync('ctr', ['-a', criSocketPath(lab().criEndpoint)!, '-n', 'k8s.io', 'images', 'rm', unusedTag], {stdio: 'pipe'});
	});

	it("advice for the pod's container names the kubelet's settings, /var/log/pods, emptyDir and ephemeral-storage", () => {
		const byTitle = (title: string) => mine.find(s => s.title === title && s.subject === 'wordy');
		const logsInLayer = byTitle('Logs written inside the container');
		const temp = byTitle('Temporary files in the writable layer');
		const bigLog = byTitle('Container log file is large');
		expect(logsInLayer?.change).toContain('/var/log/pods');
		expect(logsInLayer?.change).toContain('containerLogMaxSize');
		expect(bigLog?.change).toContain('containerLogMaxFiles');
		expect(temp?.change).toMatch(/emptyDir with sizeLimit.*ephemeral-storage/);
		for (const s of mine) expect(found(JSON.stringify(s), dockerOnly), s.title).toEqual([]);
	});

	it("plan --json --runtime cri: no Docker-only word for any CRI subject; unused images are the kubelet GC's (70%/60% from the config file)", async () => {
		const suggestions = await planJson(['--runtime', 'cri'], {CONTAINER_RUNTIME_ENDPOINT: lab().criEndpoint});
		expect(suggestions.length).toBeGreaterThan(0);
		for (const s of suggestions) expect(found(JSON.stringify(s), dockerOnly), `${s.title} (${s.subject ?? ''})`).toEqual([]);
		const pods = suggestions.filter(s => s.ephemeral);
		expect(pods.map(s => s.subject)).toContain(`${pod.pod.namespace}/${pod.pod.name}`);
		const unused = suggestions.find(s => s.kind === 'cleanup' && s.plan?.items.some(i => i.name === unusedTag));
		expect(unused, 'a plan for the unused image').toBeDefined();
		expect(unused!.kubeletImageGc).toEqual({highPercent: 70, lowPercent: 60, optional: true});
		expect(unused!.reason).toContain('the kubelet deletes unused images itself when disk usage reaches 70%');
		expect(unused!.reason).toContain('removing them by hand is optional');
		// The sandbox (pause) image is never reclaimable, kubelet or not.
		for (const s of suggestions) for (const item of s.plan?.items ?? []) expect(item.name).not.toContain('pause');
	});

	it('report (JSON, text, markdown) --runtime cri: kubelet.imageGc from the config file, which comes first, and no Docker-only word', async () => {
		const env = {CONTAINER_RUNTIME_ENDPOINT: lab().criEndpoint};
		const json = await runCli(['report', '--json', '--runtime', 'cri', '--kubelet-config', config], env, {timeoutMs: 240_000});
		expect(json.code, json.stderr).toBe(0);
		const report = JSON.parse(json.stdout) as import('../../source/report/report-model.js').Report;
		expect(report.kubelet).toMatchObject({present: true, imageGc: {highPercent: 70, lowPercent: 60}});
		const fs = report.filesystems[0]!;
		// Image GC starts at 30% available (70% used); eviction at imagefs.available 15%: image GC first, computed here.
		expect(report.kubelet!.reclaimOrder[0]).toMatchObject({path: fs.path, first: 'image-gc', imageGcAtAvailableBytes: (fs.sizeBytes * 30) / 100, evictionAtAvailableBytes: fs.sizeBytes * 0.15});
		expect(report.sizing.note).toContain('DISK of crictl stats');
		expect(found(json.stdout, dockerOnly)).toEqual([]);
		for (const format of [
			['--format', 'text'],
			['--format', 'markdown'],
		]) {
			const out = await runCli(['report', ...format, '--runtime', 'cri', '--kubelet-config', config], env, {timeoutMs: 240_000});
			expect(out.code, out.stderr).toBe(0);
			expect(out.stdout).toContain('imageGCHighThresholdPercent');
			expect(found(out.stdout, dockerOnly), format[1]).toEqual([]);
		}
	});

	it('exporter --runtime cri: the image GC thresholds from the config file, where it starts, and which comes first', async () => {
		const exporter = await startExporter(['--runtime', 'cri', '--interval', '1', '--kubelet-config', config], {CONTAINER_RUNTIME_ENDPOINT: lab().criEndpoint});
		try {
			const text = await waitFor('a sample with the filesystem', async () => {
				const t = await exporter.metrics();
				return sample(t, 'layerscope_filesystem_size_bytes') !== undefined ? t : undefined;
			});
			expect(sample(text, 'layerscope_kubelet_image_gc_threshold_percent', l => l.includes('"high"'))).toBe(70);
			expect(sample(text, 'layerscope_kubelet_image_gc_threshold_percent', l => l.includes('"low"'))).toBe(60);
			const size = sample(text, 'layerscope_filesystem_size_bytes')!;
			// Image GC starts at 30% of the size available; eviction at 15%: image GC first.
			expect(sample(text, 'layerscope_kubelet_image_gc_threshold_bytes')).toBeCloseTo((size * 30) / 100, 0);
			expect(sample(text, 'layerscope_kubelet_reclaim_first_info', l => l.includes('first="image-gc"'))).toBe(1);
		} finally {
			await exporter.stop();
		}
	});

	it('guide steps 1–6 on this pod: no Docker-only word, and the CRI and kubelet ones are named', async () => {
		const only: EngineSnapshot = {...engine, containers: engine.containers.filter(c => c.id === pod.containerId)};
		const snapshot: NodeSnapshot = {takenAt: Date.now(), engines: [only]};
		const focus = only.containers[0]!;
		const tree = await drillContainer(focus, {listAdded: true});
		const thresholds = resolveKubeletEviction({configPath: config}).thresholds;
		const input: GuideInput = {
			snapshot,
			thresholds,
			growth: new Map(),
			intervalMs: 2000,
			drills: {status: 'done', value: {focus: {record: focus, tree}, copyUp: null, whiteout: null, searched: 1}},
			advice: {status: 'done', value: mine},
			readOnly: {on: true, source: '--read-only'},
			actionsKey: 'a',
		};
		const steps = guideSteps(input);
		const text = steps.map(s => [s.title, ...s.figures.map(f => f.text), ...s.explain].join('\n'));
		for (const [i, t] of text.entries()) expect(found(t, dockerOnly), `step ${i + 1}`).toEqual([]);
		// The words it must name: crictl, the kubelet's image GC and log settings, emptyDir.
		expect(found(text.join('\n'), ['crictl stats', 'imageGCHighThresholdPercent', 'containerLogMaxSize', 'emptyDir'])).toHaveLength(4);
		// Step 1: the kubelet's image GC at the config's thresholds, next to eviction.
		expect(text[0]).toContain('kubelet image GC at 70% used');
		expect(text[0]).toContain('imageGCHighThresholdPercent (70% used)');
		// Step 3: sizes as crictl stats shows them.
		expect(text[2]).toContain('crictl stats for wordy');
		expect(text[2]).toContain('DISK ');
		// Step 5: the kubelet's log settings and emptyDir.
		expect(text[4]).toContain('containerLogMaxSize');
		expect(text[4]).toContain('emptyDir');
	});
});

describe('on dockerd: Docker words, never CRI-only ones', () => {
	const pool = new WalkPool();
	const name = 'ls-words-docker';
	let sources: EngineSource[] = [];
	let mine: Suggestion[];

	beforeAll(async () => {
		const id = await runContainer(labDocker(), name, script);
		({sources} = await connectEngines({runtime: 'docker', host: lab().dockerHost, timeout: 30}));
		const engine = await waitFor(
			'the container to have written its layer and its log',
			async () => {
				const scanned = await sources[0]!.scan({pool});
				const c = scanned.containers.find(x => x.id === id);
				return c && (c.writableBytes ?? 0) >= 6 * MiB && c.logBytes >= 11 * MiB ? scanned : undefined;
			},
			120_000,
		);
		const only = {...engine, containers: engine.containers.filter(c => c.id === id)};
		// Even with a kubelet config on the node, a Docker engine's images and containers read Docker's words.
		mine = (await gatherAdvice([only], sources, {drillTop: 1, kubelet: kubeletOf(resolveKubeletEviction({configPath: config}).thresholds)})).suggestions;
	});
	afterAll(async () => {
		for (const source of sources) source.close();
		await labDocker()
			.getContainer(name)
			.remove({force: true})
			.catch(() => {});
		await pool.close();
	});

	it('advice for the container names the json-file driver and --log-opt, no kubelet setting', () => {
		const byTitle = (title: string) => mine.find(s => s.title === title && s.subject === name);
		expect(byTitle('Logs written inside the container')?.change).toContain('json-file');
		expect(byTitle('Container log file is large')?.change).toContain('--log-opt max-size');
		expect(byTitle('Temporary files in the writable layer')?.change).toContain('tmpfs');
		for (const s of mine) expect(found(JSON.stringify(s), criOnly), s.title).toEqual([]);
	});

	it('plan --json --runtime docker: no CRI-only word for any Docker subject', async () => {
		const suggestions = await planJson(['--runtime', 'docker'], {DOCKER_HOST: lab().dockerHost});
		expect(suggestions.length).toBeGreaterThan(0);
		for (const s of suggestions) expect(found(JSON.stringify(s), criOnly), `${s.title} (${s.subject ?? ''})`).toEqual([]);
	});
});
