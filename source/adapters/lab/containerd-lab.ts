/**
 * A private containerd (with its CRI plugin) for tests and demos. Everything lives under
 * DIR/containerd; the host's own engines, sockets and runc state are never touched.
 */
import {spawn, spawnSync} from 'node:child_process';
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {CriClient} from '../cri/cri-client.js';
import {probeCriEndpoint} from '../cri/cri-resolve.js';
import {readMountinfo} from '../cri/mountinfo.js';

export const LAB_SANDBOX_IMAGE = 'layerscope.local/pause:latest';

const base = (dir: string) => join(resolve(dir), 'containerd');
export const containerdSocket = (dir: string) => join(base(dir), 'containerd.sock');
const pidFile = (dir: string) => join(base(dir), 'containerd.pid');
const logFile = (dir: string) => join(base(dir), 'containerd.log');
const configFile = (dir: string) => join(base(dir), 'config.toml');

export function containerdConfig(dir: string): string {
	const b = base(dir);
	const s = (path: string) => JSON.stringify(join(b, path));
	const cri = 'plugins."io.containerd.grpc.v1.cri"';
	return `version = 2
root = ${s('root')}
state = ${s('state')}
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = ${s('containerd.sock')}
[ttrpc]
  address = ${s('containerd-ttrpc.sock')}
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = ${s('opt')}
[${cri}]
  sandbox_image = ${JSON.stringify(LAB_SANDBOX_IMAGE)}
  stats_collect_period = 1
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [${cri}.containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [${cri}.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [${cri}.containerd.runtimes.runc.options]
        Root = ${s('runc')}
  [${cri}.cni]
    bin_dir = ${s('cni-bin')}
    conf_dir = ${s('cni-conf')}
`;
}

/** Start (or reuse) the private containerd; resolves once it answers a CRI Version call. */
export async function startContainerd(dir: string, options: {timeoutMs?: number; binary?: string} = {}): Promise<{socket: string; pid: number}> {
	const socket = containerdSocket(dir);
	const running = ourPid(dir);
	if (running && (await probeCriEndpoint(socket)) === null) return {socket, pid: running};
	if (running) await stopContainerd(dir);
	for (const sub of ['root', 'state', 'opt', 'runc', 'cni-bin', 'cni-conf']) mkdirSync(join(base(dir), sub), {recursive: true});
	writeFileSync(configFile(dir), containerdConfig(dir));
	rmSync(socket, {force: true});
	const log = openSync(logFile(dir), 'a');
	const child = spawn(options.binary ?? 'containerd', ['--config', configFile(dir)], {detached: true, stdio: ['ignore', log, log]});
	closeSync(log);
	let exited = false;
	let spawnError = '';
	child
		.once('exit', () => (exited = true))
		.once('error', e => {
			exited = true;
			spawnError = e.message;
		})
		.unref();
	if (child.pid) writeFileSync(pidFile(dir), `${child.pid}\n`);
	const timeoutMs = options.timeoutMs ?? 30_000;
	for (const deadline = Date.now() + timeoutMs; child.pid && Date.now() < deadline && !exited; ) {
		if (existsSync(socket) && (await probeCriEndpoint(socket, 2000)) === null) return {socket, pid: child.pid};
		await sleep(200);
	}
	await stopContainerd(dir);
	const what = exited || !child.pid ? 'exited' : `did not answer CRI within ${timeoutMs / 1000} s`;
	throw new Error(`private containerd in ${base(dir)} ${what}: ${spawnError || logTail(dir)}`);
}

/** Remove its pods, stop the daemon (SIGTERM, then SIGKILL), kill its leftover shims, unmount leftovers. */
export async function stopContainerd(dir: string): Promise<void> {
	const socket = containerdSocket(dir);
	const pid = ourPid(dir);
	if (pid && (await probeCriEndpoint(socket)) === null) await removeAllPods(socket);
	if (pid) await terminate(pid, 10_000);
	for (const shim of shimPids(socket)) await terminate(shim, 3000);
	unmountUnder(base(dir));
	rmSync(pidFile(dir), {force: true});
}

/** `ctr -a <sock> -n k8s.io images import <tar>` into the private containerd. */
export function importImage(dir: string, tarPath: string): void {
	const result = spawnSync('ctr', ['-a', containerdSocket(dir), '-n', 'k8s.io', 'images', 'import', tarPath], {encoding: 'utf8', timeout: 120_000});
	if (result.status !== 0) {
		const why = (result.stderr || result.error?.message || `exit ${result.status}`).trim().split('\n').pop();
		throw new Error(`ctr images import ${tarPath} failed: ${why}`);
	}
}

async function removeAllPods(socket: string): Promise<void> {
	const client = CriClient.connect(socket, {timeoutMs: 20_000});
	const pods = await client.listPodSandboxes().catch(() => []);
	for (const pod of pods) {
		await client.stopPodSandbox(pod.id).catch(() => undefined);
		await client.removePodSandbox(pod.id).catch(() => undefined);
	}
	client.close();
}

/** The pid from the pid file, only if that process is alive and is our containerd (guards against pid reuse). */
function ourPid(dir: string): number | null {
	const pid = Number.parseInt(readOr(pidFile(dir)), 10);
	if (!Number.isInteger(pid) || pid <= 0) return null;
	return readOr(`/proc/${pid}/cmdline`).split('\0').includes(configFile(dir)) ? pid : null;
}

/** containerd-shim processes serving our socket (they outlive containerd by design). */
function shimPids(socket: string): number[] {
	return readdirSync('/proc')
		.filter(name => /^\d+$/.test(name))
		.map(Number)
		.filter(pid => {
			const argv = readOr(`/proc/${pid}/cmdline`).split('\0');
			return argv[0]?.includes('containerd-shim') && argv[argv.indexOf('-address') + 1] === socket;
		});
}

async function terminate(pid: number, graceMs: number): Promise<void> {
	const alive = (sig: NodeJS.Signals | 0) => {
		try {
			return process.kill(pid, sig);
		} catch {
			return false;
		}
	};
	if (!alive('SIGTERM')) return;
	for (const end = Date.now() + graceMs; Date.now() < end && alive(0); ) await sleep(100);
	if (!alive('SIGKILL')) return;
	for (const end = Date.now() + 5000; Date.now() < end && alive(0); ) await sleep(100);
}

function unmountUnder(root: string): void {
	const mounts = readMountinfo()
		.map(m => m.mountPoint)
		.filter(mp => mp.startsWith(`${root}/`));
	for (const mp of [...new Set(mounts)].sort((a, b) => b.split('/').length - a.split('/').length)) {
		spawnSync('umount', ['-l', mp], {stdio: 'ignore'});
	}
}

function logTail(dir: string): string {
	const lines = readOr(logFile(dir))
		.trim()
		.split('\n')
		.filter(line => /level=(error|fatal|warning)|failed/i.test(line));
	return lines.slice(-2).join(' | ').replace(/\s+/g, ' ').slice(-400) || `see ${logFile(dir)}`;
}

function readOr(path: string): string {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return '';
	}
}
