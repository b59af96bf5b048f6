import {OperatorError} from '../../domain/operator-error.js';

export interface DockerEndpoint {
	/** As shown to the operator, e.g. unix:///var/run/docker.sock */
	display: string;
	socketPath?: string;
	host?: string;
	port?: number;
	protocol?: 'http' | 'https';
	/** True when the engine's host paths (upperdirs, logs) are this machine's. */
	local: boolean;
	/** Which engine the operator meant to reach here, for error lines (default Docker). */
	engine?: 'Docker' | 'Podman';
}

export const defaultDockerSocket = '/var/run/docker.sock';

/** Endpoint from --host, then DOCKER_HOST, then /var/run/docker.sock. Throws a one-line error when malformed. */
export function resolveDockerEndpoint(flag?: string, env: NodeJS.ProcessEnv = process.env): DockerEndpoint {
	const raw = (flag || env.DOCKER_HOST || `unix://${defaultDockerSocket}`).trim();
	if (raw.startsWith('unix://')) {
		const socketPath = raw.slice('unix://'.length);
		if (!socketPath.startsWith('/')) throw new OperatorError(`invalid Docker host "${raw}": a unix socket path must be absolute`, {hint: 'e.g. unix:///var/run/docker.sock', code: 'BAD_FLAG'});
		return {display: raw, socketPath, local: true};
	}
	if (raw.startsWith('/')) return {display: `unix://${raw}`, socketPath: raw, local: true};
	const match = /^(tcp|http|https):\/\/([^:/]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(raw);
	if (match) {
		const protocol = match[1] === 'https' || (match[1] === 'tcp' && env.DOCKER_TLS_VERIFY) ? 'https' : 'http';
		const port = match[3] ? Number(match[3]) : protocol === 'https' ? 2376 : 2375;
		return {display: raw, host: match[2], port, protocol, local: false};
	}
	throw new OperatorError(`unsupported Docker host "${raw}"`, {hint: 'use unix:///path/to/docker.sock or tcp://host:port', code: 'BAD_FLAG'});
}
