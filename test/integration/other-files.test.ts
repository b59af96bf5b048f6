import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {podEphemeral} from '../../source/adapters/cri/pod-ephemeral.js';
import {WalkPool} from '../../source/adapters/fs/walk-pool.js';
import type {EngineSnapshot} from '../../source/domain/types.js';
import {connectEngines, type EngineSource} from '../../source/services/engines.js';
import {otherFilesBreakdown, type OtherFilesBreakdown} from '../../source/services/other-files.js';
import {startPod, type TestPod} from '../helpers/cri-pod.js';
import {lab} from '../helpers/lab.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The "other files" walk on a constructed host tree (walking the real root
 * filesystem here would take minutes: the walk is scoped with a root and a host
 * prefix), laid out as a node has it, with a kubelet emptyDir named by a real
 * CRI pod's uid.
 */
describe('other files broken down', () => {
	const pool = new WalkPool();
	const host = mkdtempSync(join(tmpdir(), 'ls-other-host-'));
	let pod: TestPod;
	let sources: EngineSource[];
	let engines: EngineSnapshot[];
	let breakdown: OtherFilesBreakdown;
	const put = (rel: string, bytes: number) => {
		mkdirSync(dirname(join(host, rel)), {recursive: true});
		writeFileSync(join(host, rel), Buffer.alloc(bytes, 7));
	};
	const rows = (cls: string) => breakdown.entries.filter(e => e.class === cls);
	const sum = (cls: string) => rows(cls).reduce((t, e) => t + e.bytes, 0);

	beforeAll(async () => {
		pod = await startPod(lab().criEndpoint, 'ls-other', 'sleep 3600');
		put('var/log/journal/abc/system.journal', 2 * MiB);
		put('var/log/syslog', 100 * KiB);
		put('var/log/syslog.1', 48 * KiB);
		put('var/log/syslog.2.gz', 32 * KiB);
		put('var/log/pods/ns_p_uid/c/0.log', 64 * KiB);
		put(`var/lib/kubelet/pods/${pod.pod.uid}/volumes/kubernetes.io~empty-dir/scratch/blob`, 3 * MiB);
		put(`var/lib/kubelet/pods/${pod.pod.uid}/etc-hosts`, 4 * KiB);
		put('var/lib/systemd/coredump/core.app.1234', MiB);
		put('var/crash/app.crash', 256 * KiB);
		put('var/cache/apt/archives/pkg.deb', 512 * KiB);
		put('tmp/scratch', 256 * KiB);
		put('opt/vendor/blob', 700 * KiB);
		({sources} = await connectEngines({runtime: 'cri', runtimeEndpoint: lab().criEndpoint, timeout: 30}));
		engines = await Promise.all(sources.map(source => source.scan({pool})));
		const all = await otherFilesBreakdown(engines, {root: host, hostRoot: host});
		expect(all).toHaveLength(1);
		breakdown = all[0]!;
	});
	afterAll(async () => {
		for (const source of sources ?? []) source.close();
		await pod?.remove();
		await pool.close();
		rmSync(host, {recursive: true, force: true});
	});

	it('attributes a kubelet emptyDir to its CRI pod by uid, and the pod counts it in its ephemeral storage', () => {
		const [emptyDir] = rows('kubelet-emptydir');
		expect(emptyDir).toMatchObject({path: join(host, 'var/lib/kubelet/pods', pod.pod.uid, 'volumes/kubernetes.io~empty-dir/scratch'), podUid: pod.pod.uid, pod: {name: pod.pod.name, namespace: pod.pod.namespace}});
		expect(emptyDir!.bytes).toBeGreaterThanOrEqual(3 * MiB);
		const usage = podEphemeral(engines[0] as Parameters<typeof podEphemeral>[0], {kubeletRoot: join(host, 'var/lib/kubelet')}).find(u => u.pod.uid === pod.pod.uid);
		expect(usage!.emptyDirBytes).toBeGreaterThanOrEqual(3 * MiB);
		// The rest of the pod's directory is kubelet's.
		expect(sum('kubelet-pods')).toBeGreaterThanOrEqual(4 * KiB);
	});

	it('classes the well-known node paths, the remainder stays visible, and all of it adds up to the walk', () => {
		expect(sum('journald')).toBeGreaterThanOrEqual(2 * MiB);
		expect(sum('rotated-logs')).toBeGreaterThanOrEqual(80 * KiB);
		expect(sum('rotated-logs')).toBeLessThan(100 * KiB);
		expect(sum('logs')).toBeGreaterThanOrEqual(100 * KiB);
		expect(sum('core-dumps')).toBeGreaterThanOrEqual(MiB + 256 * KiB);
		expect(sum('package-cache')).toBeGreaterThanOrEqual(512 * KiB);
		expect(sum('tmp')).toBeGreaterThanOrEqual(256 * KiB);
		expect(rows('unclassified').map(e => e.path)).toContain(join(host, 'opt'));
		expect(sum('unclassified')).toBeGreaterThanOrEqual(700 * KiB);
		// The CRI engine's ledger counts no log here: pod-logs keep their walked bytes.
		expect(sum('pod-logs')).toBeGreaterThanOrEqual(64 * KiB);
		const walked = breakdown.entries.reduce((t, e) => t + e.bytes, 0);
		expect(breakdown.summary.classifiedBytes + breakdown.summary.unclassifiedBytes).toBe(walked);
		// Scoped to a small tree, the residual is the rest of the real filesystem: shown, and consistent.
		expect(breakdown.residualBytes).toBe(breakdown.usedBytes - breakdown.ledgerBytes - walked - (breakdown.deletedOpenBytes ?? 0));
	});
});
