import type {DockerChanges} from '../adapters/docker/docker-changes.js';
import {classify, classifyDir, pathClasses, summarizeClasses} from '../domain/classify.js';
import type {DrillChange, DrillTree} from '../domain/drill-model.js';
import type {DirNode} from '../domain/file-tree.js';
import {sanitize} from '../domain/sanitize.js';
import {mapLimit} from '../lib/map-limit.js';

const GO_MODE_DIR = 2 ** 31;
const zeroErrors = () => ({denied: 0, vanished: 0, tooLong: 0, other: 0});

function emptyDir(key: string, parentKey: string | null): DirNode {
	return {
		key,
		parentKey,
		display: key === '/' ? '/' : sanitize(key),
		mark: null,
		class: key === '/' ? 'other' : classifyDir(key),
		apparentBytes: 0,
		allocatedBytes: 0,
		files: 0,
		dirs: 1,
		inodes: 1,
		classBytes: pathClasses.map(() => 0),
		marks: {A: 0, C: 0, D: 0},
		errors: zeroErrors(),
		unreadable: false,
		entries: [],
		rest: {count: 0, apparentBytes: 0, allocatedBytes: 0},
	};
}

const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';

/**
 * Without host access: the engine's change list (exactly `docker diff`), sized by
 * HEAD archive stats of at most `maxStats` files. Sizes are apparent bytes of
 * the current files; lower sizes are unknown. Labelled approximate.
 */
export async function drillViaEngine(id: string, engine: DockerChanges, options: {maxStats: number; signal?: AbortSignal}): Promise<DrillTree> {
	const list = await engine.changes(id);
	const targets = list.filter(c => c.kind !== 'D').slice(0, options.maxStats);
	const stats = new Map<string, {size: number; dir: boolean}>();
	await mapLimit(targets, 8, async c => {
		if (options.signal?.aborted) return;
		const stat = await engine.pathStat(id, c.path).catch(() => null);
		const dir = stat ? (Math.floor(stat.mode / GO_MODE_DIR) & 1) === 1 : false;
		if (stat) stats.set(c.path, {size: dir ? 0 : stat.size, dir});
	});
	const dirs = new Map<string, DirNode>([['/', emptyDir('/', null)]]);
	const ensure = (key: string): DirNode => {
		let d = dirs.get(key);
		if (!d) {
			d = emptyDir(key, parentOf(key));
			dirs.set(key, d);
			ensure(d.parentKey!);
		}
		return d;
	};
	const classBytes = pathClasses.map(() => 0);
	const marks = {A: 0, C: 0, D: 0};
	const changes: DrillChange[] = [];
	for (const c of list) {
		const stat = stats.get(c.path);
		const isDir = stat?.dir ?? false;
		const cls = classify({path: c.path, kind: c.kind, isDir});
		const bytes = isDir ? 0 : (stat?.size ?? 0);
		marks[c.kind]++;
		changes.push({path: sanitize(c.path), ...(sanitize(c.path) === c.path ? {} : {pathBase64: Buffer.from(c.path).toString('base64')}), kind: c.kind, class: cls, bytes, ...(isDir ? {dir: true} : {})});
		if (isDir) {
			ensure(c.path).mark = c.kind;
			continue;
		}
		classBytes[pathClasses.indexOf(cls)] += bytes;
		const name = c.path.slice(c.path.lastIndexOf('/') + 1);
		const parent = ensure(parentOf(c.path));
		parent.entries.push({name, display: sanitize(name), type: c.kind === 'D' ? 'deleted' : 'file', apparentBytes: bytes, allocatedBytes: bytes, files: 1, inodes: 1, mark: c.kind, class: cls});
		for (let d: DirNode | undefined = parent; d; d = d.parentKey ? dirs.get(d.parentKey) : undefined) {
			d.apparentBytes += bytes;
			d.allocatedBytes += bytes;
			d.files += 1;
			d.marks[c.kind]++;
			d.classBytes[pathClasses.indexOf(cls)] += bytes;
		}
	}
	for (const d of dirs.values()) {
		if (d.parentKey) {
			const parent = dirs.get(d.parentKey)!;
			const name = d.key.slice(d.key.lastIndexOf('/') + 1);
			parent.entries.push({name, display: sanitize(name), type: 'dir', apparentBytes: d.apparentBytes, allocatedBytes: d.allocatedBytes, files: d.files, inodes: d.inodes, mark: d.mark, class: d.class, dirKey: d.key});
		}
	}
	for (const d of dirs.values()) d.entries.sort((a, b) => b.apparentBytes - a.apparentBytes);
	const root = dirs.get('/')!;
	const skipped = list.filter(c => c.kind !== 'D').length - targets.length;
	return {
		containerId: id,
		source: 'engine',
		approximate: true,
		complete: !options.signal?.aborted,
		rootKey: '/',
		dirs,
		changes: changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
		totals: {
			apparentBytes: root.apparentBytes,
			allocatedBytes: root.allocatedBytes,
			files: root.files,
			dirs: dirs.size,
			inodes: root.files + dirs.size,
			classBytes,
			classLowerBytes: pathClasses.map(() => 0),
			marks,
			errors: zeroErrors(),
			otherFs: 0,
		},
		classes: summarizeClasses(classBytes),
		unwalked: [],
		warnings: [`approximate: sizes from the engine's archive stats${skipped > 0 ? ` (${skipped} paths beyond the first ${options.maxStats} not sized)` : ''}; lower-layer sizes unknown`],
	};
}
