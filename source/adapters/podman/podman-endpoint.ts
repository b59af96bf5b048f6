import {existsSync, readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {resolveDockerEndpoint, type DockerEndpoint} from '../docker/endpoint.js';
import {userName} from './users.js';

export const rootfulPodmanSocket = '/run/podman/podman.sock';

/** One place a Podman service may listen, and whose it is when it is a user's (rootless). */
export interface PodmanCandidate {
	endpoint: DockerEndpoint;
	/** Named by --podman-host or CONTAINER_HOST: its failure is the operator's to see. */
	explicit: boolean;
	/** The socket's owner when it is a user's own service (under /run/user/<uid>). */
	user?: {name: string; uid: number};
}

const unixEndpoint = (path: string): DockerEndpoint => ({display: `unix://${path}`, socketPath: path, local: true, engine: 'Podman'});

/** A user's rootless socket: $XDG_RUNTIME_DIR/podman/podman.sock, i.e. /run/user/<uid>/podman/podman.sock. */
export function userSocket(runtimeDir: string): string {
	return join(runtimeDir, 'podman', 'podman.sock');
}

function isSocket(path: string): boolean {
	try {
		return statSync(path).isSocket();
	} catch {
		return false;
	}
}

/**
 * Where to look for Podman: `--podman-host`, then CONTAINER_HOST (each alone, as the
 * operator named it), else every socket that exists among /run/podman/podman.sock and
 * each user's /run/user/<uid>/podman/podman.sock (as root: every user's; otherwise only
 * one's own, from $XDG_RUNTIME_DIR). Throws a one-line error for a malformed URL.
 */
export function podmanCandidates(flag?: string, env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0, runDir = '/run'): PodmanCandidate[] {
	const named = (flag || env.CONTAINER_HOST || '').trim();
	if (named) {
		if (named.startsWith('ssh://')) throw new Error(`unsupported Podman host "${named}": ssh:// needs the podman client; run layerscope on that machine, or use unix:///path/to/podman.sock`);
		let endpoint: DockerEndpoint;
		try {
			endpoint = {...resolveDockerEndpoint(named, {}), engine: 'Podman'};
		} catch {
			throw new Error(`unsupported Podman host "${named}": use unix:///run/podman/podman.sock or tcp://host:port`);
		}
		const owner = endpoint.socketPath ? socketOwner(endpoint.socketPath, runDir) : undefined;
		return [{endpoint, explicit: true, ...(owner ? {user: owner} : {})}];
	}
	const found: PodmanCandidate[] = [];
	const rootful = join(runDir, 'podman', 'podman.sock');
	if (isSocket(rootful)) found.push({endpoint: unixEndpoint(rootful), explicit: false});
	const userDirs = uid === 0 ? listUserRuntimeDirs(runDir) : [env.XDG_RUNTIME_DIR || join(runDir, 'user', String(uid))].map(dir => ({dir, uid}));
	for (const {dir, uid: owner} of userDirs) {
		const socket = userSocket(dir);
		if (isSocket(socket)) found.push({endpoint: unixEndpoint(socket), explicit: false, user: {uid: owner, name: userName(owner)}});
	}
	return found;
}

function listUserRuntimeDirs(runDir: string): Array<{dir: string; uid: number}> {
	const base = join(runDir, 'user');
	if (!existsSync(base)) return [];
	try {
		return readdirSync(base)
			.filter(entry => /^\d+$/.test(entry) && entry !== '0')
			.map(entry => ({dir: join(base, entry), uid: Number(entry)}))
			.sort((a, b) => a.uid - b.uid);
	} catch {
		return [];
	}
}

/**
 * Whose service a unix socket is: the uid in /run/user/<uid>/..., else the socket file's
 * owner when that is not root (a rootless service listening elsewhere); undefined for root's.
 */
export function socketOwner(path: string, runDir = '/run'): {name: string; uid: number} | undefined {
	const prefix = `${runDir}/user/`;
	let uid = path.startsWith(prefix) ? Number(path.slice(prefix.length).split('/')[0]) : NaN;
	if (!Number.isInteger(uid)) {
		try {
			uid = statSync(path).uid;
		} catch {
			return undefined;
		}
	}
	return uid > 0 ? {uid, name: userName(uid)} : undefined;
}
