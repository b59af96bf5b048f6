import {describe, expect, it} from 'vitest';
import {classifyOtherFiles, duplicateMountPoints, isRotatedLog, otherFileRules, residualBytes, summarizeOtherFiles, type WalkedDir} from '../../source/domain/other-files.js';

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
	it('a bind mount of another directory of the filesystem is listed, its bytes in no total', () => {
		const bound = otherFileRules({engineRoots: ['/var/lib/docker'], bindMounts: ['/home']});
		const withBind = classifyOtherFiles(dirs[0]!, dirs, files, bound);
		expect(withBind.filter(e => e.class === 'bind-mount')).toEqual([{path: '/home', bytes: 1_000, class: 'bind-mount'}]);
		const summary = summarizeOtherFiles(withBind, {engineLedgerBytes: 0, podLogLedgerBytes: 0});
		expect(summary.duplicateBytes).toBe(1_000);
		expect(summary.classifiedBytes + summary.unclassifiedBytes).toBe(10_000 - 1_000);
	});
});

describe('bind mounts the one-filesystem walk would count twice', () => {
	const m = (device: string, root: string, mountPoint: string) => ({device, root, mountPoint});
	const mounts = [
		m('254:0', '/', '/'),
		// dockerd and podman bind their roots onto themselves: the same directory, not a duplicate
		m('254:0', '/var/lib/docker', '/var/lib/docker'),
		// kubelet subPath / hostPath: another directory of the root filesystem seen again
		m('254:0', '/srv/data', '/var/lib/kubelet/pods/u1/volume-subpaths/v/c/0'),
		m('254:0', '/srv/data/x', '/var/lib/kubelet/pods/u1/volume-subpaths/v/c/0/x'),
		// a bind of / itself
		m('254:0', '/', '/mnt/rootview'),
		// another filesystem, and a root-fs bind behind it that the walk never reaches
		m('0:50', '/', '/run'),
		m('254:0', '/etc', '/run/etc-view'),
		m('254:1', '/', '/data'),
	];
	it('lists the outermost binds of other directories the walk reaches, never a self-bind', () => {
		expect(duplicateMountPoints(mounts, '/')).toEqual(['/mnt/rootview', '/var/lib/kubelet/pods/u1/volume-subpaths/v/c/0']);
	});
	it('works out paths through the mount holding the walked root', () => {
		// walking /var/lib/docker (a self-bind): nothing under it is a duplicate
		expect(duplicateMountPoints(mounts, '/var/lib/docker')).toEqual([]);
		// a filesystem mounted with root /sub: a mount showing /sub/a at <mp>/a is itself; /other at <mp>/b is not
		const sub = [m('8:1', '/sub', '/fs'), m('8:1', '/sub/a', '/fs/a'), m('8:1', '/other', '/fs/b')];
		expect(duplicateMountPoints(sub, '/fs')).toEqual(['/fs/b']);
	});
});
