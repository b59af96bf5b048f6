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
			.then(() => true, () => false);
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
		await Promise.all(running.map(c => docker.getContainer(c.Id).kill().catch(() => {})));
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

/** A rootless Podman service run by an ordinary user, for the rootless tests. */
export interface RootlessPodman {
	user: string;
	uid: number;
	gid: number;
	home: string;
	/** The user's $XDG_RUNTIME_DIR for this service (the socket is runtimeDir/podman/podman.sock). */
	runtimeDir: string;
	socket: string;
	env: NodeJS.ProcessEnv;
}

/** Why rootless Podman cannot run here, or null when it can (user namespaces, newuidmap, subordinate ids). */
export async function rootlessUnavailable(user: string): Promise<string | null> {
	if (process.getuid?.() !== 0) return 'the rootless lab creates a user: run as root';
	if (!existsSync('/usr/bin/newuidmap') || !existsSync('/usr/bin/newgidmap')) return 'newuidmap/newgidmap missing (apt-get install uidmap)';
	if (!existsSync('/usr/bin/setpriv')) return 'setpriv missing (apt-get install util-linux)';
	try {
		await run('id', ['-u', user]);
	} catch {
		try {
			await run('useradd', ['--create-home', '--shell', '/bin/sh', user]);
		} catch (error) {
			return `cannot create the test user ${user}: ${(error as Error).message.split('\n')[0]}`;
		}
	}
	const subuid = readFileSync('/etc/subuid', 'utf8');
	if (!subuid.split('\n').some(line => line.startsWith(`${user}:`))) {
		try {
			await run('usermod', ['--add-subuids', '300000-365535', '--add-subgids', '300000-365535', user]);
		} catch (error) {
			return `cannot give ${user} subordinate ids: ${(error as Error).message.split('\n')[0]}`;
		}
	}
	const {uid, gid} = await ids(user);
	try {
		await run('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--init-groups', 'unshare', '--user', '--map-root-user', 'true']);
	} catch (error) {
		return `this machine does not allow user namespaces for ${user}: ${(error as Error).message.split('\n').slice(-2).join(' ').trim()}`;
	}
	return null;
}

async function ids(user: string): Promise<{uid: number; gid: number; home: string}> {
	const line = (await run('getent', ['passwd', user])).stdout.trim().split(':');
	return {uid: Number(line[2]), gid: Number(line[3]), home: line[5]!};
}

/**
 * Starts `podman system service` as `user` (rootless: its storage in the user's
 * ~/.local/share/containers/storage, native overlay in a user namespace), listening on
 * DIR/rootless-run/podman/podman.sock. Same rlimit trap as the rootful lab: the
 * service reads a containers.conf with default_ulimits.
 */
export async function startRootlessPodman(dir: string, user: string): Promise<RootlessPodman> {
	const {uid, gid, home} = await ids(user);
	const base = join(resolve(dir), 'rootless');
	const runtimeDir = join(base, 'run');
	const socket = join(runtimeDir, 'podman', 'podman.sock');
	mkdirSync(join(runtimeDir, 'podman'), {recursive: true});
	for (const d of [base, runtimeDir, join(runtimeDir, 'podman')]) await run('chown', [`${uid}:${gid}`, d]);
	await run('chmod', ['0700', runtimeDir]);
	const conf = join(base, 'containers.conf');
	const p = podmanLabPaths(dir);
	writeFileSync(conf, podmanLabConfig(p).containers.replace(/^infra_image = .*$/m, ''));
	const confDir = join(home, '.config', 'containers');
	mkdirSync(confDir, {recursive: true});
	writeFileSync(join(confDir, 'storage.conf'), '[storage]\ndriver = "overlay"\n');
	await run('chown', ['-R', `${uid}:${gid}`, join(home, '.config')]);
	const env: NodeJS.ProcessEnv = {
		PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
		HOME: home,
		USER: user,
		LOGNAME: user,
		XDG_RUNTIME_DIR: runtimeDir,
		CONTAINERS_CONF: conf,
		CONTAINERS_REGISTRIES_CONF: p.registriesConf,
	};
	const docker = new Docker({socketPath: socket});
	const pidFile = join(base, 'podman.pid');
	const pid = readPid(pidFile);
	if (!(pid && isAlive(pid) && (await answers(docker)))) {
		const out = openSync(join(base, 'podman.log'), 'a');
		const child = spawn('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--init-groups', podmanBinary, '--log-level', 'warn', 'system', 'service', '--time=0', `unix://${socket}`], {
			detached: true,
			stdio: ['ignore', out, out],
			env,
			cwd: home,
		});
		child.unref();
		writeFileSync(pidFile, `${child.pid}\n`);
		const until = Date.now() + 60_000;
		while (!(await answers(docker))) {
			if (child.exitCode !== null || Date.now() > until) throw new LabError(`rootless podman service did not start (log ${base}/podman.log): ${tail(join(base, 'podman.log'))}`);
			await sleep(200);
		}
	}
	return {user, uid, gid, home, runtimeDir, socket, env};
}

/** `podman ARGS` as the rootless user (its own local client, not through the socket). */
export async function rootlessPodmanCli(r: RootlessPodman, args: string[]): Promise<string> {
	const {stdout} = await run('setpriv', [`--reuid=${r.uid}`, `--regid=${r.gid}`, '--init-groups', podmanBinary, ...args], {env: r.env, cwd: r.home, timeout: 120_000, maxBuffer: 16 << 20});
	return stdout;
}

/**
 * Stops the rootless service and every process the test user still runs (the service's
 * pause process holds its user namespace), then deletes the user and its home.
 */
export async function removeRootlessPodman(dir: string, user: string): Promise<void> {
	const base = join(resolve(dir), 'rootless');
	await stopByPidFile(join(base, 'podman.pid'), 15_000);
	let uid: number | null = null;
	try {
		uid = (await ids(user)).uid;
	} catch {
		return;
	}
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const status = readFileSync(`/proc/${entry}/status`, 'utf8');
			if (new RegExp(`^Uid:\\s+${uid}\\s`, 'm').test(status)) process.kill(Number(entry), 'SIGKILL');
		} catch {
			// gone
		}
	}
	unmountBelow(base);
	await run('userdel', ['--remove', user]).catch(() => null);
}
