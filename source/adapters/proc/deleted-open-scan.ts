import {readFileSync, readdirSync, readlinkSync, statSync, type Stats} from 'node:fs';
import {resolve} from 'node:path';
import {isMainThread} from 'node:worker_threads';
import type {DeletedOpenFile} from '../../domain/types.js';
import {BackingDevices} from './overlay-device.js';

/**
 * One deleted file still held open, as /proc shows it: the domain's record before it is
 * attributed (no holder yet), plus the raw /proc/PID/cgroup it is attributed from.
 * Raw: nothing here is display text.
 */
export type RawDeletedOpen = Omit<DeletedOpenFile, 'holder'> & {
	/** /proc/PID/cgroup, raw. */
	cgroup: string;
};

export interface ScanOptions {
	/** Only files on these filesystems (st_dev); null keeps every real file (not memfd or anonymous). */
	devices: ReadonlySet<number> | null;
	/** Only these processes (re-validation); every process otherwise. */
	pids?: readonly number[];
	proc?: string;
}

export interface ScanResult {
	files: RawDeletedOpen[];
	processes: number;
	fds: number;
}

const deletedSuffix = Buffer.from(' (deleted)');

function endsDeleted(link: Buffer): boolean {
	const n = link.length;
	const m = deletedSuffix.length;
	if (n <= m || link[0] !== 0x2f) return false;
	for (let i = 0; i < m; i++) if (link[n - m + i] !== deletedSuffix[i]) return false;
	return true;
}

const read = (path: string): string | null => {
	try {
		return readFileSync(path, 'latin1');
	} catch {
		return null;
	}
};

/** Field 22 of /proc/PID/stat (after the parenthesised comm, which may hold spaces and parens). */
export function startTimeOf(stat: string | null): number | null {
	if (!stat) return null;
	const close = stat.lastIndexOf(')');
	const fields = stat.slice(close + 2).split(' ');
	const value = Number(fields[19]);
	return Number.isFinite(value) ? value : null;
}

export function processStartTime(pid: number, proc = '/proc'): number | null {
	return startTimeOf(read(`${proc}/${pid}/stat`));
}

const isPid = (name: string) => name.charCodeAt(0) >= 0x30 && name.charCodeAt(0) <= 0x39;

const isDeletedTarget = (text: string) => text.charCodeAt(0) === 0x2f && text.endsWith(' (deleted)');

/**
 * Phase 1 (the whole cost: one readlink per fd): "pid/fd" of every link whose target ends in
 * " (deleted)". Measured (bench/deleted-open.mjs): the kernel's path walk of
 * "/proc/PID/fd/N" (four components, the PID one revalidated each time) costs more than the
 * readlink itself, so on the main thread the pass moves the process's cwd into each
 * /proc/PID/fd once and reads every link by its bare name: one component per lookup, and no
 * path string built per fd. The pass is synchronous (no other JavaScript runs meanwhile) and
 * the cwd is restored before it returns; layerscope hands worker threads and the libuv pool
 * absolute paths only (the operator's paths are resolved where they are taken), so nothing
 * else resolves against the moved cwd. In a worker thread (no chdir there), or when the cwd
 * cannot be read back, it reads absolute paths.
 */
export function deletedLinks(pids: readonly (string | number)[], proc: string): {links: string[]; processes: number; fds: number} {
	const links: string[] = [];
	let processes = 0;
	let fds = 0;
	/** One process: list its fds with `list`, read each link with `read` (by bare name or absolute path). */
	const scan = (pid: string | number, list: () => string[], read: (name: string) => string) => {
		let names: string[];
		try {
			names = list();
		} catch {
			return; // exited, or a kernel thread we may not read
		}
		processes++;
		fds += names.length;
		for (const name of names) {
			try {
				if (isDeletedTarget(read(name))) links.push(`${pid}/${name}`);
			} catch {
				// closed since readdir
			}
		}
	};
	let cwd: string | null = null;
	if (isMainThread) {
		try {
			cwd = process.cwd();
		} catch {
			cwd = null; // the cwd was removed: it could not be restored
		}
	}
	if (cwd === null) {
		for (const pid of pids) {
			const dir = `${proc}/${pid}/fd/`;
			scan(
				pid,
				() => readdirSync(dir),
				name => readlinkSync(dir + name),
			);
		}
		return {links, processes, fds};
	}
	const base = resolve(proc);
	const bare = (name: string) => readlinkSync(name);
	try {
		for (const pid of pids) {
			scan(
				pid,
				() => {
					process.chdir(`${base}/${pid}/fd`);
					return readdirSync('.');
				},
				bare,
			);
		}
	} finally {
		try {
			process.chdir(cwd);
		} catch {
			process.chdir('/'); // removed meanwhile: never stay inside /proc/PID/fd
		}
	}
	return {links, processes, fds};
}

export function listPids(options: ScanOptions, proc: string): readonly (string | number)[] | null {
	try {
		return options.pids ?? readdirSync(proc).filter(isPid);
	} catch {
		return null;
	}
}

/**
 * Deleted-but-open regular files: readlink every /proc/PID/fd/N (cheap), fstat through the
 * link only those whose target ends in " (deleted)", keep st_nlink == 0 on the covered
 * filesystems, each (dev, inode) once. A process or fd that vanishes mid-scan is skipped.
 */
export function scanDeletedOpen(options: ScanOptions): ScanResult {
	const proc = options.proc ?? '/proc';
	const pids = listPids(options, proc);
	if (!pids) return {files: [], processes: 0, fds: 0};
	const found = deletedLinks(pids, proc);
	return {files: inspect(found.links, options, proc), processes: found.processes, fds: found.fds};
}

/** Phase 2, for the few deleted targets: exact bytes of the path, fstat, filesystem, holders once per inode. */
export function inspect(links: readonly string[], options: ScanOptions, proc: string): RawDeletedOpen[] {
	const backing = new BackingDevices(proc);
	const byInode = new Map<string, RawDeletedOpen>();
	for (const entry of links) {
		const slash = entry.indexOf('/');
		const pid = entry.slice(0, slash);
		const name = entry.slice(slash + 1);
		const link = `${proc}/${pid}/fd/${name}`;
		let target: Buffer;
		try {
			target = readlinkSync(link, {encoding: 'buffer'});
		} catch {
			continue;
		}
		if (!endsDeleted(target)) continue;
		let st: Stats | undefined;
		try {
			st = statSync(link, {throwIfNoEntry: false});
		} catch {
			continue;
		}
		if (st?.nlink !== 0 || !st.isFile()) continue;
		const device = options.devices?.has(st.dev) ? st.dev : backing.resolve(st.dev, Number(pid));
		if (options.devices && !options.devices.has(device)) continue;
		const key = `${device}:${st.ino}`;
		const holder = {pid: Number(pid), fd: Number(name)};
		const seen = byInode.get(key);
		if (seen) {
			seen.holders.push(holder);
			continue;
		}
		byInode.set(key, {
			...holder,
			startTime: -1,
			command: '',
			cgroup: '',
			path: target.toString('latin1', 0, target.length - deletedSuffix.length),
			device,
			statDevice: st.dev,
			inode: st.ino,
			bytes: st.size,
			allocatedBytes: st.blocks * 512,
			holders: [holder],
		});
	}
	// Only the holders' details are read: a few files per deleted file, not per process.
	const files: RawDeletedOpen[] = [];
	for (const file of byInode.values()) {
		const start = processStartTime(file.pid, proc);
		if (start === null) continue; // exited since
		file.startTime = start;
		file.command = (read(`${proc}/${file.pid}/comm`) ?? '').replace(/\n$/, '');
		file.cgroup = read(`${proc}/${file.pid}/cgroup`) ?? '';
		files.push(file);
	}
	return files;
}
