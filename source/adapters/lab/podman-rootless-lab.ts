/**
 * A rootless Podman for the rootless tests: an ordinary user with subordinate ids runs
 * `podman system service` itself (storage in its home, native overlay in a user
 * namespace). The user is created here and deleted by removeRootlessPodman.
 */
import {execFile, spawn} from 'node:child_process';
import {existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import Docker from 'dockerode';
import {LabError} from './lab-install.js';
import {podmanBinary, podmanLabConfig, podmanLabPaths} from './podman-lab.js';
import {isAlive, readPid, sleep, stopByPidFile, tail, unmountBelow} from './processes.js';

const run = promisify(execFile);

async function answers(docker: Docker): Promise<boolean> {
	try {
		await docker.ping();
		return true;
	} catch {
		return false;
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
