import {firstLine} from '../../domain/operator-error.js';
import {EngineError} from '../engine-error.js';
import type {DockerEndpoint} from './endpoint.js';

interface RawError {
	code?: string;
	statusCode?: number;
	message?: string;
	reason?: string;
	json?: {message?: string} | null;
	name?: string;
}

/** Maps a dockerode/socket error onto one line naming the endpoint, and a hint. */
export function dockerError(error: unknown, endpoint: DockerEndpoint, what: string): EngineError {
	if (error instanceof EngineError) return error;
	const e = (error ?? {}) as RawError;
	const podman = endpoint.engine === 'Podman';
	const where = `${endpoint.engine ?? 'Docker'} at ${endpoint.display}`;
	const running = podman
		? 'is the Podman service running (systemctl start podman.socket, or systemctl --user start podman.socket)? Set --podman-host or CONTAINER_HOST to its socket'
		: 'is dockerd running? Set --host or DOCKER_HOST to its socket';
	switch (e.code) {
		case 'ENOENT':
			return new EngineError(`cannot reach ${where}: no such socket`, running, 'ENOENT');
		case 'EACCES':
		case 'EPERM':
			return new EngineError(`cannot reach ${where}: permission denied`, podman ? "run as root, or as the socket's own user for rootless Podman" : 'run as root or join the docker group', 'EACCES');
		case 'ECONNREFUSED':
			return new EngineError(`cannot reach ${where}: connection refused`, podman ? running : 'is dockerd running? Check the socket or --host', 'ECONNREFUSED');
		case 'ECONNRESET':
		case 'EPIPE':
			return new EngineError(`lost connection to ${where} during ${what}`, `is ${podman ? 'the Podman service' : 'dockerd'} restarting? Try again`, 'ECONNRESET');
		case 'ENOTFOUND':
		case 'EHOSTUNREACH':
		case 'ETIMEDOUT':
			return new EngineError(`cannot reach ${where}: ${e.code}`, 'check --host and the network', e.code);
		default:
			break;
	}
	const message = firstLine(e.json?.message ?? e.reason ?? e.message ?? String(error));
	if (/client version .* too (new|old)|minimum supported API version/i.test(message)) {
		return new EngineError(`${where} rejected the API version: ${message}`, 'set DOCKER_API_VERSION to the version the engine supports', 'API_VERSION');
	}
	if (e.statusCode === 404) return new EngineError(`${what}: not found at ${where}: ${message}`, '', 'NOT_FOUND');
	if (e.statusCode) return new EngineError(`${where} answered ${e.statusCode} to ${what}: ${message}`, '', 'HTTP');
	return new EngineError(`${what} failed at ${where}: ${message}`, '', 'UNKNOWN');
}

export function timeoutError(endpoint: DockerEndpoint, what: string, ms: number): EngineError {
	return new EngineError(`cannot reach ${endpoint.engine ?? 'Docker'} at ${endpoint.display}: no answer to ${what} within ${(ms / 1000).toFixed(0)} s`, 'the engine may be hung or overloaded; try --timeout', 'TIMEOUT');
}
