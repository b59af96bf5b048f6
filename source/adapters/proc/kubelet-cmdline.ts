import {closeSync, openSync, readdirSync, readSync} from 'node:fs';

/** What the running kubelet was started with, as far as eviction thresholds go. */
export interface KubeletCmdline {
	pid: number;
	/** `--config PATH`, as the kubelet sees it (its own mount namespace). */
	config?: string;
	/** `--eviction-hard` as written, e.g. "memory.available<100Mi,nodefs.available<10%". */
	evictionHard?: string;
	/** `--image-gc-high-threshold` / `--image-gc-low-threshold` (deprecated flags, still honoured by the kubelet). */
	imageGcHigh?: string;
	imageGcLow?: string;
}

/** One buffer for every /proc file read here (a command line longer than it is read in several passes). */
const chunk = Buffer.allocUnsafe(16 * 1024);

/**
 * The whole of a small /proc file: open, read until the end, close. readFileSync also
 * fstats it and allocates per read (a /proc file says its size is 0), which is most of the
 * cost of this pass over every process.
 */
function read(path: string): string | null {
	let fd: number;
	try {
		fd = openSync(path, 'r');
	} catch {
		return null;
	}
	try {
		let text = '';
		for (let n = readSync(fd, chunk, 0, chunk.length, null); n > 0; n = readSync(fd, chunk, 0, chunk.length, null)) text += chunk.toString('latin1', 0, n);
		return text;
	} catch {
		return null;
	} finally {
		closeSync(fd);
	}
}

/** The value of `--name=value` or `--name value` (also `-name`, as Go's flag package accepts). */
export function flagValue(argv: readonly string[], name: string): string | undefined {
	let found: string | undefined;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		for (const prefix of [`--${name}`, `-${name}`]) {
			if (arg === prefix && i + 1 < argv.length) found = argv[i + 1];
			else if (arg.startsWith(`${prefix}=`)) found = arg.slice(prefix.length + 1);
		}
	}
	return found;
}

/**
 * Finds a running kubelet under `procRoot` (its comm, or its argv[0]'s base name, is
 * "kubelet") and reads its `--config` and `--eviction-hard` flags from
 * /proc/PID/cmdline. null when no kubelet runs (or /proc is not readable).
 */
export function findKubeletCmdline(procRoot = '/proc'): KubeletCmdline | null {
	let entries: string[];
	try {
		entries = readdirSync(procRoot);
	} catch {
		return null;
	}
	for (const entry of entries) {
		if (!/^\d+$/.test(entry)) continue;
		const argv = kubeletArgv(procRoot, entry);
		if (argv) return kubeletFromArgv(Number(entry), argv);
	}
	return null;
}

/** The command line of process `pid` when it is a kubelet (its comm, or its argv[0]'s base name, is "kubelet"), else null. */
export function kubeletArgv(procRoot: string, pid: string | number): string[] | null {
	const comm = read(`${procRoot}/${pid}/comm`)?.trim();
	const cmdline = read(`${procRoot}/${pid}/cmdline`);
	if (!cmdline) return null;
	const argv = cmdline.split('\0').filter(Boolean);
	const base = (argv[0] ?? '').split('/').pop();
	return comm === 'kubelet' || base === 'kubelet' ? argv : null;
}

/** What findKubeletCmdline reads from a kubelet's command line. */
export function kubeletFromArgv(pid: number, argv: readonly string[]): KubeletCmdline {
	return {
		pid,
		config: flagValue(argv, 'config'),
		evictionHard: flagValue(argv, 'eviction-hard'),
		imageGcHigh: flagValue(argv, 'image-gc-high-threshold'),
		imageGcLow: flagValue(argv, 'image-gc-low-threshold'),
	};
}

/** `--eviction-hard` text as the kubelet's map: "a<1Gi,b<10%" -> {a: "1Gi", b: "10%"}. */
export function parseEvictionHardFlag(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const part of text.split(',')) {
		const match = /^\s*([\w.]+)\s*<\s*(\S+)\s*$/.exec(part);
		if (match) out[match[1]!] = match[2]!;
	}
	return out;
}
