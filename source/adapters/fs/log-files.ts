import {lstatSync, readdirSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';

/**
 * Bytes of a container log file plus its rotated siblings
 * (json-file: x-json.log.1 …; CRI: 0.log.20240101-…, 0.log.1.gz), allocated on disk.
 * Missing or unreadable files count as 0.
 */
export function logFileBytes(logPath: string | null | undefined): number {
	if (!logPath) return 0;
	const dir = dirname(logPath);
	const base = basename(logPath);
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return 0;
	}
	let total = 0;
	for (const name of names) {
		if (name !== base && !name.startsWith(base + '.')) continue;
		try {
			const st = lstatSync(join(dir, name));
			if (st.isFile()) total += st.size;
		} catch {
			// vanished between readdir and lstat: rotation in progress
		}
	}
	return total;
}
