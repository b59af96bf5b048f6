import {existsSync, readFileSync, rmSync} from 'node:fs';
import {execFileSync} from 'node:child_process';

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export function readPid(pidFile: string): number | null {
	try {
		const pid = Number(readFileSync(pidFile, 'utf8').trim());
		return Number.isInteger(pid) && pid > 1 ? pid : null;
	} catch {
		return null;
	}
}

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Stops exactly the process named in the pid file: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopByPidFile(pidFile: string, graceMs = 15_000): Promise<boolean> {
	const pid = readPid(pidFile);
	if (!pid || !isAlive(pid)) {
		rmSync(pidFile, {force: true});
		return false;
	}
	process.kill(pid, 'SIGTERM');
	const until = Date.now() + graceMs;
	while (isAlive(pid) && Date.now() < until) await sleep(100);
	if (isAlive(pid)) process.kill(pid, 'SIGKILL');
	while (isAlive(pid)) await sleep(50);
	rmSync(pidFile, {force: true});
	return true;
}

/** Unmounts every mount below `dir`, deepest first (overlay and shm mounts left by engines). */
export function unmountBelow(dir: string): void {
	if (!existsSync('/proc/self/mountinfo')) return;
	const points = readFileSync('/proc/self/mountinfo', 'utf8')
		.split('\n')
		.map(line => line.split(' ')[4])
		.filter((p): p is string => Boolean(p))
		.map(p => p.replace(/\\(\d{3})/g, (_, oct) => String.fromCharCode(parseInt(oct, 8))))
		.filter(p => p === dir || p.startsWith(dir + '/'))
		.sort((a, b) => b.length - a.length);
	for (const point of points) {
		try {
			execFileSync('umount', ['-l', point], {stdio: 'ignore'});
		} catch {
			// already gone
		}
	}
}

/** Last lines of a log file, for one-line start-up errors. */
export function tail(file: string, lines = 3): string {
	try {
		return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join(' | ');
	} catch {
		return '(no log)';
	}
}
