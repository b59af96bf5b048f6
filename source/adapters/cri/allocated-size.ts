import {lstatSync, readdirSync} from 'node:fs';
import {join} from 'node:path';

/**
 * Allocated bytes (st_blocks * 512) under `root`, directories included, each hard-linked
 * inode once. Never follows symlinks and never crosses into another filesystem (so a
 * memory-backed emptyDir mounted inside does not count). Missing root → 0.
 */
export function allocatedBytesUnder(root: string): number {
	let rootDev: number;
	try {
		rootDev = lstatSync(root).dev;
	} catch {
		return 0;
	}
	const seen = new Set<number>();
	let total = 0;
	const stack = [root];
	while (stack.length > 0) {
		const path = stack.pop()!;
		let stat: ReturnType<typeof lstatSync>;
		try {
			stat = lstatSync(path);
		} catch {
			continue;
		}
		if (stat.dev !== rootDev) continue;
		if (stat.nlink > 1 && !stat.isDirectory()) {
			if (seen.has(stat.ino)) continue;
			seen.add(stat.ino);
		}
		total += stat.blocks * 512;
		if (!stat.isDirectory()) continue;
		try {
			for (const name of readdirSync(path)) stack.push(join(path, name));
		} catch {
			// unreadable directory: count what we have
		}
	}
	return total;
}
