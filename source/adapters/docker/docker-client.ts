import Docker from 'dockerode';
import {withDeadline} from '../engine-error.js';
import {dockerError, timeoutError} from './docker-errors.js';
import type {DockerEndpoint} from './endpoint.js';
import {unixSocketAgent} from './unix-agent.js';

export interface CallOptions {
	timeoutMs?: number;
}

/** A dockerode handle where every call has a deadline and errors become one-line EngineErrors. */
export class DockerClient {
	readonly docker: Docker;

	constructor(
		readonly endpoint: DockerEndpoint,
		readonly timeoutMs = 10_000,
	) {
		const version = process.env.DOCKER_API_VERSION;
		this.docker = new Docker({
			socketPath: endpoint.socketPath,
			host: endpoint.host,
			port: endpoint.port,
			protocol: endpoint.protocol,
			...(endpoint.socketPath ? {agent: unixSocketAgent()} : {}),
			...(version ? {version: version.startsWith('v') ? version : `v${version}`} : {}),
		});
	}

	async call<T>(what: string, run: (docker: Docker, signal: AbortSignal) => Promise<T>, options: CallOptions = {}): Promise<T> {
		const ms = options.timeoutMs ?? this.timeoutMs;
		try {
			return await withDeadline(
				signal => run(this.docker, signal),
				ms,
				() => timeoutError(this.endpoint, what, ms),
			);
		} catch (error) {
			throw dockerError(error, this.endpoint, what);
		}
	}
}
