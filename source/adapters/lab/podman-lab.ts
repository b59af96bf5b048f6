/**
 * A private rootful Podman for tests and demos: `podman system service --time=0` with
 * its own --root, --runroot and --tmpdir, its own containers.conf, storage.conf and
 * registries.conf, and a unix socket in the lab dir. The host's own Podman storage,
 * sockets and configuration are never read or touched.
 *
 * This sandbox refuses Podman's default rlimits ("error setting rlimit type 7:
 * operation not permitted"): the lab's containers.conf sets default_ulimits for nofile
 * and nproc to 1024, so every container gets explicit limits it may set.
 */
import {execFile, spawn} from 'node:child_process';
import {existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import Docker from 'dockerode';
import {labImages} from './lab-paths.js';
import {LabError} from './lab-install.js';
import {isAlive, readPid, sleep, stopByPidFile, tail, unmountBelow} from './processes.js';

const run = promisify(execFile);
export const podmanBinary = '/usr/bin/podman';

export function podmanLabPaths(dir: string) {
	const base = join(resolve(dir), 'podman');
	return {
		dir: base,
		root: join(base, 'root'),
		runRoot: join(base, 'run'),
		tmpDir: join(base, 'tmp'),
		socket: join(base, 'podman.sock'),
		pidFile: join(base, 'podman.pid'),
		log: join(base, 'podman.log'),
		containersConf: join(base, 'containers.conf'),
		storageConf: join(base, 'storage.conf'),
		registriesConf: join(base, 'registries.conf'),
	};
}

export type PodmanLabPaths = ReturnType<typeof podmanLabPaths>;

export const podmanHost = (dir: string) => `unix://${podmanLabPaths(dir).socket}`;

export function podmanLabConfig(p: PodmanLabPaths) {
	return {
		containers: [
			'[containers]',
			'# This sandbox refuses the default rlimits ("error setting rlimit type 7"): give explicit ones.',
			'default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]',
			'log_driver = "k8s-file"',
			'netns = "none"',
			'[engine]',
			'cgroup_manager = "cgroupfs"',
			'events_logger = "file"',
			`infra_image = ${JSON.stringify(labImages.pause)}`,
			'',
		].join('\n'),
		storage: ['[storage]', 'driver = "overlay"', `graphroot = ${JSON.stringify(p.root)}`, `runroot = ${JSON.stringify(p.runRoot)}`, ''].join('\n'),
		// No registry: images come from `podman import` of the lab's busybox rootfs.
		registries: 'unqualified-search-registries = []\n',
	};
}

/** The environment a podman process of this lab runs with (its own configuration files). */
export function podmanLabEnv(p: PodmanLabPaths): NodeJS.ProcessEnv {
	return {...process.env, CONTAINERS_CONF: p.containersConf, CONTAINERS_STORAGE_CONF: p.storageConf, CONTAINERS_REGISTRIES_CONF: p.registriesConf};
}

export function labPodman(dir: string): Docker {
	return new Docker({socketPath: podmanLabPaths(dir).socket});
}

async function answers(docker: Docker): Promise<boolean> {
	try {
		await docker.ping();
		return true;
	} catch {
		return false;
	}
}

/** Starts (or reuses) the private Podman service; resolves once its socket answers. */
export async function startPodman(dir: string): Promise<void> {
	const p = podmanLabPaths(dir);
	const docker = labPodman(dir);
	const pid = readPid(p.pidFile);
	if (pid && isAlive(pid) && (await answers(docker))) return;
	if (!existsSync(podmanBinary)) throw new LabError('podman not found: apt-get install podman');
	for (const d of [p.dir, p.tmpDir]) mkdirSync(d, {recursive: true});
	const config = podmanLabConfig(p);
	writeFileSync(p.containersConf, config.containers);
	writeFileSync(p.storageConf, config.storage);
	writeFileSync(p.registriesConf, config.registries);
	const args = ['--root', p.root, '--runroot', p.runRoot, '--tmpdir', p.tmpDir, '--storage-driver', 'overlay', '--log-level', 'warn', 'system', 'service', '--time=0', `unix://${p.socket}`];
	const out = openSync(p.log, 'a');
	const child = spawn(podmanBinary, args, {detached: true, stdio: ['ignore', out, out], env: podmanLabEnv(p)});
	child.unref();
	writeFileSync(p.pidFile, `${child.pid}\n`);
	const until = Date.now() + 60_000;
	while (Date.now() < until) {
		if (child.exitCode !== null) break;
		if (await answers(docker)) return;
		await sleep(200);
	}
	throw new LabError(`private podman service did not start (log ${p.log}): ${tail(p.log)}`);
}

/** `podman --url <lab socket> ARGS`: the remote client, talking only to this lab's service. */
export async function podmanCli(dir: string, args: string[], timeoutMs = 120_000): Promise<string> {
	const p = podmanLabPaths(dir);
	const {stdout} = await run(podmanBinary, ['--url', `unix://${p.socket}`, ...args], {env: podmanLabEnv(p), timeout: timeoutMs, maxBuffer: 16 << 20});
	return stdout;
}

/**
 * `buildah ARGS` on the lab's Podman store (same --root and --runroot): what it creates
 * are the "external" containers Podman lists (libpod ?external=true) but did not make.
 */
export async function buildahCli(dir: string, args: string[], timeoutMs = 120_000): Promise<string> {
	const p = podmanLabPaths(dir);
	const {stdout} = await run('/usr/bin/buildah', ['--root', p.root, '--runroot', p.runRoot, '--storage-driver', 'overlay', ...args], {env: podmanLabEnv(p), timeout: timeoutMs, maxBuffer: 16 << 20});
	return stdout;
}

/** Imports the busybox and pause images from the lab's rootfs tar (no registry). */
export async function loadPodmanImages(dir: string, rootfsTar: string): Promise<void> {
	const docker = labPodman(dir);
	const wanted: Array<[string, string]> = [
		[labImages.busybox, 'CMD ["/bin/sh"]'],
		[labImages.pause, 'ENTRYPOINT ["/bin/sleep", "infinity"]'],
	];
	for (const [ref, change] of wanted) {
		const have = await docker
			.getImage(ref)
			.inspect()
			.then(
				() => true,
				() => false,
			);
		if (!have) await podmanCli(dir, ['import', '--quiet', '--change', change, rootfsTar, ref]);
	}
}

/**
 * Stops the private Podman: its containers are killed through its own API first (the
 * lab's engine, never the host's), then the service by its pid file; any conmon still
 * naming this lab's root is ended by pid, and the lab's mounts are undone.
 */
export async function stopPodman(dir: string): Promise<boolean> {
	const p = podmanLabPaths(dir);
	const docker = labPodman(dir);
	const pid = readPid(p.pidFile);
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
	const stopped = await stopByPidFile(p.pidFile, 30_000);
	killConmonsUnder(p.dir);
	unmountBelow(p.dir);
	return stopped;
}

/** Ends conmon processes (and their containers) whose command line names this lab's directory. */
function killConmonsUnder(base: string): void {
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let cmdline: string;
		try {
			cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
		} catch {
			continue;
		}
		const args = cmdline.split('\0');
		if (!args[0]?.endsWith('conmon')) continue;
		if (!args.some(arg => arg.startsWith(base + '/'))) continue;
		try {
			process.kill(Number(entry), 'SIGKILL');
		} catch {
			// already gone
		}
	}
}
