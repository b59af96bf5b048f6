import {spawn} from 'node:child_process';
import {createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {pipeline} from 'node:stream/promises';
import Docker from 'dockerode';
import {labImages, type LabPaths} from './lab-paths.js';
import {LabError} from './lab-install.js';
import {isAlive, readPid, sleep, stopByPidFile, tail, unmountBelow} from './processes.js';

const dockerdPaths = ['/usr/sbin/dockerd', '/usr/bin/dockerd'];

export function labDocker(paths: LabPaths): Docker {
	return new Docker({socketPath: paths.docker.socket});
}

async function answers(docker: Docker): Promise<boolean> {
	try {
		await docker.ping();
		return true;
	} catch {
		return false;
	}
}

/**
 * Starts a private dockerd with its own root, exec root, pid file, socket and config,
 * and no bridge or iptables changes, so it never disturbs an engine already on the host.
 * Reuses it when its pid file names a live process that answers.
 */
export async function startDockerd(paths: LabPaths): Promise<void> {
	const p = paths.docker;
	const docker = labDocker(paths);
	const pid = readPid(p.pidFile);
	if (pid && isAlive(pid) && (await answers(docker))) return;
	const binary = dockerdPaths.find(b => existsSync(b));
	if (!binary) throw new LabError('dockerd not found', 'apt-get install docker.io');
	mkdirSync(p.dir, {recursive: true});
	writeFileSync(p.config, '{}\n');
	const args = [
		`--data-root=${p.dataRoot}`,
		`--exec-root=${p.execRoot}`,
		`--pidfile=${p.pidFile}`,
		`--config-file=${p.config}`,
		`--host=unix://${p.socket}`,
		'--bridge=none',
		'--iptables=false',
		'--ip6tables=false',
		'--ip-masq=false',
		'--userland-proxy=false',
		'--storage-driver=overlay2',
		'--log-level=warn',
	];
	const out = openSync(p.log, 'a');
	const child = spawn(binary, args, {detached: true, stdio: ['ignore', out, out]});
	child.unref();
	const until = Date.now() + 60_000;
	while (Date.now() < until) {
		if (child.exitCode !== null) break;
		if (await answers(docker)) return;
		await sleep(200);
	}
	throw new LabError(`private dockerd did not start (log ${p.log}): ${tail(p.log)}`);
}

/**
 * Stops the private dockerd. Its containers are killed first through its own API
 * (this is the lab's private engine, never the host's), so no shim outlives it; any shim
 * still holding this lab's exec root afterwards is ended by pid.
 */
export async function stopDockerd(paths: LabPaths): Promise<boolean> {
	const docker = labDocker(paths);
	const pid = readPid(paths.docker.pidFile);
	if (pid && isAlive(pid) && (await answers(docker))) {
		const running = await docker.listContainers().catch(() => []);
		await Promise.all(
			running.map(c =>
				docker
					.getContainer(c.Id)
					.kill()
					.catch(() => {}),
			),
		);
	}
	const stopped = await stopByPidFile(paths.docker.pidFile, 60_000);
	killShimsUnder(paths.docker.execRoot);
	unmountBelow(paths.docker.dir);
	return stopped;
}

/** Ends containerd shims whose command line names this lab's exec root, and their children. */
function killShimsUnder(execRoot: string): void {
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let cmdline: string;
		try {
			cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
		} catch {
			continue;
		}
		if (!cmdline.startsWith('containerd-shim') && !cmdline.includes('/containerd-shim')) continue;
		if (!cmdline.split('\0').some(arg => arg.startsWith(execRoot))) continue;
		try {
			process.kill(-Number(entry), 'SIGKILL');
		} catch {
			try {
				process.kill(Number(entry), 'SIGKILL');
			} catch {
				// already gone
			}
		}
	}
}

async function hasImage(docker: Docker, ref: string): Promise<boolean> {
	try {
		await docker.getImage(ref).inspect();
		return true;
	} catch {
		return false;
	}
}

async function importRootfs(docker: Docker, tarPath: string, ref: string, change: string): Promise<void> {
	const [repo, tag] = ref.split(/:(?=[^:]+$)/);
	const stream = (await (docker as any).importImage(createReadStream(tarPath), {repo, tag, changes: change})) as NodeJS.ReadableStream;
	await new Promise((resolve, reject) => docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve(null))));
}

/** Imports the busybox and pause images into the private dockerd; returns docker-archive tars of both. */
export async function loadDockerImages(paths: LabPaths, rootfsTar: string): Promise<{busybox: string; pause: string}> {
	const docker = labDocker(paths);
	const wanted: Array<[keyof typeof labImages, string]> = [
		['busybox', 'CMD ["/bin/sh"]'],
		['pause', 'ENTRYPOINT ["/bin/sleep", "infinity"]'],
	];
	const tars = {busybox: '', pause: ''};
	for (const [key, change] of wanted) {
		const ref = labImages[key];
		if (!(await hasImage(docker, ref))) await importRootfs(docker, rootfsTar, ref, change);
		tars[key] = `${paths.images}/${key}.tar`;
		if (!existsSync(tars[key])) {
			const archive = (await docker.getImage(ref).get()) as unknown as NodeJS.ReadableStream;
			await pipeline(archive, createWriteStream(tars[key] + '.part'));
			renameSync(tars[key] + '.part', tars[key]);
		}
	}
	return tars;
}
