/**
 * /proc/PID/cgroup -> which container (or which systemd unit) a process belongs to.
 * Pure parsing. The text is untrusted (a container may name its own sub-cgroups), so
 * nothing here is ever shown raw: callers sanitise what they display.
 *
 * Layouts recognised (cgroup v1 and v2, systemd and cgroupfs drivers):
 *   Docker        /system.slice/docker-<id>.scope      /docker/<id>
 *   containerd    /system.slice/cri-containerd-<id>.scope, /kubepods.slice/.../cri-containerd-<id>.scope
 *                 /kubepods/besteffort/pod<uid>/<id>    plain containerd: /<namespace>/<id>
 *   CRI-O         crio-<id>.scope
 *   Podman        /machine.slice/libpod-<id>.scope[/container]   (libpod-conmon-<id>.scope is conmon, not the container)
 */

export type CgroupEngine = 'docker' | 'containerd' | 'cri-o' | 'podman';

export interface CgroupInfo {
	/** The path used (the v2 unified line, else the v1 line that names a container, else the first). */
	path: string;
	/** Container id the layout names, when it names one. */
	containerId: string | null;
	/** Engine guessed from the layout; null for plain paths (matched against known ids only). */
	engine: CgroupEngine | null;
	/** Kubernetes pod uid (dashes restored) from a kubepods path. */
	podUid: string | null;
	/** Innermost systemd unit (.service or .scope) for host processes. */
	unit: string | null;
	/** Path segments, outermost first, for matching ids of engines with free-form ids. */
	segments: string[];
	/** Segments of every other hierarchy's path (cgroup v1 keeps one per controller). */
	otherSegments: string[][];
}

const hex64 = /^[0-9a-f]{64}$/;
const maxLength = 4096;

const scopePatterns: Array<[RegExp, CgroupEngine]> = [
	[/^docker-([0-9a-f]{64})\.scope$/, 'docker'],
	[/^cri-containerd-([0-9a-f]{64})\.scope$/, 'containerd'],
	[/^crio-([0-9a-f]{64})\.scope$/, 'cri-o'],
	[/^libpod-([0-9a-f]{64})\.scope$/, 'podman'],
];

const podPattern = /^(?:kubepods-(?:besteffort-|burstable-|guaranteed-)?)?pod([0-9a-f_-]{36})(?:\.slice)?$/;

const namesContainer = (path: string) => path.split('/').some(s => hex64.test(s) || scopePatterns.some(([re]) => re.test(s)));

/**
 * Picks the line to read: one that names a container (v2 "0::" or any v1 hierarchy: hybrid
 * hosts keep containers in v1 and leave "0::/" empty), else the v2 path, else name=systemd.
 */
function choosePath(text: string): {path: string; all: string[]} {
	const all: string[] = [];
	let unified: string | null = null;
	let systemd: string | null = null;
	let first: string | null = null;
	for (const line of text.slice(0, 64 * 1024).split('\n')) {
		const colon = line.indexOf(':');
		const second = colon < 0 ? -1 : line.indexOf(':', colon + 1);
		if (second < 0) continue;
		const path = line.slice(second + 1);
		if (!all.includes(path) && all.length < 32) all.push(path);
		if (namesContainer(path)) return {path, all};
		const controllers = line.slice(colon + 1, second);
		if (line.startsWith('0::')) unified = path;
		else if (controllers === 'name=systemd') systemd = path;
		first ??= path;
	}
	if (unified && unified !== '/') return {path: unified, all};
	return {path: systemd ?? unified ?? first ?? '', all};
}

export function parseCgroup(text: string): CgroupInfo {
	const chosen = choosePath(text);
	const path = chosen.path.slice(0, maxLength);
	const segments = path.split('/').filter(Boolean);
	let containerId: string | null = null;
	let engine: CgroupEngine | null = null;
	let podUid: string | null = null;
	let unit: string | null = null;
	for (let i = 0; i < segments.length; i++) {
		const segment = segments[i]!;
		const pod = podPattern.exec(segment);
		if (
			pod &&
			segments
				.slice(0, i)
				.concat(segment)
				.some(s => s.startsWith('kubepods'))
		)
			podUid = pod[1]!.replace(/_/g, '-');
		const scope = scopePatterns.find(([re]) => re.test(segment));
		if (scope) {
			containerId = scope[0].exec(segment)![1]!;
			engine = scope[1];
			continue;
		}
		if (hex64.test(segment)) {
			const parent = segments[i - 1];
			containerId = segment;
			engine = parent === 'docker' ? 'docker' : podUid || parent?.startsWith('kubepods') ? 'containerd' : engine;
			continue;
		}
		if (/\.(service|scope)$/.test(segment) && !containerId) unit = segment;
	}
	const otherSegments = chosen.all.filter(p => p !== chosen.path).map(p => p.slice(0, maxLength).split('/').filter(Boolean));
	return {path, containerId, engine, podUid, unit: containerId ? null : unit, segments, otherSegments};
}

/**
 * The container this cgroup belongs to, among ids known from the snapshot. Ids named by
 * the layout win; then (for plain containerd's /<namespace>/<id>, or ids in unknown layouts)
 * any path segment that is exactly a known id, innermost first.
 */
export function matchContainer(info: CgroupInfo, knownIds: ReadonlySet<string>): string | null {
	if (info.containerId && knownIds.has(info.containerId)) return info.containerId;
	for (const segments of [info.segments, ...info.otherSegments]) {
		for (let i = segments.length - 1; i >= 0; i--) {
			const segment = segments[i]!;
			if (knownIds.has(segment)) return segment;
			const stripped = segment.replace(/^(?:docker|cri-containerd|crio|libpod)-/, '').replace(/\.scope$/, '');
			if (stripped !== segment && knownIds.has(stripped)) return stripped;
		}
	}
	return null;
}
