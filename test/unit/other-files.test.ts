import {describe, expect, it} from 'vitest';
import {classifyOtherFiles, isRotatedLog, otherFileRules, residualBytes, summarizeOtherFiles, type WalkedDir} from '../../source/domain/other-files.js';

/** A constructed tree: directories with subtree totals, as the walk hands them over. */
const d = (path: string, bytes: number): WalkedDir => ({path, parent: path === '/' ? null : path.slice(0, path.lastIndexOf('/')) || '/', bytes});
const dirs = [
	d('/', 10_000),
	d('/var', 6_000),
	d('/var/log', 3_000),
	d('/var/log/journal', 1_500),
	d('/var/log/pods', 500),
	d('/var/lib', 2_900),
	d('/var/lib/docker', 2_000),
	d('/var/lib/kubelet', 800),
	d('/var/lib/kubelet/pods', 800),
	d('/var/lib/kubelet/pods/u1', 800),
	d('/var/lib/kubelet/pods/u1/volumes', 700),
	d('/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir', 700),
	d('/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/cache', 600),
	d('/var/cache', 100),
	d('/var/cache/apt', 90),
	d('/home', 1_000),
	d('/tmp', 400),
];
const files = [
	{path: '/var/log/syslog', dir: '/var/log', bytes: 300},
	{path: '/var/log/syslog.1', dir: '/var/log', bytes: 200},
	{path: '/var/log/messages-20240101.gz', dir: '/var/log', bytes: 100},
];

describe('classing the rest of a filesystem', () => {
	const rules = otherFileRules({engineRoots: ['/var/lib/docker']});
	const entries = classifyOtherFiles(dirs[0]!, dirs, files, rules);
	const of = (cls: string) => entries.filter(e => e.class === cls).reduce((t, e) => t + e.bytes, 0);

	it('each class takes its subtree minus more specific classes below it', () => {
		expect(of('journald')).toBe(1_500);
		expect(of('pod-logs')).toBe(500);
		expect(of('rotated-logs')).toBe(300);
		expect(of('logs')).toBe(3_000 - 1_500 - 500 - 300);
		expect(of('kubelet-emptydir')).toBe(600);
		expect(entries.find(e => e.class === 'kubelet-emptydir')!.podUid).toBe('u1');
		expect(of('kubelet-pods')).toBe(200);
		expect(of('engine-data')).toBe(2_000);
		expect(of('package-cache')).toBe(90);
		expect(of('tmp')).toBe(400);
	});
	it('the remainder is unclassified, by top-level directory, and everything sums to the root', () => {
		expect(
			entries
				.filter(e => e.class === 'unclassified')
				.map(e => e.path)
				.sort(),
		).toEqual(['/', '/home', '/var']);
		expect(entries.find(e => e.path === '/var' && e.class === 'unclassified')!.bytes).toBe(6_000 - 3_000 - 2_000 - 800 - 90);
		expect(entries.reduce((t, e) => t + e.bytes, 0)).toBe(10_000);
	});
	it('engine data outside the ledger is the engine root minus the ledger; the residual is one term per source', () => {
		const summary = summarizeOtherFiles(entries, {engineLedgerBytes: 1_700, podLogLedgerBytes: 0});
		expect(summary.byClass['engine-data']).toBe(300);
		expect(summary.classifiedBytes + summary.unclassifiedBytes).toBe(10_000 - 1_700);
		expect(residualBytes(12_000, {ledgerBytes: 1_700, classifiedBytes: summary.classifiedBytes, unclassifiedBytes: summary.unclassifiedBytes})).toBe(2_000);
		expect(residualBytes(12_000, {ledgerBytes: 1_700, classifiedBytes: summary.classifiedBytes, unclassifiedBytes: summary.unclassifiedBytes, deletedOpenBytes: 500})).toBe(1_500);
	});
	it("a user's rootless Podman storage with no service is its own class, named by user; a running service's root stays engine data", () => {
		const home = [d('/home/alice', 900), d('/home/alice/.local', 800), d('/home/alice/.local/share', 800), d('/home/alice/.local/share/containers', 800), d('/home/alice/.local/share/containers/storage', 750)];
		const tree = [...dirs, ...home];
		const store = {user: 'alice', graphRoot: '/home/alice/.local/share/containers/storage'};
		const rootless = classifyOtherFiles(tree[0]!, tree, files, otherFileRules({engineRoots: ['/var/lib/docker'], rootlessStores: [store]}));
		expect(rootless.filter(e => e.class === 'podman-rootless')).toEqual([{path: store.graphRoot, bytes: 750, class: 'podman-rootless', user: 'alice'}]);
		expect(rootless.reduce((t, e) => t + e.bytes, 0)).toBe(10_000);
		// The same store served by a running service is that engine's root: the ledger's, not this class.
		const served = classifyOtherFiles(tree[0]!, tree, files, otherFileRules({engineRoots: ['/var/lib/docker', store.graphRoot], rootlessStores: [store]}));
		expect(served.filter(e => e.class === 'podman-rootless')).toEqual([]);
		expect(served.find(e => e.path === store.graphRoot)?.class).toBe('engine-data');
	});

	it('knows rotated archives by name', () => {
		for (const name of ['syslog.1', 'syslog.2.gz', 'kern.log.old', 'messages-20240101', 'auth.log-20240101.xz']) expect(isRotatedLog(name), name).toBe(true);
		for (const name of ['syslog', 'dpkg.log', 'app.log']) expect(isRotatedLog(name), name).toBe(false);
	});
});
