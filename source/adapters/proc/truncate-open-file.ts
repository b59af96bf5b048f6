import {closeSync, constants, fstatSync, ftruncateSync, openSync} from 'node:fs';
import type {OpenFileRef} from '../../domain/prune-plan.js';
import {processStartTime} from './deleted-open-scan.js';

/**
 * Frees a deleted file's bytes while its holder keeps running: opens it through
 * /proc/PID/fd/N and truncates it to 0. Every identity is checked on the opened file
 * itself (same process start time before and after, same device and inode, still
 * deleted), so nothing else can be truncated. Throws with the reason otherwise.
 */
export function truncateOpenFile(ref: OpenFileRef, proc = '/proc'): void {
	if (processStartTime(ref.pid, proc) !== ref.startTime) throw new Error('the holder exited or restarted');
	let fd: number;
	try {
		fd = openSync(`${proc}/${ref.pid}/fd/${ref.fd}`, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
	} catch (error) {
		throw new Error(`cannot open /proc/${ref.pid}/fd/${ref.fd}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
	}
	try {
		const st = fstatSync(fd);
		if (!st.isFile() || st.dev !== ref.statDevice || st.ino !== ref.inode) throw new Error(`fd ${ref.fd} points to another file now`);
		if (st.nlink !== 0) throw new Error('the file has a name again (not deleted)');
		if (processStartTime(ref.pid, proc) !== ref.startTime) throw new Error('the holder exited or restarted');
		ftruncateSync(fd, 0);
	} finally {
		closeSync(fd);
	}
}
