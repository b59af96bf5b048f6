import {type ChildProcess, spawn} from 'node:child_process';
import {closeSync, mkdtempSync, openSync, rmdirSync, rmSync, unlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {deletedLinks, scanDeletedOpen} from '../../source/adapters/proc/deleted-open-scan.js';

/**
 * The readlink pass over a real process's /proc/PID/fd: a `sleep` holding, as its fd 3, a
 * file deleted after it was opened. The pass moves the cwd into each /proc/PID/fd (one
 * component per lookup) and must always put it back.
 */
describe('the /proc readlink pass', () => {
	const dir = mkdtempSync(join(tmpdir(), 'ls-scan-'));
	let holder: ChildProcess;
	beforeAll(() => {
		const path = join(dir, 'held.log');
		writeFileSync(path, Buffer.alloc(64 * 1024, 1));
		const fd = openSync(path, 'r');
		holder = spawn('sleep', ['3600'], {stdio: ['ignore', 'ignore', 'ignore', fd]});
		closeSync(fd);
		unlinkSync(path);
	});
	afterAll(() => {
		holder.kill('SIGKILL');
		rmSync(dir, {recursive: true, force: true});
	});

	it('finds the deleted target by its fd, skips a pid that does not exist, and restores the cwd', () => {
		const cwd = process.cwd();
		const found = deletedLinks([holder.pid!, 2 ** 30], '/proc');
		expect(found.links).toEqual([`${holder.pid}/3`]);
		expect(found.processes).toBe(1);
		expect(found.fds).toBeGreaterThanOrEqual(4);
		expect(process.cwd()).toBe(cwd);
		const files = scanDeletedOpen({devices: null, pids: [holder.pid!]}).files;
		expect(files.map(f => [f.fd, f.path, f.allocatedBytes >= 64 * 1024])).toEqual([[3, join(dir, 'held.log'), true]]);
	});

	it('reads absolute paths when the cwd cannot be read back (removed), and leaves the cwd alone', () => {
		const cwd = process.cwd();
		const gone = mkdtempSync(join(tmpdir(), 'ls-scan-cwd-'));
		process.chdir(gone);
		rmdirSync(gone);
		try {
			expect(() => process.cwd()).toThrow();
			expect(deletedLinks([holder.pid!], '/proc').links).toEqual([`${holder.pid}/3`]);
			expect(() => process.cwd()).toThrow(); // still in the removed directory: not moved
		} finally {
			process.chdir(cwd);
		}
	});
});
