import {accessSync, constants, statSync} from 'node:fs';
import {CriError} from './cri-error.js';

export {DEFAULT_CRI_ENDPOINTS, normalizeCriEndpoint, criSocketPath} from './cri-defaults.js';
import {criSocketPath, normalizeCriEndpoint} from './cri-defaults.js';

/** Throw a clear CriError when a unix endpoint's socket is absent, not a socket, or not accessible. */
export function checkCriSocket(endpoint: string): void {
	const path = criSocketPath(endpoint);
	if (path === null) return;
	const shown = normalizeCriEndpoint(endpoint);
	let isSocket: boolean;
	try {
		isSocket = statSync(path).isSocket();
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EACCES') throw permissionError(shown);
		throw new CriError('NO_SOCKET', `CRI socket not found: ${shown}`, shown, 'is the runtime installed and running? pass --runtime-endpoint or set CONTAINER_RUNTIME_ENDPOINT');
	}
	if (!isSocket) {
		throw new CriError('NOT_SOCKET', `CRI endpoint ${shown} is not a unix socket`, shown, "point --runtime-endpoint at the runtime's socket, e.g. unix:///run/containerd/containerd.sock");
	}
	try {
		accessSync(path, constants.R_OK | constants.W_OK);
	} catch {
		throw permissionError(shown);
	}
}

function permissionError(endpoint: string): CriError {
	return new CriError('PERMISSION', `permission denied on CRI socket ${endpoint}`, endpoint, "run as root or as a user in the socket's group");
}
