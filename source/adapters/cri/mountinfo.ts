import {readFileSync} from 'node:fs';
import {readFile} from 'node:fs/promises';

/** One line of /proc/<pid>/mountinfo; paths are already unescaped. */
export interface MountInfo {
	id: number;
	parentId: number;
	/** "major:minor" */
	device: string;
	root: string;
	mountPoint: string;
	fsType: string;
	source: string;
	/** Per-superblock options, split on commas, each unescaped. */
	superOptions: string[];
}

export function readMountinfo(path = '/proc/self/mountinfo'): MountInfo[] {
	return parseMountinfo(readFileSync(path, 'utf8'));
}

/** The same, read off the event loop: /proc/self/mountinfo on a node with hundreds of overlay mounts takes the kernel milliseconds to produce. */
export async function readMountinfoAsync(path = '/proc/self/mountinfo'): Promise<MountInfo[]> {
	return parseMountinfo(await readFile(path, 'utf8'));
}

export function parseMountinfo(text: string): MountInfo[] {
	const mounts: MountInfo[] = [];
	for (const line of text.split('\n')) {
		const fields = line.split(' ');
		const dash = fields.indexOf('-', 6);
		if (dash < 0 || fields.length < dash + 3) continue;
		mounts.push({
			id: Number(fields[0]),
			parentId: Number(fields[1]),
			device: fields[2],
			root: unescapeOctal(fields[3]),
			mountPoint: unescapeOctal(fields[4]),
			fsType: unescapeOctal(fields[dash + 1]),
			source: unescapeOctal(fields[dash + 2]),
			superOptions: (fields[dash + 3] ?? '').split(',').filter(Boolean).map(unescapeOctal),
		});
	}
	return mounts;
}

/** Kernel seq_file escaping: "\040" → " ", "\072" → ":", "\134" → "\". */
export function unescapeOctal(text: string): string {
	return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** The mount visible at exactly `mountPoint` (the last one wins when stacked). */
export function findMountAt(mounts: MountInfo[], mountPoint: string): MountInfo | undefined {
	for (let i = mounts.length - 1; i >= 0; i--) if (mounts[i].mountPoint === mountPoint) return mounts[i];
	return undefined;
}

/** The mount that holds `path`: the longest mount point that is a path prefix of it. */
export function mountForPath(mounts: MountInfo[], path: string): MountInfo | undefined {
	let best: MountInfo | undefined;
	for (const mount of mounts) {
		const mp = mount.mountPoint;
		const contains = mp === '/' || path === mp || path.startsWith(mp.endsWith('/') ? mp : `${mp}/`);
		if (contains && (!best || mp.length >= best.mountPoint.length)) best = mount;
	}
	return best;
}

/**
 * upperdir and lowerdirs (top first, as the kernel lists them) of an overlay mount.
 * Overlayfs backslash-escapes ':' ',' '\' inside each path; "lowerdir+=" entries are supported.
 */
export function overlayDirs(mount: MountInfo): {upperDir: string | null; lowerDirs: string[]} {
	let upperDir: string | null = null;
	const lowerDirs: string[] = [];
	for (const option of mount.superOptions) {
		const eq = option.indexOf('=');
		const key = eq < 0 ? option : option.slice(0, eq);
		const value = eq < 0 ? '' : option.slice(eq + 1);
		if (key === 'upperdir') upperDir = unescapeBackslash(value);
		else if (key === 'lowerdir+') lowerDirs.push(unescapeBackslash(value));
		else if (key === 'lowerdir') lowerDirs.push(...splitUnescaped(value).filter(Boolean).map(unescapeBackslash));
	}
	return {upperDir, lowerDirs};
}

/** Split on ':' that is not backslash-escaped; escapes are kept for unescapeBackslash. */
function splitUnescaped(value: string): string[] {
	const parts: string[] = [];
	let current = '';
	for (let i = 0; i < value.length; i++) {
		const char = value[i];
		if (char === '\\' && i + 1 < value.length) current += char + value[++i];
		else if (char === ':') {
			parts.push(current);
			current = '';
		} else current += char;
	}
	parts.push(current);
	return parts;
}

function unescapeBackslash(value: string): string {
	return value.replace(/\\(.)/g, '$1');
}
