import {accessSync, constants, statSync} from 'node:fs';
import {CriError} from './cri-error.js';

/** crictl's default order. */
export const DEFAULT_CRI_ENDPOINTS = [
	'unix:///run/containerd/containerd.sock',
	'unix:///run/crio/crio.sock',
	'unix:///var/run/cri-dockerd.sock',
];

/** "unix:///p", "unix:/p" or a bare "/p" → "unix:///p". Other schemes pass through. */
export function normalizeCriEndpoint(endpoint: string): string {
	const trimmed = endpoint.trim();
	if (trimmed.startsWith('/')) return `unix://${trimmed}`;
	if (trimmed.startsWith('unix:')) return `unix://${trimmed.slice('unix:'.length).replace(/^\/\//, '')}`;
	return trimmed;
}

/** Filesystem path of a unix endpoint, or null for network endpoints. */
export function criSocketPath(endpoint: string): string | null {
	const normalized = normalizeCriEndpoint(endpoint);
	return normalized.startsWith('unix://') ? normalized.slice('unix://'.length) : null;
}

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
		throw new CriError('NO_SOCKET', `CRI socket not found: ${shown}`, shown,
			'is the runtime installed and running? pass --runtime-endpoint or set CONTAINER_RUNTIME_ENDPOINT');
	}
	if (!isSocket) {
		throw new CriError('NOT_SOCKET', `CRI endpoint ${shown} is not a unix socket`, shown,
			'point --runtime-endpoint at the runtime\'s socket, e.g. unix:///run/containerd/containerd.sock');
	}
	try {
		accessSync(path, constants.R_OK | constants.W_OK);
	} catch {
		throw permissionError(shown);
	}
}

function permissionError(endpoint: string): CriError {
	return new CriError('PERMISSION', `permission denied on CRI socket ${endpoint}`, endpoint,
		'run as root or as a user in the socket\'s group');
}
