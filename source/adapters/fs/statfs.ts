import {statSync, statfsSync} from 'node:fs';
import type {FilesystemStats} from '../../domain/types.js';

/** statfs of the filesystem holding `path`, as df would show it. */
export function filesystemStats(path: string): FilesystemStats {
	const s = statfsSync(path);
	return {
		path,
		sizeBytes: s.blocks * s.bsize,
		usedBytes: (s.blocks - s.bfree) * s.bsize,
		availableBytes: s.bavail * s.bsize,
		inodesTotal: s.files,
		inodesFree: s.ffree,
		device: statSync(path).dev,
	};
}

/** Like filesystemStats, but null when the path is not readable here (remote engine, not root). */
export function tryFilesystemStats(path: string | undefined): FilesystemStats | null {
	if (!path) return null;
	try {
		return filesystemStats(path);
	} catch {
		return null;
	}
}
