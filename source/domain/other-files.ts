/**
 * The "other files" row broken down: the well-known node paths, each with its
 * owner and its fix, classed from a walk of the rest of a filesystem. Pure: the
 * walk (adapters/fs/other-files-walk.ts) hands over directory totals and the
 * files it listed; these rules say whose bytes they are. Paths stay raw here.
 */

export type OtherFileClass = 'journald' | 'pod-logs' | 'rotated-logs' | 'logs' | 'kubelet-emptydir' | 'kubelet-pods' | 'core-dumps' | 'package-cache' | 'tmp' | 'engine-data' | 'podman-rootless' | 'bind-mount' | 'unclassified';

export interface ClassInfo {
	label: string;
	owner: string;
	fix: string;
}

export const otherFileClasses: Record<OtherFileClass, ClassInfo> = {
	journald: {label: 'journald', owner: 'systemd-journald', fix: 'journalctl --vacuum-size=500M (and SystemMaxUse= in journald.conf)'},
	'pod-logs': {label: 'pod logs', owner: 'kubelet (container logs)', fix: 'lower containerLogMaxSize / containerLogMaxFiles in the kubelet config'},
	'rotated-logs': {label: 'rotated logs', owner: 'logrotate', fix: 'delete old archives; lower `rotate` in /etc/logrotate.d'},
	logs: {label: '/var/log', owner: 'the service writing it', fix: 'rotate it (logrotate) or truncate it; find what writes it'},
	'kubelet-emptydir': {label: 'emptyDir', owner: 'the pod (counted in its ephemeral storage)', fix: 'set sizeLimit on the emptyDir or an ephemeral-storage limit; freed when the pod is deleted'},
	'kubelet-pods': {label: 'kubelet pods', owner: 'kubelet', fix: 'volumes and plugins of pods: freed when the pods are deleted'},
	'core-dumps': {label: 'core dumps', owner: 'systemd-coredump / apport', fix: 'coredumpctl list, delete old dumps; MaxUse= in coredump.conf'},
	'package-cache': {label: 'package cache', owner: 'the package manager', fix: 'apt-get clean / dnf clean all / yum clean all'},
	tmp: {label: 'temporary files', owner: 'any process', fix: 'remove stale files; systemd-tmpfiles --clean'},
	'engine-data': {label: 'engine data outside the ledger', owner: 'the container engine', fix: 'engine metadata and content no image references: prune with the engine (e.g. ctr content prune)'},
	'podman-rootless': {
		label: 'rootless Podman storage',
		owner: "a user's rootless Podman, with no service running (not itemised)",
		fix: 'as that user: systemctl --user start podman.socket, and layerscope lists its containers and images; or podman system prune as that user',
	},
	'bind-mount': {
		label: 'bind mount (counted at its source)',
		owner: 'whoever mounted it (kubelet subPath or hostPath volume, a bind mount)',
		fix: 'nothing to free here: the bytes are those of the directory it shows, counted there, so not added to any total',
	},
	unclassified: {label: 'unclassified', owner: 'unknown', fix: 'drill into it: the largest directories are listed'},
};

export interface OtherRulesOptions {
	/** Prefix of the host paths (tests walk a constructed tree); default "". */
	hostRoot?: string;
	/** kubelet --root-dir; default <hostRoot>/var/lib/kubelet. */
	kubeletRoot?: string;
	/** The engines' data roots (docker data-root, containerd root, …): their bytes are the ledger's, the rest is engine-data. */
	engineRoots?: readonly string[];
	/** Users' rootless Podman graph roots. One whose service runs is an engine root (listed above, it wins). */
	rootlessStores?: ReadonlyArray<{user: string; graphRoot: string}>;
	/** Bind mounts of other directories of the same filesystem under the walked root (duplicateMountPoints). */
	bindMounts?: readonly string[];
}

interface Rule {
	cls: OtherFileClass;
	/** Path segments; '*' matches one segment. */
	segments: string[];
	/** podman-rootless: whose storage it is. */
	user?: string;
}

const split = (path: string) => path.split('/').filter(Boolean);

export function otherFileRules(options: OtherRulesOptions = {}): Rule[] {
	const host = (options.hostRoot ?? '').replace(/\/+$/, '');
	const at = (path: string) => split(host + path);
	const kubelet = options.kubeletRoot ? split(options.kubeletRoot) : at('/var/lib/kubelet');
	return [
		...(options.bindMounts ?? []).map(path => ({cls: 'bind-mount' as const, segments: split(path)})),
		...(options.engineRoots ?? []).map(root => ({cls: 'engine-data' as const, segments: split(root)})),
		...(options.rootlessStores ?? []).map(store => ({cls: 'podman-rootless' as const, segments: split(store.graphRoot), user: store.user})),
		{cls: 'journald', segments: at('/var/log/journal')},
		{cls: 'journald', segments: at('/run/log/journal')},
		{cls: 'pod-logs', segments: at('/var/log/pods')},
		{cls: 'logs', segments: at('/var/log')},
		{cls: 'kubelet-emptydir', segments: [...kubelet, 'pods', '*', 'volumes', 'kubernetes.io~empty-dir', '*']},
		{cls: 'kubelet-pods', segments: [...kubelet, 'pods']},
		{cls: 'core-dumps', segments: at('/var/lib/systemd/coredump')},
		{cls: 'core-dumps', segments: at('/var/crash')},
		...['apt', 'dnf', 'yum', 'zypp', 'apk', 'pacman'].map(pm => ({cls: 'package-cache' as const, segments: at(`/var/cache/${pm}`)})),
		{cls: 'tmp', segments: at('/tmp')},
		{cls: 'tmp', segments: at('/var/tmp')},
	];
}

function matches(rule: Rule, segments: readonly string[]): boolean {
	return rule.segments.length === segments.length && rule.segments.every((s, i) => s === '*' || s === segments[i]);
}

/** The rule a directory itself matches (the most specific one), if any. */
export function ruleFor(rules: readonly Rule[], path: string): Rule | null {
	const segments = split(path);
	let best: Rule | null = null;
	for (const rule of rules) if (matches(rule, segments) && (!best || rule.segments.length > best.segments.length)) best = rule;
	return best;
}

/** A rotated log archive by its name: app.log.1, syslog.2.gz, messages-20240101, x.old. */
export const isRotatedLog = (name: string) => /\.(\d+|gz|xz|bz2|zst|old)$/.test(name) || /-\d{8}(\.\w+)?$/.test(name);

/** What the walk hands over: directories with subtree totals, and the files it listed. */
export interface WalkedDir {
	path: string;
	parent: string | null;
	/** Allocated bytes of the subtree, directories included (what statfs counts). */
	bytes: number;
}

export interface WalkedFile {
	path: string;
	dir: string;
	bytes: number;
}

export interface OtherFileEntry {
	path: string;
	bytes: number;
	class: OtherFileClass;
	/** kubelet emptyDir: the pod uid from the path. */
	podUid?: string;
	/** podman-rootless: the user whose storage it is (raw). */
	user?: string;
}

/**
 * Classes the walked tree: each directory a rule names takes its subtree's bytes,
 * minus those of more specific classed directories below it; rotated archives
 * listed directly under a log directory are split off; what no rule names is
 * "unclassified", listed by its largest top-level directories. Everything sums to
 * the root's bytes.
 */
export function classifyOtherFiles(root: WalkedDir, dirs: readonly WalkedDir[], files: readonly WalkedFile[], rules: readonly Rule[]): OtherFileEntry[] {
	const byPath = new Map(dirs.map(d => [d.path, d]));
	const classed = new Map<string, Rule>();
	for (const dir of dirs) {
		const rule = ruleFor(rules, dir.path);
		if (rule) classed.set(dir.path, rule);
	}
	// The nearest classed ancestor of each classed directory takes its bytes out.
	const own = new Map<string, number>([...classed.keys()].map(p => [p, byPath.get(p)!.bytes]));
	let unclassified = root.bytes;
	for (const path of classed.keys()) {
		let parent = byPath.get(path)!.parent;
		while (parent !== null && !classed.has(parent)) parent = byPath.get(parent)?.parent ?? null;
		if (parent === null) unclassified -= byPath.get(path)!.bytes;
		else own.set(parent, own.get(parent)! - byPath.get(path)!.bytes);
	}
	const out: OtherFileEntry[] = [];
	for (const [path, rule] of classed) {
		let bytes = own.get(path)!;
		if (rule.cls === 'logs') {
			const rotated = files.filter(f => f.dir === path && isRotatedLog(f.path.slice(f.path.lastIndexOf('/') + 1))).reduce((t, f) => t + f.bytes, 0);
			if (rotated > 0) out.push({path: `${path}/*(rotated)`, bytes: rotated, class: 'rotated-logs'});
			bytes -= rotated;
		}
		const entry: OtherFileEntry = {path, bytes, class: rule.cls};
		if (rule.cls === 'kubelet-emptydir') entry.podUid = split(path).at(-4);
		if (rule.user !== undefined) entry.user = rule.user;
		out.push(entry);
	}
	// The unclassified remainder, shown by the root's children that hold any of it.
	const children = dirs.filter(d => d.parent === root.path && !classed.has(d.path));
	for (const child of children) {
		let bytes = child.bytes;
		for (const path of classed.keys()) if (path.startsWith(`${child.path}/`) && nearestClassed(path, byPath, classed) === null) bytes -= byPath.get(path)!.bytes;
		if (bytes > 0) out.push({path: child.path, bytes, class: 'unclassified'});
		unclassified -= bytes;
	}
	if (unclassified > 0) out.push({path: root.path, bytes: unclassified, class: 'unclassified'});
	return out.sort((a, b) => b.bytes - a.bytes);
}

function nearestClassed(path: string, byPath: ReadonlyMap<string, WalkedDir>, classed: ReadonlyMap<string, Rule>): string | null {
	let parent = byPath.get(path)?.parent ?? null;
	while (parent !== null && !classed.has(parent)) parent = byPath.get(parent)?.parent ?? null;
	return parent;
}

export interface OtherFilesSummary {
	/** Bytes per class, engine-data already net of the ledger. */
	byClass: Partial<Record<OtherFileClass, number>>;
	/** Every class but unclassified and bind-mount. */
	classifiedBytes: number;
	unclassifiedBytes: number;
	/** Walked twice (through a bind mount of another directory of this filesystem): shown, in no total. */
	duplicateBytes: number;
}

/**
 * The ledger and the walk must not count the same bytes twice: engine-data is the
 * walked engine roots minus the ledger's bytes held there, pod-logs minus the CRI
 * container logs the ledger already counts (never below 0).
 */
export function summarizeOtherFiles(entries: readonly OtherFileEntry[], ledger: {engineLedgerBytes: number; podLogLedgerBytes: number}): OtherFilesSummary {
	const byClass: Partial<Record<OtherFileClass, number>> = {};
	for (const e of entries) byClass[e.class] = (byClass[e.class] ?? 0) + e.bytes;
	const net = (cls: OtherFileClass, minus: number) => {
		if (byClass[cls] !== undefined) byClass[cls] = Math.max(0, byClass[cls]! - minus);
	};
	net('engine-data', ledger.engineLedgerBytes);
	net('pod-logs', ledger.podLogLedgerBytes);
	const unclassifiedBytes = byClass.unclassified ?? 0;
	const duplicateBytes = byClass['bind-mount'] ?? 0;
	const classifiedBytes = Object.entries(byClass).reduce((t, [cls, b]) => t + (cls === 'unclassified' || cls === 'bind-mount' ? 0 : b!), 0);
	return {byClass, classifiedBytes, unclassifiedBytes, duplicateBytes};
}

/** What duplicateMountPoints needs of a /proc/self/mountinfo line. */
export interface MountLine {
	/** "major:minor" */
	device: string;
	/** The directory of the filesystem the mount shows. */
	root: string;
	mountPoint: string;
}

const within = (path: string, dir: string) => dir === '/' || path === dir || path.startsWith(`${dir}/`);

/**
 * Mount points under `walkedRoot` where the walk sees another directory of the walked
 * filesystem again (a bind mount: kubelet subPath and hostPath volumes, `mount --bind`):
 * same device, so a one-filesystem walk enters them, and their bytes are counted at their
 * source already. A bind of a directory onto itself (dockerd and podman do this to their
 * roots) shows no other bytes and is not one. Only mounts the walk reaches count: every
 * mount between the walked root and them is of the same device. Outermost first; one
 * inside another is left out (the outer one holds it).
 */
export function duplicateMountPoints(mounts: readonly MountLine[], walkedRoot: string): string[] {
	const holder = (path: string) => {
		let best: MountLine | undefined;
		for (const m of mounts) if (within(path, m.mountPoint) && (!best || m.mountPoint.length >= best.mountPoint.length)) best = m;
		return best;
	};
	const base = holder(walkedRoot);
	if (!base) return [];
	// The filesystem path a mount point would show without the mount on it: through its parent's mount.
	const fsPath = (path: string, via: MountLine) => {
		const rest = via.mountPoint === '/' ? path : path.slice(via.mountPoint.length);
		return `${via.root === '/' ? '' : via.root}${rest}` || '/';
	};
	const out: string[] = [];
	const sorted = mounts.filter(m => m.mountPoint !== base.mountPoint && within(m.mountPoint, walkedRoot) && m.device === base.device).sort((a, b) => a.mountPoint.length - b.mountPoint.length);
	for (const m of sorted) {
		const parent = m.mountPoint.slice(0, m.mountPoint.lastIndexOf('/')) || '/';
		const via = holder(parent);
		// Behind another filesystem anywhere on the way down: the walk never gets there.
		if (!via || mounts.some(o => within(o.mountPoint, walkedRoot) && within(parent, o.mountPoint) && o.device !== base.device)) continue;
		if (out.some(o => within(m.mountPoint, o))) continue;
		if (m.root !== fsPath(m.mountPoint, via)) out.push(m.mountPoint);
	}
	return out;
}

/**
 * What statfs says is used against what is explained. One term per source, so the
 * deleted-but-open figure is one more term when it arrives.
 */
export interface ResidualTerms {
	ledgerBytes: number;
	classifiedBytes: number;
	unclassifiedBytes: number;
	deletedOpenBytes?: number;
}

export function residualBytes(usedBytes: number, terms: ResidualTerms): number {
	return usedBytes - terms.ledgerBytes - terms.classifiedBytes - terms.unclassifiedBytes - (terms.deletedOpenBytes ?? 0);
}
